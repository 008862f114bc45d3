"""Detectors turn content into raw matches; filters then decide which are real."""
