"""The process entry point: imports the CLI inside the interrupt handling (Ctrl-C during start-up
exits 130 like any other moment, without a traceback)."""

from __future__ import annotations

import sys

INTERRUPTED = 130


def main() -> int:
    """Run the command line; every outcome is an exit code."""
    try:
        from credsweep.cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write("credsweep: interrupted\n")
        return INTERRUPTED
    return cli_main()
