"""How tall the fleet's HTML report is at a laptop's width, for four local repositories (issue 25).

    python benchmarks/fleet_page.py [--src DIR] [--out DIR] [--keep]

Makes four small repositories with planted fake credentials (GitHub, AWS, Slack, Stripe, a Google
OAuth client, a private key named ``deploy_key``, ``.env`` files in two of them, a fork), with
histories that edit a secret in place (several versions of one line), scans them with
``credsweep fleet scan`` from ``--src`` (default: this checkout; give another checkout's ``src`` to
compare), renders ``fleet report --format html`` and measures the page in headless Chromium at
1366x900: the document's height in CSS pixels, and a screenshot of the first screen
(``OUT/first-screen.png``). The same seed gives the same repositories, so two checkouts compare.

The measured copy of the page is the report with its Content-Security-Policy removed and one script
added that writes the height into the DOM (``--dump-dom`` prints it); the report itself is unchanged.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
WIDTH, HEIGHT = 1366, 900


def _env(home: Path, src: Path) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(src), HOME=str(home), XDG_DATA_HOME=str(home / "data"),
                XDG_CACHE_HOME=str(home / "cache"), XDG_CONFIG_HOME=str(home / "config"), GIT_CONFIG_NOSYSTEM="1",
                GIT_AUTHOR_NAME="Dana Dev", GIT_AUTHOR_EMAIL="dana@example.invalid", GIT_COMMITTER_NAME="Dana Dev",
                GIT_COMMITTER_EMAIL="dana@example.invalid", CREDSWEEP_SALT="fleet-page-salt")


class Fakes:
    """Fake credentials in real formats from a seeded generator (the same for every checkout)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def _s(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def github(self) -> str:
        from credsweep.content.validators import base62

        body = self._s(ALNUM, 30)
        return "ghp_" + body + base62(zlib.crc32(body.encode()) & 0xFFFFFFFF)

    def aws(self) -> tuple[str, str]:
        return "AKIA" + self._s("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), self._s(ALNUM + "/+", 40)

    def slack(self) -> str:
        return f"xoxb-{self._s('0123456789', 12)}-{self._s('0123456789', 13)}-{self._s(ALNUM, 24)}"

    def stripe(self) -> str:
        return "sk_live_" + self._s(ALNUM, 32)

    def google(self) -> tuple[str, str]:
        client = f"{self._s('0123456789', 12)}-{self._s('abcdefghijklmnopqrstuvwxyz0123456789', 32)}"
        return client + ".apps.googleusercontent.com", "GOCSPX-" + self._s(ALNUM + "_-", 28)

    def openssh_key(self) -> str:
        body = base64.b64encode(bytes(self.rng.randrange(256) for _ in range(600))).decode()
        lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
        return f"-----BEGIN OPENSSH PRIVATE KEY-----\n{lines}\n-----END OPENSSH PRIVATE KEY-----\n"


def _git(cwd: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _commit(repo: Path, env: dict[str, str], files: dict[str, str | None], message: str) -> None:
    for rel, text in files.items():
        target = repo / rel
        if text is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "--no-verify", "-m", message)


def _onetap(client: str, secret: str, version: int) -> str:
    return ("import os\n\n\n"
            "def verify(token):\n"
            f"    # version {version}: accept tokens of our one-tap client\n"
            "    from google.oauth2 import id_token\n"
            "    from google.auth.transport import requests\n\n"
            "    request = requests.Request()\n"
            "    return id_token.verify_oauth2_token(token, request, CLIENT_ID)\n\n"
            f"CLIENT_ID = '{client}'\n"
            f"CLIENT_SECRET = '{secret}'\n")


def make_repositories(base: Path, env: dict[str, str], seed: int = 25) -> list[Path]:
    """Four repositories (the fourth a fork of the first) with planted fake secrets."""
    fake = Fakes(seed)
    api, web, worker = base / "acme-api", base / "acme-web", base / "billing-worker"
    for repo in (api, web, worker):
        repo.mkdir(parents=True)
        _git(repo, env, "init", "-q", "-b", "main")
    aws_key, aws_secret = fake.aws()
    client, _ = fake.google()
    _commit(api, env, {"README.md": "# acme-api\n", "app/settings.py": f"GITHUB_TOKEN = '{fake.github()}'\n",
                       ".env": f"DATABASE_URL=postgres://app:{fake._s(ALNUM, 16)}@db/app\nDEBUG=1\n"}, "first version")
    for version in range(3):  # the same line edited three times: three versions of google_onetap.py:12
        _commit(api, env, {"auth/google_onetap.py": _onetap(client, fake.google()[1], version)}, f"one-tap v{version}")
    _commit(api, env, {"deploy/settings.ini": f"[aws]\naws_access_key_id = {aws_key}\n"
                                              f"aws_secret_access_key = {aws_secret}\n"}, "deploy settings")
    _commit(api, env, {"app/settings.py": "import os\nGITHUB_TOKEN = os.environ['GITHUB_TOKEN']\n"},
            "read the token from the environment")
    _commit(web, env, {"README.md": "# acme-web\n", ".env": "NODE_ENV=production\nPORT=8080\n",
                       "config/slack.yml": f"bot_token: {fake.slack()}\nchannel: '#deploys'\n",
                       "server/payments.js": f"const stripe = require('stripe')('{fake.stripe()}');\n"}, "web app")
    _commit(web, env, {"server/payments.js": "const stripe = require('stripe')(process.env.STRIPE_KEY);\n"},
            "stripe key from the environment")
    _commit(worker, env, {"README.md": "# billing-worker\n", "deploy_key": fake.openssh_key(),
                          "worker/queue.py": f"SLACK_TOKEN = '{fake.slack()}'\n",
                          "tests/fixtures/id_ed25519": fake.openssh_key()}, "worker")
    (worker / "deploy_key").chmod(0o644)
    _commit(worker, env, {"worker/aws.py": f"KEY = '{aws_key}'\nSECRET = '{aws_secret}'\n"}, "same AWS key as the api")
    fork = base / "alice-api-fork"
    _git(base, env, "clone", "-q", str(api), str(fork))
    _commit(fork, env, {"scripts/release.sh": f"export GITHUB_TOKEN={fake.github()}\n"}, "release script")
    return [api, web, worker, fork]


def _measured_copy(page: Path, out: Path) -> Path:
    html = page.read_text()
    html = re.sub(r"<meta http-equiv=['\"]Content-Security-Policy['\"][^>]*>", "", html)
    probe = ("<script>addEventListener('load',()=>{const p=document.createElement('pre');p.id='page-height';"
             "p.textContent=String(document.documentElement.scrollHeight);document.body.appendChild(p)})</script>")
    out.write_text(html.replace("</body>", probe + "</body>"))
    return out


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    browser = shutil.which("chromium") or "/usr/bin/chromium"
    return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}", *args],
                          capture_output=True, text=True, timeout=180, check=False)


def page_height(page: Path, work: Path) -> int:
    """The document's height in CSS pixels at 1366 px wide, as Chromium lays it out."""
    copy = _measured_copy(page, work / "measured.html")
    dom = chromium("--virtual-time-budget=5000", "--dump-dom", copy.as_uri(), profile=work / "profile").stdout
    found = re.search(r"<pre id=\"page-height\">(\d+)</pre>", dom)
    if not found:
        raise SystemExit(f"no height in Chromium's DOM:\n{dom[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="credsweep sources to run (a checkout's src)")
    parser.add_argument("--out", type=Path, help="keep the page and screenshots here")
    parser.add_argument("--seed", type=int, default=25)
    args = parser.parse_args()
    sys.path.insert(0, str(args.src))
    work = Path(tempfile.mkdtemp(prefix="fleet-page-"))
    env = _env(work / "home", args.src.resolve())
    repos = make_repositories(work / "repos", env, args.seed)
    store = f"sqlite:///{work / 'fleet.sqlite3'}"
    run = [sys.executable, "-m", "credsweep", "fleet"]
    scan = subprocess.run([*run, "scan", *map(str, repos), "--store", store], env=env, capture_output=True, text=True,
                          check=False)
    if scan.returncode not in (0, 1):
        raise SystemExit(f"fleet scan failed ({scan.returncode}): {scan.stderr[-2000:]}")
    out = args.out or work
    out.mkdir(parents=True, exist_ok=True)
    page = out / "fleet.html"
    made = subprocess.run([*run, "report", "--format", "html", "-o", str(page), "--store", store], env=env,
                          capture_output=True, text=True, check=False)
    if made.returncode != 0:
        raise SystemExit(f"fleet report failed: {made.stderr[-2000:]}")
    height = page_height(page, work)
    chromium(f"--screenshot={out / 'first-screen.png'}", page.as_uri(), profile=work / "profile")
    chromium(f"--screenshot={out / 'full-page.png'}", f"--window-size={WIDTH},{min(height, 16000)}", page.as_uri(),
             profile=work / "profile")
    print(f"src {args.src}: {len(repos)} repositories, page height {height} px at {WIDTH} px wide "
          f"({page.stat().st_size} bytes); page and screenshots in {out}")
    if args.out is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
