"""Production settings, checked the way a deployment meets them: in a fresh
process with only the environment variables set, as gunicorn would start.

- With DEBUG off, a missing secret key or host list stops the start.
- `manage.py check --deploy` with the production variables reports nothing.
- Cookies, HSTS, SSL redirect, the proxy header and the CSP follow the
  environment, and `make serve` gets local-only values from the Makefile.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# What a deployment sets (compose.yaml sets the same and a few more).
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k3v9-Qx7!pL2#mZ8rT5wY1uN4bH6jC0sF9dG2aE7xV3zR8qW5tK1yU6iO4pM0nB2",
    "DJANGO_ALLOWED_HOSTS": "migracje.example.pl",
}


def run(args, env_overrides, unset=()):
    """Run `args` with the project's Python in a clean settings environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_")) and key not in unset
    }
    env["DJANGO_SETTINGS_MODULE"] = "ump_portal.settings"
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 (the test's own arguments)
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_settings(**overrides):
    """The settings as a process with the production environment sees them."""
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_NAME",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SAMESITE",
        "LANGUAGE_COOKIE_NAME",
        "LANGUAGE_COOKIE_SECURE",
        "SESSION_COOKIE_DOMAIN",
        "SESSION_COOKIE_PATH",
        "CSRF_COOKIE_DOMAIN",
        "CSRF_COOKIE_PATH",
        "AUTH_PASSWORD_VALIDATORS",
        "STORAGES",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "from csp.utils import build_policy; "
        f"values = {{n: getattr(settings, n, None) for n in {names!r}}}; "
        "values['CSP'] = build_policy(); "
        "print(json.dumps(values, default=str))"
    )
    result = run(["-c", code], {**PRODUCTION_ENV, **overrides})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY is not set"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS is not set"),
    ],
)
def test_debug_off_without_secret_or_hosts_stops_the_start(missing, message):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize("debug", ["", "false", "0", "off"])
def test_debug_is_off_unless_asked_for(debug):
    result = run(["manage.py", "check"], {"DJANGO_DEBUG": debug})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_code_only_commands_need_no_secret():
    """Checking for pending migrations on a bare clone starts no site, so needs no secret."""
    result = run(["manage.py", "makemigrations", "--check", "--dry-run"], {})
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_wsgi_application_does_not_load_without_a_secret():
    """What gunicorn imports fails the same way: no site starts with a default key."""
    env = {"DJANGO_ALLOWED_HOSTS": "migracje.example.pl"}
    result = run(["-c", "import ump_portal.wsgi"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_on_needs_no_secret():
    result = run(["manage.py", "check"], {"DJANGO_DEBUG": "true"})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto", "DJANGO_TRUSTED_PROXY_COUNT": "1"},
    ],
    ids=["direct", "behind-proxy"],
)
def test_check_deploy_reports_nothing(extra):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], {**PRODUCTION_ENV, **extra}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_cookies_are_secure_httponly_samesite_and_host_prefixed():
    values = production_settings()
    assert values["DEBUG"] is False
    for cookie in ("SESSION", "CSRF"):
        assert values[f"{cookie}_COOKIE_NAME"].startswith("__Host-")
        assert values[f"{cookie}_COOKIE_SECURE"] is True
        assert values[f"{cookie}_COOKIE_HTTPONLY"] is True
        assert values[f"{cookie}_COOKIE_SAMESITE"] == "Lax"
        # What the __Host- prefix demands besides Secure: no Domain, path /.
        assert values[f"{cookie}_COOKIE_DOMAIN"] is None
        assert values[f"{cookie}_COOKIE_PATH"] == "/"
    assert values["LANGUAGE_COOKIE_NAME"].startswith("__Host-")
    assert values["LANGUAGE_COOKIE_SECURE"] is True


def test_without_secure_cookies_there_is_no_host_prefix():
    """A `__Host-` cookie without Secure is thrown away by the browser."""
    values = production_settings(DJANGO_SECURE_COOKIES="false")
    assert values["SESSION_COOKIE_SECURE"] is False
    assert not values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert not values["CSRF_COOKIE_NAME"].startswith("__Host-")


def test_https_is_enforced_and_the_proxy_header_only_trusted_when_configured():
    values = production_settings()
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None

    behind_proxy = production_settings(DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_content_security_policy_is_strict():
    policy = production_settings()["CSP"]
    parts = [part.strip().split(" ", 1) for part in policy.split(";")]
    directives = {part[0]: part[1] if len(part) > 1 else "" for part in parts}
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "*" not in policy
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "upgrade-insecure-requests" in directives


def test_static_files_are_hashed_and_compressed_in_production():
    storages = production_settings()["STORAGES"]
    assert storages["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_password_validators_are_on():
    validators = production_settings()["AUTH_PASSWORD_VALIDATORS"]
    names = " ".join(str(validator) for validator in validators)
    for validator in ("MinimumLength", "CommonPassword", "NumericPassword", "UserAttribute"):
        assert validator in names


def test_make_serve_uses_local_only_values_and_production_settings():
    """`make serve` runs with DEBUG off on 127.0.0.1, a secret that the Makefile
    marks as local-only, static files collected first, and gunicorn."""
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "serve", "PORT=8109"],  # noqa: S607
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    commands = result.stdout
    serve_lines = [line for line in commands.splitlines() if "gunicorn" in line]
    assert len(serve_lines) == 1
    (serve,) = serve_lines
    assert "DJANGO_DEBUG=false" in serve
    assert "GUNICORN_BIND=127.0.0.1:8109" in serve
    assert "gunicorn.conf.py" in serve
    assert "DJANGO_SECRET_KEY=local-" in serve
    assert commands.index("collectstatic") < commands.index("gunicorn")
    assert "compilemessages" not in commands
