"""Setting up an authenticator app, checking codes, backup codes, and an administrator's reset.

The codes themselves, their throttling and their single use are django-otp's: a TOTP device
accepts a code once (never one from an earlier time step than the last accepted), and after each
wrong code the next attempt must wait twice as long as the last (1, 2, 4, 8 … seconds,
``OTP_TOTP_THROTTLE_FACTOR`` and ``OTP_STATIC_THROTTLE_FACTOR``).
"""

from __future__ import annotations

import math
from base64 import b32encode
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from putright.core import security_log

AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10


@dataclass(frozen=True)
class CodeCheck:
    """What became of a code: ``accepted``, or refused. ``wait_seconds`` is more than 0 when it
    was refused unread because too many wrong codes came just before it."""

    accepted: bool
    wait_seconds: int = 0


def code_check(*, device: Device, code: str) -> CodeCheck:
    """Check a code against one device, under django-otp's throttling, one check at a time
    (the device's row is locked, so two requests cannot both spend the same code)."""
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, details = device.verify_is_allowed()
        if not allowed:
            locked_until = (details or {}).get("locked_until")
            wait = (locked_until - timezone.now()).total_seconds() if locked_until else 1
            return CodeCheck(accepted=False, wait_seconds=max(1, math.ceil(wait)))
        return CodeCheck(accepted=bool(device.verify_token(code)))


def authenticator_start(*, user) -> TOTPDevice:
    """The app being set up: a new secret key, not yet trusted. Until a code confirms it, the
    same one is returned, so the QR code stays the same when the page is loaded again."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def authenticator_key(device: TOTPDevice) -> str:
    """The secret key as a person types it into an app: base32, in groups of four."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def authenticator_confirm(*, user, device: TOTPDevice, code: str) -> tuple[CodeCheck, list[str]]:
    """Confirm the app being set up with a code it shows. If the code is right, the app becomes
    the person's only one (an earlier app stops working) and they get new backup codes, which
    are returned (to be shown once) with the check."""
    if device.user_id != user.pk or device.confirmed:
        raise ValueError("Only the person's own app being set up can be confirmed")
    check = code_check(device=device, code=code)
    if not check.accepted:
        return check, []
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        codes = backup_codes_issue(user=user)
    return check, codes


def backup_codes_issue(*, user) -> list[str]:
    """A new set of single-use backup codes, replacing any the person had. The set keeps its
    device, so a session that signed in with an old backup code stays signed in."""
    with transaction.atomic():
        device = StaticDevice.objects.filter(user=user).order_by("pk").first()
        if device is None:
            device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
        else:
            StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            StaticToken.objects.filter(device=device).delete()
            device.confirmed = True
            device.throttle_reset(commit=False)
            device.save()
        codes: list[str] = []
        while len(codes) < BACKUP_CODE_COUNT:
            code = StaticToken.random_token()
            if code not in codes:
                codes.append(code)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_reset(*, user, acting_user) -> int:
    """An administrator removes someone's authenticator app and backup codes (a lost phone):
    the next time they sign in they set up a new app, if their role requires one. Any session of
    theirs that had entered a code has to enter one again (django-otp's middleware no longer
    finds the device). Returns how many devices went: an app and a set of backup codes are one
    each."""
    with transaction.atomic():
        _, apps = TOTPDevice.objects.filter(user=user).delete()
        _, code_sets = StaticDevice.objects.filter(user=user).delete()  # and their codes
        removed = apps.get(TOTPDevice._meta.label, 0) + code_sets.get(StaticDevice._meta.label, 0)
        _record_reset(user=user, acting_user=acting_user, removed=removed)
    return removed


def _record_reset(*, user, acting_user, removed: int) -> None:
    """Into the security log (the admin action also writes the admin's own history entry)."""
    security_log.record(
        security_log.Kind.SECOND_FACTOR_RESET,
        actor=acting_user,
        subject=security_log.user_subject(user),
        devices_removed=removed,
    )
