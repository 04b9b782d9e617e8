"""Territory: official bairros, census population, IQVU by planning unit."""
