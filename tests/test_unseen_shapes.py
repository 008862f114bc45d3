"""Shapes met on a history nobody tuned on (a Java web application's twenty years): code, labels and
templates that generic rules took for secrets, each lowered with a named reason, and beside each the
real secret of the same shape that stays shown by default. Through the real CLI on real repositories."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import ALNUM, commit_all, rand, run_cli, write


def findings(repo: Path, *extra: str) -> list[dict[str, Any]]:
    result = run_cli("scan", "--format", "json", "--no-hygiene", *extra, cwd=repo)
    assert result.code in (0, 1), result
    return [f for f in result.json()["findings"] if f["kind"] == "secret"]


def strong(n: int = 20) -> str:
    """A generated-looking password (fake, made at test time)."""
    return rand(ALNUM, n - 4) + "7Qx9"


def by_path(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for f in items:
        out.setdefault(f["path"], []).append(f)
    return out


def test_code_around_a_credential_name_is_not_a_secret(repo: Path) -> None:
    real = strong()
    write(repo, "src/main/java/Auth.java", (
        "public class Auth {\n"
        "    void login(String username, String password) {\n"
        '        String body = "j_username=" + URLEncoder.encode(username,"UTF-8")+"&j_password="+'
        'URLEncoder.encode(password,"UTF-8"));\n'
        '        final String argPassword = "-Dpassword=" ;\n'
        "    }\n"
        "}\n"))
    write(repo, "web/behavior.js", (
        "function show(tokenValueSpan) {\n"
        "    tokenValueSpan.style.display = 'inline-block';\n"
        '    fetch(url, {method: "post", credentials: "same-origin"});\n'
        "}\n"))
    write(repo, "web/config.jelly", (
        '<j:jelly xmlns:j="jelly:core">\n'
        "  <f:validateButton checkUrl=\"'${rootURL}/check?field=managerDN&amp;managerPassword='+"
        "encodeURIComponent(this.form.elements['ldap.managerPassword'].value)\"/>\n"
        "</j:jelly>\n"))
    # the same names holding a literal: a secret
    write(repo, "src/main/java/Deploy.java", (
        "public class Deploy {\n"
        f'    static final String DEPLOY_PASSWORD = "{real}";\n'
        "}\n"))
    commit_all(repo)
    shown = by_path(findings(repo))
    assert list(shown) == ["src/main/java/Deploy.java"], shown
    low = by_path(findings(repo, "--min-confidence", "low"))
    reasons = {path: {r for f in items for r in f["reasons"]} for path, items in low.items()}
    assert {"template-key", "option-prefix"} <= reasons["src/main/java/Auth.java"], reasons
    assert {"attribute-target", "enumerated-value"} <= reasons["web/behavior.js"], reasons
    assert "template-key" in reasons["web/config.jelly"], reasons
    assert all(f["confidence"] == "low" and f["advice"]["urgency"] == "low"
               for path, items in low.items() if path != "src/main/java/Deploy.java" for f in items)


def test_a_translation_bundle_is_labels_not_passwords(repo: Path) -> None:
    # Java resource bundles: the UI's "Password" label in every language
    for lang, word in (("de", "Passwort"), ("nl", "Wachtwoord"), ("pt_BR", "Senha"), ("fi", "Salasana")):
        write(repo, f"core/src/main/resources/login_{lang}.properties", f"User=Benutzer\nPassword={word}\n")
    write(repo, "core/src/main/resources/Messages.properties",
          "DefaultPasswordComplexityRule.DisplayName=Default password complexity\n")
    real = strong()
    write(repo, "config/application.properties", f"spring.datasource.password={real}\n")
    commit_all(repo)
    shown = findings(repo)
    assert [f["path"] for f in shown] == ["config/application.properties"], shown
    low = [f for f in findings(repo, "--min-confidence", "low") if f["path"] != "config/application.properties"]
    # no connection-string or .netrc rule reads a label pair; what the generic rules see is a translation
    assert {f["rule"].split(".")[0] for f in low} == {"generic"}, low
    assert all("translation-location" in f["reasons"] for f in low), low


def test_a_test_harness_folder_is_test_material(repo: Path) -> None:
    write(repo, "test-harness/src/main/preset-data/secured/config.xml",
          f"<config>\n  <secretKey>{rand('0123456789abcdef', 64)}</secretKey>\n</config>\n")
    commit_all(repo)
    assert findings(repo) == []
    low = findings(repo, "--min-confidence", "low")
    assert low and all("test-location" in f["reasons"] for f in low), low


def test_a_javadoc_code_block_is_a_sample(repo: Path) -> None:
    write(repo, "src/main/java/TokenApi.java", (
        "public class TokenApi {\n"
        "    /**\n"
        "     * A token for the current user is returned as:\n"
        "     * <code>\n"
        f'     *     {{"status":"ok","data":{{"tokenName":"test","tokenValue":"{rand("0123456789abcdef", 34)}"}}}}\n'
        "     * </code>\n"
        "     */\n"
        "    public void generate() {}\n"
        "}\n"))
    commit_all(repo)
    assert findings(repo) == []
    low = findings(repo, "--min-confidence", "low")
    assert low and all("docstring-sample" in f["reasons"] for f in low), low
