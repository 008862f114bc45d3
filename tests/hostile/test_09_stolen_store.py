"""Finding 9: a copy of the fleet store revealed weak passwords: the salt sat in the same database,
``secret_id`` was a fast HMAC and the preview showed a quarter of the value and its length (a planted
weak password was recovered at 300k guesses/s).

Now identities are keyed by a salt derived from the user's own (``$CREDSWEEP_SALT`` or the 0600 salt
file, which the store never holds) and the store's, and a password's preview shows no character. A
copy of the store alone reproduces no planted password's ``secret_id``."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from conftest import commit_all, make_repo, write
from credsweep.identity import derived_salt, keyed_hash, secret_id
from hostile.common import run

WEAK = "Summer2024!"
GUESSES = [WEAK, "password", "hunter2", "Winter2023!", "letmein", "Summer2024"]
"""The attacker's dictionary holds the planted password: only the key decides whether it is found."""


def _store_with_weak_password(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "app")
    write(repo, "config/database.yml", f"production:\n  adapter: postgresql\n  password: {WEAK}\n")
    commit_all(repo)
    database = tmp_path / "fleet.sqlite3"
    # its own process: the thief copies the file of a store whose run has ended (SQLite's write-ahead
    # log folded into it when the process closed it)
    result = run("fleet", "scan", str(repo), "--store", f"sqlite:///{database}", process=True)
    assert result.code == 1, result
    return database


def test_a_copy_of_the_store_alone_cannot_test_guesses(tmp_path: Path) -> None:
    database = _store_with_weak_password(tmp_path)
    stolen = tmp_path / "stolen.sqlite3"
    shutil.copy(database, stolen)
    with sqlite3.connect(stolen) as conn:
        (store_salt,) = conn.execute("select value from meta where key = 'salt'").fetchone()
        rows = conn.execute("select key, kind, redacted from secrets").fetchall()
    ids = {key for key, kind, _ in rows if kind == "secret"}
    assert ids
    # everything the thief has: the store's salt, used the ways a salt could be
    keys = [store_salt.encode(), derived_salt(b"", store_salt.encode()), bytes.fromhex(store_salt)
            if all(c in "0123456789abcdef" for c in store_salt) and len(store_salt) % 2 == 0 else b""]
    for key in keys:
        assert not ids & {secret_id(guess, key) for guess in GUESSES}
        assert not ids & {keyed_hash("secret", guess, salt=key) for guess in GUESSES}
    # the same dictionary with the user's salt (what the thief lacks) finds it: the test can fail
    user_key = derived_salt(b"test-salt", store_salt.encode())
    assert secret_id(WEAK, user_key) in ids
    # and no preview gives characters of the password away
    for _, kind, redacted in rows:
        if kind == "secret":
            assert WEAK[:2] not in redacted and not any(c.isalnum() for c in redacted.split("(")[0]), redacted
