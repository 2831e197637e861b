"""No page a signed-in person sees is kept by a browser or proxy (ASVS V8): every response to
them says ``Cache-Control: no-store``. Signed-out pages and static files are left alone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from putright.complaints import services
from putright.complaints.models import Channel
from tests.accounts.helpers import make_staff
from tests.people.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {d.strip() for d in response.headers.get("Cache-Control", "").split(",")}
    return "no-store" in directives


@pytest.fixture
def manager(db):
    return make_staff("Complaints manager")


@pytest.fixture
def complaint(manager):
    return services.complaint_log(
        acting_user=manager,
        complainant=ResidentFactory(),
        channel=Channel.PHONE,
        received_at=dt.datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/London")),
        description="Nobody has fixed the damp in my bedroom since May.",
    )


@pytest.mark.parametrize(
    "path",
    [
        "/",  # home
        "/cases/",  # the queues (a redirect to the first one)
        "/cases/queues/mine/",  # a queue
        "/cases/queues/unallocated/?q=damp",  # a queue, searched
        "/cases/log/",  # a form
        "{case}",  # a case page
        "/account/password/",  # changing one's password
        "/no-such-page/",  # even a page that is not there
    ],
)
def test_every_page_a_signed_in_person_sees_is_no_store(client, manager, complaint, path):
    client.force_login(manager)

    response = client.get(path.format(case=f"/cases/{complaint.reference}/"))

    assert response.status_code in (200, 302, 404)
    assert no_store(response), response.headers.get("Cache-Control")
    assert "private" in response.headers["Cache-Control"]


def test_htmx_fragments_are_no_store_too(client, manager, complaint):
    client.force_login(manager)

    response = client.get("/cases/queues/unallocated/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert no_store(response)


@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/user/", "/admin/axes/accesslog/"])
def test_admin_pages_are_no_store(client, administrator, path):
    client.force_login(administrator)

    response = client.get(path)

    assert response.status_code == 200
    assert no_store(response)


def test_static_files_stay_cacheable_when_signed_in(client, manager):
    client.force_login(manager)

    response = client.get("/static/app.css")

    assert response.status_code == 200
    assert not no_store(response)


def test_signed_out_pages_keep_their_own_caching(client):
    # The password reset page sets no caching of its own; signed out, nothing is added.
    response = client.get("/password-reset/")

    assert response.status_code == 200
    assert "Cache-Control" not in response.headers
