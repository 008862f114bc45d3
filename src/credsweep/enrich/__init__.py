"""Enrichment after judgement: where a secret has been (``provenance``: git passes, log parsing,
reachability) and what to do about it (``advice``: urgency, playbooks, purge plans, groups)."""
