"""The compiled-rules cache cannot run code and stays small: planted, corrupted or forged files are
ignored and rebuilt; many configurations never grow it past its bound; `cache clear` empties it."""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from pathlib import Path

import pytest

from conftest import fake_github_token, run_cli, seed_cache, write
from credsweep.rules import loader
from credsweep.util import signedcache as cache


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder for this test alone, signed with the per-user key file (not the session key)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.delenv("CREDSWEEP_CACHE_KEY")
    return tmp_path / "xdg-cache" / "credsweep"


@pytest.fixture
def warm_own_cache(own_cache: Path, compiled_builtins: dict[str, bytes], tmp_path: Path) -> Path:
    """``own_cache`` after a first run: the built-in rules and their Hyperscan database, signed with
    the per-user key (copied from the session's, not compiled again: seconds of CPU per test)."""
    assert seed_cache(compiled_builtins, tmp_path / "xdg-cache") == own_cache
    return own_cache


SMALL_BUILTINS = ("github.toml", "gitlab.toml")
"""The built-in ruleset files ``small_builtins`` keeps."""


@pytest.fixture
def small_builtins(own_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The built-in rules' folder cut to two providers' files, for the tests of the cache's mechanics that
    make a scan parse the built-in rules again (a forged, capped or unusable cache): the 1,300 real files
    cost a second of CPU per parse, and what is tested (the entry is ignored, the files parsed again, the
    result the same) does not depend on how many there are. ``test_planted_pickle_is_ignored_and_rebuilt``
    keeps the real folder (its scan parses all of them again). With ``own_cache``: the worker's cache never
    holds these entries (its hot built-in ones must not be pruned for them)."""
    from credsweep.content import engine

    folder = tmp_path / "builtin-rulesets"
    folder.mkdir()
    for name in SMALL_BUILTINS:
        shutil.copy2(loader.BUILTIN_DIR / name, folder / name)
    monkeypatch.setattr(loader, "BUILTIN_DIR", folder)
    monkeypatch.setattr(engine, "BUILTIN_DIR", folder)  # its built-in database is the folder's rules
    return folder


@pytest.fixture
def leaky(repo: Path, small_builtins: Path) -> Path:
    """A repository with a GitHub token, configured with the GitHub rules alone (the others disabled:
    they still run)."""
    write(repo, "app.cfg", f"token = {fake_github_token()}\n")
    providers = loader._load_rulesets(sorted(small_builtins.glob("*.toml"))).providers  # parsed, not cached
    others = [provider for provider in providers if provider != "github"]
    assert others
    write(repo, ".credsweep.toml", f"disable_rules = {json.dumps([p + '.' for p in others])}\n")
    return repo


class _Plant:
    """Unpickling this creates ``marker``: what a poisoned cache would do to an unwary scanner."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


def _findings(repo: Path, *args: str) -> list[tuple[str, str]]:
    result = run_cli("scan", "--format", "json", "--no-hygiene", *args, cwd=repo)
    assert result.code in (0, 1), result
    return sorted((f["rule"], f["fingerprint"]) for f in result.json()["findings"])


def _legacy_pickle_name() -> str:
    """The file name the pickle-reading loader used for the built-in rules."""
    files = [*loader.ruleset_files(), Path(loader.__file__)]
    stamp = "|".join(f"{p.resolve()}:{p.stat().st_mtime_ns}:{p.stat().st_size}" for p in files)
    return f"rules-{hashlib.sha256(stamp.encode()).hexdigest()[:24]}.pickle"


def _sign(name: str, payload: bytes, key: bytes) -> bytes:
    return cache.MAGIC + cache._mac(key, name, payload) + payload


def test_planted_pickle_is_ignored_and_rebuilt(with_own_ruleset: tuple[Path, Path], tmp_path: Path) -> None:
    repo, own_db = with_own_ruleset
    cache_folder = own_db.parent
    expected = _findings(repo, "--engine", "hyperscan")
    assert expected
    marker = tmp_path / "PWNED"
    poison = pickle.dumps(_Plant(marker))
    # every parsed ruleset (the built-in rules' and the repository's) and a Hyperscan database: the
    # repository ruleset's, which goes through the same signed cache as the built-in rules' one
    # (``HyperscanEngine._load_or_build``) and compiles in milliseconds instead of seconds
    planted = sorted([*cache_folder.glob("rules-*.cache"), own_db])
    assert len(planted) == 3
    for path in planted:  # raw pickles, and pickles behind a signature made with the wrong key
        path.write_bytes(poison if path.name.startswith("rules-") else _sign(path.stem, poison, b"x" * 32))
    (cache_folder / _legacy_pickle_name()).write_bytes(poison)
    assert _findings(repo, "--engine", "hyperscan") == expected
    assert not marker.exists()
    assert not list(cache_folder.glob("*.pickle"))  # the old format is removed on sight
    for path in planted:  # rebuilt, and signed with this user's key
        assert cache.load(path.stem) is not None


def test_forged_ruleset_needs_the_users_key(own_cache: Path, leaky: Path) -> None:
    expected = _findings(leaky, "--engine", "keywords")
    assert expected
    (rules_file,) = own_cache.glob("rules-*.cache")
    empty = json.dumps({"format": loader.CACHE_FORMAT, "providers": [], "rules": [], "secret_prefixes": []}).encode()
    rules_file.write_bytes(_sign(rules_file.stem, empty, hashlib.sha256(b"attacker").digest()))
    assert _findings(leaky, "--engine", "keywords") == expected  # an empty ruleset signed by someone else is not believed
    key = cache.signing_key()
    assert key is not None and not str(cache.key_file()).startswith(str(own_cache))
    rules_file.write_bytes(_sign(rules_file.stem, empty, key))
    (leaky / ".credsweep.toml").unlink()  # its disable_rules would name rules the empty ruleset lacks (an error)
    assert _findings(leaky, "--engine", "keywords") == []  # ...while the same file with the key is: the key is the guard


@pytest.fixture
def with_own_ruleset(warm_own_cache: Path, repo: Path) -> tuple[Path, Path]:
    """A repository with a GitHub token and a key of its own ruleset's, scanned once: (repository, the cache
    file of its ruleset's Hyperscan database). That database goes through the same signed cache as the
    built-in rules' one (``HyperscanEngine._load_or_build``) and compiles in milliseconds: a damaged file
    is rebuilt without compiling 900 rules again (seconds of CPU per test; ``test_planted_pickle_...``
    rebuilds the built-in database)."""
    pytest.importorskip("hyperscan")
    builtin = set(warm_own_cache.glob("hs-*.cache"))
    (repo / "rules").mkdir()
    _extra_ruleset(repo / "rules", 0)
    write(repo, ".credsweep.toml", 'rulesets = ["rules/acme0.toml"]\n')
    write(repo, "deploy.env", f"GITHUB_TOKEN={fake_github_token()}\nACME_KEY=acme0_k3v9x2m8q4w7z1p5r6t0\n")
    assert {"github.pat.classic", "acme0.key"} <= {rule for rule, _ in _findings(repo, "--engine", "hyperscan")}
    (own,) = set(warm_own_cache.glob("hs-*.cache")) - builtin
    return repo, own


def test_corrupted_hyperscan_database_is_rebuilt(with_own_ruleset: tuple[Path, Path]) -> None:
    repo, db_file = with_own_ruleset
    expected = _findings(repo, "--engine", "hyperscan")
    good = db_file.read_bytes()
    corrupted = bytearray(good)
    for at in range(len(good) // 2, len(good) // 2 + 16):
        corrupted[at] ^= 0xFF
    db_file.write_bytes(bytes(corrupted))
    assert _findings(repo, "--engine", "hyperscan") == expected
    assert cache.load(db_file.stem) is not None


def test_forged_hyperscan_database_is_rebuilt(with_own_ruleset: tuple[Path, Path]) -> None:
    import hyperscan

    repo, db_file = with_own_ruleset
    expected = _findings(repo, "--engine", "hyperscan")
    never = hyperscan.Database()  # a database that matches nothing would hide every secret
    never.compile(expressions=[b"\\A\\z"], ids=[0], elements=1, flags=[0])
    forged = b"\x00\x00\x00\x00" + hyperscan.dumpb(never)
    db_file.write_bytes(_sign(db_file.stem, forged, hashlib.sha256(b"attacker").digest()))
    assert _findings(repo, "--engine", "hyperscan") == expected
    assert cache.load(db_file.stem) is not None


def _extra_ruleset(folder: Path, index: int) -> Path:
    path = folder / f"acme{index}.toml"
    path.write_text(f"""
[provider]
id = "acme{index}"
name = "Acme {index}"
console_url = "https://example.invalid/console"
docs_url = "https://example.invalid/docs"
[provider.playbook]
summary = "Revoke the key."
revoke = ["Revoke it in the console."]

[[rules]]
id = "acme{index}.key"
name = "Acme {index} key"
pattern = "(acme{index}_[a-z0-9]{{20}})"
keywords = ["acme{index}_"]
severity = "high"
confidence = "high"
reference = "https://example.invalid/docs"
examples = []
negative_examples = []
""")
    return path


def test_many_configurations_keep_the_cache_bounded(own_cache: Path, tmp_path: Path) -> None:
    for index in range(cache.MAX_FILES + 6):
        ruleset = loader.load_rulesets((_extra_ruleset(tmp_path, index),), builtin=False)
        assert ruleset.by_id()[f"acme{index}.key"].pattern.startswith("(acme")
        assert len(list(own_cache.glob("*.cache"))) <= cache.MAX_FILES
    cached = loader.load_rulesets((_extra_ruleset(tmp_path, cache.MAX_FILES + 5),), builtin=False)  # newest kept
    assert f"acme{cache.MAX_FILES + 5}.key" in cached.by_id()
    assert len(list(own_cache.glob("*.cache"))) == cache.MAX_FILES


def test_byte_cap_and_cache_clear(own_cache: Path, monkeypatch: pytest.MonkeyPatch, leaky: Path) -> None:
    monkeypatch.setattr(cache, "MAX_BYTES", 10_000)
    for index in range(5):
        cache.store(f"blob-{index}", bytes(4_000))
    sizes = [p.stat().st_size for p in own_cache.glob("*.cache")]
    assert sum(sizes) <= 10_000 and cache.load("blob-4") == bytes(4_000)
    _findings(leaky, "--engine", "keywords")
    info = run_cli("cache", "info")
    assert info.code == 0 and str(own_cache) in info.stdout and "files: 0" not in info.stdout
    cleared = run_cli("cache", "clear")
    assert cleared.code == 0 and "Removed" in cleared.stdout, cleared
    assert list(own_cache.iterdir()) == []
    assert cache.key_file().exists()  # the key lives elsewhere and survives
    assert "files: 0" in run_cli("cache", "info").stdout


def test_unusable_key_means_no_cache(own_cache: Path, leaky: Path, monkeypatch: pytest.MonkeyPatch,
                                     tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))  # the key file cannot be created under a file
    assert cache.signing_key() is None
    cache.clear()  # what the fixture cached in-process, before the key became unusable
    assert _findings(leaky, "--engine", "keywords")  # still scans, just uncached
    assert not list(own_cache.glob("*.cache"))


def test_cached_rule_form_covers_every_rule_field() -> None:
    """A Rule field missing from the cached form makes every start-up miss the cache and re-parse TOML."""
    from dataclasses import fields

    assert set(loader._RULE_FIELDS) == {f.name for f in fields(loader.Rule)}


def test_sensitive_file_catalogue_is_read_back_from_the_cache(own_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second start-up reads the catalogue from the cache, equal to the parsed one (an optional field
    the cached form rejected made every run re-parse the TOML and rewrite the cache)."""
    from credsweep.hygiene import catalogue

    parsed = catalogue.load_catalogue()
    assert any(rule.holds is None for rule in parsed.rules) and any(rule.holds for rule in parsed.rules)
    cached = list(own_cache.glob("files-*.cache"))
    assert len(cached) == 1
    written = cached[0].stat().st_mtime_ns

    def no_parse(source: Path) -> catalogue.Catalogue:
        raise AssertionError(f"parsed {source} again")

    monkeypatch.setattr(catalogue, "_parse_catalogue", no_parse)
    assert catalogue.load_catalogue().rules == parsed.rules
    assert [p.name for p in own_cache.glob("files-*.cache")] == [cached[0].name]
    assert cached[0].stat().st_mtime_ns >= written


def test_a_repositorys_ruleset_is_compiled_apart_from_the_builtin_rules(warm_own_cache: Path, repo: Path) -> None:
    """Hyperscan: the built-in rules are one database and a repository's rulesets a second, so adding one
    compiles its few rules (milliseconds), not all the built-in ones again (seconds); both are matched."""
    pytest.importorskip("hyperscan")
    builtin = {path.name: path.read_bytes() for path in warm_own_cache.glob("hs-*.cache")}
    assert len(builtin) == 1
    (repo / "rules").mkdir()
    _extra_ruleset(repo / "rules", 0)
    write(repo, ".credsweep.toml", 'rulesets = ["rules/acme0.toml"]\n')
    write(repo, "deploy.env", f"GITHUB_TOKEN={fake_github_token()}\nACME_KEY=acme0_k3v9x2m8q4w7z1p5r6t0\n")
    found = {rule for rule, _ in _findings(repo, "--engine", "hyperscan")}
    assert {"github.pat.classic", "acme0.key"} <= found
    after = {path.name: path.read_bytes() for path in warm_own_cache.glob("hs-*.cache")}
    assert builtin.items() <= after.items() and len(after) == 2  # the built-in database untouched
    (own,) = set(after) - set(builtin)
    assert len(after[own]) * 20 < len(next(iter(builtin.values())))  # one rule, not 880 again
    assert found == {rule for rule, _ in _findings(repo, "--engine", "keywords")}


def test_a_ruleset_added_to_the_builtin_rules_is_cached_apart_and_parsed_alone(own_cache: Path, small_builtins: Path,
                                                                                 tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The built-in rules are one cache entry and a user's or a repository's rulesets another: adding or
    editing a ruleset of a few rules parses those rules only, not the built-in files again. (The built-in
    folder is ``small_builtins``': the whole parse below, done as it was, cost a second with the real one.)"""
    builtin = loader.load_rulesets()
    (builtin_entry,) = own_cache.glob("rules-*.cache")
    extra = _extra_ruleset(tmp_path, 0)
    whole = loader._load_rulesets(loader.ruleset_files((extra,)))  # every file parsed together, as it was done
    parsed: list[str] = []
    original = loader.parse_ruleset

    def counting(path: Path, within: Path | None = None):  # type: ignore[no-untyped-def]
        parsed.append(path.name)
        return original(path, within)

    monkeypatch.setattr(loader, "parse_ruleset", counting)
    combined = loader.load_rulesets((extra,))
    assert parsed == ["acme0.toml"]
    assert combined.rules == whole.rules and combined.secret_prefixes == whole.secret_prefixes
    assert list(combined.providers) == list(whole.providers) == [*builtin.providers, "acme0"]
    assert dict(combined.providers) == dict(whole.providers)
    assert "github" in combined.providers and "nobody" not in combined.providers
    assert len(list(own_cache.glob("rules-*.cache"))) == 2 and builtin_entry.exists()
    extra.write_text(extra.read_text().replace("Acme 0 key", "Acme 0 key, renamed"))
    assert loader.load_rulesets((extra,)).by_id()["acme0.key"].name == "Acme 0 key, renamed"
    assert parsed == ["acme0.toml", "acme0.toml"]  # the edited file alone


@pytest.mark.parametrize("clash", ["provider", "rule"])
def test_a_ruleset_reusing_a_builtin_id_is_a_one_line_error(repo: Path, small_builtins: Path, clash: str) -> None:
    """(The built-in rules of ``small_builtins``: the error parses every built-in file with the repository's.)"""
    text = _extra_ruleset(repo, 0).read_text()
    if clash == "provider":
        text = text.replace('id = "acme0"', 'id = "github"').replace("acme0.key", "github.acme0")
    else:
        text = text.replace('id = "acme0.key"', 'id = "github.pat.classic"')
    (repo / "acme0.toml").write_text(text)
    write(repo, ".credsweep.toml", 'rulesets = ["acme0.toml"]\n')
    result = run_cli("scan", cwd=repo)
    expected = "provider id 'github' is defined twice" if clash == "provider" else \
        "rule id 'github.pat.classic' already defined in github.toml"
    assert result.code == 2 and expected in result.stderr and result.stderr.count("\n") == 1, result


def test_a_verified_file_is_decoded_once_per_process_while_it_is_the_one_verified(
        own_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``load_decoded``: one verification and decoding per process for an unchanged file (a process building
    many pipelines); a file changed since, or whose stamp was taken in its last change's timestamp tick
    (a write in that tick could keep the stamp), is read and verified again."""
    decoded: list[bytes] = []

    def decode(payload: bytes) -> bytes:
        decoded.append(payload)
        return payload.upper()

    cache.store("blob", b"abc")
    path = own_cache / "blob.cache"
    assert cache.load_decoded("blob", decode) == b"ABC"
    read_again = []
    original = cache._verified
    monkeypatch.setattr(cache, "_verified", lambda *args: read_again.append(1) or original(*args))
    assert cache.load_decoded("blob", decode) == b"ABC"  # verified a moment after its change: racy, read again
    assert read_again == [1] and decoded == [b"abc"]
    monkeypatch.setattr(cache, "RACY_NS", -1)  # as if that verification had started a tick after the change
    assert cache.load_decoded("blob", decode) == b"ABC"
    assert cache.load_decoded("blob", decode) == b"ABC"  # settled: the stamp alone
    assert read_again == [1, 1] and decoded == [b"abc"]
    key = cache.signing_key()
    assert key is not None
    path.write_bytes(_sign("blob", b"xyz", b"x" * 32))  # same size, another key: a new stamp, not believed
    assert cache.load_decoded("blob", decode) is None
    path.write_bytes(_sign("blob", b"xyz", key))
    assert cache.load_decoded("blob", decode) == b"XYZ" and decoded == [b"abc", b"xyz"]
    cache.store("blob", b"abc")  # a new file in its place (a new inode)
    assert cache.load_decoded("blob", decode) == b"ABC" and decoded == [b"abc", b"xyz", b"abc"]


def test_a_file_rewritten_in_its_stamps_tick_is_not_believed(own_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a filesystem whose timestamps cannot tell two writes in one tick apart (simulated: a stamp without
    times), a file remembered just after its change is verified again at its next use."""
    monkeypatch.setattr(cache, "_stamp", lambda key, st: (key, st.st_dev, st.st_ino, st.st_size))
    cache.store("blob", b"abc")
    assert cache.load_decoded("blob", bytes.upper) == b"ABC"
    with (own_cache / "blob.cache").open("r+b") as handle:  # in place: the same inode and size
        handle.write(_sign("blob", b"xyz", b"x" * 32))
    assert cache.load_decoded("blob", bytes.upper) is None


def test_a_file_this_process_holds_decoded_is_pruned_last(own_cache: Path) -> None:
    """``load_decoded`` does not mark a file recently used at every use (a touch changes its stamp): the files
    a process holds decoded count as the most recently used when the folder is pruned, whatever their mtime."""
    import os
    import time

    cache.store("hot", b"abc")
    assert cache.load_decoded("hot", bytes.upper) == b"ABC"
    hour_ago = time.time() - 3600
    os.utime(own_cache / "hot.cache", (hour_ago, hour_ago))  # the oldest file of the folder
    for index in range(cache.MAX_FILES + 2):
        cache.store(f"cold-{index}", b"x")
    assert (own_cache / "hot.cache").exists() and len(list(own_cache.glob("*.cache"))) == cache.MAX_FILES
    assert cache.load_decoded("hot", bytes.upper) == b"ABC"
    assert (own_cache / "hot.cache").stat().st_mtime > hour_ago  # used after five minutes: marked used again
    os.utime(own_cache / "hot.cache", (hour_ago, hour_ago))
    cache._DECODED.clear()  # a process that does not hold it: the least recently used goes
    cache.store("cold-last", b"x")
    assert not (own_cache / "hot.cache").exists()
