"""credsweep: find leaked credentials and bad credential hygiene in git repositories.

The version has one source, ``version`` in pyproject.toml: installed, it is the distribution's metadata
(``importlib.metadata``), read the first time ``credsweep.__version__`` is asked for. Importing
``importlib.metadata`` costs more than the pre-commit hook's whole scan of a small commit, so nothing on
the hook's path asks for it (see ``docs/RELEASING.md``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DISTRIBUTION = "credsweep"


@lru_cache(maxsize=1)
def version() -> str:
    """This installation's version: the distribution's metadata; in a source checkout that is not
    installed, pyproject.toml's ``version`` (read, never imported); else ``0+unknown``."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    import re

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        found = re.search(r'(?m)^version\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"))
    except OSError:
        found = None
    named = found is not None and re.search(r'(?m)^name\s*=\s*"credsweep"', pyproject.read_text(encoding="utf-8"))
    return found.group(1) if found and named else "0+unknown"


def __getattr__(name: str) -> str:
    """``credsweep.__version__``, computed when first asked for (PEP 562)."""
    if name == "__version__":
        return version()
    raise AttributeError(f"module 'credsweep' has no attribute {name!r}")
