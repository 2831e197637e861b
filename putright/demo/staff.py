"""Demo step: one staff sign-in per role (two case handlers and two reviewers, so that stage 2
can go to someone independent of stage 1), all with one demo password, printed as a table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from putright.accounts.models import Team, User
from putright.accounts.roles import (
    ADMINISTRATOR,
    BOARD_MEMBER,
    CASE_HANDLER,
    COMPLAINTS_MANAGER,
    QUALITY_REVIEWER,
    ROLE_NAMES,
    sync_roles,
)

if TYPE_CHECKING:
    from putright.demo.generator import DemoGenerator

DEMO_PASSWORD = "Greenway-demo-2025"
DEMO_DOMAIN = "demo.putright.test"  # .test is reserved: these addresses can never receive mail


@dataclass(frozen=True)
class DemoSignIn:
    email: str
    full_name: str
    job_title: str
    role: str
    team: str = ""
    is_staff: bool = False  # may use the administration site


SIGN_INS: tuple[DemoSignIn, ...] = (
    DemoSignIn(
        f"handler@{DEMO_DOMAIN}",
        "Priya Sharma",
        "Complaints officer",
        CASE_HANDLER,
        "Complaints team",
    ),
    DemoSignIn(
        f"handler2@{DEMO_DOMAIN}",
        "Tom Gallagher",
        "Complaints officer",
        CASE_HANDLER,
        "Complaints team",
    ),
    DemoSignIn(
        f"reviewer@{DEMO_DOMAIN}",
        "Grace Okoye",
        "Head of Repairs",
        QUALITY_REVIEWER,
        "Property services",
    ),
    DemoSignIn(
        f"reviewer2@{DEMO_DOMAIN}",
        "Owen Price",
        "Housing Services Manager",
        QUALITY_REVIEWER,
        "Housing services",
    ),
    DemoSignIn(
        f"manager@{DEMO_DOMAIN}",
        "Rachel Adeyemi",
        "Complaints and Resolution Manager",
        COMPLAINTS_MANAGER,
        "Complaints team",
    ),
    DemoSignIn(
        f"board@{DEMO_DOMAIN}",
        "Helen Ashworth",
        "Board member responsible for complaints",
        BOARD_MEMBER,
    ),
    DemoSignIn(
        f"admin@{DEMO_DOMAIN}",
        "Sam Whitfield",
        "Systems administrator",
        ADMINISTRATOR,
        "Digital services",
        is_staff=True,
    ),
)


def _role_groups() -> dict[str, Group]:
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLE_NAMES)}
    empty = Group.objects.filter(name__in=ROLE_NAMES, permissions__isnull=True).exists()
    if len(groups) < len(ROLE_NAMES) or empty:
        sync_roles()
        groups = {group.name: group for group in Group.objects.filter(name__in=ROLE_NAMES)}
    return groups


def make_staff(generator: DemoGenerator) -> None:
    groups = _role_groups()
    teams = {
        name: Team.objects.get_or_create(name=name)[0]
        for name in sorted({sign_in.team for sign_in in SIGN_INS if sign_in.team})
    }
    # Hashing is slow by design: hash once and share it (the demo password is public anyway).
    password = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    by_role: dict[str, list[User]] = {name: [] for name in ROLE_NAMES}
    for sign_in in SIGN_INS:
        user = User.objects.filter(email=sign_in.email).first() or User(email=sign_in.email)
        user.full_name = sign_in.full_name
        user.job_title = sign_in.job_title
        user.team = teams.get(sign_in.team)
        user.is_staff = sign_in.is_staff
        user.is_active = True
        user.password = password
        user.save()
        user.groups.set([groups[sign_in.role]])
        users[sign_in.email] = user
        by_role[sign_in.role].append(user)
    generator.results["staff"] = users
    generator.results["staff_by_role"] = by_role
    print_sign_ins(generator)


def print_sign_ins(generator: DemoGenerator) -> None:
    rows = [("Email", "Role", "Name", "Password")] + [
        (s.email, s.role + (" (admin site)" if s.is_staff else ""), s.full_name, DEMO_PASSWORD)
        for s in SIGN_INS
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))

    generator.say("Demo sign-ins:")
    generator.say(line(rows[0]).rstrip())
    generator.say("  ".join("-" * width for width in widths))
    for row in rows[1:]:
        generator.say(line(row).rstrip())
