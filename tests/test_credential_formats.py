"""Credential formats of desktop tools and application config files (issue 21's leaky-repo recall): each
found in its own file by the real CLI in a real repository, and the same text elsewhere left alone.

Values are generated per run; weak passwords are written out because, in their own file, a weak
password is the credential (and the worst leak)."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

from conftest import ALNUM, commit_all, rand, run_cli, write


def _secrets(repo: Path, *extra: str) -> list[tuple[str, str, int]]:
    result = run_cli("scan", ".", "--no-hygiene", "--format", "json", *extra, cwd=repo)
    assert result.code in (0, 1), result
    return sorted((f["path"], f["rule"], f["line"]) for f in result.json()["findings"] if f["kind"] == "secret")


def test_filezilla_password_encoded_with_its_trailing_newline(repo: Path) -> None:
    # `echo PASSWORD | base64` encodes the newline too: the password is still the password
    password = rand(ALNUM, 12)
    encoded = base64.b64encode(f"{password}\n".encode()).decode()
    placeholder = base64.b64encode(b"<password>\n").decode()
    write(repo, "home/.config/filezilla/recentservers.xml",
          "<FileZilla3>\n\t<RecentServers>\n\t\t<Server>\n\t\t\t<Host>ftp.corp.lan</Host>\n\t\t\t<User>deploy</User>\n"
          f'\t\t\t<Pass encoding="base64">{encoded}</Pass>\n\t\t</Server>\n\t\t<Server>\n'
          f'\t\t\t<Pass encoding="base64">{placeholder}</Pass>\n\t\t</Server>\n\t</RecentServers>\n</FileZilla3>\n')
    commit_all(repo)
    assert _secrets(repo) == [("home/.config/filezilla/recentservers.xml", "saved-logins.filezilla-pass", 6)]


def test_wordpress_database_password_in_wp_config_whatever_it_looks_like(repo: Path) -> None:
    config = ("<?php\ndefine( 'DB_NAME', 'main' );\ndefine( 'DB_USER', 'admin' );\n"
              "define( 'DB_PASSWORD', 'admin' );\ndefine( 'DB_HOST', 'localhost' );\n")
    write(repo, "public_html/wp-config.php", config)
    write(repo, "public_html/wp-config-sample.php", config)  # the template WordPress ships
    write(repo, "docs/install.md", config)
    write(repo, "site/wp-config.php", "<?php\ndefine( 'DB_PASSWORD', 'password_here' );\n")
    commit_all(repo)
    assert _secrets(repo) == [("public_html/wp-config.php", "wordpress.db-password-file", 4)]


def test_dbeaver_legacy_xml_connection_password(repo: Path) -> None:
    password = rand(ALNUM, 10)
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n<data-sources>\n'
            '\t<data-source id="oracle_thin-1" provider="oracle" driver="oracle_thin" name="hr" save-password="true">\n'
            '\t\t<connection host="db.corp.lan" port="1521" database="orcl" url="jdbc:oracle:thin:@//db.corp.lan:1521/orcl"'
            ' user="hr" password="{}"/>\n\t</data-source>\n</data-sources>\n')
    write(repo, "workspace/General/.dbeaver-data-sources.xml", body.format(password))
    write(repo, "db/dbeaver-data-sources-2.xml", body.format("password"))  # a weak one is still the password
    write(repo, "config/data-sources.xml", body.format("password"))  # not DBeaver's file: a weak value is not news
    commit_all(repo)
    assert _secrets(repo) == [("db/dbeaver-data-sources-2.xml", "saved-logins.dbeaver-xml-password", 4),
                              ("workspace/General/.dbeaver-data-sources.xml", "saved-logins.dbeaver-xml-password", 4)]


def test_laravel_app_key_of_an_aes_128_or_hand_cut_length(repo: Path) -> None:
    aes128 = base64.b64encode(secrets.token_bytes(16)).decode()
    cut = base64.b64encode(secrets.token_bytes(33)).decode()  # 44 characters, no padding
    standard = base64.b64encode(secrets.token_bytes(32)).decode()
    write(repo, ".env", f"APP_ENV=local\nAPP_KEY=base64:{aes128}\n")
    write(repo, "deploy/.env", f"APP_KEY=base64:{cut}\n")
    write(repo, "prod/.env", f"APP_KEY=base64:{standard}\n")
    write(repo, "ci/.env", "APP_KEY=base64:${LARAVEL_APP_KEY}\n")
    commit_all(repo)
    assert _secrets(repo) == [(".env", "laravel.app-key-other-length", 2),
                              ("deploy/.env", "laravel.app-key-other-length", 1),
                              ("prod/.env", "laravel.app-key", 1)]


def test_s3cfg_secret_key_named_by_its_access_key(repo: Path) -> None:
    key_id, secret = rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 20), rand(ALNUM, 40)
    write(repo, "home/.s3cfg", f"[default]\naccess_key = {key_id}\nsecret_key = {secret}\n"
                               "host_base = minio.corp.lan:9000\nuse_https = True\n")
    write(repo, "ci/.s3cfg", "[default]\naccess_key = $AWS_ACCESS_KEY_ID\nsecret_key = $AWS_SECRET_ACCESS_KEY\n")
    commit_all(repo)
    result = run_cli("scan", ".", "--no-hygiene", "--format", "json", "--show-secrets", cwd=repo)
    found = [(f["path"], f["rule"], f["line"], f["secret"], f["identifier"]) for f in result.json()["findings"]]
    # one finding, the secret's, naming its key id; the key id's own line is not a second finding
    assert found == [("home/.s3cfg", "s3cmd.secret-key", 3, secret, key_id)], result


def _winscp_obfuscated(user: str, host: str, password: str) -> str:
    """WinSCP's stored-password obfuscation (no master password): each byte b written as the hex of
    ~b ^ 0xA3, after a header (flag 0xFF, length, offset) and the user and host names."""
    data = (user + host + password).encode()
    return "".join(f"{(~b & 0xFF) ^ 0xA3:02X}" for b in (0xFF, 0, len(data), 0, *data))


def test_winscp_ini_stored_site_password(repo: Path) -> None:
    stored = _winscp_obfuscated("deploy", "sftp.corp.lan", rand(ALNUM, 12))
    write(repo, "tools/WinSCP.ini", "[Configuration\\Security]\nUseMasterPassword=0\n\n"
                                    "[Sessions\\deploy@sftp.corp.lan]\nHostName=sftp.corp.lan\nUserName=deploy\n"
                                    f"Password={stored}\r\n")
    write(repo, "notes/winscp.txt", f"Password={stored}\n")  # the value outside WinSCP's file: only a hex run
    commit_all(repo)
    assert _secrets(repo) == [("tools/WinSCP.ini", "winscp.stored-password", 7)]


def test_filezilla_password_in_clear_in_filezillas_own_files(repo: Path) -> None:
    # FileZilla 3 before base64 wrote <Pass> in clear: a weak one is still the password there
    write(repo, "home/.filezilla/sitemanager.xml",
          "<FileZilla3>\n<Servers>\n<Server>\n<Host>ftp.corp.lan</Host>\n<User>deploy</User>\n<Pass>hunter22</Pass>\n"
          "</Server>\n</Servers>\n</FileZilla3>\n")
    write(repo, "backup/ftp-servers.xml", "<Server>\n<Pass>hunter22</Pass>\n</Server>\n")  # not FileZilla's file
    commit_all(repo)
    assert _secrets(repo) == [("backup/ftp-servers.xml", "generic.xml-secret", 2),
                              ("home/.filezilla/sitemanager.xml", "saved-logins.filezilla-plain-pass", 6)]


def test_s3fs_password_file_secret_paired_with_its_key_id(repo: Path) -> None:
    key_id, secret = "AKIA" + rand("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), rand(ALNUM + "/+", 40)
    write(repo, "home/.passwd-s3fs", f"{key_id}:{secret}\n")
    write(repo, "etc/passwd-s3fs", f"# backups bucket\nbackups-corp:{rand('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 20)}:minio2019\n")
    write(repo, "notes/s3.txt", "see https://docs.corp.lan/s3fs:mounting-buckets-with-fuse\n")
    commit_all(repo)
    result = run_cli("scan", ".", "--no-hygiene", "--format", "json", "--show-secrets", cwd=repo)
    found = sorted((f["path"], f["rule"], f["line"], f["secret"], f["identifier"]) for f in result.json()["findings"])
    assert found == [("etc/passwd-s3fs", "aws.secret-access-key.s3fs", 2, "minio2019", None),
                     ("home/.passwd-s3fs", "aws.secret-access-key.s3fs", 1, secret, key_id)], result


def test_fetchmailrc_password_on_one_line_or_across_several(repo: Path) -> None:
    write(repo, "home/.fetchmailrc",
          'poll imap.corp.lan protocol imap user "ops" password "letmein1" is "ops" here\n'
          "poll pop.corp.lan\n    protocol pop3 auth password\n"
          f"    user 'backup' there with pass '{rand(ALNUM, 12)}' ssl\n")
    commit_all(repo)
    assert _secrets(repo) == [("home/.fetchmailrc", "saved-logins.fetchmailrc-password", 1),
                              ("home/.fetchmailrc", "saved-logins.fetchmailrc-password", 4)]


def _typed_password() -> str:
    return rand(ALNUM, 8) + "#" + rand(ALNUM, 4)


def test_passwords_on_share_sudo_htpasswd_and_cloud_login_command_lines_in_a_shell_history(repo: Path) -> None:
    lines = [
        "ls -la",
        f"smbclient //fs.corp.lan/finance -U 'CORP\\ops%{_typed_password()}' -c ls",
        f"sudo mount -t cifs //fs.corp.lan/share /mnt/share -o username=ops,password={_typed_password()},vers=3.0",
        f"net use Z: \\\\fs01\\finance {_typed_password()} /user:CORP\\ops",
        f"net use Y: \\\\fs01\\hr /user:CORP\\ops {_typed_password()}",
        f"echo '{_typed_password()}' | sudo -S systemctl restart nginx",
        f"htpasswd -b -c /etc/nginx/.htpasswd admin {_typed_password()}",
        f"az login -u ops@corp.onmicrosoft.com -p {_typed_password()}",
        f"oc login -u developer -p {_typed_password()} https://api.ocp.corp.lan:6443",
        # the same commands without a password on them
        "smbclient //fs.corp.lan/finance -U ops -c ls",
        "sudo mount -t cifs //fs.corp.lan/share /mnt/share -o credentials=/root/.smbcredentials",
        "net use X: \\\\fs01\\finance * /user:CORP\\ops",
        'echo "$SUDO_PASSWORD" | sudo -S true',
        "echo 'deb http://deb.corp.lan stable main' | sudo tee /etc/apt/sources.list.d/corp.list",
        "htpasswd -c /etc/nginx/.htpasswd admin",
        "az login --service-principal -u 3f2b8c1e-9a4d-4e7b-8f60-2c5d1a9e7b34 -p /etc/ci/sp-cert.pem --tenant corp",
        'oc login https://api.ocp.corp.lan:6443 --token="$OCP_TOKEN"',
    ]
    write(repo, "home/ops/.bash_history", "\n".join(lines) + "\n")
    commit_all(repo)
    assert _secrets(repo) == sorted([("home/ops/.bash_history", rule, line) for rule, line in [
        ("smb.smbclient-password", 2), ("smb.cifs-mount-password", 3), ("smb.net-use-password", 4),
        ("smb.net-use-password-after-user", 5), ("sudo.stdin-password", 6), ("http-basic-auth.htpasswd-batch", 7),
        ("azure-cli.login-password", 8), ("openshift-cli.login-password", 9)]])


def test_a_password_names_its_account_the_user_name_written_in_the_same_record(repo: Path) -> None:
    # which account to rotate: the user name a line or two away is the finding's identifier, with its line
    # distinct characters ending in digits: a draw that reads as generated every time
    db, mail, sftp, alone = ("".join(secrets.SystemRandom().sample([c for c in ALNUM if c not in "7Qx9"], 10)) + "7Qx9"
                             for _ in range(4))
    write(repo, "deploy/.env", f"DB_HOST=db.corp.lan\nDB_USERNAME=billing_rw\n# the database\nDB_PASSWORD={db}\n"
                               f"MAIL_USERNAME=alerts@corp.example\nMAIL_PASSWORD={mail}\n\n"
                               f"REDIS_HOST=cache.corp.lan\nREDIS_PASSWORD={alone}\n")
    write(repo, "deploy/sftp.json", f'{{\n  "host": "files.corp.lan",\n  "username": "uploader",\n'
                                    f'  "password": "{sftp}",\n  "port": 22\n}}\n')
    write(repo, "deploy/users.env", "APP_USER=nobody\nADMIN_USERNAME=root\n")  # user names alone: no finding
    commit_all(repo)
    result = run_cli("scan", ".", "--no-hygiene", "--format", "json", cwd=repo)
    found = {(f["path"], f["line"]): (f["identifier"], f["identifier_line"]) for f in result.json()["findings"]}
    assert found == {("deploy/.env", 4): ("bill...g_rw", 2),  # its own prefix's user, past a comment
                     ("deploy/.env", 6): ("aler...mple", 5),
                     ("deploy/.env", 9): (None, None),  # a blank line ends the record: MAIL_USERNAME is not its
                     ("deploy/sftp.json", 4): ("uplo...", 3)}
    shown = run_cli("scan", ".", "--no-hygiene", "--format", "json", "--show-secrets", cwd=repo).json()["findings"]
    assert {f["identifier"] for f in shown} == {"billing_rw", "alerts@corp.example", "uploader", None}
    text = run_cli("scan", ".", "--no-hygiene", cwd=repo).stdout
    assert "(user bill...g_rw)" in text and "billing_rw" not in text
    kinds = {f["identifier_kind"] for f in result.json()["findings"]}
    assert kinds == {"user", None}


def test_an_account_is_read_only_from_short_lines_of_one_record() -> None:
    from credsweep.content.accounts import account_near

    record = b'{\n  "username": "deploy",\n  "password": "x"\n}\n'
    assert account_near(record, record.index(b'"x"')) == ("deploy", record.index(b"deploy"))
    # a minified file's one long line holds no record; a long line between ends it (each search bounded)
    minified = b'{"username":"deploy",' + b'"k":"v",' * 100_000 + b'"password":"x"}'
    assert account_near(minified, minified.index(b'"x"')) is None
    apart = b'username = deploy\n' + b"#" * 5000 + b'\npassword = x\n'
    assert account_near(apart, apart.index(b"= x") + 2) is None
