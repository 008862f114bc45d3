"""One module per command: each builds its report from a source, the pipeline and enrichment.

``cli.py`` parses arguments and calls these; only ``cli.py`` and ``commands.output`` print.
"""
