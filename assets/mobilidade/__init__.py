"""Mobility: traffic accidents, bus stations, GTFS stops and MCO ticketing trips."""
