"""The value grammar (content.values), headerless key structure (validators.der_private_key) and database
cells (content.stores): unit tests of the pieces the CLI tests in test_generalisation.py put together."""

from __future__ import annotations

import base64
import functools
import os
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credsweep.content import stores, values
from credsweep.content.context import looks_generated
from credsweep.content.engine import Engine, make_engine
from credsweep.content.validators import der_private_key, private_key_der
from credsweep.rules.loader import load_rulesets


@pytest.mark.parametrize(("ident", "expected"), [
    ("access_token_model", True), ("ConnectionHttpsUrlWithHttpFallback255", True), ("OAUTH_TOKEN_PARAMETER_NAME", True),
    ("getToken", True), ("XMLHttpRequest", True), ("m", True), ("en", True),
    ("hQzMpWx", False), ("kQ2mLz9", False), ("eyJhbGciOiJIUzI1NiJ9", False), ("B1ER5JHDGJL3C4sVAKK7SBsq806R3IpL", False),
])
def test_word_shaped(ident: str, expected: bool) -> None:
    assert values.word_shaped(ident) is expected


@pytest.mark.parametrize(("value", "shape"), [
    ("access_token_model.objects.filter(", "call"),
    ("self._get_token_from_authentication_server(", "call"),
    ("(*RefreshTokenManager)(&m.common)", "call"),
    ("token.get(self.OAUTH_TOKEN_PARAMETER_NAME)[0]", "call"),
    ("NotRequired[Optional[str]]", "subscript"),
    ("optional<list<TokenExchangeProfile>>", "generic"),
    ("prefix+suffix", "operator"),
    ("settings.API_KEY", "attribute"),
    ("user.generate_reset_password_token!", "call"),  # Ruby's bang and predicate methods
    ("account.password_set?", "call"),
    ("Xk9.Lm2Qz8!", None),
    ("unusable", "identifier"),
    ("Tq8(zLm2)Wx9", None),
    ("ImxheRUY-!o#+0XQYS", None),
    ("https://example.org/a.b", None),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", None),
    ("12345", None),
])
def test_expression_shape(value: str, shape: str | None) -> None:
    assert values.expression_shape(value) == shape


@pytest.mark.parametrize(("value", "expected"), [
    ("1234abcd-1234-abcd-1234-abcd1234abcd", True), ("AbCdEfGhIj", True), ("a1B2c3D4e5F6", True),
    ("xyzxyzxyzxyz", True), ("ABCDEFGMK5CE6WTZKRTTQRKUJVFXOVRF", True), ("0123456789", True),
    ("Zt5kW9qLm2Xp", False), ("9fK2mQ7xLw3vT8pZ", False), ("short", False),
    # a provider's prefix or words, then counted parts: a sample; random parts after the prefix are not
    ("vercel_blob_rw_abc123_xyz789", True), ("sk_live_abcdef", True),
    ("vercel_blob_rw_Xk29fjQ8s7_Lm3pZq", False), ("my_token_value", False),
])
def test_counting_pattern(value: str, expected: bool) -> None:
    assert values.counting_pattern(value) is expected


def test_counting_pattern_rarely_fires_on_generated_values() -> None:
    alphabet = "0123456789abcdef"
    hits = sum(values.counting_pattern("".join(alphabet[b % 16] for b in os.urandom(40))) for _ in range(2000))
    assert hits <= 2
    # a provider's prefix and separated random parts (``vercel_blob_rw_<id>_<random>``)
    parts = sum(values.counting_pattern("sk_live_" + "".join(alphabet[b % 16] for b in os.urandom(8)) + "_"
                                        + "".join(alphabet[b % 16] for b in os.urandom(12))) for _ in range(2000))
    assert parts <= 2


def test_example_blocks() -> None:
    yaml = ("components:\n  schemas:\n    snsFactorProvider:\n      example:\n" + "        name: x\n" * 500
            + "        aws_secret_access_key: X\n").encode()
    at = yaml.rindex(b"        aws_secret")
    assert values.under_sample_key("        aws_secret_access_key: X", yaml, at)
    assert not values.under_sample_key("        aws_secret_access_key: X", yaml.replace(b"example:", b"default:"), at)
    flat = b"example:\naws_secret_access_key: X\n"
    assert not values.under_sample_key("aws_secret_access_key: X", flat, flat.rindex(b"aws"))
    javadoc = "    /**\n     * Signs up a user, i.e.:\n     * <pre>\n     * {@code\n"
    assert values.in_example_block('     *  api.signUp("me@example.org", "topsecret")', javadoc)
    assert not values.in_example_block('    api.signUp("me@example.org", "topsecret")', "class A {\n")


def test_joined_literals() -> None:
    data = b'TOKEN = (\n    "abc"\n    "def"\n)\nx = "one" +\n  "two";\nlist = ["a",\n  "b"]\n$v = \'p\' .\n  \'q\';\n'
    runs = [(prefix, joined) for _, _, prefix, joined in values.joined_literals(data)]
    assert runs == [(b"    ", b"abcdef"), (b"x = ", b"onetwo"), (b"$v = ", b"pq")]
    # a literal followed by a colon on the next line is that line's key: nothing joins (a YAML block of quoted
    # keys, ``'PASSWORD': '...'`` over ``'HOST': 'localhost'``, read as one password)
    block = b"    'PASSWORD': 'Admin@123'\n    'HOST': 'localhost'\n    'PORT' => '5432'\n"
    assert list(values.joined_literals(block)) == []


def test_joined_literals_is_linear_on_hostile_input() -> None:
    data = b'"a"\n' * 20000 + b"'" * 5000
    runs = list(values.joined_literals(data))
    # every literal read once: runs of at most JOIN_PIECES literals, one after the other
    assert len(runs) == -(-20000 // values.JOIN_PIECES)
    assert all(joined == b"a" * len(joined) and end - start <= values.JOIN_LIMIT for start, end, _, joined in runs)


@functools.cache
def _hyperscan_engine() -> Engine:
    pytest.importorskip("hyperscan")
    return make_engine(load_rulesets().rules, "hyperscan")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([b'"', b"'", b"+", b".", b"\\", b"&", b",", b" ", b"\t", b"\r", b"\n", b"ab", b"A1",
                                 b'"k"\n', b'  "k" +\n', b"\n    '", b"x" * 300]), max_size=120),
       st.integers(0, 40))
def test_joined_literals_skips_ahead_to_the_same_runs(pieces: list[bytes], begin: int) -> None:
    # the Hyperscan pass reports every joiner's end; joined_literals reads only from there and finds
    # exactly what its regex finds over the whole content
    data = b"".join(pieces)
    engine = _hyperscan_engine()
    engine.candidates(data)
    assert engine.joins is not None
    joins = sorted(engine.joins)
    assert joins == sorted({m.end() for start in range(len(data))
                            if (m := re.compile(values.JOINER).match(data, start))} | set(joins))
    assert list(values.joined_literals(data, begin, joins)) == list(values.joined_literals(data, begin))


def test_keyword_engine_leaves_joiners_unknown() -> None:
    engine = make_engine(load_rulesets().rules, "keywords")
    engine.candidates(b'x = "a"\n  "b"\n')
    assert engine.joins is None


def test_masked_line_keeps_shape_and_hides_characters() -> None:
    line = '    access_tokens = access_token_model.objects.filter(  # api_key=Zt5kW9qLm2Xp7Hq2LmX9vRk3'
    at = line.index("access_token_model")
    end = at + len("access_token_model.objects.filter(")
    masked = values.masked_line(line, [(at, end, True)], at, end, looks_generated)
    assert masked.startswith("    access_tokens = access_*****_*****.*******.******(")
    assert "Zt5kW9" not in masked and "objects" not in masked
    literal = values.masked_line('x = "hunter.two(1)"', [(5, 18, False)], 5, 18, looks_generated)
    assert literal == 'x = "hun**********"'  # what the redacted preview shows, no more
    assert "\x1b" not in values.masked_line("p=\x1b[31mred" + "A" * 300, [(2, 6, False)], 2, 6, looks_generated)
    assert len(values.masked_line("k=" + "v" * 5000, [(2, 10, False)], 2, 10, looks_generated)) <= 200
    # a random run that splits into pronounceable humps is still masked beside the secret (it had been shown)
    humps = 'DATABASES = {"password": "Zt5kW9qLm2Xp7Hq2"}  # api_token=ocdQuohjyuqgoYf8NRzpNaemE6DM7Qx9'
    at = humps.index("Zt5k")
    assert "uohjyuqgoYf8" not in values.masked_line(humps, [(at, at + 16, False)], at, at + 16, looks_generated)
    named = "token = x  # see keyVaultToStoreSecrets and ConnectionHttpsUrlWithHttpFallback255"
    assert "ConnectionHttpsUrlWithHttpFallback255" in values.masked_line(named, [(8, 9, False)], 8, 9, looks_generated)
    # a key masked whole is shown as its length, not as a screen of stars
    pem = "  tls.key: " + "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ" * 50
    assert values.masked_line(pem, [(11, len(pem), "hidden")], 11, len(pem), looks_generated) == (
        "  tls.key: " + "*" * 16 + f"…({len(pem) - 11} chars)")


def _int(raw: bytes) -> bytes:
    return b"\x02" + _len(len(raw)) + raw


def _len(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    body = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _seq(*items: bytes) -> bytes:
    body = b"".join(items)
    return b"\x30" + _len(len(body)) + body


def _random_int(size: int) -> bytes:
    raw = bytearray(os.urandom(size))
    raw[0] = (raw[0] & 0x7F) | 0x40
    return _int(bytes(raw))


def test_der_private_key_shapes() -> None:
    rsa = _seq(_int(b"\x00"), _random_int(128), _int(b"\x01\x00\x01"), *(_random_int(64) for _ in range(6)))
    ec = _seq(_int(b"\x01"), b"\x04\x20" + os.urandom(32), b"\xa0\x0a\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07")
    pkcs8 = _seq(_int(b"\x00"), _seq(b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01", b"\x05\x00"),
                 b"\x04" + _len(len(rsa)) + rsa)
    for der in (rsa, ec, pkcs8):
        assert private_key_der(der)
        body = base64.b64encode(der).decode()
        assert der_private_key("\n    ".join(body[i:i + 64] for i in range(0, len(body), 64)))
        assert der_private_key("\\n".join(body[i:i + 64] for i in range(0, len(body), 64)))
    certificate_like = _seq(_seq(_int(b"\x02"), _random_int(16)), _seq(b"\x06\x03\x55\x04\x03"), b"\x03\x05\x00" + os.urandom(4))
    assert not private_key_der(certificate_like)
    assert not private_key_der(rsa[:-1])  # truncated: the top length no longer fits
    assert not der_private_key(base64.b64encode(b"\x30\x82\x01\x00" + os.urandom(256)).decode())


def _database(path: Path) -> bytes:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE oauth_token (id INTEGER PRIMARY KEY, access_token TEXT, data BLOB)")
        conn.execute("INSERT INTO oauth_token VALUES (5, 'tok-value-1', ?)", (b"\x00\x01binary",))
        conn.execute('CREATE TABLE "we""ird" (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID')
        conn.execute("""INSERT INTO "we""ird" VALUES ('a', 'line one\nline two')""")
        conn.execute("CREATE VIEW slow AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c")
    conn.close()
    return path.read_bytes()


def test_database_cells(tmp_path: Path) -> None:
    data = _database(tmp_path / "app.db")
    document, found = stores.cells(data)
    labels = [cell.label for cell in found]
    assert labels == ["oauth_token.access_token, rowid 5", 'we"ird.v, rowid 1', 'we"ird.k, rowid 1'] or \
        sorted(labels) == sorted(["oauth_token.access_token, rowid 5", 'we"ird.k, rowid 1', 'we"ird.v, rowid 1'])
    assert b"access_token = tok-value-1\n" in document and b"binary" not in document
    for cell in found:
        assert b"\n" not in document[cell.start - 1:cell.start] or cell.start == 0
    assert list(tmp_path.iterdir()) == [tmp_path / "app.db"]  # the temporary copy is gone


def test_database_bounds_and_damage(tmp_path: Path) -> None:
    data = _database(tmp_path / "app.db")
    assert stores.cells(data[:200]) == (b"", ())  # a truncated file: nothing, no error
    assert stores.cells(b"SQLite format 3\x00" + b"\xff" * 4096)[1] == ()
    assert stores.cells(b"not a database") == (b"", ())
    with sqlite3.connect(tmp_path / "big.db") as conn:
        conn.execute("CREATE TABLE t (v TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", ((f"value-{i}",) for i in range(stores.MAX_ROWS + 50)))
    conn.close()
    _, found = stores.cells((tmp_path / "big.db").read_bytes())
    assert len(found) == stores.MAX_ROWS
