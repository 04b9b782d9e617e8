"""Materialisation: the Glue job entry point, the local runner, transforms, validation and writes."""
