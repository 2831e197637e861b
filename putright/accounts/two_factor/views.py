"""The second factor's pages: the code after the password (or a backup code), setting up an
authenticator app, the backup codes shown once, and the person's own two-factor page.

The first three are open to a signed-in session that has not entered a code yet (the
middleware lets them through); the others are ordinary signed-in pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.models import Device

from putright.accounts.two_factor import policy, services
from putright.accounts.two_factor.forms import (
    WRONG_BACKUP_CODE,
    WRONG_CODE,
    BackupCodeForm,
    CodeForm,
    SetUpCodeForm,
    wait_message,
)
from putright.accounts.two_factor.qr import qr_code_svg

# Backup codes waiting to be shown (once), and where to go after seeing them.
CODES_TO_SHOW = "putright_backup_codes_to_show"
AFTER_CODES = "putright_after_backup_codes"


def _next_url(request: HttpRequest) -> str:
    """The page the person was on their way to, if it is one of ours; else the home page."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url("accounts:home")


def with_next(url: str, request: HttpRequest) -> str:
    """``url``, passing on the page the person was going to."""
    candidate = request.POST.get("next") or request.GET.get("next")
    return f"{url}?{urlencode({'next': candidate})}" if candidate else url


def _verified(request: HttpRequest, device: Device) -> None:
    """This session has now entered a code from ``device``: a new session key, so an earlier
    copy of the cookie (from before the second factor) is worth nothing."""
    request.session.cycle_key()
    otp_login(request, device)


def _count_failure(request: HttpRequest) -> bool:
    """A wrong code counts as a failed sign-in for this account and address (django-axes, and
    the security log): enough of them, with wrong passwords or not, lock sign-in. Returns True
    when this one locked it; the person is then signed out, and django-axes' middleware answers
    with the locked sign-in page."""
    user_login_failed.send(
        sender=__name__, credentials={"username": request.user.get_username()}, request=request
    )
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return True
    return False


def _check_page(
    request: HttpRequest,
    *,
    device: Device | None,
    form: CodeForm | BackupCodeForm,
    wrong: str,
    template: str,
) -> HttpResponse:
    """A page asking for one code: check it against ``device``, and on to the page the person
    was going to when it is right."""
    if request.method == "POST" and form.is_valid():
        check = (
            services.code_check(device=device, code=form.cleaned_data["code"])
            if device is not None
            else services.CodeCheck(accepted=False)
        )
        if check.accepted:
            _verified(request, device)
            if isinstance(form, BackupCodeForm):
                left = services.backup_codes_left(request.user)
                messages.info(request, _backup_codes_left_message(left))
            return redirect(_next_url(request))
        if check.wait_seconds:
            form.add_error("code", wait_message(check.wait_seconds))
        else:
            form.add_error("code", wrong)
            if _count_failure(request):
                return redirect("accounts:sign-in")
    return render(
        request,
        template,
        {"form": form, "next": _next_url(request), "navigation": []},
    )


def _backup_codes_left_message(left: int) -> str:
    if left == 0:
        return (
            "You have used your last backup code. Create new backup codes from "
            "‘Two-factor authentication’ at the top of the page."
        )
    plural = "s" if left != 1 else ""
    message = f"You have used a backup code. You have {left} backup code{plural} left."
    if left <= 3:
        message += " Create new ones from ‘Two-factor authentication’ at the top of the page."
    return message


@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    """After the password: "Enter the code from your authenticator app"."""
    if policy.is_verified(request):
        return redirect(_next_url(request))
    device = policy.authenticator(request.user)
    if device is None:
        return redirect(with_next(reverse("accounts:two-factor-set-up"), request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    return _check_page(
        request,
        device=device,
        form=form,
        wrong=WRONG_CODE,
        template="accounts/two_factor/enter_code.html",
    )


@require_http_methods(["GET", "POST"])
def enter_backup_code(request: HttpRequest) -> HttpResponse:
    """Instead of the app's code: one of the person's backup codes, which then stops working."""
    if policy.is_verified(request):
        return redirect(_next_url(request))
    form = BackupCodeForm(request.POST if request.method == "POST" else None)
    return _check_page(
        request,
        device=policy.backup_codes(request.user),
        form=form,
        wrong=WRONG_BACKUP_CODE,
        template="accounts/two_factor/enter_backup_code.html",
    )


@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the key), then confirm with a code the app shows.

    Someone who already has an app must enter a code from it first: otherwise a person who
    knew only the password could swap in an app of their own.
    """
    user = request.user
    current = policy.authenticator(user)
    verified = policy.is_verified(request)
    if current is not None and not verified:
        return redirect(with_next(reverse("accounts:two-factor-code"), request))
    device = services.authenticator_start(user=user)
    form = SetUpCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check, codes = services.authenticator_confirm(
            user=user, device=device, code=form.cleaned_data["code"]
        )
        if check.accepted:
            device.refresh_from_db()
            _verified(request, device)
            request.session[CODES_TO_SHOW] = codes
            request.session[AFTER_CODES] = _next_url(request)
            messages.success(request, "Your authenticator app is set up")
            return redirect("accounts:two-factor-backup-codes")
        if check.wait_seconds:
            form.add_error("code", wait_message(check.wait_seconds))
        else:
            form.add_error(
                "code",
                "The code is not correct. Check the app shows PutRight, then enter the code "
                "it shows now",
            )
    required = policy.is_required_for(user)
    context = {
        "form": form,
        "next": _next_url(request),
        "required": required,
        "replacing": current is not None,
        "qr_code": qr_code_svg(device.config_url, title="QR code to scan with your app"),
        "key": services.authenticator_key(device),
    }
    if required and not verified:
        context["navigation"] = []  # nothing else opens until this is done
    return render(request, "accounts/two_factor/set_up.html", context)


@require_GET
def backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes, shown this once."""
    codes = request.session.pop(CODES_TO_SHOW, None)
    after = request.session.pop(AFTER_CODES, None) or resolve_url("accounts:home")
    if not codes:
        return redirect("accounts:two-factor")
    return render(
        request, "accounts/two_factor/backup_codes.html", {"codes": codes, "continue_url": after}
    )


@require_POST
def new_backup_codes(request: HttpRequest) -> HttpResponse:
    """Replace the person's backup codes (all of them, used or not) with a new set."""
    if policy.authenticator(request.user) is None:
        return redirect("accounts:two-factor")
    request.session[CODES_TO_SHOW] = services.backup_codes_issue(user=request.user)
    request.session[AFTER_CODES] = reverse("accounts:two-factor")
    messages.success(request, "You have new backup codes. The old ones no longer work")
    return redirect("accounts:two-factor-backup-codes")


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The person's own two-factor page: whether an app is set up, and backup codes left."""
    user = request.user
    device = policy.authenticator(user)
    return render(
        request,
        "accounts/two_factor/overview.html",
        {
            "device": device,
            "codes_left": services.backup_codes_left(user) if device else 0,
            "required": policy.is_required_for(user),
        },
    )
