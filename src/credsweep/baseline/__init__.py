"""Baselines: the file format that reveals nothing (``format``: salted scrypt ids, audit states, where
the file is) and imports from other scanners' baselines (``importers``)."""
