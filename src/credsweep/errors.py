"""The error family, the documented exit codes, and the one place errors become exits (``exit_code_of``,
called by ``cli.main`` and by the hook's fast path in ``entry.py``)."""

from __future__ import annotations

import enum
from collections.abc import Callable


class ExitCode(enum.IntEnum):
    """Process exit codes (documented in README.md)."""

    CLEAN = 0
    """Nothing to report."""
    FINDINGS = 1
    """Findings were reported (or the hook blocked)."""
    ERROR = 2
    """Usage, configuration, git or input error."""
    BASELINE_REWRITTEN = 3
    """The baseline file was rewritten (pre-commit convention of detect-secrets)."""
    REPOSITORY_FAILED = 4
    """``fleet scan``: at least one repository could not be cloned, fetched or read (the others were
    scanned; each failure is recorded with its reason and retried on the next run)."""
    INTERRUPTED = 130
    """Interrupted by the user (^C)."""


class CredsweepError(Exception):
    """An error the user can act on; its message is one sentence and never holds a secret."""

    exit_code = ExitCode.ERROR


class ConfigError(CredsweepError):
    """Invalid configuration or ruleset."""


class GitError(CredsweepError):
    """git failed or the path is not a usable repository."""


class InputError(CredsweepError):
    """Bad user input (path, file, option value)."""


EXTRAS = {"sqlalchemy": "fleet", "alembic": "fleet", "psycopg": "fleet", "psycopg_binary": "fleet",
          "celery": "fleet", "kombu": "fleet", "redis": "fleet"}
"""Optional modules → the extra that installs them (pyproject.toml ``[project.optional-dependencies]``)."""


class MissingExtraError(CredsweepError):
    """A feature needs an optional extra that is not installed; the message names the install command."""

    def __init__(self, module: str, feature: str = "") -> None:
        extra = EXTRAS.get(module.split(".")[0], "all")
        what = feature or f"this command ({module} is used by the '{extra}' extra)"
        super().__init__(f"{what} needs the optional '{extra}' dependencies ({module} is not installed): "
                         f"pip install 'credsweep[{extra}]'")


def require(feature: str, *modules: str) -> None:
    """Raise ``MissingExtraError`` naming the extra that installs ``modules`` unless each is installed.

    Found, not imported: a command imports what it uses when it uses it (Alembic only when a store's
    schema must be created or upgraded: importing it for the check cost every fleet process a few tenths
    of a second). A module set to None in ``sys.modules`` is what ``import`` treats as missing."""
    import importlib.util
    import sys

    for module in modules:
        if module in sys.modules:
            found = sys.modules[module] is not None
        else:
            try:
                found = importlib.util.find_spec(module) is not None
            except (ImportError, ValueError):
                found = False
        if not found:
            raise MissingExtraError(module, feature)


def _during_interrupt(exc: BaseException) -> bool:
    """``exc`` was raised while a ``KeyboardInterrupt`` was handled: one is in its chain of causes."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return True
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return False


def exit_code_of(call: Callable[[], object], debug: bool = False) -> int:
    """Run ``call`` and map every outcome to a documented exit code: its own (an int), else 0; a
    ``CredsweepError`` prints one line and exits with its code; Ctrl-C exits 130; an unexpected error
    prints one line (its traceback only with ``debug``), never a traceback by default."""
    from credsweep.util.console import err

    try:
        result = call()
    except CredsweepError as exc:
        from credsweep.util.sanitize import line  # a path in the message may hold any byte, newlines too

        err(f"credsweep: error: {line(str(exc))}")
        return int(exc.exit_code)
    except KeyboardInterrupt:
        err("credsweep: interrupted")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return ExitCode.ERROR
    except Exception as exc:
        if _during_interrupt(exc):
            # an error raised while a Ctrl-C was being handled (a pool's thread joined before it started,
            # a pipe closed under a cleanup): the run ends because it was interrupted, and says so
            err("credsweep: interrupted")
            return ExitCode.INTERRUPTED
        if debug:
            raise
        if isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] in EXTRAS:
            # an optional dependency reached by a path no ``require`` guards: still one line naming the fix
            err(f"credsweep: error: {MissingExtraError(exc.name or '')}")
            return ExitCode.ERROR
        err(f"credsweep: internal error ({type(exc).__name__}); rerun with --debug for details")
        return ExitCode.ERROR
    return result if isinstance(result, int) else ExitCode.CLEAN
