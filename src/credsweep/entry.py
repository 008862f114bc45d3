"""The process entry point.

The command line ``credsweep staged`` alone (what the pre-commit hook runs on every commit) goes straight
to ``commands.staged.run_staged`` with the click command's defaults (``HOOK_DEFAULTS``): there is nothing to parse, and
importing click would be a sixth of the hook's start-up. Every other command line goes through click
(``cli.py``). Either way errors map to exit codes in one place (``errors.exit_code_of``), and Ctrl-C
during the imports exits 130 like any other moment, without a traceback.
"""

from __future__ import annotations

import sys

INTERRUPTED = 130


def main() -> int:
    """Run the command line; every outcome is an exit code."""
    try:
        if sys.argv[1:] == ["staged"]:
            from credsweep.commands.staged import HOOK_DEFAULTS, run_staged
            from credsweep.errors import exit_code_of

            return exit_code_of(lambda: run_staged(HOOK_DEFAULTS))
        from credsweep.cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write("credsweep: interrupted\n")
        return INTERRUPTED
    return cli_main()
