"""Executors: where the content stage runs (in process, or a pool of worker processes)."""
