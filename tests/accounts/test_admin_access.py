"""The Django admin is for administrators only, whatever other flags an account has."""

import pytest

from tests.accounts.helpers import make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role", ["Case handler", "Quality reviewer", "Complaints manager", "Board member"]
)
def test_other_roles_are_refused_even_with_the_staff_flag(client, role):
    client.force_login(make_staff(role, is_staff=True))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    assert client.get("/admin/accounts/user/").status_code == 302


def test_an_administrator_without_the_staff_flag_is_refused(client):
    client.force_login(make_staff("Administrator", is_staff=False))

    assert client.get("/admin/").status_code == 302


def test_the_administrator_can_use_the_admin(client, administrator):
    client.force_login(administrator)

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
