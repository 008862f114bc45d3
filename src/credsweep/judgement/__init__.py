"""Location judgement: the same content judged by where it lives (path, file type, context)."""
