"""Filters: small named predicates that drop matches that are not real credentials."""
