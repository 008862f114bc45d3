"""One module per command; click wiring stays in cli.py."""
