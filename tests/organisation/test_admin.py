"""The admin pages go through the services and show the closure-day warning."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from putright.organisation import signals
from putright.organisation.models import Category, ClosureDay, Organisation, OrganisationChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser(
        email="root@example.org", password="a long enough password", full_name="Root Admin"
    )
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def calendar_events():
    events = []

    def receiver(sender, **kwargs):
        events.append(kwargs)

    signals.calendar_changed.connect(receiver, dispatch_uid="test-admin-calendar")
    yield events
    signals.calendar_changed.disconnect(dispatch_uid="test-admin-calendar")


def test_the_closure_day_pages_warn_that_deadlines_get_longer(admin_client):
    for name in ("admin:organisation_closureday_changelist", "admin:organisation_closureday_add"):
        response = admin_client.get(reverse(name))
        assert response.status_code == 200
        assert "Closure days lengthen Code deadlines." in response.content.decode()
        assert "published complaints policy" in response.content.decode()


def test_adding_a_closure_day_in_the_admin_goes_through_the_service(admin_client, calendar_events):
    response = admin_client.post(
        reverse("admin:organisation_closureday_add"),
        {"date": "2025-12-24", "description": "Christmas Eve"},
    )
    assert response.status_code == 302
    assert ClosureDay.objects.get().date == date(2025, 12, 24)
    assert calendar_events[0]["added"] == frozenset({date(2025, 12, 24)})
    assert OrganisationChange.objects.get().actor == admin_client.user


def test_the_admin_refuses_a_weekend_closure_day(admin_client, calendar_events):
    response = admin_client.post(
        reverse("admin:organisation_closureday_add"),
        {"date": "2025-12-27", "description": "Saturday"},
    )
    assert response.status_code == 200
    assert "weekend day or a bank holiday" in response.content.decode()
    assert not ClosureDay.objects.exists()
    assert calendar_events == []


def test_deleting_a_closure_day_in_the_admin_goes_through_the_service(
    admin_client, calendar_events
):
    day = ClosureDay.objects.create(date=date(2025, 12, 24), description="Christmas Eve")
    url = reverse("admin:organisation_closureday_delete", args=[day.pk])
    page = admin_client.get(url)
    assert "Removing a closure day shortens deadlines." in page.content.decode()
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not ClosureDay.objects.exists()
    assert calendar_events[0]["removed"] == frozenset({date(2025, 12, 24)})


def test_bulk_deleting_closure_days_sends_one_signal_each(admin_client, calendar_events):
    days = [
        ClosureDay.objects.create(date=date(2025, 12, d), description="Christmas") for d in (29, 30)
    ]
    response = admin_client.post(
        reverse("admin:organisation_closureday_changelist"),
        {"action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"},
    )
    assert response.status_code == 302
    assert not ClosureDay.objects.exists()
    assert len(calendar_events) == 2


def test_the_organisation_list_goes_straight_to_the_one_row(admin_client):
    organisation = Organisation.objects.get()
    response = admin_client.get(reverse("admin:organisation_organisation_changelist"))
    assert response.status_code == 302
    assert response.url == reverse("admin:organisation_organisation_change", args=[organisation.pk])


def test_a_second_organisation_cannot_be_added_or_the_first_deleted(admin_client):
    organisation = Organisation.objects.get()
    assert admin_client.get(reverse("admin:organisation_organisation_add")).status_code == 403
    delete = reverse("admin:organisation_organisation_delete", args=[organisation.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Organisation.objects.count() == 1


def test_saving_settings_in_the_admin_records_the_change(admin_client):
    organisation = Organisation.objects.get()
    url = reverse("admin:organisation_organisation_change", args=[organisation.pk])
    assert admin_client.get(url).status_code == 200
    form = {
        "name": "Riverside Example Homes",
        "address": "",
        "phone": "",
        "email": "",
        "website": "",
        "complaints_page_url": "",
        "member_responsible_for_complaints": "",
        "senior_lead": "",
        "ombudsman_contact": organisation.ombudsman_contact,
        "building_safety_regulator_contact": organisation.building_safety_regulator_contact,
        "reporting_year_start_month": "4",
        "stage1_requires_sign_off": "on",
        "escalation_window_days": "20",
        "first_contact_target_days": "3",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation.refresh_from_db()
    assert organisation.name == "Riverside Example Homes"
    assert organisation.stage2_requires_sign_off is False
    event = OrganisationChange.objects.get()
    assert event.changes == {
        "name": ["", "Riverside Example Homes"],
        "stage2_requires_sign_off": [True, False],
    }


def test_the_category_and_reference_pages_render(admin_client):
    for name in (
        "admin:organisation_category_changelist",
        "admin:organisation_exclusionreason_changelist",
        "admin:organisation_businessarea_changelist",
        "admin:organisation_stockcount_changelist",
        "admin:organisation_organisationchange_changelist",
    ):
        assert admin_client.get(reverse(name)).status_code == 200


def test_a_top_level_category_page_lists_its_sub_categories(admin_client):
    repairs = Category.objects.get(parent=None, name="Repairs")
    response = admin_client.get(reverse("admin:organisation_category_change", args=[repairs.pk]))
    assert response.status_code == 200
    assert "Standard of repair work" in response.content.decode()
