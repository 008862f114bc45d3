"""CLI contract: exit codes, one-line errors, config errors naming the key, the format registry."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import SRC, fake_github_token, run_cli, write


def test_missing_path_is_a_one_line_error() -> None:
    result = run_cli("scan", "/definitely/not/here")
    assert result.code == 2
    assert result.stderr.strip().count("\n") == 0 and "no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_option_is_usage_error() -> None:
    result = run_cli("scan", "--no-such-flag")
    assert result.code == 2 and "Traceback" not in result.stderr


def test_invalid_config_names_the_key(repo: Path) -> None:
    write(repo, ".credsweep.toml", "max_file_sise = 10\n")
    result = run_cli("scan", cwd=repo)
    assert result.code == 2 and "max_file_sise" in result.stderr
    write(repo, ".credsweep.toml", "[allowlist]\nvalues = ['(unclosed']\n")
    result = run_cli("scan", cwd=repo)
    assert result.code == 2 and "allowlist.values" in result.stderr
    write(repo, ".credsweep.toml", "this is not toml\n")
    assert run_cli("scan", cwd=repo).code == 2


def test_config_allowlists_and_disables(repo: Path) -> None:
    token = fake_github_token()
    write(repo, "fixtures/a.txt", f"{token}\n")
    write(repo, "b.txt", f"{fake_github_token('gho_')}\n")
    write(repo, "c.txt", f"{fake_github_token('ghs_')}\n")
    write(repo, "pyproject.toml", '[tool.credsweep]\ndisable_rules = ["github.oauth"]\n'
          '[tool.credsweep.allowlist]\npaths = ["fixtures/"]\n')
    findings = run_cli("scan", "--format", "json", "--no-hygiene", cwd=repo).json()["findings"]
    assert [f["path"] for f in findings] == ["c.txt"]


def test_allowlisted_values_and_stopwords(repo: Path) -> None:
    kept = fake_github_token()
    dropped = fake_github_token()
    write(repo, "a.txt", f"{kept}\n{dropped}\n")
    write(repo, ".credsweep.toml", f'[allowlist]\nvalues = ["{dropped[:10]}.*"]\n')
    findings = run_cli("scan", "--format", "json", "--no-hygiene", cwd=repo).json()["findings"]
    assert [f["line"] for f in findings] == [1]


def test_every_format_choice_has_a_reporter() -> None:
    from credsweep.reporters import FORMATS, get_reporter

    for name in FORMATS:
        assert callable(get_reporter(name))


def test_output_file_and_exit_code(repo: Path, tmp_path: Path) -> None:
    write(repo, "a.txt", fake_github_token() + "\n")
    out = tmp_path / "report.json"
    result = run_cli("scan", "--format", "json", "-o", str(out), cwd=repo)
    assert result.code == 1 and out.read_text().startswith("{")
    bad = run_cli("scan", "-o", str(tmp_path / "missing-dir" / "r.json"), cwd=repo)
    assert bad.code == 2 and "cannot write output" in bad.stderr


def test_version() -> None:
    result = run_cli("--version")
    assert result.code == 0 and "credsweep" in result.stdout
    from credsweep import version

    assert result.stdout.strip() == f"credsweep, version {version()}" and version() != "0+unknown"


def test_the_cli_module_never_reads_the_version_until_asked() -> None:
    # the version lookup (importlib.metadata) costs more than the commit hook's scan: not on its path
    probe = "import sys, credsweep.cli; print('importlib.metadata' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(SRC)})
    assert loaded.stdout.strip() == "False", loaded.stderr


def test_unknown_rule_id_in_disable_rules_is_an_error(repo: Path) -> None:
    write(repo, ".credsweep.toml", 'disable_rules = ["github.pat.clasic"]\n')
    result = run_cli("scan", cwd=repo)
    assert result.code == 2 and "unknown rule id 'github.pat.clasic'" in result.stderr, result
    write(repo, ".credsweep.toml", 'disable_rules = ["github.pat.classic", "jwt.token"]\n')
    assert run_cli("scan", cwd=repo).code == 0
    # a prefix is valid too; a whole provider's family switched off is reported on the file (tests/hostile)
    write(repo, ".credsweep.toml", 'disable_rules = ["github.", "jwt.token"]\n')
    result = run_cli("scan", "--format", "json", cwd=repo)
    assert result.code == 1 and [f["rule"] for f in result.json()["findings"]] == ["config.weakens-detection"]
