"""Your own credentials, exactly: values loaded from the standard credential files, held in memory only.

``--known-credentials`` blocks any exact occurrence of a credential this user actually holds, whatever
its entropy, so "hunter2" in ~/.netrc is caught too. Values are never written, logged or printed:
findings name the file the credential came from, and carry the usual redacted preview.
"""

from __future__ import annotations

import base64
import configparser
import json
import os
import re
import secrets as _secrets
from dataclasses import dataclass, field
from pathlib import Path

MIN_LENGTH = 4


@dataclass(frozen=True)
class KnownCredentials:
    """Credential values by the label of the file they came from."""

    values: dict[str, str] = field(default_factory=dict, repr=False)
    """value → source label (e.g. "~/.aws/credentials")."""
    digest: str = field(default_factory=lambda: _secrets.token_hex(16), compare=False)
    """A random name for this set, part of the content digest: results found with the user's own
    credentials are never stored, so no two runs may share their digest."""

    def __len__(self) -> int:
        return len(self.values)

    def find(self, data: bytes) -> list[tuple[int, int, str, str]]:
        """(start, end, value, label) of every exact occurrence in ``data``."""
        hits = []
        for value, label in self.values.items():
            needle = value.encode("utf-8", "surrogateescape")
            start = data.find(needle)
            while start >= 0:
                hits.append((start, start + len(needle), value, label))
                start = data.find(needle, start + 1)
        return hits


def _read(path: Path) -> str | None:
    try:
        if path.is_file():
            return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return None


def _aws(home: Path, out: dict[str, str]) -> None:
    text = _read(home / ".aws" / "credentials")
    if not text:
        return
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return
    for section in parser.sections():
        for key in ("aws_secret_access_key", "aws_session_token"):
            if parser.has_option(section, key):
                out[parser.get(section, key).strip()] = "~/.aws/credentials"


def _netrc(home: Path, out: dict[str, str]) -> None:
    for name in (".netrc", "_netrc"):
        text = _read(home / name)
        if text:
            tokens = text.split()
            for i, token in enumerate(tokens[:-1]):
                if token == "password":
                    out[tokens[i + 1]] = f"~/{name}"


def _pypirc(home: Path, out: dict[str, str]) -> None:
    text = _read(home / ".pypirc")
    for match in re.finditer(r"(?m)^\s*password\s*[=:]\s*(\S+)", text or ""):
        out[match.group(1)] = "~/.pypirc"


def _npmrc(home: Path, out: dict[str, str]) -> None:
    text = _read(home / ".npmrc") or ""
    for match in re.finditer(r"(?m)(?:_authToken|_password|_auth)\s*=\s*(\S+)", text):
        value = match.group(1).strip("\"'")
        if not value.startswith("${"):
            out[value] = "~/.npmrc"


def _docker(home: Path, out: dict[str, str]) -> None:
    text = _read(home / ".docker" / "config.json")
    try:
        auths = json.loads(text or "{}").get("auths", {})
    except (ValueError, AttributeError):
        return
    for entry in auths.values() if isinstance(auths, dict) else []:
        if not isinstance(entry, dict):
            continue
        if entry.get("identitytoken"):
            out[str(entry["identitytoken"])] = "~/.docker/config.json"
        try:
            user_pass = base64.b64decode(str(entry.get("auth", ""))).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            continue
        if ":" in user_pass:
            out[user_pass.split(":", 1)[1]] = "~/.docker/config.json"


def _gh(home: Path, out: dict[str, str]) -> None:
    config = os.environ.get("GH_CONFIG_DIR") or str(home / ".config" / "gh")
    for match in re.finditer(r"(?m)^\s*oauth_token:\s*(\S+)", _read(Path(config) / "hosts.yml") or ""):
        out[match.group(1)] = "GitHub CLI hosts.yml"


def _repo_env(root: Path | None, out: dict[str, str]) -> None:
    if root is None:
        return
    from credsweep.content.keys import credential_key

    text = _read(root / ".env")
    for line in (text or "").splitlines():
        match = re.match(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$", line)
        if match and credential_key(match.group(1)):
            value = match.group(2).strip("\"'")
            if value and not value.startswith("${"):
                out[value] = "the repository's .env"


def load_known(root: Path | None = None, home: Path | None = None) -> KnownCredentials:
    """Credential values from the user's standard files (and the repository's own .env)."""
    home = home or Path(os.path.expanduser("~"))
    values: dict[str, str] = {}
    for loader in (_aws, _netrc, _pypirc, _npmrc, _docker, _gh):
        loader(home, values)
    _repo_env(root, values)
    return KnownCredentials({v: label for v, label in values.items() if len(v) >= MIN_LENGTH})
