import pytest
from django.urls import reverse

from putright.accounts import roles
from tests.people.factories import DisabilityFactory, EqualityDataFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return StaffUserFactory(role=roles.ADMINISTRATOR, is_staff=True)


def test_special_category_admin_is_hidden_from_an_administrator_without_the_permission(
    client, administrator
):
    disability = DisabilityFactory(description="Uses a wheelchair")
    client.force_login(administrator)

    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert b"disclosed disabilities" not in index.content.lower()
    assert b"equality data" not in index.content.lower()
    assert client.get(reverse("admin:people_discloseddisability_changelist")).status_code == 403
    detail = reverse("admin:people_discloseddisability_change", args=[disability.pk])
    assert client.get(detail).status_code in (302, 403)
    assert b"wheelchair" not in client.get(detail, follow=True).content


def test_special_category_admin_is_shown_read_only_to_a_superuser(client):
    superuser = StaffUserFactory(is_staff=True, is_superuser=True)
    equality = EqualityDataFactory()
    client.force_login(superuser)

    changelist = client.get(reverse("admin:people_equalitydata_changelist"))
    assert changelist.status_code == 200
    detail = client.get(reverse("admin:people_equalitydata_change", args=[equality.pk]))
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content  # people records change only through services
