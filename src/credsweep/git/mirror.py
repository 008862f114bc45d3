"""Where a fleet repository comes from: a local path scanned in place, or a URL mirrored into a cache.

Every URL is checked before any git command runs: only ``https``, ``ssh`` (URL or scp-like
``user@host:path``), ``git`` and local paths (``file://`` included) pass; transport helpers
(``ext::``, ``fd::``, any ``<transport>::``), other schemes, option-like input and URLs carrying a
credential are refused: user info in an https or git URL (``https://<token>@host/x``, a password,
even one holding a raw ``@``), an ssh user name that is not a plain login, and token-like query
parameters (``?private_token=``). Such a URL would be stored in the fleet store and printed in
reports, notifications and logs; the refusal says how to pass credentials instead (an SSH key, or a
git credential helper in ``$CREDSWEEP_GIT_CREDENTIAL_HELPER``, which may read a token from an
environment variable). Refusal messages never repeat the credential. Mirrors are made by git itself
(``clone --mirror`` into a temporary folder renamed into place, so a failed clone leaves nothing;
``fetch --prune`` on later runs) under the hardened options of ``credsweep.git.repo`` plus: the four
allowed protocols only, no credential helper but the one ``$CREDSWEEP_GIT_CREDENTIAL_HELPER`` names, no askpass, no terminal prompt, ssh in batch mode, an environment built whole for each git process
(the caller's is never changed), and a time limit per clone and fetch that ends git's helpers too.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from credsweep.errors import CredsweepError
from credsweep.util.lazyre import lazy
from credsweep.util.xdg import cache_dir

ALLOWED_SCHEMES = {"https": "https", "ssh": "ssh", "git+ssh": "ssh", "ssh+git": "ssh", "git": "git", "file": "file"}
"""URL schemes a fleet repository may use, and the git protocol each is."""
DEFAULT_TIMEOUT = 600.0
"""Seconds allowed for one clone or fetch."""

_HELPER = lazy(r"^[A-Za-z][A-Za-z0-9+.-]*::")
_LOGIN = lazy(r"^[a-z_][a-z0-9_.-]{0,19}$")
"""An ssh user name (``git``, ``deploy``, ``ec2-user``): a short POSIX login, not a credential (a token
has upper case or is long)."""
_TOKEN_PARAM = lazy(r"(?i)^(?:key|sig|pass|pwd|code)$|token|secret|passw|api[_-]?key|auth|credential|signature|"
                    r"session|jwt|bearer")
"""Query parameter names that carry credentials (GitLab's ``private_token``, ``access_token``, signed URLs)."""
CREDENTIAL_HELPER_ENV = "CREDSWEEP_GIT_CREDENTIAL_HELPER"
"""A git credential helper for fleet clones and fetches (``store --file ~/.git-credentials``, or a
shell helper that prints ``password=$TOKEN``); none by default."""
HOW_TO_AUTHENTICATE = (
    "credsweep refuses credentials in repository URLs (they would be stored in the fleet store and printed in "
    "reports, notifications and logs): use an SSH key (ssh:// or user@host:path URLs), or a git credential "
    f"helper in ${CREDENTIAL_HELPER_ENV} (for example 'store --file ~/.git-credentials', or one that reads a "
    "token from an environment variable), or mirror the repository yourself and list its local path")
_SCHEME = lazy(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_SCP = lazy(r"^(?:([^@/:\s]+)@)?([^@/:\s]+):(?!//)(.+)$")
_NETWORK_OPTIONS: tuple[str, ...] = (
    # credsweep.git.repo.SAFE_OPTIONS forbids every protocol; a later -c wins, so allow exactly four
    "-c", "protocol.allow=never",
    "-c", "protocol.https.allow=always",
    "-c", "protocol.ssh.allow=always",
    "-c", "protocol.git.allow=always",
    "-c", "protocol.file.allow=always",
    "-c", "credential.helper=",
    "-c", "core.askPass=",
    "-c", "http.followRedirects=initial",
    "-c", "http.lowSpeedLimit=1000",
    "-c", "http.lowSpeedTime=60",
    "-c", "submodule.recurse=false",
    "-c", "fetch.recurseSubmodules=false",
)


class SourceRefused(CredsweepError):
    """A repository location the fleet will not touch (disallowed transport, option-like input)."""


class MirrorError(CredsweepError):
    """A clone or fetch failed; the message is the reason recorded for the repository."""


@dataclass(frozen=True)
class Source:
    """A fleet repository as the user named it, checked."""

    kind: str
    """``path`` (scanned in place) or ``url`` (mirrored)."""
    location: str
    """Absolute path, or the URL handed to git."""
    key: str
    """Identity in the store: the absolute path, or the URL without credentials."""
    name: str
    """Short display name."""


def parse_source(spec: str) -> Source:
    """Check and classify one repository argument; raises ``SourceRefused`` before any git command."""
    text = spec.strip()
    if not text or any(ord(c) < 32 for c in text):
        raise SourceRefused(f"'{_safe(text)}': not a repository location")
    if text.startswith("-"):
        raise SourceRefused(f"'{_safe(text)}': looks like an option, not a repository")
    helper = _HELPER.match(text)
    if helper:
        raise SourceRefused(f"transport '{_safe(text.split('::', 1)[0])}::' is not allowed (only https, ssh, git "
                            "and local paths); no git command was run")
    scheme = _SCHEME.match(text)
    if scheme:
        return _from_url(text, scheme.group(1).lower())
    local = Path(text).expanduser()
    if local.exists() or text.startswith(("/", "./", "../", "~")) or not _SCP.match(text):
        full = local.resolve()
        return Source("path", str(full), str(full), full.name or str(full))
    user, host, path = _SCP.match(text).groups()  # type: ignore[union-attr]
    _refuse_credentials(text, "ssh", user, None, "")
    if host.startswith("-") or path.startswith("-"):
        raise SourceRefused(f"'{_safe(text)}': host or path looks like an option")
    return Source("url", text, text, _short_name(host, path))


def _from_url(text: str, scheme: str) -> Source:
    protocol = ALLOWED_SCHEMES.get(scheme)
    if protocol is None:
        raise SourceRefused(f"scheme '{_safe(scheme)}' is not allowed (only https, ssh, git and local paths); "
                            "no git command was run")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  a port that is not a number is refused here, as one line
    except ValueError:
        raise SourceRefused(f"'{_safe(text)}': not a valid URL") from None
    if protocol == "file":
        full = Path(parts.path).resolve()
        return Source("path", str(full), str(full), full.name or str(full))
    _refuse_credentials(text, protocol, parts.username, parts.password, parts.query)
    host = parts.hostname or ""
    if not host or host.startswith("-"):
        raise SourceRefused(f"'{_safe(text)}': no usable host")
    return Source("url", text, text, _short_name(host, parts.path))


def _refuse_credentials(text: str, protocol: str, user: str | None, password: str | None, query: str) -> None:
    """Refuse a URL that carries a credential (see the module docstring), naming what to do instead."""
    if password is not None:
        raise SourceRefused(f"'{_safe(text)}': the URL holds a password. {HOW_TO_AUTHENTICATE}")
    if user is not None and (protocol != "ssh" or not _LOGIN.match(user)):
        raise SourceRefused(f"'{_safe(text)}': the URL holds user info (a token in the user name is a credential). "
                            f"{HOW_TO_AUTHENTICATE}")
    for name, _ in parse_qsl(query, keep_blank_values=True):
        if _TOKEN_PARAM.search(name):
            raise SourceRefused(f"'{_safe(text)}': the URL's query parameter '{_safe(name)}' carries a credential. "
                                f"{HOW_TO_AUTHENTICATE}")


def shareable(spec: str) -> str:
    """``spec`` as it may be sent to other processes (a Celery broker) and stored: as given when it is
    accepted, with its credentials hidden (``_safe``) when it is refused, so no refused token travels."""
    try:
        parse_source(spec)
    except SourceRefused:
        return _safe(spec.strip())
    return spec


def _short_name(host: str, path: str) -> str:
    path = path.strip("/").removesuffix(".git")
    return f"{host}/{path}" if path else host


def _safe(text: str) -> str:
    """Input quoted in an error or stored for a refused location: printable, bounded, with a URL's user
    info (everything before the last ``@`` of its authority, a password holding a raw ``@`` included)
    and its query's values hidden, and an scp-like location's user name hidden unless it is a login."""
    shown = text
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)(.*)$", text, re.S)
    if scheme:
        head, authority, rest = scheme.groups()
        if "@" in authority:
            authority = "***@" + authority.rpartition("@")[2]
        rest = re.sub(r"([?&][^=&#]*=)[^&#]*", r"\1***", rest)
        shown = head + authority + rest
    else:
        scp = _SCP.match(text)
        if scp and scp.group(1) and not _LOGIN.match(scp.group(1)):
            shown = "***@" + text.partition("@")[2].rpartition("@")[2] if "@" in text else text
    return "".join(c if c.isprintable() else "?" for c in shown)[:200]


def mirror_dir(cache: Path, source: Source) -> Path:
    """The mirror's folder for a URL source: readable name + hash of the URL (no collisions)."""
    digest = hashlib.sha256(source.key.encode()).hexdigest()[:12]
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", source.name)[-80:].strip("._") or "repo"
    return cache / f"{readable}-{digest}.git"


def default_cache() -> Path:
    """``$XDG_CACHE_HOME/credsweep/mirrors``."""
    return cache_dir() / "mirrors"


def _network_env() -> dict[str, str]:
    from credsweep.git.repo import safe_env

    return safe_env({
        # BatchMode: a key needing a passphrase or a host asking for a password fails instead of asking
        "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o ConnectTimeout=30",
        "GIT_ALLOW_PROTOCOL": "https:ssh:git:file",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "",
        "SSH_ASKPASS": "",
        "GCM_INTERACTIVE": "never",
    })


def _helper_options() -> list[str]:
    """``-c credential.helper=...`` for the user's ``$CREDSWEEP_GIT_CREDENTIAL_HELPER`` (after the empty
    one of the network options, which clears every configured helper), or nothing."""
    helper = os.environ.get(CREDENTIAL_HELPER_ENV, "").strip()
    return ["-c", f"credential.helper={helper}"] if helper else []


def _git(cwd: Path, args: list[str], timeout: float) -> None:
    """One git network command, hardened and time-limited. Its environment is built whole for this one
    process (``_network_env``): nothing of the caller's ``GIT_*`` variables reaches it, and the
    caller's environment is left as it was. git runs in a process group of its own, so the time limit
    ends its helpers (``git-remote-https``, ``ssh``) with it."""
    import signal
    import subprocess

    from credsweep.git.repo import SAFE_OPTIONS

    started = time.monotonic()
    try:
        proc = subprocess.Popen(["git", *SAFE_OPTIONS, *_NETWORK_OPTIONS, *_helper_options(), *args], cwd=cwd,
                                env=_network_env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
    except FileNotFoundError:
        raise MirrorError("git is not installed or not on PATH") from None
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise MirrorError(f"{args[0]} timed out after {timeout:g} s") from None
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    if proc.returncode != 0:
        if time.monotonic() - started >= timeout - 0.5:
            raise MirrorError(f"{args[0]} timed out after {timeout:g} s") from None
        raise MirrorError(f"{args[0]} failed: {describe_git_failure(stderr.decode('utf-8', 'replace'))}") from None


_REASONS = (
    ("could not read username", "authentication required"),
    ("authentication failed", "authentication failed"),
    ("terminal prompts disabled", "authentication required"),
    ("permission denied (publickey", "authentication required (ssh key refused)"),
    ("host key verification failed", "ssh host key not trusted"),
    ("could not resolve host", "unreachable: could not resolve host"),
    ("connection refused", "unreachable: connection refused"),
    ("couldn't connect to server", "unreachable: could not connect to the server"),
    ("failed to connect", "unreachable: could not connect to the server"),
    ("connection timed out", "unreachable: connection timed out"),
    ("no route to host", "unreachable: no route to host"),
    ("repository not found", "repository not found"),
    ("does not appear to be a git repository", "not a git repository"),
    ("not found", "repository not found"),
    ("no space left on device", "disk full"),
    ("transport", "transport not allowed"),
)


def describe_git_failure(stderr: str) -> str:
    """One line saying why a clone or fetch failed (known causes named; never a credential)."""
    text = stderr.lower()
    for needle, reason in _REASONS:
        if needle in text:
            return reason
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else "unknown error"
    return _safe(last.removeprefix("stderr: ").strip("'"))


def ensure_mirror(source: Source, cache: Path, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """The up-to-date bare mirror of a URL source (cloned on first use, fetched with --prune after)."""
    target = mirror_dir(cache, source)
    if (target / "HEAD").is_file():
        _git(target, ["fetch", "--prune", "--no-write-fetch-head", "--quiet", "origin"], timeout)
        return target
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MirrorError(f"cannot create the mirror cache {cache}: {exc.strerror}") from None
    staging = Path(tempfile.mkdtemp(prefix=".clone-", dir=cache))
    try:
        _git(cache, ["clone", "--mirror", "--quiet", "--no-hardlinks", "--", source.location,
                     str(staging / "repo.git")], timeout)
        if target.exists():  # another worker finished the same clone first
            return target
        os.replace(staging / "repo.git", target)
    except OSError as exc:
        raise MirrorError(f"cannot place the mirror: {exc.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
