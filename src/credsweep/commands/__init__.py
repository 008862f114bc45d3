"""One module per command: the logic behind each click command of ``cli.py``, returning an exit code."""
