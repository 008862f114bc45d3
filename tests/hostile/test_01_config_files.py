"""Finding 1: a repository's config could exhaust memory or hang the scan (``rulesets = ["/dev/zero"]``
grew to 24 GB; ``/dev/stdin`` read standard input; a FIFO never returned) and name any file on the machine.

Now a repository's config and the rulesets it names are read only from regular files inside the
repository, at most 1 MiB: anything else is a one-line error (exit 2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import fake_github_token, make_repo, write
from credsweep.errors import ConfigError
from credsweep.util.fsutil import CONFIG_LIMIT, UnsafeFile, read_regular
from hostile.common import run

# Every scan here runs as its own process: the attacks name devices and FIFOs, and a regression that
# read one (/dev/stdin, /dev/zero, a FIFO) must take down that process, not the test worker.


def _one_line_error(result, *needles: str) -> None:  # type: ignore[no-untyped-def]
    assert result.code == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("credsweep: error: "), result
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], result


@pytest.mark.parametrize("named", ["/dev/zero", "/dev/stdin", "/etc/passwd", "../outside.toml"])
def test_a_ruleset_outside_the_repository_is_refused_without_reading_it(tmp_path: Path, named: str) -> None:
    repo = make_repo(tmp_path / "repo")
    (tmp_path / "outside.toml").write_text("[provider]\n")
    write(repo, ".credsweep.toml", f'rulesets = ["{named}"]\n')
    # a device or /dev/stdin read would block this process: its own process; a regular file cannot
    result = run("scan", str(repo), input="never read\n", process=named.startswith("/dev/"))
    _one_line_error(result, "outside the repository")


def test_a_fifo_or_a_link_out_named_as_a_ruleset_is_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    os.mkfifo(repo / "rules.toml")  # opening it for reading would wait for a writer forever
    write(repo, ".credsweep.toml", 'rulesets = ["rules.toml"]\n')
    _one_line_error(run("scan", str(repo), process=True), "rules.toml", "not a regular file")
    (repo / "rules.toml").unlink()
    (tmp_path / "secret.toml").write_text("[provider]\n")
    (repo / "rules.toml").symlink_to(tmp_path / "secret.toml")  # a link to a regular file: read in this process
    _one_line_error(run("scan", str(repo)), "outside the repository")
    (repo / "rules.toml").unlink()
    (repo / "rules").mkdir()
    os.mkfifo(repo / "rules" / "a.toml")  # a folder of rulesets: each file is checked
    write(repo, ".credsweep.toml", 'rulesets = ["rules"]\n')
    _one_line_error(run("scan", str(repo), process=True), "not a regular file")


def test_the_config_file_itself_must_be_a_small_regular_file_inside(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write(repo, "a.py", f'TOKEN = "{fake_github_token()}"\n')
    os.mkfifo(repo / ".credsweep.toml")
    _one_line_error(run("scan", str(repo), process=True), ".credsweep.toml", "not a regular file")
    (repo / ".credsweep.toml").unlink()
    outside = tmp_path / "their.toml"
    outside.write_text('[allowlist]\npaths = ["**"]\n')
    (repo / ".credsweep.toml").symlink_to(outside)  # regular files from here on: none can block, in this process
    _one_line_error(run("scan", str(repo)), "outside the repository")
    (repo / ".credsweep.toml").unlink()
    (repo / ".credsweep.toml").write_text("# padding\n" * (CONFIG_LIMIT // 10 + 1))
    _one_line_error(run("scan", str(repo)), "larger than")
    (repo / ".credsweep.toml").unlink()
    os.link(outside, repo / ".credsweep.toml")  # a hard link: a second name for a file elsewhere
    _one_line_error(run("scan", str(repo)), "hard links")


def test_a_users_own_config_may_name_any_regular_file_but_never_a_device(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    config = tmp_path / "mine.toml"
    config.write_text('rulesets = ["/dev/zero"]\n')
    _one_line_error(run("scan", str(repo), "--config", str(config), process=True), "/dev/zero", "not a regular file")


def test_read_regular_refuses_before_reading() -> None:
    with pytest.raises(UnsafeFile):
        read_regular(Path("/dev/zero"), CONFIG_LIMIT)  # a device: refused by fstat, nothing read
    with pytest.raises(UnsafeFile, match="outside"):
        read_regular(Path("/etc/hostname"), CONFIG_LIMIT, within=Path("/tmp"))


def test_from_table_refuses_outside_rulesets_of_a_repository(tmp_path: Path) -> None:
    from credsweep.config import from_table

    with pytest.raises(ConfigError, match="outside the repository"):
        from_table({"rulesets": ["/dev/zero"]}, tmp_path / ".credsweep.toml", "repository")
    # the user's own config (--config) names what it likes: checked when read (a regular file)
    assert from_table({"rulesets": ["/dev/zero"]}, tmp_path / "mine.toml", "user").rulesets == (Path("/dev/zero"),)
