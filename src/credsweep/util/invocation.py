"""How a person runs this credsweep from their own shell: what printed advice starts its commands with.

Under the pre-commit framework (which sets ``PRE_COMMIT=1`` for its hooks) credsweep lives in
pre-commit's private virtualenv, not on the user's PATH: a printed ``credsweep ...`` would end in
"command not found". ``pre-commit run`` cannot pass options to a hook either, so the one invocation that
works as printed is this interpreter's own: ``/path/to/py_env/bin/python -m credsweep ...`` (quoted for a
shell; the path stays valid as long as pre-commit's environment does, which is as long as the hook runs).
Everywhere else, ``credsweep`` (the plain git hooks find it on PATH, and say so when it is not).
"""

from __future__ import annotations

import os
import sys


def under_pre_commit() -> bool:
    """The pre-commit framework is running this process as a hook."""
    return os.environ.get("PRE_COMMIT") == "1"


def credsweep_command() -> str:
    """The words that run this credsweep from the user's shell (see module docstring)."""
    if under_pre_commit() and sys.executable:
        import shlex  # only when a message is printed: not on the hook's path of a clean commit

        return f"{shlex.quote(sys.executable)} -m credsweep"
    return "credsweep"
