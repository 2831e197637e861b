"""A published report holds no personal data: a small demo landlord's annual report, published,
is searched for every resident's name and address and every complaint reference, in the frozen
JSON and on the public page; and no breakdown shows a count from 1 to 4."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.urls import reverse

from putright.complaints.models import Complaint
from putright.demo.generator import DemoGenerator
from putright.people.models import Property, Representative, Resident
from putright.reporting import contents, editions, services
from tests.accounts.helpers import make_staff

pytestmark = pytest.mark.django_db

AS_AT = dt.date(2025, 5, 20)  # the demo's history runs from 1 April 2024: 2024-25 is whole
SCALE = 0.02  # 160 homes: small groups everywhere


def _personal_data() -> set[str]:
    found = set(Complaint.objects.values_list("reference", flat=True))
    for first, last, address in Resident.objects.values_list(
        "first_name", "last_name", "correspondence_address"
    ):
        found.add(f"{first} {last}".strip())
        found.update(line.strip() for line in address.splitlines() if line.strip())
    for line_1, postcode in Property.objects.values_list("address_line_1", "postcode"):
        found.update({line_1, postcode})
    for name, address in Representative.objects.values_list("name", "address"):
        found.add(name)
        found.update(line.strip() for line in address.splitlines() if line.strip())
    # A town alone names nobody (and this landlord is named after its town).
    towns = set(Property.objects.values_list("town", flat=True))
    return {text for text in found if len(text) > 3 and text not in towns}


def test_the_published_demo_report_names_nobody_and_hides_small_counts(client, set_today):
    DemoGenerator(seed=2024, scale=SCALE, as_at=AS_AT, stdout=StringIO()).run()
    set_today(AS_AT + dt.timedelta(days=7))
    manager = make_staff("Complaints manager")
    edition = services.edition_start(acting_user=manager, kind=contents.ANNUAL, reporting_year=2024)
    edition = services.edition_record_response(
        acting_user=manager,
        edition=edition,
        response="The board accepts the report.",
        meeting_on=AS_AT,
        minute="2025/12",
        member="Priya Shah",
        expected_revision=edition.revision,
    )
    edition = services.edition_publish(
        acting_user=manager, edition=edition, expected_revision=edition.revision
    )

    frozen = json.dumps(edition.document)
    html = client.get(reverse("published:edition", args=[2024, "annual", 1])).content.decode()
    personal = _personal_data()
    assert Complaint.objects.count() > 5 and len(personal) > 50  # the search has something to find
    assert sorted(text for text in personal if text in frozen) == []
    assert sorted(text for text in personal if text in html) == []

    document = editions.document_from_json(edition.document)
    breakdowns = [
        table
        for section in document.sections
        for table in section.tables
        if table.key not in editions.TOTALS
    ]
    assert {t.key for t in breakdowns} >= {"categories", "channels", "not_accepted"}
    small = [
        (table.key, row[0], cell)
        for table in breakdowns
        for row in table.rows
        for cell in row[1:]
        if re.fullmatch(r"[1-4]", cell)
    ]
    assert small == []
    assert any("fewer than 5" in cell for t in breakdowns for row in t.rows for cell in row)
    assert "fewer than 5" in html
