"""Staff accounts for tests: one person per role, made the way an administrator would."""

from __future__ import annotations

from django.contrib.auth.models import Group

from putright.accounts.models import User
from putright.accounts.roles import ADMINISTRATOR, sync_roles

PASSWORD = "correct horse battery staple"

NAMES = {
    "Case handler": ("Cara Handler", "cara.handler@example.org"),
    "Quality reviewer": ("Quinn Reviewer", "quinn.reviewer@example.org"),
    "Complaints manager": ("Morgan Manager", "morgan.manager@example.org"),
    "Board member": ("Bola Board", "bola.board@example.org"),
    "Administrator": ("Ada Admin", "ada.admin@example.org"),
}


def make_staff(
    *roles: str,
    email: str | None = None,
    full_name: str | None = None,
    password: str = PASSWORD,
    is_staff: bool | None = None,
) -> User:
    """A member of staff holding these roles (none is allowed).

    Administrators get ``is_staff`` (the admin site's own flag) unless told otherwise.
    """
    sync_roles()
    default_name, default_email = (
        NAMES.get(roles[0], ("Sam Staff", "sam.staff@example.org"))
        if roles
        else ("Sam Staff", "sam.staff@example.org")
    )
    if is_staff is None:
        is_staff = ADMINISTRATOR in roles
    user = User.objects.create_user(
        email=email or default_email,
        password=password,
        full_name=full_name or default_name,
        job_title=roles[0] if roles else "",  # letters are signed with it
        is_staff=is_staff,
    )
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user
