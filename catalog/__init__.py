"""Table registration (Glue Data Catalog or the local catalog), queries and freshness status."""
