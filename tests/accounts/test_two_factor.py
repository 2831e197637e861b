"""A second factor for staff (ASVS V2): a code from an authenticator app after the password,
required for complaints managers and administrators and optional for everyone else, with
single-use backup codes and an administrator's reset.

Every test signs in through the real sign-in form over HTTP and computes the app's codes from
the device's key with django-otp's own TOTP.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.core.checks import run_checks
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from putright.accounts.two_factor import policy, services
from putright.accounts.two_factor.forms import WRONG_BACKUP_CODE, WRONG_CODE
from tests.accounts.helpers import PASSWORD, make_staff
from tests.accounts.test_deployment import environment

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
SET_UP = "/account/two-factor/set-up/"
CODE = "/sign-in/code/"
BACKUP_CODE = "/sign-in/backup-code/"


# Helpers ----------------------------------------------------------------------------------------


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or ``steps_ahead`` periods of 30 seconds later:
    a code is accepted once, so a second sign-in within the same period needs the next one)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A well-formed code the app does not show in any period the server accepts."""
    accepted = {code_for(device, steps_ahead=n) for n in (-1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in accepted)


def give_app(user) -> TOTPDevice:
    """An authenticator app set up earlier."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def sign_in(client: Client, user, *, path: str = "/sign-in/", next_page: str = ""):
    data = {"username": user.email, "password": PASSWORD}
    if next_page:
        data["next"] = next_page
    return client.post(path, data)


def sign_in_with_code(client: Client, user, device: TOTPDevice, *, steps_ahead: int = 0):
    assert sign_in(client, user).status_code == 302
    response = client.post(CODE, {"code": code_for(device, steps_ahead=steps_ahead)})
    assert response.status_code == 302, response.content.decode()
    return response


def opens(client: Client, path: str = "/cases/") -> bool:
    """The page (after any redirects of its own) opens, rather than a second-factor page."""
    response = client.get(path, follow=True)
    stopped = any(url.startswith((CODE, SET_UP)) for url, _ in response.redirect_chain)
    return response.status_code == 200 and not stopped


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def error_summary(response) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), re.S)
    assert match, "no GOV.UK error summary on the page"
    return re.sub(r"\s+", " ", match.group(0))


# Who is asked -----------------------------------------------------------------------------------


def test_a_manager_without_an_app_must_set_one_up_before_any_other_page(
    client, two_factor_required
):
    manager = make_staff("Complaints manager")

    response = sign_in(client, manager)
    assert response.status_code == 302 and response.url == "/"

    for path in ["/", "/cases/", "/account/password/", "/account/two-factor/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == f"{SET_UP}?next={path.replace('/', '%2F')}", path
    response = client.get(SET_UP)
    assert response.status_code == 200
    assert "Set up an authenticator app" in text(response)
    assert "Your role means you must use an authenticator app" in text(response)
    # Nothing else is offered until it is done.
    assert 'href="/cases/' not in response.content.decode()


def test_an_administrator_cannot_reach_the_admin_until_verified(client, two_factor_required):
    administrator = make_staff("Administrator")

    # Through the admin's own sign-in page.
    response = sign_in(client, administrator, path="/admin/login/", next_page="/admin/")
    assert response.status_code == 302 and response.url == "/admin/"
    for path in ["/admin/", "/admin/accounts/user/", "/admin/login/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(SET_UP), path

    device = services.authenticator_start(user=administrator)
    response = client.post(SET_UP, {"code": code_for(device), "next": "/admin/"})
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200  # the backup codes, once
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_signing_out_is_open_before_the_second_factor(client, two_factor_required):
    manager = make_staff("Complaints manager")
    sign_in(client, manager)

    response = client.post("/sign-out/")

    assert response.status_code == 302
    assert client.get("/").url == "/sign-in/?next=/"


def test_a_case_handler_is_not_asked_for_a_code_unless_they_set_up_an_app(
    client, two_factor_required
):
    handler = make_staff("Case handler")

    assert sign_in(client, handler).url == "/"
    assert client.get("/").status_code == 200
    assert opens(client)

    device = give_app(handler)
    client.post("/sign-out/")
    sign_in(client, handler)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response.url == f"{CODE}?next=%2Fcases%2F"
    assert client.post(CODE, {"code": code_for(device)}).status_code == 302
    assert opens(client)


def test_with_no_role_required_only_people_with_an_app_are_asked(client, settings):
    settings.PUTRIGHT_TWO_FACTOR_REQUIRED_FOR = []
    manager = make_staff("Complaints manager")

    sign_in(client, manager)
    assert opens(client)


def test_a_superuser_counts_as_an_administrator(two_factor_required):
    from putright.accounts.models import User

    superuser = User.objects.create_superuser(
        email="root@example.org", password=PASSWORD, full_name="Root"
    )

    assert policy.is_required_for(superuser)


def test_a_role_given_during_a_session_needs_a_code_within_a_minute(client, two_factor_required):
    handler = make_staff("Case handler")
    sign_in(client, handler)
    assert opens(client)

    handler.groups.add(Group.objects.get(name="Complaints manager"))
    assert opens(client)  # still within the minute
    session = client.session
    session[policy.NOT_NEEDED_AT] -= policy.RECHECK_EVERY
    session.save()

    response = client.get("/cases/")
    assert response.status_code == 302
    assert response.url.startswith(SET_UP)


# Setting up an app --------------------------------------------------------------------------------


def test_setting_up_accepts_the_right_code_and_shows_the_backup_codes_once(
    client, two_factor_required
):
    manager = make_staff("Complaints manager")
    sign_in(client, manager)

    page = client.get(f"{SET_UP}?next=/cases/")
    device = TOTPDevice.objects.get(user=manager)
    assert not device.confirmed
    html = page.content.decode()
    assert re.search(r'<svg role="img" focusable="false"[^>]*><title>QR code', html)
    assert "style=" not in html[html.index("<svg") : html.index("</svg>")]
    assert services.authenticator_key(device) in html
    # The page again: the same key, so a code from an app that already scanned it still works.
    client.get(SET_UP)
    assert TOTPDevice.objects.get(user=manager).key == device.key

    response = client.post(SET_UP, {"code": code_for(device), "next": "/cases/"})

    assert response.status_code == 302
    assert response.url == "/account/two-factor/backup-codes/"
    device.refresh_from_db()
    assert device.confirmed
    shown = client.get(response.url)
    codes = set(StaticToken.objects.filter(device__user=manager).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in shown.content.decode() for code in codes)
    assert "You will not see these codes again" in text(shown)
    assert 'href="/cases/"' in shown.content.decode()  # "Continue" goes where they were going
    assert client.get("/account/two-factor/backup-codes/").status_code == 302  # shown once
    assert opens(client)


def test_setting_up_refuses_a_wrong_code_with_a_govuk_error(client, two_factor_required):
    manager = make_staff("Complaints manager")
    sign_in(client, manager)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=manager)

    response = client.post(SET_UP, {"code": wrong_code_for(device)})

    assert response.status_code == 200
    assert "The code is not correct" in error_summary(response)
    assert 'href="#id_code"' in error_summary(response)
    assert "govuk-input--error" in response.content.decode()
    assert text(response).startswith("<!DOCTYPE html>")
    assert "<title>Error: Set up an authenticator app" in text(response)
    device.refresh_from_db()
    assert not device.confirmed
    assert not opens(client)

    for typed, message in [
        ("", "Enter the 6-digit code the app shows"),
        ("12345", "The code must be 6 numbers"),
    ]:
        response = client.post(SET_UP, {"code": typed})
        assert message in error_summary(response)


def test_someone_with_an_app_must_enter_its_code_before_setting_up_another(
    client, two_factor_required
):
    """Otherwise a person who knew only the password could swap in an app of their own."""
    manager = make_staff("Complaints manager")
    device = give_app(manager)
    sign_in(client, manager)

    assert client.get(SET_UP).url == f"{CODE}"
    assert client.post(SET_UP, {"code": "123456"}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=manager)) == [device]


def test_a_new_app_replaces_the_old_one(client, two_factor_required):
    manager = make_staff("Complaints manager")
    old = give_app(manager)
    sign_in_with_code(client, manager, old)

    client.get(SET_UP)
    new = TOTPDevice.objects.get(user=manager, confirmed=False)
    assert client.post(SET_UP, {"code": code_for(new)}).status_code == 302

    assert list(TOTPDevice.objects.filter(user=manager)) == [new]


def test_a_case_handler_may_set_up_an_app_from_their_account(client, two_factor_required):
    handler = make_staff("Case handler")
    sign_in(client, handler)

    overview = client.get("/account/two-factor/")
    assert "You have not set up an authenticator app" in text(overview)
    page = client.get(SET_UP)
    assert page.status_code == 200
    assert "Your role means" not in text(page)
    device = TOTPDevice.objects.get(user=handler)
    client.post(SET_UP, {"code": code_for(device)})

    assert policy.authenticator(handler) == device
    assert "10 left" in text(client.get("/account/two-factor/"))


# The code after the password --------------------------------------------------------------------


def test_a_manager_with_an_app_enters_its_code_after_the_password(client, two_factor_required):
    manager = make_staff("Complaints manager")
    device = give_app(manager)

    response = sign_in(client, manager, next_page="/cases/")
    assert response.url == "/cases/"
    response = client.get("/cases/")
    assert response.url == f"{CODE}?next=%2Fcases%2F"
    page = client.get(response.url)
    assert page.status_code == 200
    assert re.search(
        r'<h1 class="govuk-label-wrapper"><label class="govuk-label govuk-label--l" '
        r'for="id_code">Enter the code from your authenticator app</label></h1>',
        page.content.decode(),
    )
    assert 'autocomplete="one-time-code"' in page.content.decode()
    before = client.session.session_key

    response = client.post(CODE, {"code": code_for(device), "next": "/cases/"})

    assert response.status_code == 302 and response.url == "/cases/"
    assert opens(client)
    assert client.session.session_key != before  # a new session key once verified
    # The same code cannot be used again, in this session or another.
    other = Client()
    sign_in(other, manager)
    response = other.post(CODE, {"code": code_for(device)})
    assert response.status_code == 200
    assert WRONG_CODE in error_summary(response)


def test_a_wrong_code_is_refused_and_the_next_attempts_are_throttled(
    client, two_factor_required, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute after one wrong code, then two, four …
    manager = make_staff("Complaints manager")
    device = give_app(manager)
    sign_in(client, manager)

    response = client.post(CODE, {"code": wrong_code_for(device)})

    assert response.status_code == 200
    assert WRONG_CODE in error_summary(response)
    assert not opens(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Counted like a failed sign-in for the account.
    assert AccessAttempt.objects.get(username=manager.email).failures_since_start == 1

    response = client.post(CODE, {"code": code_for(device)})  # right, but too soon
    assert response.status_code == 200
    assert re.search(r"Too many wrong codes .* Wait (59|60) seconds", text(response))
    assert not opens(client)

    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=61)
    )
    response = client.post(CODE, {"code": code_for(device)})
    assert response.status_code == 302
    assert opens(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_wrong_codes_lock_sign_in_like_wrong_passwords(client, two_factor_required, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # only django-axes' count, for this test
    manager = make_staff("Complaints manager")
    device = give_app(manager)
    sign_in(client, manager)

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(CODE, {"code": wrong_code_for(device)}).status_code == 200
    response = client.post(CODE, {"code": wrong_code_for(device)})

    assert response.status_code == 429
    assert "signing in is locked" in text(response)
    assert client.get("/").url == "/sign-in/?next=/"  # signed out
    assert sign_in(client, manager).status_code == 429  # even with the right password


# Backup codes -----------------------------------------------------------------------------------


def test_a_backup_code_works_once(client, two_factor_required, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    manager = make_staff("Complaints manager")
    give_app(manager)
    codes = services.backup_codes_issue(user=manager)

    sign_in(client, manager)
    assert "Use a backup code instead" in text(client.get(CODE))
    response = client.post(BACKUP_CODE, {"code": codes[0].upper(), "next": "/cases/"})
    assert response.status_code == 302 and response.url == "/cases/"
    assert "You have 9 backup codes left" in text(client.get("/cases/", follow=True))

    client.post("/sign-out/")
    sign_in(client, manager)
    response = client.post(BACKUP_CODE, {"code": codes[0]})
    assert response.status_code == 200
    assert WRONG_BACKUP_CODE in error_summary(response)
    assert not opens(client)

    assert client.post(BACKUP_CODE, {"code": codes[1]}).status_code == 302
    assert opens(client)
    assert services.backup_codes_left(manager) == 8


def test_new_backup_codes_replace_the_old_ones(client, two_factor_required):
    manager = make_staff("Complaints manager")
    device = give_app(manager)
    old = services.backup_codes_issue(user=manager)
    sign_in_with_code(client, manager, device)

    response = client.post("/account/two-factor/backup-codes/new/")

    assert response.url == "/account/two-factor/backup-codes/"
    new = set(StaticToken.objects.filter(device__user=manager).values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old)
    shown = client.get(response.url).content.decode()
    assert all(code in shown for code in new)


def test_new_backup_codes_keep_a_session_that_signed_in_with_an_old_one(
    client, two_factor_required
):
    manager = make_staff("Complaints manager")
    give_app(manager)
    codes = services.backup_codes_issue(user=manager)
    sign_in(client, manager)
    client.post(BACKUP_CODE, {"code": codes[0]})

    client.post("/account/two-factor/backup-codes/new/")

    assert opens(client)
    assert services.backup_codes_left(manager) == 10


# The administrator's reset ----------------------------------------------------------------------


def test_an_administrator_resets_a_second_factor_in_the_admin(client, two_factor_required):
    administrator = make_staff("Administrator")
    sign_in_with_code(client, administrator, give_app(administrator))
    manager = make_staff("Complaints manager")
    manager_device = give_app(manager)
    services.backup_codes_issue(user=manager)
    managers_browser = Client()
    sign_in_with_code(managers_browser, manager, manager_device, steps_ahead=1)
    assert opens(managers_browser)

    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [manager.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Two-factor authentication reset for Morgan Manager" in text(response)
    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert not StaticDevice.objects.filter(user=manager).exists()
    assert not StaticToken.objects.filter(device__user=manager).exists()
    entry = LogEntry.objects.get(object_id=str(manager.pk))
    assert entry.user == administrator
    assert "Reset two-factor authentication" in entry.get_change_message()
    # The manager's session has to set up a new app before going on.
    response = managers_browser.get("/cases/")
    assert response.status_code == 302 and response.url.startswith(SET_UP)
    # The administrator's own second factor is untouched.
    assert TOTPDevice.objects.filter(user=administrator).exists()


def test_the_reset_action_needs_the_right_to_change_staff_accounts(rf):
    from django.contrib import admin

    from putright.accounts.models import User

    model_admin = admin.site.get_model_admin(User)
    request = rf.get("/admin/accounts/user/")

    request.user = make_staff("Administrator")
    assert "reset_second_factor" in model_admin.get_actions(request)

    # Someone who may only look at staff accounts.
    request.user = make_staff("Board member", is_staff=True)
    request.user.user_permissions.add(Permission.objects.get(codename="view_user"))
    assert "reset_second_factor" not in model_admin.get_actions(request)


def test_a_reset_goes_into_the_security_log():
    from putright.core.models import SecurityEvent, SecurityEventKind

    administrator = make_staff("Administrator")
    manager = make_staff("Complaints manager")
    give_app(manager)
    services.backup_codes_issue(user=manager)

    assert services.second_factor_reset(user=manager, acting_user=administrator) == 2

    event = SecurityEvent.objects.get(kind=SecurityEventKind.SECOND_FACTOR_RESET)
    assert event.actor == administrator
    assert manager.email in event.subject
    assert event.details["devices_removed"] == 2


def test_managers_and_administrators_must_use_it_unless_the_environment_says_otherwise(
    tmp_path,
):
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.PUTRIGHT_TWO_FACTOR_REQUIRED_FOR))"
    )

    def required(**env: str) -> list[str]:
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

    assert required() == ["Complaints manager", "Administrator"]
    assert required(PUTRIGHT_TWO_FACTOR_REQUIRED_FOR="") == []
    assert required(
        PUTRIGHT_TWO_FACTOR_REQUIRED_FOR="Complaints manager, Quality reviewer,Administrator"
    ) == ["Complaints manager", "Quality reviewer", "Administrator"]


def test_make_run_turns_the_requirement_off_for_the_demo():
    makefile = (REPO / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    commands = [line.strip() for line in recipe.splitlines()[1:]]

    assert len(commands) == 3
    assert all(
        command.startswith("DEBUG=true PUTRIGHT_TWO_FACTOR_REQUIRED_FOR= ") for command in commands
    )


def test_a_misspelt_role_fails_the_system_checks(settings):
    settings.PUTRIGHT_TWO_FACTOR_REQUIRED_FOR = ["Complaints manager", "Administrators"]

    (error,) = [m for m in run_checks() if m.id == "two_factor.E001"]

    assert error.is_serious()
    assert "Administrators" in error.msg


def test_the_deploy_check_warns_when_no_role_must_use_it(settings):
    settings.DEBUG = False
    settings.PUTRIGHT_TWO_FACTOR_REQUIRED_FOR = []
    assert "two_factor.W001" in [m.id for m in run_checks(include_deployment_checks=True)]

    settings.PUTRIGHT_TWO_FACTOR_REQUIRED_FOR = ["Complaints manager", "Administrator"]
    messages = run_checks(include_deployment_checks=True)
    assert not {"two_factor.W001", "two_factor.E001"} & {m.id for m in messages}
