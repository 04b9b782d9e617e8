"""One module per declared transform reference (``spark.transforms.<module>:<function>``).

Each function is ``build(ctx) -> TransformOutput``: raw inputs through ``ctx.raw``, upstream
tables through ``ctx.table``; the runtime enforces the schema, runs the checks and publishes.
"""
