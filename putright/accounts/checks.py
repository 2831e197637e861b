"""System checks for staff accounts, shown by ``putright check --deploy``."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

# The addresses ``putright demo`` gives its accounts (putright.demo.staff.DEMO_DOMAIN, which
# sits above this package; a test keeps the two the same).
DEMO_ACCOUNT_DOMAIN = "demo.putright.test"


@checks.register(checks.Tags.security, deploy=True)
def demo_accounts_in_production(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The demo's accounts, an administrator among them, share a password printed in the
    README: with DEBUG off (a real installation) none of them may exist."""
    if settings.DEBUG:
        return []
    from putright.accounts.models import User

    try:
        emails = list(
            User.objects.filter(email__iendswith=f"@{DEMO_ACCOUNT_DOMAIN}")
            .order_by("email")
            .values_list("email", flat=True)
        )
    except DatabaseError:  # not migrated yet: there are no accounts at all
        return []
    if not emails:
        return []
    return [
        checks.Error(
            f"{len(emails)} demo staff account(s) exist ({', '.join(emails)}), with the "
            "password published in PutRight's README, and DEBUG is off.",
            hint="Delete them in the admin (Staff accounts > Users) or with `putright shell`, "
            "or use a database of its own for trying the demo.",
            id="putright.E001",
        )
    ]
