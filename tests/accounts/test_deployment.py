"""Production settings (ASVS V14): read from the environment, ``check --deploy`` clean with the
README's production environment, and failing while the demo's accounts exist."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

from putright.accounts.checks import DEMO_ACCOUNT_DOMAIN
from putright.demo.staff import DEMO_DOMAIN
from tests.accounts.helpers import make_staff

REPO = Path(__file__).resolve().parents[2]

SETTINGS = [
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_TIME",
    "PUTRIGHT_SESSION_IDLE_TIMEOUT",
    "PUTRIGHT_SESSION_MAX_AGE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_NAME",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "PASSWORD_RESET_TIMEOUT",
]


def environment(tmp_path: Path, **env: str) -> dict[str, str]:
    """This process's environment less PutRight's and Django's variables (the test run's own
    DJANGO_ALLOW_ASYNC_UNSAFE among them), plus ``env``."""
    ours = re.compile(
        r"^(PUTRIGHT_|DJANGO_|SECURE_|SESSION_|CSRF_|EMAIL_|DEBUG$|SECRET_KEY$|ALLOWED_HOSTS$"
        r"|DATABASE_URL$|BEHIND_TLS_PROXY$|DEFAULT_FROM_EMAIL$)"
    )
    base = {key: value for key, value in os.environ.items() if not ours.match(key)}
    return {
        **base,
        "PUTRIGHT_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "putright.settings",
        **env,
    }


def settings_under(tmp_path: Path, **env: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{k: str(getattr(settings, k)) for k in {SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=environment(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_security_settings_come_from_the_environment(tmp_path):
    defaults = settings_under(tmp_path)
    chosen = settings_under(
        tmp_path,
        PUTRIGHT_SIGN_IN_FAILURE_LIMIT="3",
        PUTRIGHT_SIGN_IN_LOCKOUT_MINUTES="60",
        PUTRIGHT_SESSION_IDLE_MINUTES="15",
        PUTRIGHT_SESSION_MAX_HOURS="12",
        PUTRIGHT_PASSWORD_RESET_MINUTES="20",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="true",
    )
    development = settings_under(tmp_path, DEBUG="true")

    assert defaults == {
        "AXES_FAILURE_LIMIT": "5",
        "AXES_COOLOFF_TIME": "0:15:00",
        "PUTRIGHT_SESSION_IDLE_TIMEOUT": "1800",
        "PUTRIGHT_SESSION_MAX_AGE": "32400",
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
        "SECURE_HSTS_PRELOAD": "False",
        "PASSWORD_RESET_TIMEOUT": "3600",
    }
    assert chosen == {
        **defaults,
        "AXES_FAILURE_LIMIT": "3",
        "AXES_COOLOFF_TIME": "1:00:00",
        "PUTRIGHT_SESSION_IDLE_TIMEOUT": "900",
        "PUTRIGHT_SESSION_MAX_AGE": "43200",
        "PASSWORD_RESET_TIMEOUT": "1200",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "False",
        "SECURE_HSTS_PRELOAD": "True",
    }
    # Plain HTTP in development: no Secure cookies, so no __Host- names (browsers would drop them).
    assert development["SESSION_COOKIE_NAME"] == "sessionid"
    assert development["CSRF_COOKIE_NAME"] == "csrftoken"


def readme_production_environment() -> dict[str, str]:
    """The README's production environment block, as NAME=value pairs."""
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    (block,) = [b for b in blocks if "SECURE_HSTS_SECONDS=" in b]
    pairs = {}
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, value = line.partition("=")
            pairs[name] = value
    return pairs


def test_check_deploy_is_clean_in_the_documented_production_environment(tmp_path):
    documented = readme_production_environment()
    assert documented["DEBUG"] == "false"
    assert documented["SECURE_HSTS_INCLUDE_SUBDOMAINS"] == "true"
    assert documented["SECURE_HSTS_PRELOAD"] == "true"
    documented["SECRET_KEY"] = secrets.token_urlsafe(50)  # the README says to make one
    documented["DATABASE_URL"] = f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}"

    result = subprocess.run(
        [sys.executable, "-m", "putright", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=environment(tmp_path, **documented),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_without_the_hsts_settings(tmp_path):
    documented = readme_production_environment()
    documented.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="false",
    )

    result = subprocess.run(
        [sys.executable, "-m", "putright", "check", "--deploy"],
        cwd=REPO,
        env=environment(tmp_path, **documented),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert "security.W005" in result.stderr + result.stdout
    assert "security.W021" in result.stderr + result.stdout


# Demo accounts in production ---------------------------------------------------------------------


def serious(messages) -> list[str]:
    return [message.id for message in messages if message.is_serious()]


def test_the_check_knows_the_demo_accounts_address():
    assert DEMO_ACCOUNT_DOMAIN == DEMO_DOMAIN


@pytest.mark.django_db
def test_the_deploy_check_fails_while_a_demo_account_exists_with_debug_off(settings):
    settings.DEBUG = False
    make_staff("Administrator", email=f"Admin@{DEMO_DOMAIN.upper()}")

    messages = run_checks(include_deployment_checks=True)

    assert "putright.E001" in serious(messages)
    (message,) = [m for m in messages if m.id == "putright.E001"]
    assert f"admin@{DEMO_DOMAIN}" in message.msg


@pytest.mark.django_db
def test_the_deploy_check_passes_without_demo_accounts_or_with_debug_on(settings):
    make_staff("Administrator", email="ada@landlord.example")
    settings.DEBUG = False
    assert "putright.E001" not in serious(run_checks(include_deployment_checks=True))

    make_staff("Case handler", email=f"handler@{DEMO_DOMAIN}")
    settings.DEBUG = True
    assert "putright.E001" not in serious(run_checks(include_deployment_checks=True))


@pytest.mark.django_db
def test_the_demo_check_is_a_deploy_check_only(settings):
    settings.DEBUG = False
    make_staff("Case handler", email=f"handler@{DEMO_DOMAIN}")

    assert "putright.E001" not in serious(run_checks())  # migrate and runserver are not blocked
