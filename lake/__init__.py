"""Shared runtime of the lake: settings, locations and the resources each environment provides."""
