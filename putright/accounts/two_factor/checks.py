"""System checks for the second factor's setting."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from putright.accounts.roles import ROLE_NAMES


@checks.register(checks.Tags.security)
def required_roles_exist(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A misspelt role would quietly let its holders sign in with a password alone."""
    unknown = sorted(set(settings.PUTRIGHT_TWO_FACTOR_REQUIRED_FOR) - set(ROLE_NAMES))
    if not unknown:
        return []
    return [
        checks.Error(
            "PUTRIGHT_TWO_FACTOR_REQUIRED_FOR names roles that do not exist: "
            f"{', '.join(unknown)}.",
            hint=f"Use the role names exactly as they are: {', '.join(ROLE_NAMES)}.",
            id="two_factor.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def someone_must_use_a_second_factor(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG or settings.PUTRIGHT_TWO_FACTOR_REQUIRED_FOR:
        return []
    return [
        checks.Warning(
            "PUTRIGHT_TWO_FACTOR_REQUIRED_FOR is empty: complaints managers and administrators "
            "can sign in with a password alone.",
            hint="Leave it unset (complaints managers and administrators) or list the roles "
            "that must use an authenticator app.",
            id="two_factor.W001",
        )
    ]
