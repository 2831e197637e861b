"""A real deployment: ``putright migrate`` on an empty database, then a first administrator.

Nothing here loads the demo or calls ``sync_roles`` itself: the roles must come from the
migration alone, as they do for a landlord following the README.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from putright.accounts.models import User
from putright.accounts.roles import ADMINISTRATOR, CASE_HANDLER, ROLES

REPO = Path(__file__).resolve().parents[2]


def putright(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """The ``putright`` command in a new process, against a database of its own."""
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "PUTRIGHT_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "putright.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "putright", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """An empty database after ``putright migrate`` and nothing else (migrated once: ~10 s)."""
    folder = tmp_path_factory.mktemp("migrated")
    putright("migrate", "--noinput", tmp_path=folder)
    return folder / "fresh.sqlite3"


@pytest.fixture
def fresh(migrated, tmp_path) -> Path:
    shutil.copy(migrated, tmp_path / "fresh.sqlite3")
    return tmp_path


def test_migrate_on_an_empty_database_creates_every_role_with_its_permissions(fresh):
    tmp_path = fresh

    with sqlite3.connect(tmp_path / "fresh.sqlite3") as db:
        rows = db.execute(
            """
            SELECT g.name, ct.app_label || '.' || p.codename
            FROM auth_group g
            LEFT JOIN auth_group_permissions gp ON gp.group_id = g.id
            LEFT JOIN auth_permission p ON p.id = gp.permission_id
            LEFT JOIN django_content_type ct ON ct.id = p.content_type_id
            """
        ).fetchall()
    found: dict[str, set[str]] = {}
    for group, permission in rows:
        found.setdefault(group, set())
        if permission:
            found[group].add(permission)

    assert found == {role.name: set(role.permissions) for role in ROLES}


def test_migrate_again_puts_a_role_back_the_way_it_was_defined(fresh):
    tmp_path = fresh
    with sqlite3.connect(tmp_path / "fresh.sqlite3") as db:
        db.execute("DELETE FROM auth_group_permissions")
        db.execute("DELETE FROM auth_group WHERE name = ?", (CASE_HANDLER,))

    putright("migrate", "--noinput", tmp_path=tmp_path)

    with sqlite3.connect(tmp_path / "fresh.sqlite3") as db:
        names = {name for (name,) in db.execute("SELECT name FROM auth_group")}
        (granted,) = db.execute("SELECT COUNT(*) FROM auth_group_permissions").fetchone()
    assert names == {role.name for role in ROLES}
    assert granted == sum(len(role.permissions) for role in ROLES)


def test_createsuperuser_makes_a_first_administrator(fresh):
    tmp_path = fresh
    putright(
        "createsuperuser",
        "--noinput",
        "--email=First.Admin@Landlord.example",
        "--full_name=First Admin",
        tmp_path=tmp_path,
        DJANGO_SUPERUSER_PASSWORD="a long first password",
    )

    with sqlite3.connect(tmp_path / "fresh.sqlite3") as db:
        row = db.execute(
            "SELECT email, full_name, is_staff, is_superuser, is_active FROM accounts_user"
        ).fetchall()
    assert row == [("first.admin@landlord.example", "First Admin", 1, 1, 1)]


def first_administrator(monkeypatch) -> tuple[str, str]:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long first password")
    call_command(
        "createsuperuser",
        interactive=False,
        email="First.Admin@Landlord.example",
        full_name="First Admin",
        verbosity=0,
    )
    return "first.admin@landlord.example", "a long first password"


def administrator_role(monkeypatch) -> tuple[str, str]:
    user = User.objects.create_user(
        email="ada.admin@landlord.example",
        password="an administrator password",
        full_name="Ada Admin",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name=ADMINISTRATOR))
    return user.email, "an administrator password"


@pytest.mark.django_db
@pytest.mark.parametrize("make_admin", [first_administrator, administrator_role])
def test_an_administrator_creates_staff_and_gives_them_roles_in_the_admin(
    client, monkeypatch, make_admin
):
    """The README's steps after ``createsuperuser``, through the admin's own forms; the role
    groups here come from the test database's own migration, not from a ``sync_roles`` call."""
    email, password = make_admin(monkeypatch)
    response = client.post("/sign-in/", {"username": email, "password": password})
    assert response.status_code == 302

    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "new.handler@landlord.example",
            "full_name": "New Handler",
            "password1": "another long password",
            "password2": "another long password",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    new = User.objects.get(email="new.handler@landlord.example")

    response = client.post(
        f"/admin/accounts/user/{new.pk}/change/",
        {
            "email": new.email,
            "full_name": new.full_name,
            "job_title": "Complaints officer",
            "team": "",
            "is_active": "on",
            "groups": [Group.objects.get(name=CASE_HANDLER).pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors

    new.refresh_from_db()
    assert new.role_names == [CASE_HANDLER]
    assert not new.is_staff
    assert new.check_password("another long password")
