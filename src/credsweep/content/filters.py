"""Value filters: named predicates over a candidate secret that say "this is probably not a credential".

Each predicate answers one question and has its own tests. A filter never deletes a match: the
content stage records the names of those that fire (``value_reasons``, ``context_value_reasons``) as
reasons that lower its confidence, so ``--min-confidence low`` still shows everything the rules matched.
``reason_to_drop`` (the first that fires) remains for callers that only need a yes or no.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from credsweep.util.lazyre import lazy

# Documented example values providers print in their docs and SDKs ship as public samples: reported
# with the reason ``demo-credential`` (lowered), whatever checksum they carry.
KNOWN_EXAMPLES = frozenset(
    {
        # MinIO's public playground (play.min.io): the ``play`` alias the mc client ships with these keys
        # (github.com/minio/mc cmd/config-v10.go) and every MinIO SDK's quick start prints them
        # (https://min.io/docs/minio/linux/developers/go/minio-go.html); anyone may use them, by design
        "Q3AM3UQ867SPQQA43P2F",
        "zuf+tfteSlswRu7BJ86wekitnifILbZam1KYY3TG",
        # the keys MinIO's quick start guide showed as the server's start-up output and in its ``mc config host
        # add`` examples (https://docs.minio.io/docs/minio-client-quickstart-guide), copied into other
        # projects' manuals and test set-ups
        "USWUXHGYZQYFYFFIT3RE",
        "MOJRH0mkL1IPauahWITSVvyDrQbEEIwljvmxdq03",
        # Node-RED's documented adminAuth sample, the bcrypt hash of "password", in every settings.js template
        # (https://nodered.org/docs/user-guide/runtime/securing-node-red)
        "$2a$08$zZWtXTja0fB1pzD4sHCMyOCMYz2Z6dNbM6tl8sJogENOMcxWV9DN.",
        # documentation and SDK samples of DeepL (a Free API key, https://developers.deepl.com/docs/getting-started/auth),
        # ntfy (an access token, https://docs.ntfy.sh/config/#access-tokens) and Agility CMS (its SDKs' sample
        # fetch key)
        "279a2e9d-83b3-c416-7e2d-f721593e42a0:fx",
        "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2",
        "defaultlive.201ffdd0841cacad5bb647e76547e918b0c9ecdb8b5ddb3cf92e9a79b03623cb",
        # documentation samples of Toss Payments (https://docs.tosspayments.com/reference/using-api/authorization),
        # kintone (https://cybozu.dev/ja/kintone/docs/rest-api/overview/authentication), Qonto
        # (https://docs.qonto.com/get-started/business-api/authentication/api-key), Tap and Yoco (test keys
        # shaped like Stripe's: https://developers.tap.company/reference/testing-keys,
        # https://developer.yoco.com/online/api-reference/api-overview/) and YouCan Pay
        # (https://developer.youcan.shop/youcan-pay/authentication)
        "test_sk_zXLkKEypNArWmo50nX3lmeaxYG5R",
        "test_ck_D5GePWvyJnrK0W0k6q8gLzN97Eoq",
        "test_ck_OEP59LybZ8Bdv6A1JxkV6GYo7pRe",
        "test_ak_ZORzdMaqN3wQd5k6ygr5AkYXQGwy",
        "BuBNIwbRRaUvr33nWXcfUZ5VhaFsJxN0xH4NPN92",
        "QWRtaW5pc3RyYXRvcjpjeWJvenU=",
        "62885d39f3a0ddedd3d3ee0432a43ccr",  # the secret of Qonto's sample "pied-piper-7132:..." pair
        "sk_test_XKokBfNWv6FIYuTMg5sLPjhJ",
        "sk_test_960bfde0VBrLlpK098e4ffeb53e1",
        "pri_9b2efcdf-4493-4f7c-9c31-8d0a2e5f1b7a",
        # documentation samples of Workato (https://docs.workato.com/api-mgmt/auth-token.html), Mural
        # (https://developers.mural.co/public/docs/app-credentials) and Loop
        # (https://docs.loop.com/developers/api-authentication)
        "ed776fdfbf5003b4aa6bcaafea8f9003ffb6986454822ce7ebb3c1a8efc08348",
        "a3164fc953794514235b0b2dacbdd8c2f8f0f1623f5826abdba779c379ed0bdbbaa9f6faec61cb5c0f8a3545ed4cdf43ec08a659c3ee0aa6e5af114a6e889918",
        "lk_live_YSrYlIhKvj39etmrUG_6qHgmpUJpBYnkYHOjtJI5",
        # documentation samples of Cloudmersive (https://api.cloudmersive.com/python-client.asp) and Currencycloud
        # (its support article on API keys, https://support.currencycloud.com/hc/en-gb/articles/16152640663836)
        "f0c513bc-8c00-4491-830e-3e83b015feb6",
        "1f6a3e944f8c4ebdc6658d6fc1103f12ebbc33f5ed05ca3549fdbc3883556544",
        # documentation samples the rule writers met (each provider's own page): LiveAgent
        # (support.liveagent.com/741982-API-key), Loadmill (docs.loadmill.com/auth/api-tokens), Mailmodo (its
        # trigger-mails-via-api article), mesibo (docs.mesibo.com/api/backend-api), Mixmax
        # (developer.mixmax.com/reference/getting-started-with-the-api), RiteKit (github.com/RiteKit/api-docs),
        # Runrun.it (runrun.it/api/documentation), NetHunt (nethunt.com/integration-api), Ticket Tailor
        # (developers.tickettailor.com), Vyte (developer.vyte.in/guides), Signaturit (docs.signaturit.com/api),
        # Calendarific (calendarific.com/api-documentation), Worksnaps (api.worksnaps.com/api_docs), BuddyNS
        # (buddyns.com/support/api/v2), cloudplan (docs.cloudplan.net), Diggernaut (github.com/Diggernaut),
        # 46elks (github.com/46elks/46elks-getting-started)
        "0865evv883j6auflvlt7zrwgqn32qo74",
        "ewszIIzEDIeORLwTSrcEvrKKEWQeR9yzQqyCCKlK",
        "3BP23E6-GND4HAJ-KZ05RJ3-HGS064T",
        "ptlk9hdel1gqxf3p0s15f5f5gtusldej18tl794suzit",
        "87pbh20pzehd9ld0o0pxqx9h80jjqfu9ipul4l00fnb55pbfx9mxyyk4uyr1iwuw",
        "45e99c6b-386d-4aa1-a2b4-296568a40ff2",
        "292c6912e7710c838347ae178b4a",
        "f9c650c98eeb28e345e0a38a184d20cb",
        "roBknmkPI0ALmwkRuC1q",
        "c3e07232-05d3-40c6-a18b",
        "sk_1000_1000_VGlja2V0VGFpbG9y",
        "c2tfMTAwMF8xMDAwX1ZHbGphMlYwVkdGcGJHOXk=",
        "2lnpjjrurrl49xja5oo0qujtl60embr7zppiphc5fcav4n7ycx",
        "cfsvut1yp6dd2nuwkxjo",
        "ZjEyMmE1ZDFhYmZiYzI2ZjkyMmUzYjczZDAyMmY5MzI0ZGYzN2Y0NzFhZjA5YzNhMjk2MTVmNjU1OTVhYTU0",
        "baa9dc110aa712sd3a9fa2a3dwb6c01d4c875950dc32vs",
        "hy192jfeh26uiew8yg43mfekb21jfenaxop912f3",
        "1d313d98067f95c0b1e899a6528573c65d67bc7c",
        "695f8c0c345e8fabb88c57c9086b0b76",
        "f98c1dc37033a8b1755f839685062cf411112222",
        "u2c11ef65b429a8e16ccb1f960d02c734",
        "C0ACCEEC0FAFE879189DD5D57F6EC348",
        # discord.py's guide shows what a bot token looks like with this one (docs/guide/introduction.rst in
        # https://github.com/Rapptz/discord.py): copied into tutorials and bots as a sample
        "MjM4NDk0NzU2NTIxMzc3Nzky.CunGFQ.wUILz7z6HoJzVeq6pyHPmVgQgV4",
        # the Google Cloud SDK's installed-app OAuth client secret, public in the SDK itself
        # (CLOUDSDK_CLIENT_NOTSOSECRET in googlecloudsdk/core/config.py, client 32555940559.apps.googleusercontent.com):
        # application_default_credentials.json files written by `gcloud auth application-default login` carry it
        "ZmssLNjJy2998hD4CTg2ejr2",
        # AWS documentation's sample keys
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        "AKIAI44QH8DHBEXAMPLE",
        # Stripe's documented test-mode keys (API reference and older docs)
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "pk_test_TYooMQauvdEDq54NiTphI7jx",
        "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
        "pk_test_6pRNASCoBOKtIshFeQd4XMUh",
        # Neptune's public ANONYMOUS api token (neptune-client src/neptune/internal/constants.py)
        "eyJhcGlfYWRkcmVzcyI6Imh0dHBzOi8vYXBwLm5lcHR1bmUuYWkiLCJhcGlfdXJsIjoiaHR0cHM6Ly9hcHAubmVwdHVuZS5haSIsImFwaV9rZXkiOiJiNzA2YmM4Zi03NmY5LTRjMmUtOTM5ZC00YmEwMzZmOTMyZTQifQo=",
        # Bitwarden SDK's test access token (bitwarden/sdk crates/bitwarden-core/src/auth/access_token.rs)
        "0.ec2c1d46-6a4b-4751-a310-af9601317f2d.C2IgxjjLF7qSshsbwe8JGcbM075YXw:X8vbvA0bduihIDe/qrzIQQ==",
        "0.ec2c1d46-6a4b-4751-a310-af9601317f2d.C2IgxjjLF7qSshsbwe8JGcbM075YXw:X8vbvA0bduihIDe/qrzIQQ",
        # FastAPI's OAuth2 tutorial's sample user hash (fake_users_db, https://fastapi.tiangolo.com/tutorial/security/)
        "$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW",
        # PayU's public sandbox points of sale: OAuth client secrets and second keys published for anyone's
        # tests (https://developers.payu.com/europe/docs/testing/sandbox/)
        "2ee86a66e5d97e3fadc400c9f19b065d",
        "b6ca15b0d1020e8094d9b5f8d163db54",
        "89e263df5657cccfe7d1d2a0f50b6e41",
        "87f410056e1ec5ff64f6bea777a0e694",
        # Cisco DevNet's always-on Meraki sandbox key (read-only, published in Meraki's samples and labs)
        "6bec40cf957de430a6f1f2baa056b99a4fac9ea0",
        # documentation samples of Resend, Ably, Tencent Cloud, Yandex Cloud, Akamai, Hetzner, UpCloud
        "re_c1tpEyD8_NKFusih9vKVQknRAQfmFcWCv",
        "I2E_JQ.OqUdfg:EVKVTCBlzLBPYJiCZTsIW_pqylJ9WVRB5K9P19Ap1y0",
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA",
        "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA",
        "YCchbYEDdcsYFBnxSWbcjDJDn",
        "YCVdheub7w9bImcGAnd3dZnf08FRbvjeUFvehGvc",
        "y3_Vdheub7w9bIut67GHeL345gfb5GAnd3dZnf08FRbvjeUFvetYiohGvc",
        "C113nt53KR3TN6N90yVuAgICxIRwsObLi0E67/N8eRN=",
        "LRK9DAWQ1ZAEFSrCNEEzLCUwhYX1U3g7wMg4dTlkkDC96fyDuyJ39nVbVjCKSDfj",
        "ucat_01DQE3AJDEBFEKECFM558TGH2F",
        # the Google Cloud SDK's built-in public values, shipped in every install of it (a committed
        # ``google-cloud-sdk/`` folder): gcloud's and bq's installed-application OAuth client secrets (public by
        # design, https://developers.google.com/identity/protocols/oauth2/native-app), gcloud's error- and
        # crash-reporting API keys and gsutil's API key
        "d-FL95Q19q7MQmFpd7hHD0Ty",
        "wbER7576mc_1YOII0dGk7jEE",
        "AIzaSyCUuWyME_r4XylltWNeydEjKSkgXkvpVyU",
        "AIzaSyAp4DSI_Z3-mK-B8U0t7GE34n74OWDJmak",
        "AIzaSyDnacJHrKma0048b13sh8cgxNUwulubmJM",
        # the Azure Storage emulator's (Azurite's) fixed key for its ``devstoreaccount1`` account, the same on every
        # machine and printed in Microsoft's docs
        # (https://learn.microsoft.com/en-us/azure/storage/common/storage-use-azurite#http-connection-strings)
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        # jwt.io's debugger sample (HS256, "John Doe", key "your-256-bit-secret"), copied into docs everywhere
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIy"
        "fQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        # the example UUID of RFC 4122 (section 3, https://www.rfc-editor.org/rfc/rfc4122#section-3) and of
        # countless API docs and mock responses
        "550e8400-e29b-41d4-a716-446655440000",
        # an AWS sample pair printed in many projects' documentation and config comments (object-storage guides:
        # GoToSocial's SQLite replication guide and its S3 settings' "Examples:", Onepanel's artifact repository
        # page), never an account's key
        "AKIAJSIE27KKMHXI3BJQ", "5bEYu26084qjSFyclM/f2pz4gviSfoOg+mFwBH39",
        # the QStash CLI's development server's default user, printed at every start and in Upstash's local
        # development guide (https://upstash.com/docs/workflow/howto/local-development): base64 of
        # {"UserID":"defaultUser","Password":"defaultPassword"}, accepted by nothing but a local dev server
        "eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=",
    }
)
_NEPTUNE_ANONYMOUS_KEY = "b706bc8f-76f9-4c2e-939d-4ba036f932e4"
"""The api_key inside Neptune's public anonymous token, whichever host (ui. or app.neptune.ai) it names."""

# shapes that mark a value to fill in wherever they occur in it
_PLACEHOLDER_SHAPES = lazy(
    r"(?i)(your[_\-.]?(?:api|secret|access|auth|own|token|key|pass|client)|"
    r"changeme|change[_\-]?(?:me|it|this)|please[_\-]?change|redacted|replace[_\-]?(?:me|with|this)|insert[_\-]|enter[_\-]?your|put[_\-]?your|"
    # a masked value: x's with separators (``x-x-x``, ``xx-xx-xx``)
    r"^x{1,4}(?:[\-_.:]x{1,4}){2,}$|"
    r"[_\-.]here$|^(?:my|the|some|a)[_\-]?(?:password|secret|token|api[_\-]?key)$|^(?:temp|tmp|temporary|tbd|todo)$|xxxx|\*{3,}|\.{4,}|_{4,}|#{4,}|^<.*>$|^\[.*\]$|"
    r"notreal|not[_\-]?a[_\-]?(?:real|proper|valid|actual)|do[_\-]?not[_\-]?use|not[_\-]?for[_\-]?prod|(?:dev|local|test)[_\-]?only|fix[_\-]?me|"
    r"will[_\-]?be[_\-]?(?:generated|set|replaced|filled)|auto[_\-]?generated|generated[_\-]?automatically|"
    # a word and the credential's name (``repmgrpassword``, ``rootpassword``): a compose file's default
    # (``myduosecretkey`` beside ``mysmtppassword`` in a sample configuration, too)
    r"(?-i:^[a-z]{2,12}[_\-]?(?:password|passwd|secret)(?:[_\-]?key)?$)|"
    # "your" and a name of what it is for, then its credential word (``YourXmailControlPass``, ``yourRPCpass``)
    r"^your[a-z]{0,24}pass(?:word)?$|"
    # "your", words, then what it is (``your-human-readable-encryption-passphrase``)
    r"^your[_\-.][a-z_\-.]{0,48}(?:pass(?:word|phrase)?|secret|key|token)$|"
    r"example(?:[_\-]?(?:key|token|secret|password))?$)"  # vendors end documented values with EXAMPLE(KEY)
)
# words that mark a fake when the value is made of them, not when they sit inside a random run
_PLACEHOLDER_WORDS = lazy(r"(?i)example|sample|dummy|placeholder|fake|specimen")
# what else such values are made of: separators and the credential's own name
_FILLER = lazy(r"(?i)[\W_]+|token|key|secret|pass(?:word)?|api|auth|access|client|value|string|test")
_TEMPLATE = lazy(
    r"(\$\{[^}]*\}|\{\{[^}]*\}\}|%\([\w.]+\)s|\$\([A-Za-z_][\w ./-]*\)|<%[=\-#]?\s|\{%[\s\-]|^\$[A-Za-z_][A-Za-z0-9_]{0,47}$|"
    # (above: a ``$name`` of 49 characters or more is a key that starts with ``$``, Asaas' ``$aact_...``)
    # ``%VAR%`` (Windows), Symfony's container parameters and env processors (``%stripe.secret_key%``,
    # ``%env(resolve:DATABASE_URL)%``)
    r"^%(?:env\([\w:.\-]+\)|[A-Za-z_][\w.\-]*)%$|os\.environ|os\.getenv|process\.env|ENV\[|getenv\(|"
    r"System\.getenv|secrets\.[A-Z_]+|vault:|ref\+|@Value\(|"
    # a shell variable inside the value (``s/SECRET=.*/SECRET=$COOKIE_SECRET/g``): filled in when it runs
    r"(?<!\$)\$\{?[A-Z][A-Z0-9_]{2,}\b(?!;)|"  # not Ansible Vault's ``$ANSIBLE_VAULT;1.1;AES256`` header
    r"#\{[^}\n]{1,200}\}|"  # Ruby, CoffeeScript and Crystal interpolation: "#{Time.now.to_i}-#{random_str(30)}"
    # PHP's complex interpolation ("--requirepass {$this->database->redis_password}", "mongodb://{$user}:{$pass}@"),
    # PowerShell's environment drive (``-p="$env:DOCKER_HUB_PASSWORD"``) and ``env:NAME`` references (SeaweedFS)
    r"\{\$[A-Za-z_]\w*(?:(?:->|::|\[)[^}\n]{0,160})?\}|\$env:[A-Za-z_]\w*|^env:[A-Za-z_][A-Za-z0-9_]*$|"
    # a printf format around a word (``"%s_upgrades"``), a Dovecot variable closing a path (``passdb/%u``), a
    # ``__NAME__`` or ``_NAME_`` slot an installer or a sed command fills (``passwd='__DBPASS__'``)
    r"^%[sd][_\-.]|[_\-.]%[sd]$|/%[udn]$|^__?[A-Z][A-Z0-9_]{1,40}__?$|"
    # a Concourse or BOSH credential-manager reference (``((registry.password))``), resolved at run time
    r"\(\([\w.\-/:]{1,120}\)\))"
)
_SEQUENCES = ("0123456789", "1234567890", "abcdefghij", "qwertyuiop", "ABCDEFGHIJ")


def is_known_example(secret: str) -> bool:
    """A value providers publish in their documentation or SDKs as an example (``KNOWN_EXAMPLES``, and
    Neptune's anonymous token under any of its hosts)."""
    if secret in KNOWN_EXAMPLES:
        return True
    if secret.startswith("eyJhcGlfYWRkcmVzcyI6") and len(secret) <= 1024:
        import base64
        import binascii

        try:
            decoded = base64.b64decode(secret + "=" * (-len(secret) % 4))
        except (binascii.Error, ValueError):
            return False
        return _NEPTUNE_ANONYMOUS_KEY.encode() in decoded
    return False


def _key_block(secret: str) -> bool:
    # a whole private-key block: its comment lines ("Comment: dummy key") and random base64 body
    # say nothing about whether it is a placeholder; the pem validator checks the body instead
    return "\n" in secret and secret.lstrip().startswith(("-----BEGIN", "PuTTY-User-Key-File"))


ENCRYPTED_ENVELOPE = lazy(
    r"ENC\[[A-Z0-9_]{3,24},data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,type:[a-z]{2,8}\]"  # SOPS
    r"|EJ\[1:[A-Za-z0-9+/=]{20,}:[A-Za-z0-9+/=]{20,}:[A-Za-z0-9+/=]+\]"  # ejson
    r"|ENC\([A-Za-z0-9+/=]{8,}\)"  # Jasypt (Spring Boot)
    r"|\{cipher\}(?:\{key:[\w.-]{1,64}\})?[A-Za-z0-9+/=]{16,}")  # Spring Cloud Config
"""Values committed encrypted by design, each readable only with a key kept elsewhere: SOPS's
``ENC[AES256_GCM,data:...,iv:...,tag:...,type:str]`` (https://github.com/getsops/sops#encrypted-file-format),
ejson's ``EJ[1:public key:nonce:box]`` (https://github.com/Shopify/ejson), Jasypt's ``ENC(...)``
(https://github.com/ulisesbocchio/jasypt-spring-boot) and Spring Cloud Config's ``{cipher}...``
(https://docs.spring.io/spring-cloud-config/reference/server/encryption-and-decryption.html)."""


def is_encrypted_envelope(value: str) -> bool:
    """``value`` is one ciphertext envelope of ``ENCRYPTED_ENVELOPE``, whole (quotes around it aside)."""
    return bool(ENCRYPTED_ENVELOPE.fullmatch(value.strip().strip("'\"")))


def is_placeholder(secret: str) -> bool:
    """Words and shapes people use for values to fill in: your_api_key, xxxx, ****, <token>, changeme,
    dummy-pass, sampleHerokuKey. A random run that merely contains FAKE or Example
    (``Kx8s2LmQz9Wv4TrP0aBcFAKEd7Hj3Nq``) is not one: only values mostly made of such words are."""
    if _key_block(secret):
        return False
    if _PLACEHOLDER_SHAPES.search(secret):
        return True
    if not _PLACEHOLDER_WORDS.search(secret):
        return False
    return not _random_rest(_PLACEHOLDER_WORDS.sub("", secret))


def _random_rest(rest: str) -> bool:
    """What is left of a value once its placeholder words are removed is a generated run: long,
    mixing letters and digits, high in entropy (not a word, a number or a few separators)."""
    from credsweep.util.entropy import shannon

    core = _FILLER.sub("", rest)
    return (len(core) >= 20 and shannon(core) >= 3.5 and any(c.isdigit() for c in core)
            and any(c.isalpha() for c in core))


def is_template(secret: str) -> bool:
    """A reference to a value kept elsewhere: ${VAR}, {{ secrets.X }}, os.environ[...], %(var)s. Never a crypt
    hash, whose ``$`` separates its fields: ``$6$salt$QPSI/...`` is no shell variable (one random SHA-512 crypt
    hash in fifty had been read as one)."""
    return not _CRYPT_HASH.match(secret) and bool(_TEMPLATE.search(secret))


_CRYPT_HASH = lazy(r"\$(?:1|apr1|2[abxy]?|5|6|y|gy|7|argon2(?:id|i|d))\$[\w./=,+\-]")


def is_low_diversity(secret: str) -> bool:
    """Too few distinct characters, or a keyboard/alphabet run, to be a generated credential."""
    if _key_block(secret):
        return False
    core = secret.split("_")[-1] if len(secret) > 16 else secret
    if len(set(core)) <= 3 and len(core) >= 6:
        return True
    return any(seq in secret for seq in _SEQUENCES)


@dataclass(frozen=True)
class Candidate:
    """A value a generic (keyword) rule matched, with the context the contextual filters need."""

    secret: str
    """The captured value."""
    line: str = ""
    """The whole line holding the value (at most a few KB of it on very long lines)."""
    path: str = ""
    """Repository-relative path of the file, '' when unknown."""
    key: str = ""
    """The credential-named key the value is assigned to, '' when the rule has none."""


_SRI_OR_DIGEST = lazy(r"^(?:sha1|sha224|sha256|sha384|sha512|md5)[-:][A-Za-z0-9+/=_-]{16,}$", re.IGNORECASE)
_HASH_CONTEXT = lazy(r"(?i)\b(?:integrity|checksum|shasum|sha1|sha256|sha512|digest|hash|etag)\b")
_UUID = lazy(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SECRET_NAME = lazy(r"(?i)pass|pwd|secret|token|key|auth|credential|private")
_HEX40 = lazy(r"^[0-9a-f]{40}$")
_REVISION_CONTEXT = lazy(r"(?i)\b(?:commit|sha|rev|revision|ref|head|tree|parent|git)\b|\bcommit[_-]?(?:id|sha)")
_PUBLIC_PREFIXES = ("ssh-rsa ", "ssh-ed25519 ", "ssh-dss ", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-",
                    "AAAAB3NzaC1yc2E", "AAAAC3NzaC1lZDI1NTE5", "AAAAE2VjZHNhLXNoYTItbmlzdHA")
_PUBLIC_BLOCK = lazy(r"-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|PGP PUBLIC KEY BLOCK|"
                           r"X509 CRL|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|TRUSTED CERTIFICATE)-----")
_PUBLIC_KEY_NAME = lazy(r"(?i)public|publishable|(?:^|[_.\-])pub(?:lic)?[_.\-]?key|certificate|(?:^|[_.\-])cert$")
# magic numbers of images once base64-encoded: PNG, JPEG, GIF, WebP, SVG, ICO, BMP
_IMAGE_B64 = ("iVBORw0KGgo", "/9j/", "R0lGOD", "UklGR", "PHN2Zy", "PD94bWwg", "AAABAA", "Qk0")
_VECTOR_LINE = lazy(r"(?i)\b(?:expected|vector|digest|ciphertext|plaintext|nonce|iv|tag|mac|kat|count)\b\s*[=:(]"
                          r"|\b(?:sha\d+|md5|hmac|pbkdf2|hkdf|aes|chacha20|blake2\w*)\s*\(")
_HEX = lazy(r"^(?:0x)?[0-9a-fA-F]+$")


def is_lockfile_hash(c: Candidate) -> bool:
    """A package integrity hash: an SRI/digest value (``sha512-...``, ``sha256:...``) or a hex value on
    an ``integrity``/``checksum`` line (lockfiles themselves: ``is_lockfile``)."""
    # the value's shape first: searching a long line for hash words costs far more
    return (bool(_SRI_OR_DIGEST.match(c.secret))
            or bool(_HEX.match(c.secret.split(":")[-1].split("-")[-1]) and _HASH_CONTEXT.search(c.line)))


def is_uuid(c: Candidate) -> bool:
    """A UUID under a name that does not say secret (request, trace and object ids). A UUID assigned to
    ``api_key`` or ``token`` stays: Heroku, npm legacy and many SaaS keys are UUIDs."""
    return bool(_UUID.match(c.secret)) and not _SECRET_NAME.search(c.key)


def is_git_sha(c: Candidate) -> bool:
    """A 40-hex git object id on a line about commits, revisions or refs (``rev: 1a2b...``). A 40-hex
    value under ``token`` on another line stays: GitHub's classic tokens have that shape."""
    return bool(_HEX40.match(c.secret)) and bool(_REVISION_CONTEXT.search(c.key or c.line))


def is_public_key_or_certificate(c: Candidate) -> bool:
    """Public material: SSH public keys, certificates, public-key PEM blocks, keys named public."""
    text = c.secret.lstrip()
    return (text.startswith(_PUBLIC_PREFIXES) or bool(_PUBLIC_BLOCK.search(text))
            or bool(c.key and _PUBLIC_KEY_NAME.search(c.key)))


def is_base64_image(c: Candidate) -> bool:
    """A base64-encoded image (``data:image/...``, or a PNG/JPEG/GIF/WebP/SVG/ICO magic number)."""
    return c.secret.startswith(_IMAGE_B64) or "data:image/" in c.line


def is_minified_line(c: Candidate) -> bool:
    """A keyword match on a line of minified or bundled code, where ``password:"..."`` is a form label,
    default prop or i18n string far more often than a credential (provider formats are still found)."""
    if len(c.line) < 1000:
        return False
    punctuation = sum(c.line.count(ch) for ch in ";{}(),")
    return punctuation / len(c.line) > 0.05 and c.line.count(" ") / len(c.line) < 0.1


def is_test_vector_line(c: Candidate) -> bool:
    """Cryptographic test vectors: hex values on a line of ``expected =``, ``digest:``,
    ``sha256(...)``-style test data (vector files themselves: ``is_test_vector_file``)."""
    return bool(_HEX.match(c.secret)) and len(c.secret) >= 16 and bool(_VECTOR_LINE.search(c.line))


CONTEXT_FILTERS: tuple[tuple[str, Callable[[Candidate], bool]], ...] = (
    ("lockfile_hash", is_lockfile_hash),
    ("uuid", is_uuid),
    ("git_sha", is_git_sha),
    ("public_key_or_certificate", is_public_key_or_certificate),
    ("base64_image", is_base64_image),
    ("minified_code", is_minified_line),
    ("test_vector", is_test_vector_line),
)
"""Line-context filters of generic matches: they read the value, its line and key, never a path."""


def content_reason_to_drop(candidate: Candidate) -> str | None:
    """Name of the first value or line-context filter that fires for a generic match, or None."""
    reason = reason_to_drop(candidate.secret)
    if reason is not None:
        return reason
    for name, predicate in CONTEXT_FILTERS:
        if predicate(candidate):
            return name
    return None


REASON_NAMES = {
    "known_example": "demo-credential", "placeholder": "placeholder", "template": "template-reference",
    "low_diversity": "low-diversity", "lockfile_hash": "lockfile-hash", "uuid": "uuid", "git_sha": "git-sha",
    "public_key_or_certificate": "public-material", "base64_image": "base64-image",
    "minified_code": "minified-line", "test_vector": "test-vector",
}
"""Each filter's reason as a finding records it (the hyphenated names every other reason uses)."""
VALUE_FILTER_REASONS = frozenset((*REASON_NAMES.values(), "sequential-string"))
"""Reasons the value filters give: a provider-format match lowered by one of them still claims its
span (a generic rule does not report the same text again at a higher confidence)."""


@lru_cache(maxsize=1 << 16)  # pure; history meets the same values in every version of a file
def value_reasons(secret: str) -> tuple[str, ...]:
    """The reasons of every value filter that fires for ``secret`` (``REASON_NAMES``)."""
    return tuple(REASON_NAMES[name] for name, predicate in FILTERS if predicate(secret))


def context_value_reasons(candidate: Candidate) -> tuple[str, ...]:
    """``value_reasons`` of a generic match, every line-context filter that fires, and detect-secrets'
    sequential-string heuristic (``sequential-string``: keyboard and alphabet runs in several alphabets)."""
    from credsweep.content.ds_adapter import rejected_by_detect_secrets

    found = value_reasons(candidate.secret)
    extra = tuple(REASON_NAMES[name] for name, predicate in CONTEXT_FILTERS if predicate(candidate))
    sequential = ("sequential-string",) if rejected_by_detect_secrets(candidate.secret.strip().strip("'\"`")) else ()
    return tuple(dict.fromkeys((*found, *extra, *sequential)))


FILTERS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("known_example", is_known_example),
    ("placeholder", is_placeholder),
    ("template", is_template),
    ("low_diversity", is_low_diversity),
)


@lru_cache(maxsize=1 << 16)  # pure; history meets the same values in every version of a file
def reason_to_drop(secret: str) -> str | None:
    """Name of the first filter that rejects ``secret``, or None to keep it."""
    for name, predicate in FILTERS:
        if predicate(secret):
            return name
    return None
