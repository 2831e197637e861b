"""An administrator resets someone's second factor: an action on the staff accounts list.

The action is added to the staff account admin that ``putright.accounts.admin`` registers
(this app comes after accounts in INSTALLED_APPS, so that admin exists by now).
"""

from __future__ import annotations

from django.contrib import admin, messages

from putright.accounts.models import User
from putright.accounts.two_factor import services

RESET_MESSAGE = "Reset two-factor authentication"


@admin.action(description=RESET_MESSAGE, permissions=["change"])
def reset_second_factor(modeladmin, request, queryset) -> None:
    """Remove each selected person's authenticator app and backup codes (a lost phone). They
    set up a new app the next time they sign in, if their role requires one."""
    reset, had_none = [], []
    for user in queryset.order_by("full_name"):
        removed = services.second_factor_reset(user=user, acting_user=request.user)
        if removed:
            modeladmin.log_change(request, user, RESET_MESSAGE)
            reset.append(str(user))
        else:
            had_none.append(str(user))
    if reset:
        modeladmin.message_user(
            request,
            f"Two-factor authentication reset for {', '.join(reset)}. They set up an "
            "authenticator app again the next time they sign in.",
            messages.SUCCESS,
        )
    if had_none:
        modeladmin.message_user(
            request,
            f"No authenticator app was set up for {', '.join(had_none)}.",
            messages.INFO,
        )


def add_reset_action(site: admin.AdminSite) -> None:
    model_admin = site.get_model_admin(User)
    actions = list(model_admin.actions or ())
    if reset_second_factor not in actions:
        model_admin.actions = [*actions, reset_second_factor]


add_reset_action(admin.site)
