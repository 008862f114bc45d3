"""Location judgement: named predicates over where a match was found (path, file type, context)."""
