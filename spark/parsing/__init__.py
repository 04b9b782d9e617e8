"""Shared parsing of the city's raw files: deliberate decoding, CSV splitting, typed values, geometry.

Pure Python (no Spark import at module level) so the helpers run inside ``mapInPandas`` on the
executors and are unit-tested on small byte strings.
"""
