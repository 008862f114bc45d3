"""The command line: click wiring only. Each command's work is in ``commands/<name>.py``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from credsweep.errors import ExitCode, InputError, exit_code_of
from credsweep.scans.common import config_for, known_for, overrides

if TYPE_CHECKING:
    pass

ENGINES = ("auto", "hyperscan", "keywords")


def output_options(func: Any) -> Any:
    from credsweep.reporters import FORMATS

    options = [
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
                     help="Output format."),
        click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write the report to FILE instead of stdout."),
        click.option("--show-secrets", is_flag=True, help="Print full secret values (redacted by default)."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
                     help="Config file (default: .credsweep.toml or [tool.credsweep] in pyproject.toml)."),
        click.option("--max-file-size", help="Skip files larger than this (e.g. 1MB)."),
        click.option("--min-confidence", type=click.Choice(("low", "medium", "high")),
                     help="Report findings of at least this confidence (default: medium)."),
        click.option("--engine", type=click.Choice(ENGINES), default="auto", show_default=True,
                     help="Matching engine: Hyperscan when installed, else the pure-Python keyword engine."),
        click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path),
                     help="Baseline file (default: the config key `baseline`, else .credsweep-baseline.json). "
                          "scan and history hide only the findings audited as accepted, false-positive or "
                          "rotated (unaudited entries are still reported); the hooks (staged, pre-push) hide "
                          "every finding it records."),
    ]
    for option in reversed(options):
        func = option(func)
    return func



def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: the version is read only when asked for (``credsweep.version``): the metadata
    lookup costs more than the commit hook's whole scan, and this module is on the hook's path."""
    if not value or ctx.resilient_parsing:
        return
    from credsweep import version

    click.echo(f"credsweep, version {version()}")
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
              help="Show the version and exit.")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Find leaked credentials and credential hygiene problems in git repositories."""
    ctx.obj = {"debug": debug}


def validate_options(func: Any) -> Any:
    """``--validate`` and its settings (scan, history, pre-push, fleet scan; never ``staged``)."""
    options = [
        click.option("--validate", is_flag=True,
                     help="Ask each secret's own provider whether it still works (live, revoked, unknown) and who "
                          "it is; sends the secret only to that provider's documented API host over HTTPS "
                          "(docs/validation.md). Off by default."),
        click.option("--validate-self-hosted", is_flag=True,
                     help="With --validate: also send a token to a self-hosted instance URL found beside it "
                          "(GitLab). Implies --validate."),
        click.option("--validate-timeout", type=click.FloatRange(0.1, 300), default=10.0, show_default=True,
                     metavar="SECONDS", help="Total time one provider call may take."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def validation(validate: bool, self_hosted: bool, timeout: float) -> Any:
    """The validation step a command runs on its report after the baseline, or None (not asked)."""
    if not (validate or self_hosted):
        return None
    from credsweep.enrich.validation import ValidateOptions, validate_report

    options = ValidateOptions(self_hosted=self_hosted, deadline=timeout)
    return lambda report: validate_report(report, options)


repo_config_option = click.option(
    "--no-repo-config", is_flag=True,
    help="Do not read the repository's own configuration (.credsweep.toml, [tool.credsweep] in pyproject.toml): "
         "for repositories you do not control, whose configuration could hide findings. `fleet` never reads it.")
fail_on_option = click.option(
    "--fail-on", type=click.Choice(("critical", "high", "medium", "low")),
    help="Exit 1 only when a finding is at least this urgent (default: any finding; config key fail_on).")

known_option = click.option(
    "--known-credentials", is_flag=True,
    help="Also block exact occurrences of credentials you hold (~/.aws/credentials, ~/.netrc, ~/.pypirc, "
         "~/.npmrc, ~/.docker/config.json, GitHub CLI, the repository's .env); read in memory only.")



@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@output_options
@click.option("--include-ignored", is_flag=True, help="Also scan files that .gitignore excludes.")
@click.option("--recurse-submodules", is_flag=True, help="Also scan the working trees of initialised submodules.")
@click.option("--no-hygiene", is_flag=True, help="Skip credential-file, .gitignore and file-mode checks.")
@fail_on_option
@known_option
@validate_options
@repo_config_option
def scan(path: Path, fmt: str, output: Path | None, show_secrets: bool, config_file: Path | None,
         max_file_size: str | None, min_confidence: str | None, engine: str, baseline_file: Path | None,
         include_ignored: bool, recurse_submodules: bool, no_hygiene: bool, fail_on: str | None,
         known_credentials: bool, validate: bool, validate_self_hosted: bool, validate_timeout: float,
         no_repo_config: bool) -> int:
    """Scan the working tree at PATH (tracked and untracked, not ignored, files).

    In a bare repository, HEAD's tree is scanned from git objects. Every file not read is named.

    \b
    Examples:
      credsweep scan
      credsweep scan --format sarif -o credsweep.sarif
      credsweep scan ~/src/app --min-confidence low --recurse-submodules
      credsweep scan --validate          # which secrets still work, and whose they are
      credsweep scan --fail-on high      # CI: exit 1 only for high or critical findings
      credsweep scan ~/src/untrusted --no-repo-config
    """
    from credsweep.commands.output import emit
    from credsweep.pipeline import build_pipeline
    from credsweep.scans.common import apply_baseline
    from credsweep.scans.worktree import ScanOptions, scan_worktree

    config = config_for(path, config_file, repository_config=not no_repo_config,
                        **overrides(max_file_size, min_confidence, hygiene=False if no_hygiene else None,
                                    fail_on=fail_on))
    pipeline = build_pipeline(config, engine, known_for(path, known_credentials))
    report = scan_worktree(path, config, ScanOptions(include_ignored, recurse_submodules), pipeline=pipeline)
    report = apply_baseline(report, baseline_file, config)
    check = validation(validate, validate_self_hosted, validate_timeout)
    return emit(check(report) if check else report, fmt, output, show_secrets, fail_on=config.fail_on)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@output_options
@click.option("--branch", help="Only what is reachable from this ref.")
@click.option("--since-commit", help="Only what is not reachable from this commit.")
@click.option("--range", "rev_range", help="Only commits in A..B.")
@click.option("--include-unreachable", is_flag=True, help="Also report dangling blobs reachable from no ref.")
@click.option("--workers", type=click.IntRange(1, 256), help="Worker processes (default: one per core; this process alone for a small repository).")
@click.option("--recurse-submodules", is_flag=True, help="Also scan the history of initialised submodules.")
@click.option("-v", "--all-locations", is_flag=True,
              help="Text and Markdown: list every location of each secret and show low-urgency entries in full.")
@click.option("--no-hygiene", is_flag=True, help="Skip the credential files ever committed.")
@fail_on_option
@known_option
@validate_options
@repo_config_option
def history(path: Path, fmt: str, output: Path | None, show_secrets: bool, config_file: Path | None,
            max_file_size: str | None, min_confidence: str | None, engine: str, baseline_file: Path | None,
            branch: str | None, since_commit: str | None, rev_range: str | None, include_unreachable: bool,
            workers: int | None, recurse_submodules: bool, all_locations: bool, no_hygiene: bool,
            fail_on: str | None, known_credentials: bool, validate: bool, validate_self_hosted: bool,
            validate_timeout: float, no_repo_config: bool) -> int:
    """Scan every blob in the git history at PATH once, with provenance for each finding.

    \b
    Examples:
      credsweep history
      credsweep history --branch main --format json -o history.json
      credsweep history --range origin/main..HEAD
      credsweep history --validate --format markdown -o rotate.md
      credsweep history --fail-on high   # CI: exit 1 only for high or critical findings
    """
    from credsweep.commands.output import emit, progress_bar
    from credsweep.pipeline import build_pipeline
    from credsweep.scans.common import apply_baseline
    from credsweep.scans.history import HistoryOptions, scan_history, scan_history_recursive

    config = config_for(path, config_file, repository_config=not no_repo_config,
                        **overrides(max_file_size, min_confidence, hygiene=False if no_hygiene else None,
                                    fail_on=fail_on))
    scan = scan_history_recursive if recurse_submodules else scan_history
    options = HistoryOptions(branch=branch, since_commit=since_commit, rev_range=rev_range,
                             include_unreachable=include_unreachable, workers=workers)
    report = scan(path, config, options, progress=progress_bar(),
                  pipeline=build_pipeline(config, engine, known_for(path, known_credentials)))
    report = apply_baseline(report, baseline_file, config)
    check = validation(validate, validate_self_hosted, validate_timeout)
    return emit(check(report) if check else report, fmt, output, show_secrets, all_locations,
                fail_on=config.fail_on)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--apply", "do_apply", is_flag=True, help="Make the changes (default: only show the plan).")
@click.option("--include-fixtures", is_flag=True,
              help="Also untrack credential files that are test fixtures (tests/, fixtures/, testdata/...).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path))
def fix(path: Path, do_apply: bool, include_fixtures: bool, config_file: Path | None) -> int:
    """Fix hygiene problems: .gitignore lines, git rm --cached, chmod 600. Never deletes or rewrites history.

    \b
    Examples:
      credsweep fix            # show the plan
      credsweep fix --apply    # make the changes
    """
    from credsweep.commands.fix import run_fix

    return run_fix(path, config_for(path, config_file, hygiene=False), do_apply, include_fixtures)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@output_options
@click.option("--whole-files", is_flag=True, help="Scan the full staged files, not only the added lines.")
@click.option("--no-hygiene", is_flag=True, help="Skip the staged credential-file checks.")
@click.option("--update-baseline", is_flag=True,
              help="Record new findings (unaudited) in the baseline, creating it if needed, and exit 3.")
@click.option("-v", "--verbose", is_flag=True, help="Say what was scanned when the check passes.")
@known_option
@repo_config_option
def staged(path: Path, fmt: str, output: Path | None, show_secrets: bool, config_file: Path | None,
           max_file_size: str | None, min_confidence: str | None, engine: str, baseline_file: Path | None,
           whole_files: bool, no_hygiene: bool, update_baseline: bool, verbose: bool, known_credentials: bool,
           no_repo_config: bool) -> int:
    """Scan exactly what is staged for commit (the pre-commit hook).

    \b
    Examples:
      credsweep staged -v
      credsweep staged --baseline .credsweep-baseline.json
    """
    from credsweep.commands.staged import StagedRun, run_staged

    return run_staged(StagedRun(path=path, fmt=fmt, output=output, show_secrets=show_secrets, config_file=config_file,
                                max_file_size=max_file_size, min_confidence=min_confidence, engine=engine,
                                baseline_file=baseline_file, whole_files=whole_files, no_hygiene=no_hygiene,
                                update_baseline=update_baseline, verbose=verbose,
                                known_credentials=known_credentials, no_repo_config=no_repo_config))


@cli.command("pre-push")
@click.argument("remote", required=False)
@click.argument("url", required=False)
@output_options
@click.option("--path", "repo_path", type=click.Path(path_type=Path), default=Path("."), help="Repository.")
@click.option("-v", "--verbose", is_flag=True, help="Say what was scanned when the check passes.")
@fail_on_option
@known_option
@validate_options
@repo_config_option
def pre_push(remote: str | None, url: str | None, fmt: str, output: Path | None, show_secrets: bool,
             config_file: Path | None, max_file_size: str | None, min_confidence: str | None, engine: str,
             baseline_file: Path | None, repo_path: Path, verbose: bool, fail_on: str | None,
             known_credentials: bool, validate: bool, validate_self_hosted: bool, validate_timeout: float,
             no_repo_config: bool) -> int:
    """git pre-push hook: scan only what the push adds (ref lines on stdin).

    Without ref lines (pre-commit sends none for a first push), every commit that no
    remote-tracking ref reaches is scanned.

    \b
    Examples:
      credsweep install-hooks --pre-push
      git push   # the hook runs: credsweep pre-push origin URL < ref lines
    """
    from credsweep.commands.hook import finish_hook
    from credsweep.git.repo import discover
    from credsweep.pipeline import build_pipeline
    from credsweep.scans.prepush import parse_prepush_lines, push_revs, scan_push

    repo = discover(repo_path)
    if repo is None:
        raise InputError(f"{repo_path}: not a git repository")
    cwd = repo.top or repo.git_dir
    env_to = os.environ.get("PRE_COMMIT_TO_REF")
    lines = [] if env_to or sys.stdin.isatty() else sys.stdin.read().splitlines()
    revs = push_revs(cwd, parse_prepush_lines(lines), os.environ.get("PRE_COMMIT_FROM_REF"), env_to)
    config = config_for(repo_path, config_file, repository_config=not no_repo_config,
                        **overrides(max_file_size, min_confidence, fail_on=fail_on))
    pipeline = build_pipeline(config, engine, known_for(repo_path, known_credentials))
    report = scan_push(repo_path, config, revs, pipeline=pipeline)
    return finish_hook(report, fmt, output, show_secrets, verbose, baseline_file, False, config,
                       enrich=validation(validate, validate_self_hosted, validate_timeout), fail_on=config.fail_on)


@cli.command("install-hooks")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--pre-push", "with_pre_push", is_flag=True, help="Also install the pre-push hook.")
@click.option("--force", is_flag=True, help="Replace existing hooks.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Baseline the hooks pass to credsweep (relative to the repository root). Default: the "
                   "config key `baseline`, else .credsweep-baseline.json when it exists.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Config file (default: .credsweep.toml or [tool.credsweep] in pyproject.toml).")
def install_hooks(path: Path, with_pre_push: bool, force: bool, baseline_file: Path | None,
                  config_file: Path | None) -> int:
    """Write plain git hooks that run credsweep (for repositories without the pre-commit framework).

    The hooks run the `credsweep` found on PATH, and block with a one-line explanation when there is none.

    \b
    Examples:
      credsweep install-hooks --pre-push
      credsweep install-hooks --pre-push --baseline ci/credsweep-baseline.json --force
    """
    from credsweep.commands.install_hooks import run_install_hooks

    return run_install_hooks(path, with_pre_push, force, baseline_file, config_file)



@cli.group()
def rules() -> None:
    """List and check the detection rules."""


@rules.command("list")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(("text", "markdown")), default="text", show_default=True,
              help="markdown: the coverage page (providers, formats, checksum/structure validation, references).")
def rules_list(config_file: Path | None, fmt: str) -> int:
    """List every rule: id, severity, confidence, name.

    \b
    Examples:
      credsweep rules list | grep aws
      credsweep rules list --format markdown > docs/coverage.md
    """
    from credsweep.commands.rules import run_list

    return run_list(config_for(Path("."), config_file), fmt)


@rules.command("check")
@click.argument("extra", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--contexts", is_flag=True,
              help="Also print which contexts (bare, env, json, yaml, python, url, header) each rule passes.")
@click.option("--engines", is_flag=True,
              help="Also match every text with Hyperscan and fail a rule the two engines disagree on (needs "
                   "the hyperscan package; compiles the ruleset).")
def rules_check(extra: tuple[Path, ...], contexts: bool, engines: bool) -> int:
    """Check rules: each compiles, its examples are detected as written and with each secret written in other
    contexts (bare, KEY=value, JSON, YAML, a string in code, a URL or header where its examples are one), its
    negatives are not, its provider has a playbook, and its time grows linearly with its input (exit 1 on a
    failure). With files or folders, only their rules are checked (against the built-in ones); without, every
    built-in rule and the file catalogue.

    \b
    Examples:
      credsweep rules check
      credsweep rules check ci/extra-rules.toml
      credsweep rules check --contexts ci/extra-rules.toml
      credsweep rules check --engines                  # as CI runs it
    """
    from credsweep.commands.rules import run_check

    return run_check(extra, contexts, engines)


@cli.group()
def baseline() -> None:
    """Record findings so hooks stop blocking on them, and audit them.

    A baseline file holds salted scrypt hashes, statuses and file paths: no part of any secret
    beyond a provider's public prefix (such as ghp_). Relative paths are from the repository root.

    \b
    Examples:
      credsweep baseline create
      credsweep baseline audit --list
      credsweep baseline update --history
    """


def _baseline_option(func: Any) -> Any:
    """``--baseline FILE``, with the deprecated ``--file`` kept as a hidden alias."""
    func = click.option("--file", "baseline_alias", type=click.Path(dir_okay=False, path_type=Path),
                        hidden=True)(func)
    return click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path),
                        help="Baseline file, relative to the repository root. Default: the config key "
                             "`baseline`, else .credsweep-baseline.json.")(func)


def _alias(value: Any, alias: Any, old: str, new: str) -> Any:
    """Merge a deprecated option into its new name (saying so on stderr)."""
    if alias is None:
        return value
    if value is not None:
        raise InputError(f"{old} is the old name of {new}; give only {new}")
    click.echo(f"credsweep: {old} is deprecated; use {new}", err=True)
    return alias


_config_option = click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
                              help="Config file (default: .credsweep.toml or [tool.credsweep] in pyproject.toml).")


@baseline.command("create")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@_baseline_option
@_config_option
@click.option("--history", "include_history", is_flag=True, help="Also record findings from git history.")
@click.option("--force", is_flag=True, help="Overwrite an existing baseline file.")
def baseline_create(path: Path, baseline_file: Path | None, baseline_alias: Path | None, config_file: Path | None,
                    include_history: bool, force: bool) -> int:
    """Record every current finding of the repository at PATH in a new baseline (all unaudited).

    Without --baseline it writes the file the config key `baseline` names, else .credsweep-baseline.json,
    at the repository root.

    \b
    Examples:
      credsweep baseline create
      credsweep baseline create --history            # what pre-push checks: every commit too
      credsweep baseline create --baseline ci/baseline.json
    """
    from credsweep.commands.baseline import run_create

    baseline_file = _alias(baseline_file, baseline_alias, "--file", "--baseline")
    return run_create(path, baseline_file, config_file, include_history, force)


@baseline.command("update")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@_baseline_option
@_config_option
@click.option("--history", "include_history", is_flag=True, help="Also consider findings from git history.")
def baseline_update(path: Path, baseline_file: Path | None, baseline_alias: Path | None, config_file: Path | None,
                    include_history: bool) -> int:
    """Add new findings of the repository at PATH (unaudited), remove stale entries, keep statuses.

    Without --history, entries only history holds are stale and removed.

    \b
    Examples:
      credsweep baseline update
      credsweep baseline update --history
    """
    from credsweep.commands.baseline import run_update

    baseline_file = _alias(baseline_file, baseline_alias, "--file", "--baseline")
    return run_update(path, baseline_file, config_file, include_history)


@baseline.command("audit")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@_baseline_option
@_config_option
@click.option("--entry", "entry_id", help="Entry id (or a unique prefix) to mark.")
@click.option("--all", "every", is_flag=True, help="Mark every unaudited entry (with --status).")
@click.option("--status", type=click.Choice(("unaudited", "accepted", "false-positive", "rotated")))
@click.option("--reason", default="", help="Why (kept in the baseline).")
@click.option("--rotated-on", help="ISO date of the rotation (status rotated; default today).")
@click.option("--list", "list_only", is_flag=True, help="List entries and exit.")
def baseline_audit(path: Path, baseline_file: Path | None, baseline_alias: Path | None, config_file: Path | None,
                   entry_id: str | None, every: bool, status: str | None, reason: str, rotated_on: str | None,
                   list_only: bool) -> int:
    """Review entries: interactively on a terminal (each answer is saved at once), or mark with --status.

    Each entry is shown where it is now (path:line), with its line masked (the secret's characters
    replaced by *) and the rule's name; answer a (accepted), f or fp (false-positive), r (rotated),
    s (skip) or q (quit). Reports (scan, history) keep showing unaudited entries; accepted,
    false-positive and rotated ones are hidden everywhere.

    \b
    Examples:
      credsweep baseline audit
      credsweep baseline audit --list
      credsweep baseline audit --entry 3f2a9c --status false-positive --reason "test fixture"
      credsweep baseline audit --entry 3f2a9c --status rotated --rotated-on 2024-05-01
      credsweep baseline audit --all --status accepted --reason "legacy, reviewed by the security team"
    """
    from credsweep.commands.baseline import run_audit

    baseline_file = _alias(baseline_file, baseline_alias, "--file", "--baseline")
    return run_audit(path, baseline_file, config_file, entry_id, status, reason, rotated_on, list_only, every)


@baseline.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("path", type=click.Path(path_type=Path), required=False)
@_baseline_option
@click.option("--path", "path_alias", type=click.Path(path_type=Path), hidden=True)
@_config_option
def baseline_import(source: Path, path: Path | None, baseline_file: Path | None, baseline_alias: Path | None,
                    path_alias: Path | None, config_file: Path | None) -> int:
    """Import SOURCE, a detect-secrets .secrets.baseline or a .gitleaksignore describing PATH.

    Audit state is kept: detect-secrets results never audited, or audited as real secrets, become
    unaudited (still reported); is_secret false becomes false-positive; .gitleaksignore lines become
    accepted.

    \b
    Examples:
      credsweep baseline import .secrets.baseline
      credsweep baseline import .gitleaksignore path/to/repo --baseline ci/baseline.json
    """
    from credsweep.commands.baseline import run_import

    baseline_file = _alias(baseline_file, baseline_alias, "--file", "--baseline")
    path = _alias(path, path_alias, "--path", "PATH") or Path(".")
    return run_import(source, path, baseline_file, config_file)


@cli.group("cache")
def cache_group() -> None:
    """The cache of compiled rules: signed, bounded, safe to delete (see SECURITY.md).

    \b
    Examples:
      credsweep cache info
      credsweep cache clear
    """


@cache_group.command("info")
def cache_info() -> int:
    """Show the cache folder, its size, and where its signing key lives.

    \b
    Example:
      credsweep cache info
    """
    from credsweep.util import signedcache as cache

    found = cache.info()
    key = found.key_file if found.key_file is not None else "$CREDSWEEP_CACHE_KEY"
    click.echo(f"folder: {found.folder}\nfiles: {found.files} (at most {cache.MAX_FILES})\n"
               f"size: {found.bytes / 1e6:.1f} MB (at most {cache.MAX_BYTES / 1e6:.0f} MB)\nsigning key: {key}")
    return ExitCode.CLEAN


@cache_group.command("clear")
def cache_clear() -> int:
    """Delete every cache file (rebuilt on the next run); the signing key stays.

    \b
    Example:
      credsweep cache clear
    """
    from credsweep.util import signedcache as cache

    removed = cache.clear()
    click.echo(f"Removed {removed} file{'s' if removed != 1 else ''} from {cache.folder()}.")
    return ExitCode.CLEAN


# --- fleet: many repositories into a store (logic in commands/fleet.py) ---------------------------
@cli.group()
def fleet() -> None:
    """Scan many repositories incrementally into a store; report, mark, run Celery workers."""


_store_option = click.option("--store", "store", metavar="URL",
                             help="Store: sqlite:///PATH (default: $XDG_DATA_HOME/credsweep/fleet.sqlite3) or "
                                  "postgresql://user@host/db ($CREDSWEEP_STORE).")


@fleet.command("scan")
@click.argument("repos", nargs=-1)
@click.option("--repos-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Repositories, one path or URL per line ('#' comments; '-' reads stdin).")
@_store_option
@click.option("--workers", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Repositories scanned at once by local processes.")
@click.option("--executor", type=click.Choice(("local", "celery")), default="local", show_default=True)
@click.option("--broker", metavar="URL", help="Celery broker for --executor celery (e.g. redis://host:6379/0).")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="Output: the findings new in this run.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the output to FILE.")
@click.option("--notify-url", metavar="URL", help="POST a JSON summary of new secrets (no values) to this webhook.")
@click.option("--mirror-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Cache of URL mirrors (default: $XDG_CACHE_HOME/credsweep/mirrors).")
@click.option("--timeout", type=click.FloatRange(1, 86400), default=600, show_default=True,
              help="Seconds allowed per clone or fetch.")
@click.option("--repo-timeout", type=click.FloatRange(1, 7 * 86400), metavar="SECONDS",
              help="Seconds one repository may take in all (fetch and scan); past it, it fails with that reason "
                   "and the run goes on. Default: no limit.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Config for every repository (their own .credsweep.toml is never read: they are untrusted; "
                   "the single-repository commands take --no-repo-config for the same).")
@click.option("--engine", type=click.Choice(ENGINES), default="auto", show_default=True)
@click.option("--max-file-size", help="Skip blobs larger than this (e.g. 1MB).")
@click.option("--min-confidence", type=click.Choice(("low", "medium", "high")))
@click.option("--no-hygiene", is_flag=True, help="Skip HEAD hygiene and committed credential files.")
@click.option("--github-org", multiple=True, metavar="NAME",
              help="Also every repository of this GitHub organization (token: GITHUB_TOKEN). Repeatable.")
@click.option("--github-user", multiple=True, metavar="NAME", help="Also every repository this GitHub user owns.")
@click.option("--gitlab-group", multiple=True, metavar="PATH",
              help="Also every project of this GitLab group, subgroups included (token: GITLAB_TOKEN).")
@click.option("--bitbucket-workspace", multiple=True, metavar="NAME",
              help="Also every repository of this Bitbucket workspace (BITBUCKET_TOKEN, or BITBUCKET_USERNAME "
                   "and BITBUCKET_APP_PASSWORD).")
@click.option("--gitea-org", multiple=True, metavar="NAME",
              help="Also every repository of this Gitea organization (needs --forge-url; token: GITEA_TOKEN).")
@click.option("--forge-url", metavar="URL",
              help="Self-hosted forge (GitHub Enterprise Server, GitLab, Gitea): https://HOST.")
@click.option("--include-archived", is_flag=True, help="Forge listings: also archived repositories.")
@click.option("--include-forks", is_flag=True, help="Forge listings: also forks.")
@click.option("--ssh-urls", is_flag=True,
              help="Forge listings: clone over ssh with this account's ssh keys (private repositories); "
                   "default https, which reaches public repositories only (no credential is ever put in a URL).")
@validate_options
@fail_on_option
def fleet_scan(repos: tuple[str, ...], repos_file: Path | None, store: str | None, workers: int, executor: str,
               broker: str | None, fmt: str, output: Path | None, notify_url: str | None, mirror_dir: Path | None,
               timeout: float, repo_timeout: float | None, config_file: Path | None, engine: str,
               max_file_size: str | None, min_confidence: str | None, no_hygiene: bool, github_org: tuple[str, ...],
               github_user: tuple[str, ...], gitlab_group: tuple[str, ...], bitbucket_workspace: tuple[str, ...],
               gitea_org: tuple[str, ...], forge_url: str | None, include_archived: bool, include_forks: bool,
               ssh_urls: bool, validate: bool, validate_self_hosted: bool, validate_timeout: float,
               fail_on: str | None) -> int:
    """Scan repositories (paths or https/ssh/git URLs): only what changed since the last run.

    Needs the 'fleet' extra: pip install 'credsweep[fleet]'.

    \b
    Examples:
      credsweep fleet scan ~/src/app https://github.com/acme/api.git
      credsweep fleet scan --repos-file repos.txt --workers 4 --fail-on high
      credsweep fleet scan --github-org acme --validate
      credsweep fleet scan --gitlab-group platform/infra --forge-url https://gitlab.acme.internal
    """
    from dataclasses import replace

    from credsweep.commands import fleet as command
    from credsweep.fleet.specs import read_specs

    command.require_fleet()
    options = command.options_from(store, mirror_dir, config_file, engine, timeout, no_hygiene, max_file_size,
                                   min_confidence, repo_timeout)
    if validate or validate_self_hosted:
        options = replace(options, validate=True, validate_self_hosted=validate_self_hosted,
                          validate_timeout=validate_timeout)
    if fail_on is None and config_file is not None:
        from credsweep.fleet.run import load_fleet_config

        fail_on = load_fleet_config(options).fail_on
    queries = command.forge_queries(github_org, github_user, gitlab_group, bitbucket_workspace, gitea_org, forge_url,
                                    include_archived, include_forks)
    specs = read_specs(repos, repos_file) if (repos or repos_file or not queries) else []
    failures: list[str] = []
    if queries:
        found, failures = command.discover_specs(queries, ssh=ssh_urls)
        specs = list(dict.fromkeys([*specs, *found]))
        if not specs:
            raise InputError(failures[0] if failures else "the forge listings hold no repository to scan")
    code = command.scan(specs, options, workers=workers, fmt=fmt, output=output, executor=executor, broker=broker,
                        notify_url=notify_url, fail_on=fail_on)
    return max(code, ExitCode.REPOSITORY_FAILED) if failures else code


@fleet.command("report")
@_store_option
@click.option("--since", metavar="RUN|DATE", help="Only secrets new or changed since this run number or ISO date.")
@click.option("--format", "fmt", type=click.Choice(("text", "json", "markdown", "html")), default="text",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to FILE.")
def fleet_report(store: str | None, since: str | None, fmt: str, output: Path | None) -> int:
    """Tasks across repositories (one per secret; one per file problem and repository), and each
    repository's state. The store must exist (`fleet scan` creates it).

    \b
    Examples:
      credsweep fleet report
      credsweep fleet report --since 2026-11-01 --format html -o fleet.html
    """
    from credsweep.commands import fleet as command
    from credsweep.store.db import default_url

    return command.report(store or os.environ.get("CREDSWEEP_STORE") or default_url(), since, fmt, output)


@fleet.command("mark")
@click.argument("secret_id")
@click.argument("status", type=click.Choice(("rotated", "accepted", "open")))
@_store_option
@click.option("--reason", help="Why (kept in the store).")
def fleet_mark(secret_id: str, status: str, store: str | None, reason: str | None) -> int:
    """Mark a task rotated or accepted, or open again: a secret is resolved in every repository, a file
    problem (its id is per repository) in its own.

    \b
    Example:
      credsweep fleet mark 3f2a9c1e7b4d4e2a rotated
    """
    from credsweep.commands import fleet as command
    from credsweep.store.db import default_url

    return command.mark(store or os.environ.get("CREDSWEEP_STORE") or default_url(), secret_id, status, reason)


@fleet.command("repos")
@_store_option
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def fleet_repos(store: str | None, fmt: str) -> int:
    """List the store's repositories and the outcome of their last attempt (failed ones first).

    \b
    Example:
      credsweep fleet repos
    """
    from credsweep.commands import fleet as command
    from credsweep.store.db import default_url

    return command.repos(store or os.environ.get("CREDSWEEP_STORE") or default_url(), fmt)


@fleet.command("forget")
@click.argument("repo")
@_store_option
def fleet_forget(repo: str, store: str | None) -> int:
    """Remove REPO (its path or URL as given to `fleet scan`, or its name) and what was found in it.

    \b
    Example:
      credsweep fleet forget ~/src/typo
    """
    from credsweep.commands import fleet as command
    from credsweep.store.db import default_url

    return command.forget(store or os.environ.get("CREDSWEEP_STORE") or default_url(), repo)


@fleet.command("worker")
@click.option("--broker", metavar="URL", required=True, help="Celery broker (e.g. redis://host:6379/0).")
@click.option("--concurrency", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Repositories this worker scans at once.")
@click.option("--queue", default="credsweep", show_default=True)
@click.option("--loglevel", default="INFO", show_default=True)
@click.option("--beat-every", type=click.FloatRange(1), metavar="SECONDS",
              help="Also run Celery beat: sweep --repos-file every SECONDS.")
@click.option("--beat-cron", metavar="'M H DOM MON DOW'", help="Also run Celery beat: sweep on this cron schedule.")
@click.option("--repos-file", type=click.Path(dir_okay=False, path_type=Path), help="Repositories of the sweep.")
@_store_option
@click.option("--notify-url", metavar="URL", help="Webhook for each sweep's new secrets.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pool-check-every", type=click.FloatRange(0.1, 3600), default=5.0, show_default=True,
              metavar="SECONDS", help="How often the worker checks its pool processes: a repository whose "
              "process was killed (the OOM killer) is back in the queue within this time.")
def fleet_worker(broker: str, concurrency: int, queue: str, loglevel: str, beat_every: float | None,
                 beat_cron: str | None, repos_file: Path | None, store: str | None, notify_url: str | None,
                 config_file: Path | None, pool_check_every: float) -> int:
    """Start a Celery worker for `fleet scan --executor celery` (the store URL comes with each task).

    \b
    Example:
      credsweep fleet worker --broker redis://queue.internal:6379/0
    """
    from credsweep.commands import fleet as command

    options = command.options_from(store, None, config_file, "auto", 600, False, None, None) \
        if (beat_every or beat_cron) else None
    return command.worker(broker, concurrency, queue, loglevel, every=beat_every, cron=beat_cron,
                          repos_file=repos_file, options=options, notify_url=notify_url,
                          pool_check_every=pool_check_every)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and map every outcome to a documented exit code (``errors.exit_code_of``)."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])

    def invoke() -> object:
        try:
            return cli.main(args=argv, prog_name="credsweep", standalone_mode=False)
        except click.exceptions.Abort:
            raise KeyboardInterrupt from None  # click's name for Ctrl-C at a prompt
        except click.ClickException as exc:
            exc.show()
            return ExitCode.ERROR

    return exit_code_of(invoke, debug)
