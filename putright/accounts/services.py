"""Changes to staff accounts that decide what someone may see and do.

Every change of roles goes through :func:`user_set_roles`, whether it comes from the admin, a
command or a later screen, so the rules against raising one's own rights hold everywhere and
every change is in the security log.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.http import HttpRequest

from putright.accounts.forms import PasswordResetForm
from putright.accounts.roles import GRANTABLE_WITHOUT_HOLDING
from putright.core import security_log
from putright.core.errors import InvalidInput, StepRefused
from putright.organisation.selectors import organisation_name

MANAGE_USERS = "accounts.change_user"

# Stable codes for the refusals (an API maps them without reading the message).
NOT_ALLOWED = "roles_not_allowed"
OWN_ROLES = "roles_own_account"
BEYOND_OWN_RIGHTS = "roles_beyond_own_rights"
UNKNOWN_ROLE = "roles_unknown"


def role_permissions(groups: Iterable[Group]) -> set[str]:
    """Every permission the groups grant, as ``"app_label.codename"`` (one query)."""
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.filter(group__in=list(groups))
        .values_list("content_type__app_label", "codename")
        .distinct()
    }


def user_roles_check(*, acting_user: Any, user: Any, roles: Iterable[Group | str]) -> None:
    """Raise the domain error :func:`user_set_roles` would raise, without changing anything (a
    form shows it beside the roles before anything is saved)."""
    _checked(acting_user=acting_user, user=user, roles=roles)


def user_set_roles(
    *, acting_user: Any, user: Any, roles: Iterable[Group | str], reason: str = ""
) -> list[str]:
    """Give ``user`` exactly these roles (groups, or their names); return the new role names.

    Refused (``StepRefused``) when:

    - the acting user may not manage staff accounts (``accounts.change_user``):
      ``roles_not_allowed``;
    - the change is to the acting user's own roles, whoever they are: ``roles_own_account``
      (another administrator makes it, and the security log shows who);
    - a role being given carries a permission the acting user does not hold themselves, beyond
      the ordinary ones in ``roles.GRANTABLE_WITHOUT_HOLDING``: ``roles_beyond_own_rights``. So
      an administrator cannot make anyone, themselves included, a complaints manager (who sees
      confidential complaints and special category data). Taking a role away is allowed: it
      only lowers someone's rights.

    An unknown role is ``InvalidInput`` (``roles_unknown``). A change writes one security event
    (roles changed) with the roles before and after, who made it and the reason; giving someone
    the roles they already hold writes nothing.
    """
    with transaction.atomic():
        before, wanted, added, removed = _checked(acting_user=acting_user, user=user, roles=roles)
        if not added and not removed:
            return sorted(before)
        user.groups.set(list(wanted.values()))
        after = sorted(wanted)
        security_log.record(
            security_log.Kind.ROLES_CHANGED,
            actor=acting_user,
            subject=security_log.user_subject(user),
            user_id=user.pk,
            before=sorted(before),
            after=after,
            added=added,
            removed=removed,
            reason=reason,
        )
        return after


def _checked(
    *, acting_user: Any, user: Any, roles: Iterable[Group | str]
) -> tuple[dict[str, Group], dict[str, Group], list[str], list[str]]:
    """The roles before and wanted (by name), and the names added and removed; or the refusal."""
    wanted = _groups(roles)
    if not (getattr(acting_user, "is_active", False) and acting_user.has_perm(MANAGE_USERS)):
        raise StepRefused(NOT_ALLOWED, "You are not allowed to change staff roles")
    if user.pk is not None and acting_user.pk == user.pk:
        raise StepRefused(
            OWN_ROLES,
            "You cannot change your own roles. Ask another administrator to do it.",
            field="groups",
        )
    before = {group.name: group for group in user.groups.all()} if user.pk is not None else {}
    added = sorted(name for name in wanted if name not in before)
    removed = sorted(name for name in before if name not in wanted)
    if added:
        needed = role_permissions(wanted[name] for name in added) - GRANTABLE_WITHOUT_HOLDING
        lacking = sorted(needed - _held(acting_user))
        if lacking:
            beyond = [name for name in added if role_permissions([wanted[name]]) & set(lacking)]
            raise StepRefused(
                BEYOND_OWN_RIGHTS,
                f"You cannot give the {' and '.join(beyond)} role: it allows things your own "
                "roles do not allow",
                field="groups",
                permissions=lacking,
            )
    return before, wanted, added, removed


def _groups(roles: Iterable[Group | str]) -> dict[str, Group]:
    roles = list(roles)
    names = {role.name if isinstance(role, Group) else str(role) for role in roles}
    found = {group.name: group for group in Group.objects.filter(name__in=names)}
    unknown = sorted(names - set(found))
    if unknown:
        raise InvalidInput(
            UNKNOWN_ROLE, f"There is no role called {', '.join(unknown)}", field="groups"
        )
    return found


def _held(user: Any) -> set[str]:
    """What the acting user may do. A superuser holds every permission."""
    if user.is_superuser:
        return {
            f"{app_label}.{codename}"
            for app_label, codename in Permission.objects.values_list(
                "content_type__app_label", "codename"
            )
        }
    return set(user.get_all_permissions())


def password_reset_send(*, acting_user: Any, user: Any, request: HttpRequest) -> bool:
    """Email ``user`` a link to choose a new password, at the address on their own account, as
    the "Forgotten your password?" page would: whoever asks never sees the link or sets the
    password. Returns False (and sends nothing) for a closed account or one that cannot sign
    in with a password. Recorded in the security log either way."""
    can_receive = bool(user.is_active and user.email and user.has_usable_password())
    if can_receive:
        form = PasswordResetForm({"email": user.email})
        if form.is_valid():
            form.save(
                request=request,
                use_https=request.is_secure(),
                email_template_name="registration/password_reset_email.txt",
                subject_template_name="registration/password_reset_subject.txt",
                extra_email_context={"organisation_name": organisation_name()},
            )
        else:
            can_receive = False
    security_log.record(
        security_log.Kind.PASSWORD_RESET_REQUESTED,
        actor=acting_user,
        subject=security_log.user_subject(user),
        request=request,
        user_id=user.pk,
        sent=can_receive,
        requested_for_someone_else=acting_user.pk != user.pk,
    )
    return can_receive
