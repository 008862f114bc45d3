"""Location predicates: is this path test code, a fixture, an example, documentation, vendored
third-party code, a lockfile or generated output?

They look at the repository-relative path alone (forward slashes), so the judgement stage runs them
once per location: in history the same blob may live at ``tests/x.py`` and at ``src/x.py``, and each
location is judged on its own. ``location_reasons`` names every predicate that fires; the policy in
``judgement.confidence`` turns reasons into a confidence.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from credsweep.util.lazyre import lazy

_TEST_DIRS = frozenset({"test", "tests", "t", "spec", "specs", "__tests__", "testdata", "test-data", "test_data",
                        "_test", "_tests", "__test__",  # DokuWiki's and its plugins' (``lib/plugins/x/_test/``)
                        "suites",  # integration suites (``internal/suites/OIDC/configuration.yml``)
                        "testing", "testsuite", "test-suite", "test_suite", "unittests", "unit-tests", "e2e",
                        "integration-tests", "testcases", "testfiles", "test-files", "test_files", "test-harness",
                        "test_harness", "testharness", "cypress", "playwright",
                        "testrig", "test-rig", "test_rig",  # a test rig (GoToSocial's: models, keys and tokens of tests)
                        "behat",  # Behat's contexts and page objects (``src/Sylius/Behat/``)
                        "step_definitions", "step-definitions",  # Cucumber's steps (``features/step_definitions/``)
                        # Ansible Molecule's test scenarios (``molecule/default/converge.yml``,
                        # https://ansible.readthedocs.io/projects/molecule/getting-started/), Kong Pongo's
                        # plugin test environment (``.pongo/``, https://github.com/Kong/kong-pongo)
                        "molecule", ".pongo"})
_KIND_TEST_DIR = lazy(r"^(?:[\w.]+[-_])?(?:e2e|end-to-end|unit|integration|functional|acceptance|smoke|system|"
                      r"regression|api|ui|gui)[-_]?tests?$|^[\w.]+[-_]tests?$|^(?:tests?|specs?)[-_][\w.\-]+$|"
                      # a .NET solution's test project (``Jellyfin.Tests``, ``Foo.UnitTests``, ``Foo.Api.IntegrationTests``)
                      r"^[\w\-.]+\.(?:unit|integration|functional|acceptance|e2e)?tests?$|"
                      # glued: the tests' servers, environments and helpers (rclone's ``fstest/testserver/``)
                      r"^test(?:servers?|envs?|beds?|kit|infra|utils?|helpers?|support|libs?)$|^fstest$")
"""A folder of one kind of tests (``e2e_tests``, ``e2etests``, ``local-e2e-tests``, ``integration_test``,
``guiTests``), of some tests (``new_tests``, ``perf-tests``, ``spec-jasmine``, ``test_app``), or of what tests
run against (``testserver``, ``testenv``, ``testutil``; Go's ``fstest``, a file-system test harness)."""
_TEST_FILE = lazy(
    r"(?i)(?:_test\.go|_tests?\.(?:py|rb|exs?|rs|c|cc|cpp|[cm]?[jt]sx?|php|lua|pl)|_spec\.rb|\.(?:spec|test)\.[cm]?[jt]sx?|"
    r"(?:Test|Tests|Spec|IT)\.(?:java|kt|scala|groovy|cs|php|swift)|\.t)$|^(?:tests?_.*\.py|conftest\.py|test[-_].*|"
    r"tests?\.(?:py|[cm]?[jt]s)|(?:cypress|playwright)\.config\.[cm]?[jt]s|"
    r"(?:jest|vitest|karma|mocha|test)[.\-_]setup\.[cm]?[jt]sx?|setup[-_]?tests?\.[cm]?[jt]sx?|"
    r"test_?(?:utils?|helpers?|support)\.\w+)$|_tester\.(?:go|py|rb|[cm]?[jt]s)$|"  # tests' helpers (``testutil.go``)
    r"^\.env\.(?:test|testing|ci|e2e)(?:[._]\w+)?$|"  # the environment a test run loads (Laravel, Next.js, dotenv)
    r"\.feature$|"  # a Gherkin scenario (Cucumber, Behat, SpecFlow)
    # the tests' containers and settings named so (``oracle-tests-Dockerfile``, ``docker-compose.test.yml``); not
    # a script that runs them (``run-tests.sh`` may export a real login)
    r"[-_.]tests?[-_.](?:[\w.\-]*dockerfile|ya?ml|json|toml|ini|cfg|conf|env)$|"
    r"^[\w.]*[-_]tests?\.(?:pem|key|crt|der|p12|pfx|jks)$"  # a key pair made for tests (``private-test.pem``)
)
_FIXTURE_DIRS = frozenset({"fixtures", "fixture", "__fixtures__", "__mocks__", "__snapshots__", "mocks", "mock", "mocked",
                           "stubs",
                           "snapshots", ".snapshots",
                           "test-fixtures", "test_fixtures", "testfixtures", "_samples", "factories"})
_EXAMPLE_DIRS = frozenset({"examples", "example", "samples", "sample", "demo", "demos", "tutorial", "tutorials",
                           "quickstart", "playground", "sandbox", "storybook"})
_EXAMPLE_FILE = lazy(r"(?i)[.\-_](?:example|sample|dist|template|tmpl|tpl|j2|jinja2?)(?:(?:\.[\w\-]+){1,2}|_env)?$|^(?:examples?|samples?|demo)[._\-]|"
                     r"\.stor(?:y|ies)\.(?:[cm]?[jt]sx?|mdx|vue|svelte)$")  # Storybook: components shown with made-up props
_DOC_DIRS = frozenset({"docs", "doc", "documentation", "man", "manual", "guide", "guides", "website", "site-docs",
                       "rfc", "notes", "howto",
                       "swagger"})  # an API's documented examples (Tyk's ``swagger/oauth.go``: example responses)
_DOC_FILE = lazy(
    r"(?i)\.(?:md|markdown|mdx|rst|adoc|asciidoc|rdoc|pod|texi|rtf|[1-9])(?:\.txt)?$|"
    r"^(?:readme|changes|changelog|news|history|release[-_]?notes|faq|todo|contributing|manual)(?:[.\-_].*)?$"
    r"|^_?api[-_]?docs?\.html?$"  # a generated API reference page (mailcow's ``_apidocs.html``)
)
_VENDOR_DIRS = frozenset({"node_modules", "vendor", "vendors", "third_party", "third-party", "thirdparty",
                          "site-packages", "dist-packages", "bower_components", "venv", ".venv", "virtualenv",
                          "jspm_packages", "pods", "carthage", "deps",
                          "godeps",  # Go's Godeps tool: ``Godeps/_workspace/src/...`` is the dependencies' code
                          "google-cloud-sdk",  # an installed Cloud SDK (its bundled Python, gsutil and their tests)
                          # browser libraries copied whole under their own name: editors, highlighters, renderers
                          # (``editor/ace/mode-*.js``, ``libraries/codemirror/mode/``), whose modes and tests are theirs
                          "ace", "ace-builds", "codemirror", "monaco-editor", "tinymce", "ckeditor", "ckeditor5",
                          "mathjax", "pdfjs", "pdf.js", "highlight.js", "highlightjs", "prism", "prismjs",
                          "excalidraw"})
_GENERATED_DIRS = frozenset({"_build", "_site", "_sources", "_static", "htmlcov", ".next", ".nuxt", ".docusaurus",
                             ".svelte-kit", ".turbo",
                             # tools' caches: phpDocumentor's serialised parse of every file, test runners'
                             ".phpdoc", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".sass-cache",
                             ".parcel-cache"})
_GENERATED_FILE = lazy(r"(?i)(?:\.map|\.snap)$|^(?:search[_\-]?index\.(?:json|js)|searchindex\.js|lunr[_\-]?index\.json)$"
                      r"|^repomix-output\.\w+$"
                      r"|[.\-][0-9a-f]{8,}\.(?:js|css|mjs)$")
"""Source maps, snapshots, a documentation site's search index (MkDocs, Docusaurus, Sphinx, Lunr),
content-hashed bundles (``main.3945bec1.js``) and a repository packed into one file for a language model
(Repomix's ``repomix-output.xml``): what a tool wrote from other files."""
_MINIFIED_PATH = lazy(r"(?i)(?:\.min\.(?:js|css)|[.\-]bundle\.js|\.chunk\.js|(?:^|/)(?:dist|build|vendor)/.*\.js)$")
_VECTOR_PATH = lazy(r"(?i)(?:^|[/_\-.])(?:test[_\-]?vectors?|vectors?|kat|testdata/crypto|wycheproof|cavp|nist)(?:[/_\-.]|$)")
LOCKFILES = frozenset({
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "poetry.lock",
    "pipfile.lock", "pdm.lock", "uv.lock", "cargo.lock", "go.sum", "composer.lock", "gemfile.lock",
    "packages.lock.json", "podfile.lock", "mix.lock", "pubspec.lock", "flake.lock", "gradle.lockfile",
    "conda-lock.yml", "package.resolved", ".terraform.lock.hcl",
})
"""Lockfiles by name (any file ending in ``.lock`` is one too)."""
_BUILD_OUTPUT = lazy(r"(?i)(?:^|/)build/(?:lib|bdist)[^/]*/|(?:^|/)dist/.*\.js$"
                     # a profiler's recorded requests (Laravel's Clockwork and Debugbar): a developer's local
                     # requests, their cookies and queries, written by the tool
                     r"|(?:^|/)storage/(?:clockwork|debugbar)/")
_TRANSLATION_DIRS = frozenset({"lang", "langs", "language", "languages", "locale", "locales", "i18n", "l10n",
                               "translations", "messages", "localization", "localizations", "localisation",
                               "localisations"})
_LANGUAGES = ("af|ar|az|be|bg|bn|bs|ca|cs|cy|da|de|el|en|eo|es|et|eu|fa|fi|fr|ga|gl|gu|he|hi|hr|hu|hy|id|is|it|"
              "ja|ka|kk|km|kn|ko|ky|lo|lt|lv|mk|ml|mn|mr|ms|my|nb|ne|nl|nn|no|pa|pl|pt|ro|ru|si|sk|sl|sq|sr|sv|sw|"
              "ta|te|th|tl|tr|uk|ur|uz|vi|zh")
"""ISO 639-1 codes of the languages user interfaces are commonly translated into (a short list on
purpose: ``config_qa.properties`` or ``app_ci.properties`` name an environment, not a language)."""
_TRANSLATION_FILE = lazy(
    r"(?i)\.(?:po|pot|xliff|xlf|strings)$"
    # Java resource bundles: ``login_pt_BR.properties``, ``config_de.properties``, ``Messages.properties``
    rf"|^(?:[\w.\-]+_(?:{_LANGUAGES})(?:_[A-Za-z]{{2}}|_[A-Za-z]{{4}}(?:_[A-Za-z]{{2}})?)?|messages|bundle)\.properties$"
    # a file named for its language alone: ``de.json``, ``pt-BR.yml``, ``zh_Hans.json``
    rf"|^(?:{_LANGUAGES})(?:[-_][A-Za-z]{{2}}|[-_][A-Za-z]{{4}}(?:[-_][A-Za-z]{{2}})?)?\.(?:json|ya?ml|toml|po|js|ts)$"
)


@lru_cache(maxsize=1 << 14)
def _parts(path: str) -> tuple[tuple[str, ...], str]:
    """(folder names, lower-cased; file name) of a repository-relative path."""
    pieces = path.replace("\\", "/").strip("/").split("/")
    return tuple(p.lower() for p in pieces[:-1]), pieces[-1]


_CHART_TEST_VALUES = lazy(r"(?i)^[\w.\-]+-values\.ya?ml$")
"""A Helm chart's test values in its ``ci/`` folder (``charts/x/ci/tls-values.yaml``): chart-testing installs the
chart once with each (https://github.com/helm/chart-testing#installing-and-upgrading-charts)."""


def is_test_location(path: str) -> bool:
    """Test code: ``tests/``, ``test/``, ``t/``, ``spec/``, ``testdata/``, ``__tests__/``, ``e2e_tests/``, ``molecule/``,
    ``.pongo/`` folders, test files by name (``*_test.go``, ``test_*.py``, ``*.spec.ts``, ``*Test.java``, ``*_spec.rb``,
    ``conftest.py``), and a Helm chart's chart-testing values (``ci/*-values.yaml``)."""
    folders, name = _parts(path)
    return (_test_folder(folders) or bool(_TEST_FILE.search(name))
            or (folders[-1:] == ("ci",) and bool(_CHART_TEST_VALUES.match(name)))
            or any(_CAMEL_TESTS.match(folder) for folder in path.replace("\\", "/").split("/")[:-1]))


_CAMEL_TESTS = lazy(r"^(?:[A-Z][a-z0-9]+)+Tests?$")
"""A folder of tests named in camel case (a CakePHP plugin's ``plugins/DataTests/``, ``IntegrationTests/``), read with
its case: ``Latest/`` is no test folder."""


def _test_folder(folders: tuple[str, ...]) -> bool:
    return any(f in _TEST_DIRS or _KIND_TEST_DIR.match(f) for f in folders)


_FIXTURE_FILE = lazy(r"(?i)^(?:faker?|dummy|mocks?|fixtures?)(?:[_\-.]\w+)?\.\w+$|(?:^|[_\-.])(?:sample|fake|dummy|mock)[_\-]data[_\-.]"
                     r"|^\w+[_\-]fixtures?\.\w+$"  # a model's fixtures (``auth_session_fixtures.go``)
                     r"|[.\-_]mocks?\.[cm]?[jt]sx?$")
"""Files named for made-up data (``fake_data.rake``, ``dummy-users.json``, ``mock_api.py``, ``mock.ts``, ``fixtures.yml``,
a test-data generator ``faker.lua``,
``user.mock.ts``, ``generate-sample-data.ts``)."""


def is_fixture_location(path: str) -> bool:
    """Test fixtures and mocks: ``fixtures/``, ``__mocks__/``, ``stubs/`` folders, model factories
    (``database/factories/``: fake records for tests and seeding; seeders may hold real data and are not
    here), and files named for made-up data (``fake_data.rake``, a test-data generator ``faker.lua``)."""
    folders, name = _parts(path)
    # any folder of fixtures by name (Doctrine's ``DataFixtures/``, ``ShopFixtures/``)
    return any(f in _FIXTURE_DIRS or f.endswith("fixtures") for f in folders) or bool(_FIXTURE_FILE.search(name))


_KIND_EXAMPLE_DIR = lazy(r"^(?:examples?|samples?|demos?)(?:\d*[-_][\w.\-]+|\d+)$")
"""A folder of one example (``sample3-many-to-one``, ``example-app``, ``demo_shop``)."""


def is_example_location(path: str) -> bool:
    """Examples and templates: ``examples/``, ``samples/``, ``demo/`` folders, a project template's
    ``{{cookiecutter.project_slug}}/`` folders, a generator's ``templates/``, ``*.example``, ``.env.sample``,
    ``config.php.dist``, ``*.template``, a Jinja template of a file (``config.py.jinja2``, ``settings.yml.j2``:
    its literals are defaults the rendering keeps unless told); up to two extensions after the marker
    (``config.example.redis.yml``, ``settings.example.py.patch``); files named as a demo (``demo-realm.json``, an
    identity server's sample realm). Never a CI job's definition, whatever its name
    (``.github/workflows/example_change_warning.yml`` runs as it is)."""
    folders, name = _parts(path)
    if is_ci_config(path):
        return False
    return (any(f in _EXAMPLE_DIRS or _KIND_EXAMPLE_DIR.match(f) or "{{" in f for f in folders)
            or _generator_template(folders) or bool(_EXAMPLE_FILE.search(name)))


def _generator_template(folders: tuple[str, ...]) -> bool:
    """A code generator's templates (Rails' and Yeoman's ``lib/generators/<name>/templates/``, Thor's
    ``generators/templates/``): files copied into the projects it generates, defaults for the user to change.
    Not any ``templates/`` folder: a Helm chart's ``templates/secret.yaml`` is deployed as it is."""
    return "templates" in folders and any(f in ("generators", "generator") for f in folders[:folders.index("templates")])


_KIND_DOC_DIR = lazy(r"^(?:[\w.]+[-_])?(?:docs?|documentation)$|^api_?docs?$|^docs?[-_](?:website|site|src|source|web)$")
"""A folder of one kind of documentation (``api-docs``, ``user_docs``, ``apidocs``) or of a documentation
site's sources (``docs-website``, ``docs_src``)."""


def is_documentation_location(path: str) -> bool:
    """Documentation: ``docs/``, ``Documentation/``, ``man/``, ``swagger/`` (an API's examples) folders; Markdown, reStructuredText,
    AsciiDoc, RTF and man pages; ``README*``, ``CHANGES*``, ``CHANGELOG*``, ``NEWS*``, ``TODO``, ``MANUAL*``. Not ``*.txt``:
    ``passwords.txt`` and ``requirements.txt`` hold real credentials."""
    folders, name = _parts(path)
    return any(f in _DOC_DIRS or _KIND_DOC_DIR.match(f) for f in folders) or bool(_DOC_FILE.search(name))


_WEB_LIBS = lazy(r"(?i)(?:^|/)(?:public|static|assets|www|(?<!apps/)(?<!packages/)web|wwwroot)/(?:libs?|plugins|bower)/")
"""A web root's third-party libraries (``public/libs/codemirror/``); not a monorepo's app named ``web``, whose
``apps/web/lib/`` is its own source."""


def is_vendored_location(path: str) -> bool:
    """Third-party code copied in: ``node_modules/``, ``vendor/``, ``third_party/``, ``site-packages/``,
    committed virtualenvs, Python and Ruby installations (``lib/python3.11/``, ``gems/rack-2.2.3/``), an installed
    ``google-cloud-sdk/``, Yarn's package cache (``.yarn/cache/*.zip``), a runtime's distribution (``jruby-9.0.4.0/``),
    a web root's ``libs/``. What is found there is the upstream's test data far
    more often than a leak."""
    folders, _ = _parts(path)
    return (any(f in _VENDOR_DIRS or _RUNTIME_DIR.match(f) for f in folders)
            or bool(_WEB_LIBS.search(path) or _INSTALLED_PACKAGES.search(path)))


_RUNTIME_DIR = lazy(r"(?i)^(?:j?ruby|python|node|jdk|jre|openjdk|go|apache-maven|apache-ant|gradle|groovy|scala)"
                    r"-v?\d+(?:\.\d+)+[\w.\-]*$")
"""A runtime's or build tool's distribution committed whole (``tools/jruby-9.0.4.0/``, ``node-v16.20.0-linux-x64/``,
``apache-maven-3.9.6/``): its libraries, samples and tests are the distribution's."""


_INSTALLED_PACKAGES = lazy(r"(?i)(?:^|/)lib/python\d(?:\.\d+)?/|(?:^|/)lib/ruby/(?:\d[\d.]*|gems|site_ruby|vendor_ruby)/"
                           r"|(?:^|/)gems/[\w.\-]+-\d+(?:\.\d+)+[\w.\-]*/|(?:^|/)\.yarn/(?:cache|unplugged|releases)/")
"""A Python or Ruby installation's library folder (``lib/python3.11/urllib/request.py``, ``lib/ruby/1.9/net/ftp.rb``),
an installed gem's folder (``gems/activemodel-4.1.1/``) and Yarn's zipped copies of every package (``.yarn/cache/``):
the standard library and installed packages, copied in with a bundled or committed interpreter or package manager."""


def is_lockfile(path: str) -> bool:
    """A dependency lockfile (``yarn.lock``, ``package-lock.json``, ``go.sum``...) or an installed Python
    package's file manifest (``*.dist-info/RECORD``, ``path,sha256=...,size``): every long value in it is an
    integrity hash or a version pin."""
    folders, name = _parts(path)
    lower = name.lower()
    return (lower in LOCKFILES or lower.endswith(".lock")
            or (name == "RECORD" and bool(folders) and folders[-1].endswith(".dist-info")))


def is_generated_location(path: str) -> bool:
    """Build output: ``_build/`` and a built site's ``_sources/``, ``_static/`` (Sphinx), ``_site/``, ``build/lib/``
    (setuptools), ``dist/*.js``, a profiler's recorded requests (``storage/clockwork/``, ``storage/debugbar/``),
    minified and content-hashed bundles, source maps, snapshots, a documentation site's search index."""
    folders, name = _parts(path)
    return (any(f in _GENERATED_DIRS for f in folders) or bool(_GENERATED_FILE.search(name))
            or is_minified_file(path) or bool(_BUILD_OUTPUT.search(path)))


def is_minified_file(path: str) -> bool:
    """Minified or bundled code (``*.min.js``, ``*.min.css``, ``dist/*.js``, ``*.bundle.js``, ``*.chunk.js``)."""
    return bool(_MINIFIED_PATH.search(path))


def is_test_vector_file(path: str) -> bool:
    """A cryptographic test-vector file (``test_vectors/``, ``*.kat``, wycheproof, NIST CAVP)."""
    return bool(_VECTOR_PATH.search(path))


def is_test_material(path: str) -> bool:
    """Test code or fixtures by folder (``tests/``, ``e2e/``, ``fixtures/``, ``testdata/``...; the file name
    never counts): what hygiene and ``fix`` treat as a fixture, the same folders judgement lowers."""
    folders, _ = _parts(path)
    return _test_folder(folders) or any(f in _FIXTURE_DIRS for f in folders)


def is_translation_location(path: str) -> bool:
    """Translations: ``lang/``, ``locales/``, ``i18n/``, ``Localization/`` folders, Apple's ``de.lproj/``,
    gettext/XLIFF/strings files and Java resource bundles (``login_de.properties``, ``Messages.properties``),
    where the value under a password key is the field's label in some language, not a password."""
    folders, name = _parts(path)
    return (any(f in _TRANSLATION_DIRS or f.endswith(".lproj") for f in folders)
            or bool(_TRANSLATION_FILE.search(name)))


_DEV_ENV_DIRS = frozenset({".devcontainer", "local-environment", "local-env", "dev-environment", "dev-env",
                           # local development tools' own folders: DDEV (https://ddev.readthedocs.io), Docksal
                           # (https://docs.docksal.io), Vagrant machines' provisioning. Not a Lando app file
                           # (``.lando.yml``): it also carries the tokens of hosted services the app uses (Blackfire)
                           ".ddev", ".docksal", "vagrant", ".vagrant"})
_DEV_ENV_FILE = lazy(r"(?i)^(?:docker-)?compose[.\-_](?:[a-z0-9]+[.\-_])?(?:dev|devel|development|local|override)"
                     r"(?:[.\-_][\w.\-]*)?\.ya?ml$"
                     r"|^\.gitpod\.(?:ya?ml|dockerfile)$")  # a Gitpod workspace (https://www.gitpod.io/docs/configure)


def is_dev_environment_location(path: str) -> bool:
    """A developer's local environment: a dev container's set-up (``.devcontainer/``, a ``local-environment/``
    folder of services to develop against), DDEV's, Docksal's and Vagrant's folders, a Gitpod workspace's
    (``.gitpod.yml``) and the compose files that start local services (``docker-compose.dev.yml``,
    ``docker-compose.override.yml``, ``compose.local.yaml``), whose passwords guard containers on the
    developer's own machine or workspace."""
    folders, name = _parts(path)
    return any(f in _DEV_ENV_DIRS for f in folders) or bool(_DEV_ENV_FILE.match(name))


_CI_DIRS = frozenset({".evergreen", ".circleci", ".buildkite", ".drone", ".woodpecker", ".semaphore", ".teamcity"})
_CI_FILE = lazy(r"(?i)^(?:\.travis\.ya?ml|\.gitlab-ci\.ya?ml|\.?appveyor\.ya?ml|azure-pipelines[\w.\-]*\.ya?ml|"
                r"bitbucket-pipelines\.ya?ml|\.drone\.ya?ml|jenkinsfile|\.cirrus\.ya?ml|codefresh\.ya?ml|"
                r"cloudbuild\.ya?ml|buildspec\.ya?ml)$")


_CI_NAMED = lazy(r"(?i)[.\-_](?:circleci|travis|appveyor|gitlab-ci|github-actions|gha|buildkite|jenkins)(?:[.\-_]|$)")
_COMPOSE_FILE = lazy(r"(?i)^(?:docker-)?compose(?:[.\-_][\w.\-]+)?\.ya?ml$")


_CONTAINER_DIRS = frozenset({"docker", ".docker", "docker-entrypoint-initdb.d"})


def is_container_config(path: str) -> bool:
    """What sets up containers: a Docker Compose file (``docker-compose.yml``, ``compose.test.yaml``), a
    Dockerfile, and what lies in a ``docker/`` folder (``docker/oracle/01_init.sql``): the containers take
    their logins from them."""
    folders, name = _parts(path)
    return (bool(_COMPOSE_FILE.match(name)) or name.lower().startswith("dockerfile")
            or any(f in _CONTAINER_DIRS for f in folders))


def is_ci_config(path: str) -> bool:
    """A CI service's job definitions and scripts: ``.github/`` (workflows, actions, helpers), ``.evergreen/``, ``.circleci/``,
    ``.travis.yml``, ``.gitlab-ci.yml``, ``appveyor.yml``, ``azure-pipelines.yml``, ``Jenkinsfile``...
    where a login typed in the file is most often the one a job gives the database it starts for its tests."""
    folders, name = _parts(path)
    lowered = [f.lower() for f in folders]
    if any(f in _CI_DIRS for f in lowered) or bool(_CI_FILE.match(name)) or bool(_CI_NAMED.search(name)):
        return True  # also a configuration named for the CI service that loads it (``ormconfig.travis.json``)
    # GitHub's folder at the repository's root: workflows, and the helpers and actions they run
    # (``.github/helpers/site_config_mariadb.json``)
    return bool(lowered) and lowered[0] == ".github"


_SCANNER_REPORT = lazy(r"(?i)^\.?(?:gitleaks|betterleaks|trufflehog|kingfisher|noseyparker|ggshield|detect[-_]secrets)"
                       r"(?:[-_.](?:baseline|report|results?|findings|output|scan))*\.(?:json|sarif|csv|jsonl)$")


def is_scanner_report(path: str) -> bool:
    """A secret scanner's report or baseline of findings, with the values in it
    (``.gitleaks-baseline.json``, ``gitleaks-report.json``, ``trufflehog-results.json``): every value there is
    a copy of one the scanner found elsewhere in the repository, judged where it is."""
    _, name = _parts(path)
    return bool(_SCANNER_REPORT.match(name))


LOCATION_CONTEXT: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("test-location", is_test_location),
    ("fixture-location", is_fixture_location),
    ("example-location", is_example_location),
    ("docs-location", is_documentation_location),
    ("vendored-location", is_vendored_location),
    ("lockfile", is_lockfile),
    ("generated-location", is_generated_location),
    ("translation-location", is_translation_location),
    ("dev-environment-location", is_dev_environment_location),
    ("scanner-report", is_scanner_report),
)
"""Every location predicate, by the reason name it records on a finding."""



@lru_cache(maxsize=1 << 14)
def location_reasons(path: str) -> tuple[str, ...]:
    """Names of the location predicates that fire for ``path``, in ``LOCATION_CONTEXT`` order."""
    if not path:
        return ()
    return tuple(name for name, predicate in LOCATION_CONTEXT if predicate(path))


# Secret scanners' bookkeeping: files they write to remember what they already reported (baselines,
# ignore lists). They hold fingerprints, hashes and rule ids next to file paths and secret-looking
# strings by design; a scanner that reports them as leaks reports its own bookkeeping.
BOOKKEEPING_NAMES = frozenset({
    ".gitleaksignore",  # gitleaks: one fingerprint per line, commit:file:rule:line
    ".betterleaksignore",  # betterleaks (a gitleaks fork): the same format
    ".secrets.baseline",  # detect-secrets' default baseline (hashed secrets, JSON)
    ".credsweep-baseline.json",  # credsweep's own (baseline.DEFAULT_FILE; salted scrypt hashes, JSON)
    ".trufflehogignore",  # trufflehog: paths to skip
})
"""File names (any folder) that scanners write as baselines or ignore lists."""


def is_scanner_bookkeeping(path: str) -> bool:
    """A secret scanner's baseline or ignore file (``.gitleaksignore``, ``.secrets.baseline``,
    ``.credsweep-baseline.json``): never scanned for secrets. ``path`` is repository-relative with
    forward slashes; only its file name counts, so a baseline kept in a subfolder is one too."""
    return path.replace("\\", "/").rsplit("/", 1)[-1] in BOOKKEEPING_NAMES
