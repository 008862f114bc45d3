"""Context judgement: every content and location predicate, the confidence policy, and the CLI end to end
(context lowers confidence with named reasons; it never deletes)."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import commit_all, fake_github_token, rand, run_cli, write
from credsweep.content import context as c
from credsweep.content.confidence import TEST_FIXTURE, judge, judge_confidence
from credsweep.content.context import Context, content_reasons, context_from_bytes
from credsweep.judgement import location as loc

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def ctx(line: str, value: str, rule_id: str = "generic.password", **extra: object) -> Context:
    """The Context the content stage builds for ``value`` on ``line``."""
    data = line.encode()
    start = data.rindex(value.encode())
    built = context_from_bytes(data, start, start + len(value.encode()), value, rule_id=rule_id)
    if extra:
        from dataclasses import replace

        built = replace(built, **extra)  # type: ignore[arg-type]
    return built


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def strong() -> str:
    """A generated-looking password (fake, made at test time)."""
    return rand(ALNUM, 8) + "7Qx" + rand(ALNUM, 5)


# (predicate, line, value, fires)
CASES: list[tuple[Callable[[Context], bool], str, str, bool]] = [
    # test-code idioms
    (c.is_test_code, "        assert headers == {'Proxy-Authorization': 'Basic dXNlcjpwYXNz'}", "dXNlcjpwYXNz", True),
    (c.is_test_code, "    r = requests.get(httpbin('basic-auth', 'user', 'pass'), auth=auth)", "pass", True),
    (c.is_test_code, "      .expect('{\"username\":\"tobi\",\"password\":\"ferret\"}', done)", "ferret", True),
    (c.is_test_code, "    >>> conv_auth = ('requeststest', 'requeststest')", "requeststest", True),
    (c.is_test_code, "tests/test_utils.py::test_get_auth_from_url[http://u:p@h] PASSED", "p", True),
    (c.is_test_code, "DB_PASSWORD = 'Zt5kW9qLm2'", "Zt5kW9qLm2", False),
    (c.is_test_code, "expires_at = 3600; password = 'Zt5kW9qLm2'", "Zt5kW9qLm2", False),
    # code and labels around a credential name (a Java web application's history, never tuned on)
    (c.is_template_key, '  body = "j_user=" + u + "&j_password="+URLEncoder.encode(password,"UTF-8"));',
     '+URLEncoder.encode(password,', True),
    (c.is_template_key, 'jaas = "PlainLoginModule required password=\\"+kmvxtAbq0a82j3/+hoeT87\\";"',
     '+kmvxtAbq0a82j3/+hoeT87', False),  # an escaped quote opens the value
    (c.is_template_key, "  password = '+xK9mP2vL8q'", "+xK9mP2vL8q", False),
    (c.is_option_prefix, '        final String argPassword = "-Dpassword=" ;', "-Dpassword=", True),
    (c.is_option_prefix, "        final String argPassword = 'c2VjcmV0cGFzcw=';", "c2VjcmV0cGFzcw=", False),
    (c.is_attribute_of_credential, "function f(tokenValueSpan) {\n    tokenValueSpan.style.display = 'inline-block';",
     "inline-block", True),
    (c.is_attribute_of_credential, "function f(conn) {\n    conn.login('ops@corp.lan', 'Vq7kT2xLm9', cb);",
     "Vq7kT2xLm9", False),
    (c.is_attribute_of_credential, "def f(self):\n    self.config.password = 'Vq7kT2xLm9'", "Vq7kT2xLm9", False),
    (c.is_enumerated_value, '    fetch(url, {method: "post", credentials: "same-origin"});', "same-origin", True),
    (c.is_enumerated_value, '    auth_type = "bearer"', "bearer", True),
    (c.is_enumerated_value, '    credentials: "Vq7kT2xLm9"', "Vq7kT2xLm9", False),
    (c.is_key_echo, '        final String password = parser.get(passwordKind?"password1":"password2");', "password2", True),
    (c.is_key_echo, '    "password": "password2"', "password2", False),
    (c.is_keyword_inside_word, "VSCODE_GIT_ASKPASS_EXTRA_ARGS=--ms-enable-electron-run-as-node",
     "--ms-enable-electron-run-as-node", True),
    (c.is_example_host, '      DATABASE_URL: "postgres://postgres:unleash@db/unleash"', "unleash", True),
    (c.is_example_host, '      DATABASE_URL: "postgres://app:Zt5kW9qLm2xQ@db/app"', "Zt5kW9qLm2xQ", False),
    (c.is_example_host, '      DATABASE_URL: "postgres://app:unleash@db.corp.lan/app"', "unleash", False),
    (c.is_public_search_key, "  algolia: {\n    appId: 'BH4D9OD16A',\n    apiKey: 'c41f0e8a5b7d2396e1a0f4b8d2c7e593',\n"
     "    indexName: 'docs',", "c41f0e8a5b7d2396e1a0f4b8d2c7e593", True),
    (c.is_public_search_key, "  stripe: {\n    apiKey: 'c41f0e8a5b7d2396e1a0f4b8d2c7e593',", "c41f0e8a5b7d2396e1a0f4b8d2c7e593",
     False),
    # e-commerce platforms' histories (the eighth held-out split, measured before these were written)
    (c.is_prompt_default, "  password = ask('Password [spree123]: ', String) do |q|\n    q.echo = false\n"
     "    q.validate = /^(|.{5,40})$/\n    q.responses[:not_valid] = 'Invalid password.'\n    q.whitespace = :strip\n  end\n"
     "  password = 'spree123' if password.blank?", "spree123", True),
    (c.is_prompt_default, "  parser.add_argument('--password', help='(default: hunter2)')\n  password = 'hunter2'",
     "hunter2", True),
    (c.is_prompt_default, "  password = ask('Password: ', String)\n  password = 'spree123' if password.blank?",
     "spree123", False),
    (c.is_prompt_default, "  # the default is random\n  password = 'Vq7kT2xLm9pQ4Zt5kW9qLm2'", "Vq7kT2xLm9pQ4Zt5kW9qLm2", False),
    (c.is_path_value, "            payum.template.obtain_token: SyliusPayumBundle::Action/Stripe/obtainCheckoutToken.html.twig",
     "SyliusPayumBundle::Action/Stripe/obtainCheckoutToken.html.twig", True),
    (c.is_demo_credential, "    user=os.environ.get('RABBITMQ_USER', 'guest'),\n"
     "    password=os.environ.get('RABBITMQ_PASSWORD', 'guest'),", "guest", True),
    (c.is_public_search_key, 'import { DocSearch } from "@docsearch/react"\nconst algoliaApiKey =\n'
     '  process.env.ALGOLIA_API_KEY || "c41f0e8a5b7d2396e1a0f4b8d2c7e593"\n'
     '  return <DocSearch apiKey={algoliaApiKey} indexName="docs" />', "c41f0e8a5b7d2396e1a0f4b8d2c7e593", True),
    (c.is_public_search_key, 'const stripeApiKey =\n  process.env.STRIPE_API_KEY || "c41f0e8a5b7d2396e1a0f4b8d2c7e593"\n'
     '  indexName: "docs", appId: "X"', "c41f0e8a5b7d2396e1a0f4b8d2c7e593", False),
    # aligned constants (a key rule reads ``X      = '...'`` since the e-commerce split): the key is still the name
    (c.is_key_echo, "    const TOKEN_TYPE_ARGUMENT    = 'Argument';", "Argument", True),
    (c.is_key_echo, '\ttableOAuth2AccessTokenSession      = "oauth2_access_token_session"', "oauth2_access_token_session", True),
    (c.is_qualified_key, "        'passwords' => env('AUTH_PASSWORD_BROKER', 'users'),", "users", True),
    (c.is_example_account, "  if ENV['AUTO_ACCEPT']\n    password = 'spree123'\n    email = 'spree@example.com'", "spree123", True),
    (c.is_example_account, "        attributes = {\n          :admin_password => \"spree\",\n"
     "          :admin_email => \"spree@example.com\"\n        }", "spree", True),
    (c.is_example_account, "    password = 'spree123'\n    email = 'ops@corp.lan'", "spree123", False),
    (c.is_public_search_key, 'import { DocSearch } from "@docsearch/react"\nconst algoliaApiKey =\n'
     '  process.env.ALGOLIA_API_KEY || "c41f0e8a5b7d2396e1a0f4b8d2c7e593"\n' + "// a component\n" * 40
     + '    <DocSearch\n      apiKey={algoliaApiKey}\n      indexName="docs"\n      appId="QADS2SO5TY"',
     "c41f0e8a5b7d2396e1a0f4b8d2c7e593", True),
    (c.is_ternary_operands, "            'status'  => empty($issues) ? 'pass' : 'fail',", "fail", True),
    (c.is_ternary_operands, "    const label = valid ? \"token\" : \"Zt5kW9qLm2Xp\";", "Zt5kW9qLm2Xp", True),
    (c.is_ternary_operands, "            'pass' => 'Zt5kW9qLm2Xp',", "Zt5kW9qLm2Xp", False),
    (c.is_path_value, "          SPACESHIP_CONNECT_API_KEY_FILEPATH: envfiles/AuthKey_KDAUTTM76R.p8",
     "envfiles/AuthKey_KDAUTTM76R.p8", True),
    (c.is_path_value, "          API_KEY: Zt5kW9qLm2/Xp7Hq2LmX9vRk3", "Zt5kW9qLm2/Xp7Hq2LmX9vRk3", False),
    (c.is_path_value, "          API_KEY: Zt5kW9qLm2/Xp7Hq2LmX9.pem", "Zt5kW9qLm2/Xp7Hq2LmX9.pem", False),
    (c.is_key_echo, "  static const String PASSWORD = 'pasword';", "pasword", True),  # a storage key's name, misspelt
    (c.is_key_echo, "  static const String PASSWORD = 'passwrod';", "passwrod", True),
    (c.is_key_echo, "  static const String PASSWORD = 'passport';", "passport", False),
    (c.is_key_echo, "  static const String PASSWORD = 'parrots';", "parrots", False),
    (c.is_build_keychain, '      create_keychain(name: "temp_keychain", password: "temp_123456", default_keychain: true)',
     "temp_123456", True),
    (c.is_build_keychain, '      match(type: "appstore", keychain_name: "temp_keychain", keychain_password: "temp_123456")',
     "temp_123456", True),
    (c.is_build_keychain, '    security create-keychain -p "Zt5kW9qLm2Xp" build.keychain', "Zt5kW9qLm2Xp", True),
    (c.is_build_keychain, '    create_keychain(\n      name: "ci",\n      password: "temp_123456",', "temp_123456", True),
    (c.is_build_keychain, '    create_keychain(name: "ci")\n    match(type: "appstore")\n    password: "Zt5kW9qLm2Xp"',
     "Zt5kW9qLm2Xp", False),
    (c.is_secret_name, "ENV PAYLOAD_SECRET=build-time-secret", "build-time-secret", True),  # a provider's keyword rule too
    # the static-site split: CSS custom properties and BEM classes, a syntax scope's name, Algolia's search triple
    (c.is_identifier_value, "  --md-primary-fg-color--dark:  #90030C;", "md-primary-fg-color--dark", True),
    (c.is_identifier_value, '  section: "md-search-result__article",', "md-search-result__article", True),
    (c.is_message_key, '{token:"support.type.built-ins.classes.d",regex:"x"}', "support.type.built-ins.classes.d", True),
    (c.is_message_key, 'token: "a8k.zq3.w7p.m2x"', "a8k.zq3.w7p.m2x", False),
    (c.is_public_search_key, "  let searchConfig = {\n    index: 'hugodocs',\n    app_id: 'D1BPLZHGYQ',\n"
     "    api_key: 'c41f0e8a5b7d2396e1a0f4b8d2c7e593',\n  };", "c41f0e8a5b7d2396e1a0f4b8d2c7e593", True),
    # the mobile-app split: an icon font's name taken for a Mandrill key; a key vault's secret names in CI
    (c.is_identifier_value, '                butAction2Icon = "{md-settings-input-antenna 24sp}";', "md-settings-input-antenna",
     True),
    (c.is_identifier_value, "MANDRILL_KEY=md-Qz8kW3mLx7Rt6yK3mPz8Hn", "md-Qz8kW3mLx7Rt6yK3mPz8Hn", False),
    (c.is_secret_name, '          secrets: "devops-alerts-slack-webhook-url"', "devops-alerts-slack-webhook-url", True),
    (c.is_secret_name, '          secrets: "github-pat-bitwarden-devops-bot-repo-scope"',
     "github-pat-bitwarden-devops-bot-repo-scope", True),
    # a pip RECORD line: the file's digest starts with a provider's short prefix by chance (the CMS split)
    (c.is_digest_value, "django_filters/locale/da/LC_MESSAGES/django.po,sha256=mt_Qz8kW3mLx7Rt6yK3mPz8Hn4tM9qLz2VbJf5Ge0Ua8,3173",
     "mt_Qz8kW3mLx7Rt6yK3mPz8Hn4tM9qLz2VbJf5Ge0Ua8", True),
    (c.is_digest_value, '  "integrity": "sha512-Qz8kW3mLx7Rt6yK3mPz8Hn4tM9qLz2Vb"', "Qz8kW3mLx7Rt6yK3mPz8Hn4tM9qLz2Vb", True),
    (c.is_digest_value, "CHAINSTACK_KEY=mt_Qz8kW3mLx7Rt6yK3mPz8Hn4tM9qLz2VbJf5Ge0Ua8", "mt_Qz8kW3mLx7Rt6yK3mPz8Hn4tM9qLz2VbJf5Ge0Ua8",
     False),
    (c.is_digest_value, "api_key_sha256=mt_Qz8kW3mLx7Rt6yK3mPz8Hn4tM9qLz2VbJf5Ge0Ua8", "mt_Qz8kW3mLx7Rt6yK3mPz8Hn4tM9qLz2VbJf5Ge0Ua8",
     False),
    (c.is_selector_value, "            'password' => '#sylius_admin_user_plainPassword',", "#sylius_admin_user_plainPassword",
     True),
    (c.is_selector_value, "    passwordField: '.login-form-password',", ".login-form-password", True),
    (c.is_selector_value, "    'password' => '#Hx8tM3qLz2Wp',", "#Hx8tM3qLz2Wp", False),
    (c.is_code_expression, "    cookie_secret:\n      configModule?.projectConfig?.cookie_secret ?? process.env.COOKIE_SECRET,",
     "configModule?.projectConfig?.cookie_secret", True),
    (c.is_code_expression, "    cookie_secret: Zt5kW9qLm2Xp7Hq2LmX9vRk3", "Zt5kW9qLm2Xp7Hq2LmX9vRk3", False),
    (c.is_public_search_key, '    <DocSearch\n      apiKey="c41f0e8a5b7d2396e1a0f4b8d2c7e593"\n      indexName="docsearch"',
     "c41f0e8a5b7d2396e1a0f4b8d2c7e593", True),
    (c.is_counting_pattern, '#   google_translate_api_key: "AbC-dEf5"', "AbC-dEf5", True),
    (c.is_counting_pattern, '#   deepl_api_key: "48E92789-57A3-466A-9959-1A1A1A1A1A1A"', "48E92789-57A3-466A-9959-1A1A1A1A1A1A",
     True),
    (c.is_counting_pattern, '  deepl_api_key: "48e92789-57a3-466a-9959-f3c81d0b7e25"', "48e92789-57a3-466a-9959-f3c81d0b7e25",
     False),
    # identity servers' histories (the seventh held-out split, measured before these were written)
    (c.is_regex_value, '        String regexPatternForPassowrd = "(?=.*[A-Z])(?=.*[!@#$&*])(?=.*[0-9]).{8,}";',
     "(?=.*[A-Z])(?=.*[!@#$&*])(?=.*[0-9]).{8,}", True),
    (c.is_regex_value, '    password = "Xq7(kT2)vLm9{3}"', "Xq7(kT2)vLm9{3}", False),
    (c.is_label_key, "        'Client secret': 'Client-Geheimnis',", "Client-Geheimnis", True),
    (c.is_label_key, "        'client_secret': 'Vq7kT2xLm9pQ',", "Vq7kT2xLm9pQ", False),
    (c.is_shared_value, '"avatar": "Edit", "profile": "Edit", "password": "Edit", "mfa": "Edit"', "Edit", True),
    (c.is_shared_value, '{"password": "Vq7kT2xLm9", "confirm": "Vq7kT2xLm9", "old": "Vq7kT2xLm9"}', "Vq7kT2xLm9", False),
    (c.is_shared_value, '"avatar": "Edit", "password": "hunter22"', "hunter22", False),
    (c.is_data_uri, '<image xlink:href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgEAAACMBjjjBowjAREAAWZhABFmYRZm4E"/>',
     "EAAACMBjjjBowjAREAAWZhABFmYRZm4E", True),
    (c.is_data_uri, 'FACEBOOK_TOKEN=EAAACMBjjjBowjAREAAWZhABFmYRZm4E # base64, see docs', "EAAACMBjjjBowjAREAAWZhABFmYRZm4E",
     False),
    (c.is_key_echo, '{"initial_access_token": "access_token0", "subject": "foo"}', "access_token0", True),
    (c.is_key_echo, "  accessKeySecret: 'accessKeySecret+cltHAJ',", "accessKeySecret+cltHAJ", True),
    (c.is_key_echo, '  "tokens": "general:Tokens",', "general:Tokens", True),
    (c.is_key_echo, "AdminPassword=AdminPassword123", "AdminPassword123", False),
    (c.is_key_echo, 'const Web3AuthTokenKey = "web3AuthToken"', "web3AuthToken", True),
    (c.is_key_echo, "aws_secret_access_key = VwcsXkYHnSlmSWa2Xst6bKtMmmxzN0NxLXLeY+aC",
     "VwcsXkYHnSlmSWa2Xst6bKtMmmxzN0NxLXLeY+aC", False),
    (c.is_code_expression, "aws_secret_access_key = lvYNJLmemqgHOOxsWxpSjv+PUJraxp3Bm3utuYRS",
     "lvYNJLmemqgHOOxsWxpSjv+PUJraxp3Bm3utuYRS", False),
    (c.is_key_echo, "  accessKeySecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY'", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY", False),
    (c.is_qualified_key, 'const ldapPasswordComplexityCode = "0000052D"', "0000052D", True),
    (c.is_qualified_key, 'const fmtAutheliaOpaqueOAuth2Token = "authelia_%s_"', "authelia_%s_", True),
    (c.is_qualified_key, 'const ldapPassword = "Vq7kT2xLm9"', "Vq7kT2xLm9", False),
    (c.is_qualified_key, ' tokenPrefixOrgAutheliaFmt = "authelia_%s_" //nolint:gosec', "authelia_%s_", True),
    (c.is_code_expression, "  configuration.PasswordHashing = &schema.DefaultPasswordOptionsConfiguration",
     "&schema.DefaultPasswordOptionsConfiguration", True),
    (c.is_code_expression, "  privateKeyBuilder = utils.Ed25519KeyBuilder{}", "utils.Ed25519KeyBuilder{}", True),
    (c.is_identifier_value, '      password: "#/components/schemas/updateLoginFlowWithPasswordMethod"',
     "#/components/schemas/updateLoginFlowWithPasswordMethod", True),
    (c.is_identifier_value, "  JwtAccessToken = 'urn:ietf:params:oauth:token-type:jwt',", "urn:ietf:params:oauth:token-type:jwt",
     True),
    (c.is_wrong_extraction, '<span class="s">session_secret=mysessionsecret</span>', "mysessionsecret</span>", True),
    (c.is_example_host, "export TEST_DATABASE_MYSQL='mysql://root:secret@tcp(127.0.0.1:3444)/mysql'", "secret", True),
    (c.is_example_host, "export DATABASE_MYSQL='mysql://root:secret@tcp(db.corp.lan:3306)/mysql'", "secret", False),
    (c.is_descriptive_phrase, "      - LOGTO_M2M_CLIENT_SECRET=my-m2m-secret-key-1234", "my-m2m-secret-key-1234", True),
    (c.is_descriptive_phrase, "  password: 'smsbao-api-key-or-md5-password',", "smsbao-api-key-or-md5-password", True),
    (c.is_descriptive_phrase, "  secret: correct-horse-battery-staple-1234", "correct-horse-battery-staple-1234", False),
    (c.is_keyword_inside_word, "      passkeySkipped: this.#passkeySkipped,", "this.#passkeySkipped", True),
    # the read splits' residue, judged again with the seventh split's classes
    (c.is_qualified_key, '  TokenLookup: "cookie:_csrf",', "cookie:_csrf", True),
    (c.is_qualified_key, "export const USER_SIGNUP_VERIFICATION_TOKEN_IDENTIFIER = 'confirmation-email';",
     "confirmation-email", True),
    (c.is_description_value, '            this.$parent.notification.sendgridApiKey = "Uptime-Kuma";', "Uptime-Kuma", True),
    (c.is_description_value, '            this.$parent.notification.sendgridApiKey = "SG.Xq7kT2vLm9";', "SG.Xq7kT2vLm9", False),
    (c.is_counting_pattern, "SECRET_KEY=a8c2d9f3e7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c2", "a8c2d9f3e7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c2", True),
    (c.is_counting_pattern, "SECRET_KEY=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", False),
    (c.is_docstring_sample, "\tcmdHashValidateExample = `authelia crypto hash validate --help\n"
     "authelia crypto hash validate --password 'p@ssw0rd' -- x`", "p@ssw0rd", True),
    (c.is_docstring_sample, "\tcmdConnect = `connect --help\nconnect --password 'Vq7kT2xLm9pQ'`", "Vq7kT2xLm9pQ", False),
    (c.is_docstring_sample, "// GetToken\n/*\n{\n    \"code\": 0,\n    \"access_token\": \"d30bedaa4d8eb3128cf35ddc1030e27d\",",
     "d30bedaa4d8eb3128cf35ddc1030e27d", True),
    (c.is_docstring_sample, "/*\n    conn.password = \"d30bedaa4d8eb3128cf35ddc1030e27d\";", "d30bedaa4d8eb3128cf35ddc1030e27d", False),
    # names that say wrong or made up
    (c.has_test_key_name, "        wrong_auth = ('wronguser', 'wrongpass')", "wrongpass", True),
    (c.has_test_key_name, '  static const char *alt_passwd = "wrong";', "wrong", True),
    (c.has_test_key_name, "    fakeToken = 'abcdefgh12345678'", "abcdefgh12345678", True),
    (c.has_test_key_name, "    db_password = 'Zt5kW9qLm2'", "Zt5kW9qLm2", False),
    (c.has_test_key_name, "    badge_token = 'Zt5kW9qLm2'", "Zt5kW9qLm2", False),
    # values made of test words
    (c.is_test_words, "        http_auth = ('user', 'BADpass')", "BADpass", True),
    (c.is_test_words, "        wrong_auth = ('wronguser', 'wrongpass')", "wrongpass", True),
    (c.is_test_words, "\tpassword=wrong-passwd", "wrong-passwd", True),
    (c.is_test_words, "\t\tpassword=askpass-password", "askpass-password", True),
    (c.is_test_words, "        rv = self.login('user1', 'wrongpassword')", "wrongpassword", True),
    (c.is_test_words, "  password: hunter22", "hunter22", False),
    (c.is_test_words, "  password: Summer2024!", "Summer2024!", False),
    (c.is_test_words, "  password: admin123", "admin123", False),
    (c.is_test_words, "  password: password123", "password123", False),
    # common words
    (c.is_common_word, "                    'PASS' => 'loggedin',  # PASS goes to loggedin state", "loggedin", True),
    (c.is_common_word, "  this.secret = 'something';", "something", True),
    (c.is_common_word, "    \"passed\": \"green\",", "green", True),
    (c.is_common_word, "  authtype == AUTH_PASSWORD ? \"PASSWORD\" : \"PUBLICKEY\"", "PUBLICKEY", True),
    (c.is_common_word, "  password: 'dragonfly'", "dragonfly", False),
    (c.is_common_word, "RABBITMQ_ERLANG_COOKIE=CVQXACIOBCCKWQYXLTCH", "CVQXACIOBCCKWQYXLTCH", False),
    # documented example values
    (c.is_documented_example, '        "access_token":"2YotnFZFEjr1zCsicMWpAA",', "2YotnFZFEjr1zCsicMWpAA", True),
    (c.is_documented_example, '        "access_token":"Zt5kW9qLm2Xp8Rv3",', "Zt5kW9qLm2Xp8Rv3", False),
    # keyword inside a longer word
    (c.is_keyword_inside_word, '\tif test "$GIT_TEST_PASSING_SANITIZE_LEAK" = "check"', "check", True),
    (c.is_keyword_inside_word, '    *)  passes="conv"', "conv", True),
    (c.is_keyword_inside_word, "passenv = LANG", "LANG", True),
    (c.is_keyword_inside_word, '    "node-compass":"0.2.3"', "0.2.3", True),
    (c.is_keyword_inside_word, '$tokenaddress = "H1hcBegR2A6b2mCGqhH5zA4sTZvMxrq"',
     'H1hcBegR2A6b2mCGqhH5zA4sTZvMxrq', True),
    (c.is_keyword_inside_word, "ldap_default_authtok = Zt5kW9qLm2", "Zt5kW9qLm2", False),
    (c.is_keyword_inside_word, "    self.password = 'Zt5kW9qLm2'", "Zt5kW9qLm2", False),
    (c.is_keyword_inside_word, "SMTP_PASS=Zt5kW9qLm2", "Zt5kW9qLm2", False),
    (c.is_keyword_inside_word, "dbpassword: Zt5kW9qLm2", "Zt5kW9qLm2", False),
    # the value repeats the key
    (c.is_key_echo, "      passive: passive", "passive", True),
    (c.is_key_echo, "    const TOKEN_TYPE_OPERATORPREFIX = 'OperatorPrefix';", "OperatorPrefix", True),
    (c.is_key_echo, "    public const OPERATOR_RESET_PASSWORD = 'backoffice.operators.reset-password';",
     "backoffice.operators.reset-password", True),
    (c.is_key_echo, "    password: 'Zt5kW9qLm2'", "Zt5kW9qLm2", False),
    # collections and validation rules
    (c.is_collection_name, "        'passwords' => 'users',", "users", True),
    (c.is_collection_name, "        'password' => 'users',", "users", False),
    (c.is_validation_rules, "            'password' => 'required|string|min:8|confirmed',",
     "required|string|min:8|confirmed", True),
    (c.is_validation_rules, "            'password' => 'nullable|confirmed|min:3',", "nullable|confirmed|min:3", True),
    (c.is_validation_rules, "            'password' => 'Zt5k|W9qLm2',", "Zt5k|W9qLm2", False),
    # identifiers and code as values
    (c.is_identifier_value, "        self.password = smtppass", "smtppass", True),
    (c.is_identifier_value, '        self.redis = Redis(host=url.hostname, password=url.password)',
     'url.password', True),
    (c.is_identifier_value, "DHPrivateKeyWithSerialization = DHPrivateKey", "DHPrivateKey", True),
    (c.is_identifier_value, "\t\ttoken.style = yaml_FOLDED_SCALAR_STYLE", "yaml_FOLDED_SCALAR_STYLE", True),
    (c.is_identifier_value, '    "pbkdf2-password": "^1.2.1",', "^1.2.1", True),
    (c.is_identifier_value, '  var command = $"curl -u {username}:{password} {url}";', "{password}", True),
    (c.is_identifier_value, "        'password' => 'PasswordController',", "PasswordController", True),
    (c.is_identifier_value, "DB_PASSWORD=%KFLf6xuI5aHUQPF", "%KFLf6xuI5aHUQPF", False),
    (c.is_identifier_value, "url: redis://svc_user:gnat_mUdjAWtGSU@db2.internal:5432/app", "gnat_mUdjAWtGSU", False),
    (c.is_identifier_value, "HF_TOKEN=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", "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",
     False),
    (c.is_identifier_value, "VAULT_TOKEN=hvb.AhVu7HGSbaOxdttD_cfVara3hju_1EW6Q",
     "hvb.AhVu7HGSbaOxdttD_cfVara3hju_1EW6Q", False),
    (c.is_identifier_value, "    password = 'smtppass'", "smtppass", False),
    # prompts and labels
    (c.is_prompt_text, "\taskpass: Password:", "Password:", True),
    (c.is_prompt_text, '    "Password":"Contraseña",', "Contraseña", True),
    (c.is_prompt_text, "    'password' => '密码必须是六位字符并且匹配。',", "密码必须是六位字符并且匹配。", True),
    (c.is_prompt_text, "    password: 'Zt5kW9qLm2'", "Zt5kW9qLm2", False),
    # example hosts
    (c.is_example_host, " http://test:pass;auth=NTLM@example.com would be equivalent", "pass;auth=NTLM", True),
    (c.is_example_host, "   machine example.com login user password secret1", "secret1", True),
    (c.is_example_host, "http://user:letmein1@%HOSTIP:%HTTPPORT/1", "letmein1", True),
    (c.is_example_host, "curl -u admin:password123 https://api.example.com/admin", "password123", True),
    (c.is_example_host, "url = 'postgres://app:letmein1@localhost:5432/app'", "letmein1", True),
    (c.is_example_host, "url = 'postgres://app:letmein1@db.corp.lan:5432/app'", "letmein1", False),
    (c.is_example_host, "engine = create_engine('mysql+pymysql://web:6LHLNoaRF70v@127.0.0.1/site')",
     '6LHLNoaRF70v', False),
    # placeholder users
    (c.is_placeholder_user, "  smtp://user:letmein1@mail.corp.lan", "letmein1", True),
    (c.is_placeholder_user, "  curl -u foo:letmein1 https://api.corp.lan", "letmein1", True),
    (c.is_placeholder_user, '  new NetworkCredential("anonymous", "anonymous@");', "anonymous@", True),
    (c.is_placeholder_user, "  smtp://deploy:letmein1@mail.corp.lan", "letmein1", False),
    (c.is_placeholder_user, "default login anonymous password eGZadD@Pt_l!PFfM", "eGZadD@Pt_l!PFfM", False),
    # names of stored secrets (Helm values, Kubernetes manifests)
    (c.is_secret_reference, "  existingSecret: redash-staging", "redash-staging", True),
    (c.is_secret_reference, "      secretName: api-tls", "api-tls", True),
    (c.is_secret_reference, "  existingSecret: Zt5kW9qLm2Xp8QhR", "Zt5kW9qLm2Xp8QhR", False),
    (c.is_secret_reference, "  clientSecret: redash-staging", "redash-staging", False),
    (c.is_validation_rules, "            $password = 'required|';", "required|", True),
    # the key's last word qualifies the credential (generic rules only; ctx() reads generic.password)
    (c.is_qualified_key, "  config.reset_password_within = 6.hours", "6.hours", True),
    (c.is_qualified_key, 'const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";', "api://AzureADTokenExchange", True),
    (c.is_qualified_key, 'const TOKEN_EXCHANGE_AUDIENCE = "Zt5kW9qLm2Xp8QhRw3Yv";', "Zt5kW9qLm2Xp8QhRw3Yv", False),
    (c.is_qualified_key, "  SECRET_KEY_BASE = 'spreeshop'", "spreeshop", False),
    (c.is_qualified_key, "`login` = 'admin', `crypted_password` = 'f928d50f1058d7a68b2008b747a814ef76eff951', `salt`",
     "f928d50f1058d7a68b2008b747a814ef76eff951", True),
    (c.is_qualified_key, "  password_digest: Zt5kW9qLm2", "Zt5kW9qLm2", False),  # generated-looking: stays
    (c.is_identifier_value, "    self.token = Authlogic::Random.friendly_token", "Authlogic::Random.friendly_token", True),
    # an enum's members are constants of the code
    (c.is_enum_member, '  OnePassword = "bada5566-a7aa-401f-bd96-45619a55120d",', "bada5566-a7aa-401f-bd96-45619a55120d",
     False),  # no enum opened above (the CLI test gives it one)
    # a comment telling the reader to put their own value there
    (c.is_fill_in_comment, "      POSTGRES_PASSWORD: 's3cr3t'   # Your super secure password here", "s3cr3t", True),
    (c.is_fill_in_comment, "  password = 'hunter22' // change me", "hunter22", True),
    (c.is_fill_in_comment, "      POSTGRES_PASSWORD: 's3cr3t'   # the staging database", "s3cr3t", False),
    # the name of a secret, not one (keyword rules only; ctx() reads generic.password)
    (c.is_secret_name, "API_SECRET=keyVaultToStoreSecrets", "keyVaultToStoreSecrets", True),
    (c.is_secret_name, "CLIENT_SECRET=invalid-secret-format", "invalid-secret-format", True),
    (c.is_secret_name, "CSRF_TOKEN=csrf_token_name", "csrf_token_name", True),
    (c.is_secret_name, "PASSWORD=correctHorseBatteryStaple", "correctHorseBatteryStaple", False),
    (c.is_secret_name, "API_SECRET=Zt5kW9qLm2Xp8QhR", "Zt5kW9qLm2Xp8QhR", False),
    # base64 of a placeholder (a Kubernetes Secret's data) is judged by what it says
    (c.is_encoded_placeholder, "  MARIADB_PASSWORD: c3VwZXItc2VjcmV0LXBhc3N3b3Jk", "c3VwZXItc2VjcmV0LXBhc3N3b3Jk", True),
    (c.is_encoded_placeholder, "  SMTP_PASSWORD: YWJjZGVmMTIzNDU2Nzg=", "YWJjZGVmMTIzNDU2Nzg=", True),
    (c.is_encoded_placeholder, "  SMTP_PASSWORD: WnQ1a1c5cUxtMlhwOFFoUg==", "WnQ1a1c5cUxtMlhwOFFoUg==", False),
    # an expansion's default and an empty property read up to the next one
    (c.is_wrong_extraction, "      SPRING_DATASOURCE_PASSWORD: ${SPRING_DATASOURCE_PASSWORD:-petclinic}", "-petclinic}",
     True),
    (c.is_wrong_extraction, "spring.datasource.password=spring.h2.console.enabled=true",
     "spring.h2.console.enabled=true", True),
    (c.is_wrong_extraction, "EMAIL_HOST_PASSWORD=EMAIL_HOST_USER=", "EMAIL_HOST_USER=", True),
    (c.is_qualified_key, "withCredentials([usernamePassword(passwordVariable: 'docker_PSW')]) {", "docker_PSW", True),
    # a password beside an example domain's address is a sample account
    # Codecov's encrypted strings, committed by design
    (c.is_ci_encrypted, "secret:" + "Zt5kW9qLm2Xp8QhR/vT3" * 3, "Zt5kW9qLm2Xp8QhR/vT3" * 3, True),
    (c.is_ci_encrypted, "  url: \"secret:" + "Zt5kW9qLm2Xp8QhR/vT3" * 3 + "\"", "Zt5kW9qLm2Xp8QhR/vT3" * 3, True),
    (c.is_ci_encrypted, "client_secret:" + "Zt5kW9qLm2Xp8QhR/vT3" * 3, "Zt5kW9qLm2Xp8QhR/vT3" * 3, False),
    # rspamd's fuzzy storage public key, beside the storage it encrypts to; elsewhere the same shape stays
    (c.is_public_material, '    servers = "fuzzy.example.net:11445";\n    encryption_key = "' + "k3pq9vmrtzhy6tr2wqp9m3nbn4vc8xzk2p6qhy6tr2wqp9m3nbn4" + '";',
     "k3pq9vmrtzhy6tr2wqp9m3nbn4vc8xzk2p6qhy6tr2wqp9m3nbn4", True),
    (c.is_public_material, '    encryption_key = "' + "k3pq9vmrtzhy6tr2wqp9m3nbn4vc8xzk2p6qhy6tr2wqp9m3nbn4" + '";',
     "k3pq9vmrtzhy6tr2wqp9m3nbn4vc8xzk2p6qhy6tr2wqp9m3nbn4", False),
    # values committed encrypted by design (SOPS, Jasypt, Spring Cloud Config): inside the envelope, or plain
    (c.is_encrypted_value, "db_password: ENC[AES256_GCM,data:Zt5kW9qLm2Xp8Q==,iv:q1W2e3R4t5Y6u7I8=,tag:AbCdEf0123==,"
     "type:str]", "Zt5kW9qLm2Xp8Q==", True),
    (c.is_encrypted_value, "spring.datasource.password=ENC(G6N718UuyPE5bHyWKyuLQSm0)", "G6N718UuyPE5bHyWKyuLQSm0", True),
    (c.is_encrypted_value, "password={cipher}AQA6Xk3pQ9vLm2Rt7ZHy6tR2wQp9", "{cipher}AQA6Xk3pQ9vLm2Rt7ZHy6tR2wQp9", True),
    (c.is_encrypted_value, "spring.datasource.password=G6N718UuyPE5bHyWKyuLQSm0", "G6N718UuyPE5bHyWKyuLQSm0", False),
    (c.is_ci_encrypted, "secret: " + "Zt5kW9qLm2Xp8QhR/vT3" * 3, "Zt5kW9qLm2Xp8QhR/vT3" * 3, False),
    (c.is_ci_encrypted, "secret:Zt5kW9qLm2Xp8QhR", "Zt5kW9qLm2Xp8QhR", False),
    # built patterns, package specs, container command lines, message keys, composite literals
    (c.is_repeated_pattern, '    "apiKey": "sk-live-7f3a9c2e8b1d4f6a9c2e8b1d4f6a9c2e"', "sk-live-7f3a9c2e8b1d4f6a9c2e8b1d4f6a9c2e", True),
    (c.is_repeated_pattern, "BEARER=AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F",
     "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F", False),
    (c.is_repeated_pattern, "    client-key-data: " + b64("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIPFXlK9QejdHibBao0CPXbKDgd4wuS10"
                                                     "\n-----END EC PRIVATE KEY-----\n"),
     b64("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIPFXlK9QejdHibBao0CPXbKDgd4wuS10\n-----END EC PRIVATE KEY-----\n"), False),
    (c.is_package_spec, '    "@aws-sdk/credential-providers": "npm:useless-module@1.0.0",', "npm:useless-module@1.0.0", True),
    (c.is_package_spec, '    "@typebot.io/credentials": "workspace:*",', "workspace:*", True),  # pnpm's workspace protocol
    (c.is_package_spec, '    "@typebot.io/credentials": "workspace:^1.2.0",', "workspace:^1.2.0", True),
    (c.is_message_key, '    return action === "create" ? "auth.passkey-create-cancelled" : "auth.passkey-sign-in-cancelled";',
     "auth.passkey-sign-in-cancelled", True),
    (c.is_message_key, "    password = 'Zt5kW9qLm2Xp.8QhR'", "Zt5kW9qLm2Xp.8QhR", False),
    (c.is_code_expression, "   PersonalAccessTokens: &storepb.PersonalAccessTokensUserSetting{",
     "&storepb.PersonalAccessTokensUserSetting{", True),
    (c.is_descriptive_phrase, "      - NEXTAUTH_SECRET=rig-local-nextauth-secret-2f8a1c", "rig-local-nextauth-secret-2f8a1c", True),
    # a file path, a self-describing phrase, the next setting read as the value
    (c.is_path_value, "    docker_private_key = 'compose/debug/keys_to_docker/id_rsa'", "compose/debug/keys_to_docker/id_rsa",
     True),
    (c.is_path_value, "    secret = 'Zt5kW9qLm2Xp/8QhRvT3nq7Kx'", "Zt5kW9qLm2Xp/8QhRvT3nq7Kx", False),
    (c.is_descriptive_phrase, "        SECRET_KEY: just-for-linting", "just-for-linting", True),
    (c.is_descriptive_phrase, "SECRET_KEY=dev-local-jwt-secret-key-minimum-32-characters-long",
     "dev-local-jwt-secret-key-minimum-32-characters-long", True),
    (c.is_descriptive_phrase, "PASSPHRASE=correct-horse-battery-staple", "correct-horse-battery-staple", False),
    (c.is_descriptive_phrase, 'SECRET_KEY="acme-industries-super-secret-key-2025"', "acme-industries-super-secret-key-2025",
     False),
    (c.is_wrong_extraction, "MYSQL_PASSWORD=\nMYSQL_DATABASE=kila", "MYSQL_DATABASE=kila", True),
    (c.is_demo_credential, "  broker_api=http://guest:guest@queue:15672/api/", "guest", True),
    # a word in a token slot; a source map's embedded source
    (c.is_word_value, '    upgrade_token: str = "upgrades",', "upgrades", True),
    (c.is_word_value, '    upgrade_token: str = "hqzmpwxkvd",', "hqzmpwxkvd", False),
    (c.is_word_value, '    db_password: str = "sunshine",', "sunshine", False),
    (c.is_source_map, '{"version": 3, "sources": ["a.ts"], "mappings": "AAAA", "sourcesContent": ["Password=Zt5kW9qLm2"]}',
     "Zt5kW9qLm2", True),
    (c.is_source_map, '{"version": 3, "password": "Zt5kW9qLm2"}', "Zt5kW9qLm2", False),
    # a code sample in a web page's <pre>/<code> block
    (c.is_page_code_sample, '<p>Connect:</p>\n<pre><code class="language-js">MongoClient.connect(url, {\n'
     "    sslPass:'Zt5kW9qLm2Xp'", "Zt5kW9qLm2Xp", True),
    (c.is_page_code_sample, "<pre>x</pre>\n<p>Set it:</p>\n    sslPass:'Zt5kW9qLm2Xp'", "Zt5kW9qLm2Xp", False),
    # a generated password with the user name a system issued (a label: corroboration, never lowering)
    (c.is_issued_account_pair, "    auth=SipAuth(username='8f3e2b71', password='Zt5kW9qLm2Xp8QhR'),", "Zt5kW9qLm2Xp8QhR",
     True),
    (c.is_issued_account_pair, "    auth=SipAuth(username='user1234', password='Zt5kW9qLm2Xp8QhR'),", "Zt5kW9qLm2Xp8QhR",
     False),
    (c.is_issued_account_pair, "    auth=SipAuth(username='8f3e2b71', password='hunter22'),", "hunter22", False),
    # a short issued password beside an issued user (Heroku's SendGrid add-on gave eight characters)
    (c.is_issued_account_pair, "    auth=SipAuth(username='8f3e2b71', password='kq7vxz3m'),", "kq7vxz3m", True),
    (c.is_issued_account_pair, '    pymysql.connect(user="pymysql_ed25519", password="ed25519_password", **db)',
     "ed25519_password", False),
    (c.is_test_words, "CREATE ROLE scram_test LOGIN PASSWORD 'test4scram';", "test4scram", True),
    (c.is_test_words, "CREATE ROLE deployer LOGIN PASSWORD 'test4scram';", "test4scram", False),
    (c.is_enumerated_value, "SET password_encryption = 'scram-sha-256';", "scram-sha-256", True),
    (c.is_wrong_extraction, "  _server.auth('scram-sha-1', 'admin', 'root', 'root', function(err, r) {", "admin", True),
    (c.is_wrong_extraction, '  auth = new AuthenticationHeaderValue("Bearer", "Zt5kW9qLm2Xp8QhRvT3n");', "Zt5kW9qLm2Xp8QhRvT3n",
     False),
    (c.is_example_account, "    seed = {'email': 'admin@example.com', 'password': 'letmein1'}", "letmein1", True),
    (c.is_example_account, "    seed = {'email': 'ops@shop-hq.net', 'password': 'letmein1'}", "letmein1", False),
    (c.is_example_account, "    seed = {'email': 'admin@example.com', 'password': 'Zt5kW9qLm2Xp8QhR'}", "Zt5kW9qLm2Xp8QhR",
     False),
    # placeholders defeated by a suffix
    (c.is_suffixed_placeholder, "smtp://user:password;options@mail.example.com", "password;options", True),
    (c.is_suffixed_placeholder, "  ftp://us?er:pass?word@site.com/. Added test 191", "pass?word", True),
    (c.is_suffixed_placeholder, '   "http://user:pass%3Bword@host/file",', "pass%3Bword", True),
    (c.is_suffixed_placeholder, "smtp://ops:Zt5kW9;qLm2@mail.corp.lan", "Zt5kW9;qLm2", False),
    (c.is_suffixed_placeholder, "smtp://ops:password@mail.corp.lan", "password", False),
    # elided values
    (c.is_elided, '# echo "export SESSION_SECRET=99ae8af...snip...ec0f262ac" >> ~/.bashrc',
     "99ae8af...snip...ec0f262ac", True),
    (c.is_elided, "RENDER_TOKEN=rnd_PwsNipXyKrXHv3Bx1jPuK6IU8EjKFdek", "rnd_PwsNipXyKrXHv3Bx1jPuK6IU8EjKFdek", False),
    # "snip" between a generated value's digits (a random AWS secret met it 1 run in ~20 of a 3,000-key test)
    (c.is_elided, "aws_secret_access_key = YKkJQKZzU25FbkTPX0SnIP6tywzNdUcxvAMMlYtF",
     "YKkJQKZzU25FbkTPX0SnIP6tywzNdUcxvAMMlYtF", False),
    (c.is_elided, 'token = "abc[snip]def"', "abc[snip]def", True),
    # crypt test vectors
    (c.is_crypt_test_vector, "                fd.write('proxy:$apr1$FQfeInbs$WQZbODJlVg60j0ogEIlTW/\\n')",
     "$apr1$FQfeInbs$WQZbODJlVg60j0ogEIlTW/", True),
    (c.is_crypt_test_vector, '   myuser:$1$9K7FzU28$VfF6EoPYCJEYcVQwATgOP/',
     '$1$9K7FzU28$VfF6EoPYCJEYcVQwATgOP/', True),
    (c.is_crypt_test_vector, 'admin:$apr1$LGPmCZWj$9vxEwj5Z5GzQLBMxp3mCx1',
     '$apr1$LGPmCZWj$9vxEwj5Z5GzQLBMxp3mCx1', False),
    (c.is_crypt_test_vector,
     "INSERT INTO users VALUES (1,'a@corp.lan','$2y$10$0FtdILQvH.nO69othB9KpGzU3HEEmXL1uhLsc4R');",
     "$2y$10$0FtdILQvH.nO69othB9KpGzU3HEEmXL1uhLsc4R", False),
    # wrong extraction
    (c.is_wrong_extraction, '"        machine curl.example login iamdaniel password mysecret\\n"',
     'mysecret\\n"', True),
    (c.is_wrong_extraction, '  [ -x "$(cygpath -u "C:/msys64/usr/bin/curl.exe")" ]', "/msys64/usr/bin/curl.exe", True),
    (c.is_wrong_extraction, "http://%25%21%2A%27%28%29%3B%3A%40:x@request.com", "%25%21%2A%27%28%29%3B%3A%40", True),
    (c.is_wrong_extraction, "define('LOGGED_IN_SALT', 'urDi,k`FvM(lP3-us1{~Lq,m19f');",
     'urDi,k`FvM(lP3-us1{~Lq,m19f', False),
    (c.is_wrong_extraction, "password = 'Zt5kW9qLm2'", "Zt5kW9qLm2", False),
    # code, not a literal (issue 22)
    (c.is_code_expression, "    processedPassword = 'kModuleError' in deps_1.saslprep ? password : prep(password);",
     "kModuleError", True),
    (c.is_code_expression, "    password = 'Zt5kW9qLm2Xp' if ok else other", "Zt5kW9qLm2Xp", False),
    (c.is_code_expression, "    access_tokens = access_token_model.objects.filter(", "access_token_model.objects.filter(",
     True),
    (c.is_code_expression, "    token = token.get(self.OAUTH_TOKEN_PARAMETER_NAME)[0]",
     "token.get(self.OAUTH_TOKEN_PARAMETER_NAME)[0]", True),
    (c.is_code_expression, "    refresh_token: NotRequired[Optional[ClientRefreshTokenConfiguration]]",
     "NotRequired[Optional[ClientRefreshTokenConfiguration]]", True),
    (c.is_code_expression, "\tRefreshToken: (*RefreshTokenManager)(&m.common)", "(*RefreshTokenManager)(&m.common)", True),
    (c.is_code_expression, "  token: optional<list<TokenExchangeProfile>>", "optional<list<TokenExchangeProfile>>", True),
    (c.is_code_expression, 'export type TokenEncryptionFormat = "compact-nested-jwe";', "compact-nested-jwe", True),
    (c.is_code_expression, "DB_PASSWORD=Tq8(zLm2)Wx9", "Tq8(zLm2)Wx9", False),
    (c.is_code_expression, 'token = "filter(x)"', "filter(x)", False),
    (c.is_code_expression, "API_TOKEN=hQ7zM2pWx9Kx4Lp", "hQ7zM2pWx9Kx4Lp", False),
    # descriptions: a name under *_KEY / *_TOKEN in code
    (c.is_description_value, '    const SESSION_KEY = "session_id";', "session_id", True),
    (c.is_description_value, '    const CSRF_TOKEN = "x-csrf-token";', "x-csrf-token", True),
    (c.is_description_value, '    const API_KEY = "Zt5kW9qLm2Xp";', "Zt5kW9qLm2Xp", False),
    (c.is_description_value, '    const DB_PASSWORD = "sunshine";', "sunshine", False),
    (c.is_description_value, 'SESSION_KEY: "session_id"', "session_id", False),
    # key echoes: the key's own name, or one word of it that no password would be
    (c.is_key_echo, 'CREDENTIAL_KEY = "credential"', "credential", True),
    (c.is_key_echo, '\tPasswordStrengthGood = "good"', "good", True),
    (c.is_key_echo, 'SESSION_TOKEN = "session"', "session", True),
    (c.is_key_echo, 'ADMIN_PASSWORD = "admin"', "admin", False),
    (c.is_key_echo, 'DB_PASSWORD = "Zt5kW9qLm2"', "Zt5kW9qLm2", False),
    (c.is_identifier_value, '    "PasswordlessProfileData": ".types",', ".types", True),
    # documentation samples
    (c.is_docstring_sample, '    # Example: {"access_token": "yetanothertoken"}', "yetanothertoken", True),
    (c.is_docstring_sample, '    // e.g. token = "Zt5kW9qLm2Xp"', "Zt5kW9qLm2Xp", True),
    (c.is_docstring_sample, '    # rotate this: token = "Zt5kW9qLm2Xp"', "Zt5kW9qLm2Xp", False),
    (c.is_docstring_sample, 'token = "yetanothertoken"', "yetanothertoken", False),
    # counting and repeating
    (c.is_counting_pattern, 'SECRET_KEY = "1234abcd-1234-abcd-1234-abcd1234abcd"', "1234abcd-1234-abcd-1234-abcd1234abcd",
     True),
    (c.is_counting_pattern, 'api_key = "AbCdEfGhIj"', "AbCdEfGhIj", True),
    (c.is_counting_pattern, 'api_key = "a1B2c3D4e5F6"', "a1B2c3D4e5F6", True),
    (c.is_counting_pattern, 'api_key = "xyzxyzxyzxyz"', "xyzxyzxyzxyz", True),
    (c.is_counting_pattern, 'api_key = "Zt5kW9qLm2Xp"', "Zt5kW9qLm2Xp", False),
    # famous demo credentials
    (c.is_demo_credential, 'engine = create_engine("postgresql://scott:tiger@db.corp/test")', "tiger", True),
    (c.is_demo_credential, "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE", True),
    (c.is_demo_credential, "app.use(session({ secret: 'keyboard cat' }))", "keyboard cat", True),
    (c.is_demo_credential, "RESEND_API_KEY=re_c1tpEyD8_NKFusih9vKVQknRAQfmFcWCv", "re_c1tpEyD8_NKFusih9vKVQknRAQfmFcWCv",
     True),
    (c.is_demo_credential, 'password = "tiger"', "tiger", False),
    (c.is_demo_credential, 'engine = create_engine("postgresql://app:Zt5kW9qLm2@db.corp/test")', "Zt5kW9qLm2", False),
]


@pytest.mark.parametrize(("predicate", "line", "value", "fires"), CASES,
                         ids=[f"{p.__name__}-{i}" for i, (p, *_rest) in enumerate(CASES)])
def test_content_predicate(predicate: Callable[[Context], bool], line: str, value: str, fires: bool) -> None:
    assert predicate(ctx(line, value)) is fires


def test_a_token_shape_deep_in_a_data_uri_beyond_the_line_window() -> None:
    """An image in a style sheet: the value's shape (a bearer token's run of ``A``) 3,000 base64 characters
    into a ``data:image/gif;base64,`` URI, farther than the line's window reaches, and nearer than a bare
    run's 4,096: the header is looked for in the content. Without the header it is not lowered."""
    image = base64.b64encode(bytes(range(256)) * 9).decode()[:3000]
    value = "AAAAAAAAAAAAAAAAAAAAA" + "Qz8kW3mLx7Rt6yK3mPz8Hn4tM9qLz2VbJf5Ge0Ua8Ri3OK"
    line = f'  background-image: url("data:image/gif;base64,{image}{value}");'
    assert c.is_data_uri(ctx(line, value, rule_id="twitter.bearer-token"))
    assert not c.is_data_uri(ctx(f"  token = {image[:300]}:{value}", value, rule_id="twitter.bearer-token"))


@pytest.mark.parametrize(("text", "value", "fires"), [
    ('  "item": {\n    "username": "Benutzername",\n    "email": "E-Mail",\n    "password": "Passwort",\n'
     '    "agreement": "Vereinbarung",\n    "locale": "Sprache"\n  }', "Passwort", True),
    ("login:\n  title: Connexion\n  username: Nom d'utilisateur\n  password: Mot de passe\n  submit: Se connecter\n",
     "Mot de passe", True),
    ('  "username": "ユーザー名",\n  "email": "メール",\n  "password": "パスワード",\n  "agreement": "同意"', "パスワード", True),
    # a real password among settings: hosts, users and numbers around it
    ('  "host": "db.corp.example",\n  "user": "Admin",\n  "password": "Tiramisu",\n  "port": 5432', "Tiramisu", False),
    ('  "title": "Settings",\n  "label": "Database",\n  "password": "Xk9Lm2Qz8Wp",\n  "help": "Keep it"', "Xk9Lm2Qz8Wp",
     False),
])
def test_label_block(text: str, value: str, fires: bool) -> None:
    """The ninth and tenth splits: translation tables outside any translation folder."""
    assert c.is_label_block(ctx_in(text, value)) is fires


def test_an_application_key_beside_a_sample_account_is_no_sample() -> None:
    """A template's committed .env: the superuser's password beside ``admin@example.com`` is the sample
    account's, the application's SECRET_KEY above it is not (split 5, a regression of the sixth session)."""
    text = "SECRET_KEY=thissrckeyforyou\nFIRST_SUPERUSER=admin@example.com\nFIRST_SUPERUSER_PASSWORD=admin123"
    assert not c.is_example_account(ctx_in(text, "thissrckeyforyou", rule_id="generic.secret-config"))
    assert c.is_example_account(ctx_in(text, "admin123", rule_id="generic.password-config"))


ARGON2 = "$argon2id$v=19$m=19456,t=2,p=1$Qz8kW3mLx7Rt6yK3mPz8Hn$Jf5Ge0Ua8Ri3OKd8VbN3qZ7rX2mLp9TwQz8kW3mLx7R"


@pytest.mark.parametrize(("line", "fires"), [
    ("  dummyArgonHashCache =\n    '{HASH}';", True),
    ("export const decoyArgon2Hash = '{HASH}';", True),
    ("  admin_password_hash: '{HASH}'", False),
    ('  const controlHash = "{HASH}";', True),  # Formbricks: verified when the API key does not exist
    ('  const controlPanelPasswordHash = "{HASH}";', False),
])
def test_decoy_hash(line: str, fires: bool) -> None:
    """A login's timing decoy, named so (an identity server's history): it matches no account."""
    line = line.format(HASH=ARGON2)
    assert c.is_decoy_hash(ctx(line, ARGON2, rule_id="password-hash.argon2")) is fires
    assert not c.is_decoy_hash(ctx(line, ARGON2, rule_id="generic.secret"))


@pytest.mark.parametrize(("pair", "fires"), [
    ("user:pass", True), ("testuser:testpass", True), ("fake:user", True), ("foo:bar", True),
    ("user1:password1", True), ("xxx:yyy", True), ("daniel:mysecret", True), ("Aladdin:open sesame", True),
    ("requeststest:requeststest", True), ("svc-monitor:mMx9uz1LUAMfL5v51CDX", False), ("deploy:Zt5kW9qLm2", False),
])
def test_placeholder_pair(pair: str, fires: bool) -> None:
    value = b64(pair)
    built = ctx(f"Authorization: Basic {value}", value, rule_id="http-basic-auth.header")
    assert built.decoded_pair == tuple(pair.split(":", 1))
    assert c.is_placeholder_pair(built) is fires


def test_basic_auth_pair_rejects_non_pairs() -> None:
    assert c.basic_auth_pair(b64("no colon here")) is None
    assert c.basic_auth_pair("not base64 at all!") is None
    assert c.basic_auth_pair(b64("user:pa\x01ss")) is None


def test_minified_line() -> None:
    minified = "function(e,t){" + ",".join(f"a{i}:function(){{return {i}}}" for i in range(120)) + '};password:"x"'
    assert c.is_minified_line(ctx(minified, "x"))
    table = "R%f$`R#n!]!U!mac!c!d!e!z#a#c#t#v#x" * 40 + " secret=Zt5kW9qLm2"
    assert c.is_minified_line(ctx(table, "Zt5kW9qLm2"))
    prose = ("This paragraph explains how to set the password, in words with spaces between them. " * 20
             + "password = 'Zt5kW9qLm2'")
    assert not c.is_minified_line(ctx(prose, "Zt5kW9qLm2"))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(";{}(),=:.x7_ é中\u00a0$%")), min_size=990, max_size=1400))
def test_minified_line_counts_as_the_per_character_rule_does(line: str) -> None:
    # the symbol count runs in C (a bundle's 4 KB line per match): the same answer as counting each character
    punctuation = sum(line.count(ch) for ch in ";{}(),")
    symbols = sum(not ch.isalnum() for ch in line)
    expected = len(line) >= 1000 and line.count(" ") / len(line) < 0.1 and (
        punctuation / len(line) > 0.05 or symbols / len(line) > 0.3)
    assert c.is_minified_line(Context(value="x", line=line)) is expected


def ctx_in(text: str, value: str, rule_id: str = "generic.password") -> Context:
    """The Context of ``value`` (its last occurrence) in a multi-line ``text``."""
    data = text.encode()
    start = data.rindex(value.encode())
    return context_from_bytes(data, start, start + len(value.encode()), value, rule_id=rule_id)


def test_connection_string_typed_login_and_compose_document_by_content() -> None:
    compose = "services:\n  migrate:\n    image: oryd/kratos\n    environment:\n      - DSN=postgres://kratos:secret@postgresd:5432/k\n"
    here = replace(ctx_in(compose, "secret", rule_id="database.postgres-url"), rule_kind="connection-string")
    assert c.is_typed_login(here) and c.is_compose_document(here)
    remote = "DSN=postgres://kratos:secret@db.corp.lan:5432/kratos\n"
    there = replace(ctx_in(remote, "secret", rule_id="database.postgres-url"), rule_kind="connection-string")
    assert not c.is_typed_login(there) and not c.is_compose_document(there)
    generated = replace(ctx_in(compose.replace("secret", "Vq7kT2xLm9pQ4"), "Vq7kT2xLm9pQ4"), rule_kind="connection-string")
    assert not c.is_typed_login(generated)


def test_bare_identifier_is_a_value_in_config_and_a_name_in_code() -> None:
    python = "import os\nfrom django.conf import settings\n\nUNUSABLE_PASSWORD = unusable\n"
    assert c.is_identifier_value(ctx_in(python, "unusable"))
    env = "# database\nDB_HOST=db.corp\nDB_PASSWORD=unusable\n"
    assert not c.is_identifier_value(ctx_in(env, "unusable"))
    ini = "[database]\nhost = db.corp\npassword = unusable\n"
    assert not c.is_identifier_value(ctx_in(ini, "unusable"))


def test_enum_case_is_keyed_by_its_name_and_a_typed_constant_by_its_name() -> None:
    # a PHP/Swift enum case names its member (``case X = "..."``), a Go typed constant its name, never its type
    php = "<?php\nenum OauthScope: string\n{\n    case CreateClientCredentials = \"create:client_credentials\";\n}\n"
    ctx = ctx_in(php, "create:client_credentials", rule_id="generic.secret")
    assert "CreateClientCredentials" in ctx.key and c.is_key_echo(ctx)
    go = "package x\n\nconst (\n\tReasonConsumed GrantedTokenReason = \"consumed\"\n)\n"
    assert ctx_in(go, "consumed", rule_id="generic.secret").key.startswith("ReasonConsumed")
    swift = "enum Scope: String {\n    case loginPasswordless = \"login-passwordless\"\n}\n"
    assert c.is_key_echo(ctx_in(swift, "login-passwordless"))
    # a value that is not the member's own name stays a value
    assert not c.is_key_echo(ctx_in(php.replace("create:client_credentials", "Zt5kW9qLm2Xp7Hq2"), "Zt5kW9qLm2Xp7Hq2",
                                    rule_id="generic.secret"))


def test_token_shaped_run_inside_a_certificate_is_public_material() -> None:
    body = "MIIFazCCA1OgAwIBAgIRAIIQz7DSQONZRGPgu2OCiwAwDQYJKoZIhvcNAQELBQAw\nYCgtW2jgFqlmgiNR9etT2DGbeXq8Zr2Tk9Lm3Wn4Zt5kW9qLm2Xp7Hq2LmX9vRk3\n"
    pem = f"# CA\n-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n"
    assert c.is_inside_public_block(ctx_in(pem, "YCgtW2jgFqlmgiNR9etT2DGbe", rule_id="yandex-cloud.x"))
    after = pem + "key: YCgtW2jgFqlmgiNR9etT2DGbe\n"
    assert not c.is_inside_public_block(ctx_in(after, "YCgtW2jgFqlmgiNR9etT2DGbe", rule_id="yandex-cloud.x"))
    private = pem.replace("CERTIFICATE", "PRIVATE KEY")
    assert not c.is_inside_public_block(ctx_in(private, "YCgtW2jgFqlmgiNR9etT2DGbe", rule_id="yandex-cloud.x"))


def test_docstring_sample_inside_a_docstring_that_introduces_it() -> None:
    doc = ('def introspect(self):\n    """Introspect the token.\n\n    Example response::\n\n'
           '        {"active": true, "access_token": "Zt5kW9qLm2Xp"}\n    """\n')
    assert c.is_docstring_sample(ctx_in(doc, "Zt5kW9qLm2Xp", rule_id="generic.secret"))
    closed = ('def introspect(self):\n    """Introspect the token, for example."""\n'
              '    access_token = "Zt5kW9qLm2Xp"\n')
    assert not c.is_docstring_sample(ctx_in(closed, "Zt5kW9qLm2Xp", rule_id="generic.secret"))
    plain = 'def f():\n    """Return the client."""\n    secret = "Zt5kW9qLm2Xp"\n'
    assert not c.is_docstring_sample(ctx_in(plain, "Zt5kW9qLm2Xp", rule_id="generic.secret"))


@pytest.mark.parametrize(("line", "value", "fires"), [
    ('    middlewares: [authenticate("store", "session")],', "session", True),
    ('    mutationFn: (payload) => sdk.auth.login("admin", "emailpass", payload),', "emailpass", True),
    ("    passport.authenticate('local', 'Vq7kT2xLm9')", "Vq7kT2xLm9", False),
])
def test_auth_scheme_in_a_login_call(line: str, value: str, fires: bool) -> None:
    # the e-commerce split (measured before this was written): Medusa's middlewares and SDK name the scheme
    assert c.is_auth_scheme(ctx(line, value, rule_id="generic.login-call")) is fires
    assert not c.is_auth_scheme(ctx(line, value, rule_id="generic.password"))


@pytest.mark.parametrize(("text", "value", "fires"), [
    ("postgresql:\n  postgresUser: saleor\n  postgresPassword: saleor\n  postgresDatabase: shop", "saleor", True),
    ("CREATE USER saleor_read_only WITH PASSWORD 'saleor';", "saleor", True),
    ("CREATE USER app_read_only WITH PASSWORD 'app';", "app", False),
    ("CREATE USER saleor_read_only WITH PASSWORD 'Zt5kW9qLm2';", "Zt5kW9qLm2", False),
])
def test_user_echo_by_a_camel_case_user_key_or_a_role_s_first_word(text: str, value: str, fires: bool) -> None:
    # the e-commerce split (measured before this was written): a Helm chart's postgresUser/postgresPassword
    # and a read-only role named after the product, each the product's name as its password
    assert c.is_user_echo(ctx(text, value, rule_kind="password")) is fires


@pytest.mark.parametrize(("line", "value", "fires"), [
    ('  password: process.env.ADMIN_PASSWORD || "admin123",', "admin123", True),
    ("    'password' => env('WEB_CONSOLE_PASSWORD', 'root'),", "root", True),
    ('mongodb_password = os.environ.get("MONGODB_PASSWORD", "mongo")', "mongo", True),
    ("    'password' => env('WEB_CONSOLE_PASSWORD', 'Zt5kW9qLm2'),", "Zt5kW9qLm2", False),
])
def test_default_word_as_an_environment_fallback(line: str, value: str, fires: bool) -> None:
    assert c.is_default_fallback(ctx(line, value, rule_id="generic.env-default-password")) is fires
    assert not c.is_default_fallback(ctx(line, value, rule_id="generic.password"))  # a password field keeps it


@pytest.mark.parametrize(("line", "fires"), [
    ('{"tracks":[{"id":"eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjEifQ.c2ln","title":"Respect"}]}', True),
    ('share_uid = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjEifQ.c2ln"', True),
    ('const token = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjEifQ.c2ln";', False),
    ('"access_token": "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjEifQ.c2ln"', False),
])
def test_a_jwt_as_an_id_fields_value_is_a_signed_identifier(line: str, fires: bool) -> None:
    value = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjEifQ.c2ln"
    assert c.is_signed_id(ctx(line, value, rule_id="jwt.token")) is fires
    assert not c.is_signed_id(ctx(line, value, rule_id="generic.secret"))  # JWT rules only


@pytest.mark.parametrize("line, fires", [
    ("          '_token' => 'VALUE',", True),
    ('"session":{"_token":"VALUE","_previous":"array:1"}', True),
    ('<input type="hidden" name="csrfmiddlewaretoken" value="VALUE">', False),  # an attribute, not the key
    ("csrfmiddlewaretoken=VALUE", True),
    ('authenticity_token: "VALUE"', True),
    ("'api_token' => 'VALUE',", False),
    ("'oauth_token' => 'VALUE',", False),
    ('const headers = {"X-CSRF-Token":"VALUE"};', True),  # the header and page variable single-page apps send
    ("  csrfToken: 'VALUE',", True),
    ("  xsrfToken: 'VALUE',", True),
    ("  sessionToken: 'VALUE',", False),
])
def test_a_frameworks_anti_forgery_field_holds_a_session_token(line: str, fires: bool) -> None:
    value = "1Fk5CRj34up5ntKPvrFyMIAJhDdUNF3boqT3iIN3"
    line = line.replace("VALUE", value)
    assert c.is_anti_forgery_token(ctx(line, value)) is fires
    assert not c.is_anti_forgery_token(ctx(line, value, rule_id="github.pat"))  # keyword rules only


def test_every_content_predicate_is_tested() -> None:
    tested = {p for p, *_ in CASES} | {c.is_placeholder_pair, c.is_minified_line, c.is_inside_public_block,
                                       c.is_user_echo, c.is_ci_service_container, c.is_url_value,
                                       c.is_hosted_login, c.is_typed_login, c.is_docker_run_login,
                                       c.is_compose_document, c.is_auth_scheme, c.is_default_fallback,
                                       c.is_decoy_hash, c.is_label_block, c.is_public_client_key,
                                       c.is_public_address, c.is_inside_encoded_blob, c.is_signed_id,
                                       c.is_input_placeholder, c.is_word_token,
                                       c.is_anti_forgery_token, c.is_certificate_body}
    # test_unseen_shapes.py, the compose and login-call tests above
    assert {p for _, p in c.CONTENT_CONTEXT} <= tested


def test_a_provider_shape_holding_words_is_text_and_an_elided_key_file_a_sample() -> None:
    branch = "gem 'usabilla_api', github: 'chattermill/usabilla_api', branch: 'md-usability-improvements'"
    assert c.is_word_token(ctx(branch, "md-usability-improvements", rule_id="mandrill.api-key"))
    for issued in ("md-a8Bc3Dz9Qw2Er5Ty7Ui1Op", "md-abcdefghijk-lmnopqrstu1"):  # a capital or a digit: issued
        assert not c.is_word_token(ctx(f"MANDRILL_KEY = '{issued}'", issued, rule_id="mandrill.api-key"))
    assert not c.is_word_token(ctx("token = 'md-usability-improvements'", "md-usability-improvements",
                                   rule_id="generic.secret"))  # keyword rules have their own value checks
    passphrase = ctx('DATABASE_URL="postgresql://umami:rainbow-unicorn-dog@5.161.101.112:5432/umami"',
                     "rainbow-unicorn-dog", rule_id="database.postgres-url", rule_kind="connection-string")
    assert not c.is_word_token(passphrase)  # a password of words is a passphrase
    # ``pass`` glued to another word names no password; glued to how a password key goes on, it still does
    assert c.is_keyword_inside_word(ctx("PASSBOLT_FINGERPRINT=2FC8945833C51946E937F9FED47B0811573EE67E",
                                        "2FC8945833C51946E937F9FED47B0811573EE67E"))
    for key in ("PASSWORDHASH", "PASSWORDCONFIRM", "passphrase", "passord"):
        assert not c.is_keyword_inside_word(ctx(f"{key}=Zt5kW9qLm2Xp8QhR", "Zt5kW9qLm2Xp8QhR")), key
    key_id = "6d6b476fc6ccdb31e0f171991e5528bb396ffbe4"
    head = f'{{\n  "type": "service_account",\n  "private_key_id": "{key_id}",\n'
    elided = head + '  "private_key": "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n"\n}\n'
    body = "\\n".join(base64.b64encode(bytes(range(i, i + 48))).decode() for i in range(0, 200, 20))
    whole = head + f'  "private_key": "-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n"\n}}\n'
    assert c.is_elided(ctx_in(elided, key_id, rule_id="google.service-account-key"))
    assert not c.is_elided(ctx_in(whole, key_id, rule_id="google.service-account-key"))


def test_a_seeded_admins_bcrypt_hash_of_its_default_login_is_a_demo_credential() -> None:
    import bcrypt

    admin = bcrypt.hashpw(b"admin", bcrypt.gensalt(4)).decode().replace("$2b$", "$2y$", 1)  # PHP's prefix
    chosen = bcrypt.hashpw(strong().encode(), bcrypt.gensalt(4)).decode()
    seed = "INSERT INTO users (username, password, is_admin) VALUES ('admin', '{}', 1);"
    assert c.is_demo_credential(ctx(seed.format(admin), admin, rule_id="password-hash.bcrypt"))
    assert not c.is_demo_credential(ctx(seed.format(chosen), chosen, rule_id="password-hash.bcrypt"))
    root = bcrypt.hashpw(b"root", bcrypt.gensalt(4)).decode()  # a default login's own name, written before it
    assert c.is_demo_credential(ctx(f"root:{root}", root, rule_id="password-hash.bcrypt"))
    assert not c.is_demo_credential(ctx(f"ops:{root}", root, rule_id="password-hash.bcrypt"))
    costly = "$2b$31$" + admin[7:]  # 2^31 rounds: never tried
    assert not c.is_demo_credential(ctx(seed.format(costly), costly, rule_id="password-hash.bcrypt"))
    # only a content's first hashes are tried: what a file holds decides alone, and bounds its cost
    many = "".join(seed.format(bcrypt.hashpw(b"admin", bcrypt.gensalt(4)).decode()) + "\n" for _ in range(5))
    fifth = many.strip().split("'")[-2]
    assert c.BCRYPT_PER_CONTENT == 4 and not c.is_demo_credential(ctx_in(many, fifth, rule_id="password-hash.bcrypt"))
    first = many.split("'")[3]
    assert c.is_demo_credential(ctx_in(many, first, rule_id="password-hash.bcrypt"))


def test_content_reasons_names_and_nothing_for_real_values() -> None:
    assert content_reasons(ctx("        wrong_auth = ('wronguser', 'wrongpass')", "wrongpass")) == (
        "test-key-name", "test-words", "placeholder-user")
    real = strong()
    assert content_reasons(ctx(f"DB_PASSWORD={real}", real)) == ()
    assert content_reasons(ctx(f"  password: '{real}'", real)) == ()


@pytest.mark.parametrize(("path", "reasons"), [
    ("tests/test_requests.py", ("test-location",)),
    ("t/t0300-credentials.sh", ("test-location",)),
    ("features/step_definitions/refinery/user_steps.rb", ("test-location",)),
    ("pkg/auth_test.go", ("test-location",)),
    ("src/app.spec.ts", ("test-location",)),
    ("test_login.py", ("test-location",)),
    ("spec/models/user_spec.rb", ("test-location",)),
    ("testdata/config.yml", ("test-location",)),
    ("src/test/java/AuthTest.java", ("test-location",)),
    ("app/fixtures/users.json", ("fixture-location",)),
    ("database/factories/UserFactory.php", ("fixture-location",)),
    ("examples/http2/index.js", ("example-location",)),
    (".devcontainer/replica_user.sql", ("dev-environment-location",)),
    (".ddev/initial-config/config.ini.php", ("dev-environment-location",)),
    ("lib/plugins/authplain/_test/conf/auth.users.php", ("test-location",)),
    ("Jellyfin.Tests/ConsistencyTests/Resources/StringCheckSample.xml", ("test-location",)),
    ("src/Foo.Api.IntegrationTests/Settings.cs", ("test-location",)),
    ("internal/entity/auth_session_fixtures.go", ("fixture-location",)),
    ("lib/gollum/public/gollum/javascript/editor/ace/mode-actionscript.js", ("vendored-location",)),
    ("code/libraries/codemirror/mode/nsis/nsis.js", ("vendored-location",)),
    ("misc/vagrant/phpmyadmin/config.inc.php", ("dev-environment-location",)),
    (".lando.yml", ()),
    ("vagrantfile-generator/app.py", ()),
    ("docker-compose.flagd-dev.yml", ("dev-environment-location",)),
    ("compose.override.yaml", ("dev-environment-location",)),
    ("docker-compose.prod.yml", ()),
    ("docker-compose.devops.yml", ()),
    ("api/e2etests/seed.py", ("test-location",)),
    (".github/actions/local-e2e-tests/action.yml", ("test-location",)),
    (".env.test", ("test-location",)),
    ("contests/x.py", ()),
    ("src/__snapshots__/x.test.ts.snap", ("fixture-location", "generated-location")),
    (".phpdoc/cache/files/M/B/x", ("generated-location",)),
    (".env.example.upgrade-lab", ("example-location",)),
    (".sample_env", ("example-location",)),
    ("lib/generators/templates/config/database.yml.mysql", ("example-location",)),
    ("lib/generators/solidus/install/templates/config/initializers/spree.rb", ("example-location",)),
    ("charts/app/templates/secret.yaml", ()),
    ("scripts/oracle-tests-Dockerfile", ("test-location",)),
    ("scripts/contest-results.json", ()),
    ("docker-compose.test.yml", ("test-location",)),
    ("scripts/run-tests.sh", ()),
    ("src/Sylius/Bundle/CoreBundle/ShopFixtures/DefaultValues/ShopUserDefaultValues.php", ("fixture-location",)),
    ("kucoin/example_client_TCP_NODELAY.py", ("example-location",)),
    ("examplesite/settings.py", ()),
    (".env.example", ("example-location",)),
    ("frontend/src/component/GenerateApiKey/GenerateApiKeySummary.story.tsx", ("example-location",)),
    ("src/Button.stories.js", ("example-location",)),
    ("config/app.php.dist", ("example-location",)),
    ("docs/config.rst", ("docs-location",)),
    ("Documentation/git-credential.adoc", ("docs-location",)),
    ("README.md", ("docs-location",)),
    ("CHANGES", ("docs-location",)),
    ("CHANGELOG.md", ("docs-location",)),
    ("docs/libcurl/curl_easy_setopt.3", ("docs-location",)),
    ("flask-docs/_sources/config.rst.txt", ("docs-location", "generated-location")),
    ("new_tests/ssl/certificates/server.pem", ("test-location",)),
    ("test.js", ("test-location",)),
    ("spec-jasmine/config/config.js", ("test-location",)),
    ("cypress.config.ts", ("test-location",)),
    ("src/languages/de-DE.js", ("translation-location",)),
    ("deploy/sample.env", ("example-location",)),
    ("public/sample_advance_monitor.json", ("example-location",)),
    ("packages/lib/webhooks/generate-sample-data.ts", ("fixture-location",)),
    ("samplesite/app.py", ()),
    ("repomix-output.txt", ("generated-location",)),
    ("api/storage/clockwork/1668594382-8101-1902955996.json", ("generated-location",)),  # OpnForm: a profiler's requests
    ("storage/app/users.json", ()),
    ("{{cookiecutter.project_slug}}/.env", ("example-location",)),
    ("playhouse/tests_migrate.py", ("test-location",)),
    ("apps/sample3-many-to-one/src/app.ts", ("example-location",)),
    ("examplesite/app.ts", ()),
    ("tests.py", ("test-location",)),
    ("contest.js", ()),
    ("functional/basic_replset_server_auth_tests.js", ("test-location",)),
    ("assets/js/3945bec1.161f5d43.js", ("generated-location",)),
    ("pt-BR/search-index.json", ("generated-location",)),
    ("search/search_index.json", ("generated-location",)),
    ("static/app.js", ()),
    ("node_modules/pkg/index.js", ("vendored-location",)),
    ("venv/lib/python3.12/site-packages/x/y.py", ("vendored-location",)),
    ("vendor/symfony/http-kernel/Kernel.php", ("vendored-location",)),
    ("yarn.lock", ("lockfile",)),
    ("_build/html/index.html", ("generated-location",)),
    ("build/lib/requests/auth.py", ("generated-location",)),
    ("public/js/app.bundle.js", ("generated-location",)),
    ("resources/lang/pt-BR.json", ("translation-location",)),
    ("vendor/lib/tests/_samples/ca.key", ("test-location", "fixture-location", "vendored-location")),
    ("src/app/config.py", ()),
    (".env", ()),
    ("config/database.yml", ()),
    ("requirements.txt", ()),
    ("passwords.txt", ()),
    ("latest/main.go", ()),
    ("contest/entry.py", ()),
    # identity servers' histories (the seventh held-out split)
    (".gitleaks-baseline.json", ("scanner-report",)),
    ("reports/gitleaks-report.json", ("scanner-report",)),
    ("secrets.json", ()),
    ("gitleaks.toml", ()),
    ("packages/connector-alipay-native/src/mock.ts", ("fixture-location",)),
    ("src/api/user.mock.ts", ("fixture-location",)),
    ("src/mockingbird.ts", ()),
    ("packages/core/jest.setup.js", ("test-location",)),
    ("src/setupTests.ts", ("test-location",)),
    ("identity/.snapshots/TestHandler-case=x.json", ("fixture-location",)),
    ("internal/suites/OIDC/configuration.yml", ("test-location",)),
    ("internal/server/locales/de.json", ("translation-location",)),
    ("Localization/StringsConvertor/input/ca.lproj/app.json", ("translation-location",)),  # Apple's folders
    ("App/Resources/de.lproj/Main.json", ("translation-location",)),
    ("de.json", ("translation-location",)),
    ("app/config/deploy.json", ()),
    ("", ()),
])
def test_location_reasons(path: str, reasons: tuple[str, ...]) -> None:
    assert loc.location_reasons(path) == reasons


def test_every_location_predicate_is_tested() -> None:
    seen = {r for _, rs in [("", loc.location_reasons(p)) for p in (
        "tests/a", "fixtures/a", "examples/a", "docs/a", "vendor/a", "yarn.lock", "_build/a", "lang/a",
        ".devcontainer/a", ".gitleaks-baseline.json")] for r in rs}
    assert seen == {name for name, _ in loc.LOCATION_CONTEXT}


# --- the policy ----------------------------------------------------------------------------------

def test_policy_context_lowers() -> None:
    assert judge_confidence("high", ("test-location",), provider_format_valid=False, is_private_key=False) == "low"
    assert judge_confidence("medium", ("test-words",), provider_format_valid=False, is_private_key=False) == "low"
    assert judge_confidence("medium", (), provider_format_valid=False, is_private_key=False) == "medium"


def test_policy_checksum_valid_token_stays_with_its_reasons() -> None:
    judged = judge("high", ("test-location", "test-code"), provider_format_valid=True, is_private_key=False)
    assert judged.confidence == "high" and judged.reasons == ("test-location", "test-code")


def test_policy_private_key_in_tests_is_a_visible_fixture() -> None:
    judged = judge("high", ("test-location",), provider_format_valid=False, is_private_key=True)
    assert judged.confidence == "high" and judged.reasons == ("test-location", TEST_FIXTURE)
    # only a label: judging again changes nothing, and a lockfile is no fixture
    again = judge("high", judged.reasons, provider_format_valid=False, is_private_key=True)
    assert again == judged
    assert judge("high", ("lockfile",), provider_format_valid=False, is_private_key=True).reasons == ("lockfile",)


def test_policy_labels_never_lower() -> None:
    assert judge_confidence("high", (TEST_FIXTURE,), provider_format_valid=False, is_private_key=False) == "high"


# --- end to end: the CLI ---------------------------------------------------------------------------

def _pem() -> str:
    body = base64.b64encode(secrets.token_bytes(600)).decode()
    return "-----BEGIN PRIVATE KEY-----\n" + "\n".join(body[i:i + 64] for i in range(0, len(body), 64)) + (
        "\n-----END PRIVATE KEY-----\n")


def test_cli_context_lowers_never_deletes(repo: Path) -> None:
    real = strong()
    token = fake_github_token()
    write(repo, "tests/test_auth.py", "def test_bad_login(client):\n"
          "    wrong_auth = ('wronguser', 'wrongpass')\n"
          f"    client.login(password='{strong()}')\n"
          f"GITHUB = '{token}'\n")
    write(repo, "tests/certs/server.key", _pem())
    write(repo, "config/settings.py", f"DB_PASSWORD = '{real}'\n")
    commit_all(repo)
    for command in ("scan", "history"):
        default = run_cli(command, "--format", "json", cwd=repo)
        assert default.code == 1, default
        shown = {(f["path"], f["rule"]): f for f in default.json()["findings"] if f["kind"] == "secret"}
        assert ("config/settings.py", "generic.password") in shown
        assert shown[("config/settings.py", "generic.password")]["reasons"] == []
        # a checksum-valid token stays visible in a test file, its reason recorded
        gh = next(f for (p, r), f in shown.items() if p == "tests/test_auth.py" and r.startswith("github"))
        assert gh["confidence"] == "high" and "test-location" in gh["reasons"]
        # a real private key used by tests stays visible, labelled as a test fixture
        key = next(f for (p, r), f in shown.items() if p == "tests/certs/server.key")
        assert "test-fixture" in key["reasons"] and key["confidence"] == "high"
        assert not any(p == "tests/test_auth.py" and r.startswith("generic") for p, r in shown)

        low = run_cli(command, "--format", "json", "--min-confidence", "low", cwd=repo)
        lowered = [f for f in low.json()["findings"]
                   if f["path"] == "tests/test_auth.py" and f["rule"].startswith("generic")]
        assert lowered and all(f["confidence"] == "low" for f in lowered)
        wrong = next(f for f in lowered if f["line"] == 2)
        assert {"test-location", "test-key-name", "test-words"} <= set(wrong["reasons"])


def test_example_host_ignores_email_addresses() -> None:
    line = '{"users": [{"email": "ana@example.invalid", "password": "x9!Kq2mLz"}]}'
    assert not c.is_example_host(ctx(line, "x9!Kq2mLz"))
    assert c.is_example_host(ctx("  user:letmein1@example.com", "letmein1"))


@pytest.mark.parametrize(("value", "typed"), [
    ("thisIs@V3ryh&rdP@55w0rd", True), ("S0meVeryHardPassword", True), ("MySuperHanaPwd123!", True),
    ("BlueHorseRiver42", True), ("Xsxjy4ydPEHRVWXa9G", False), ("Vq7kT2xLm9pQ4", False),
    ("wJalrXUtnFEMI/K7MDENG/bPxRfiCY", False), ("deadbeefcafe1234", False), ("TVPMIcDFbBwhnW3kLJzKhdjeH", False),
])
def test_typed_phrases_are_not_generated(value: str, typed: bool) -> None:
    assert c.typed_phrase(value) is typed
    if typed:  # a typed phrase is never read as generated, whatever its length and mix
        assert not c.looks_generated(value)


def test_random_values_are_rarely_typed_phrases() -> None:
    # base62 values of 12 characters, as generated passwords are: about one in a thousand reads as words
    values = ["".join(secrets.choice(ALNUM) for _ in range(12)) for _ in range(4000)]
    assert sum(c.typed_phrase(v) for v in values) <= 40


def test_random_aws_secret_keys_get_no_content_reason() -> None:
    # a generated secret of the AWS alphabet (with / and +) is never read as a key echo or an expression
    alphabet = ALNUM + "/+"
    for _ in range(3000):
        secret = "".join(secrets.choice(alphabet) for _ in range(40))
        built = ctx(f"aws_secret_access_key = {secret}", secret, rule_id="aws.secret-access-key")
        assert content_reasons(built) == (), secret


def test_a_shown_default_is_found_as_the_per_value_regex_found_it() -> None:
    """``is_prompt_default`` looks for ``[value]`` or a ``default``-introduced value without compiling a regex
    per value (it did, for every generic match): the same answer as that regex on edge cases of the word
    boundary after the value, the quote, case, overlapping occurrences and non-ASCII word characters."""
    import random
    import re

    from credsweep.content.context import _shows_default

    def per_value_regex(line: str, value: str) -> bool:
        return bool(re.search(r"\[" + re.escape(value) + r"\]|(?i:\bdefaults?(?:\s+(?:is|to))?\s*[:=]?\s*)[\"'`]?"
                              + re.escape(value) + r"\b", line))

    cases = [("Password [spree123]: ", "spree123"), ("(default: admin)", "admin"), ("defaults to 'admin'", "admin"),
             ("DEFAULT IS admin!", "admin!"), ("default: admin!x", "admin!"), ("default: adminx", "admin"),
             ("default: admin_", "admin"), ("default: adminé", "admin"), ("mydefault: admin", "admin"),
             ("default:aaaa", "aaa"), ("default: pass pass", "pass"), ("[admi]n", "admin"), ("default =`pw!`", "pw!")]
    rng = random.Random(7)
    parts = ["default", "Defaults", " to ", " is ", " ", ":", "=", "'", '"', "`", "[", "]", "x", "_", "é", "1", "!"]
    for _ in range(3000):
        value = "".join(rng.choice("ab1_!é") for _ in range(rng.randrange(3, 6)))
        cases.append(("".join(rng.choice([*parts, value, value + "z"]) for _ in range(rng.randrange(1, 8))), value))
    assert any(per_value_regex(line, value) for line, value in cases[13:])
    for line, value in cases:
        assert _shows_default(line, value) == per_value_regex(line, value), (line, value)


@pytest.mark.parametrize(("line", "value", "fires"), [
    ("    def create(cls, email, password='ldap'):", "ldap", True),
    ("async function createUser(email, password = 'openid') {", "openid", True),
    ("+    def create(cls, email, password='openid'):", "openid", True),  # in a patch
    ("    def create(cls, email, password='Vq7kT2xLm9'):", "Vq7kT2xLm9", False),
    ("LDAP_PASSWORD = 'ldap'", "ldap", False),  # a setting: a weak password is still one
])
def test_auth_scheme_as_a_password_parameter_default(line: str, value: str, fires: bool) -> None:
    # the mail-server split (read): Mailu's users of an external directory get the scheme's name as a marker
    assert c.is_auth_scheme(ctx(line, value, rule_id="generic.password")) is fires


@pytest.mark.parametrize(("line", "fires"), [
    ("    'client_secret' => 'VALUE', // NOSONAR - This is a public client secret for telemetry", True),
    ("const KEY = 'VALUE'; // not actually a secret, just a string we XOR with", True),
    ("const KEY = 'VALUE'; // the public key lives in keys/", False),
    ("const KEY = 'VALUE'; // keep this private", False),
])
def test_a_comment_saying_the_value_is_public_or_not_secret(line: str, fires: bool) -> None:
    """OpnForm's telemetry client secret, which its comment calls public (the thirty-sixth split)."""
    value = "sec_236ae00cc86099409ee2"
    assert c.is_public_material(ctx(line.replace("VALUE", value), value)) is fires
