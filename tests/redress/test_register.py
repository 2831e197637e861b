"""The payments register: hand-worked totals (count, sum, share of payments of £100 or less),
every filter, permissions, bounded queries, and the CSV and XLSX exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.complaints.models import Complaint
from putright.organisation.models import Category
from putright.redress.selectors import RegisterFilters, register_queryset, register_totals
from tests.redress.conftest import payment, respond_with

D = dt.date
REGISTER = "/compensation/register/"


@pytest.fixture
def categories(db):
    return (
        Category.objects.create(name="Repairs (test)"),
        Category.objects.create(name="Anti-social behaviour (test)"),
    )


@pytest.fixture
def five(handler, categories):
    """Five payments worked by hand:

    | amount     | heads                          | offered    | category | ombudsman | status   |
    | £50.00     | distress                       | 1 Jun 2025 | repairs  | none      | paid     |
    | £100.00    | time and trouble               | 1 Jun 2025 | repairs  | none      | paid     |
    | £100.01    | complaint handling             | 31 Mar 2025| repairs  | none      | offered  |
    | £600.00    | distress £400 + costs £200     | 1 Jun 2025 | ASB      | ordered   | approved |
    | £1,250.50  | distress                       | 2 Jan 2026 | ASB      | recommended | paid   |

    Offered £2,100.51 in 5 offers; paid £1,400.50 in 3 payments, of which 2 (£50 and £100) are
    £100 or less: 2 of 3 = 66.7%. The £100.01 offer and the £600 approval are not payments.
    """
    repairs, asb = categories
    first = respond_with(handler, [])
    second = respond_with(handler, [])
    Complaint.objects.filter(pk=first.complaint_id).update(category=repairs)
    Complaint.objects.filter(pk=second.complaint_id).update(category=asb)
    paid = {"status": "paid", "paid_on": D(2025, 6, 10), "method": "cheque"}
    return [
        payment(first, 5_000, **paid),
        payment(first, 10_000, head="time_trouble_pence", **paid),
        payment(first, 10_001, head="complaint_handling_pence", offered_on=D(2025, 3, 31)),
        payment(
            second,
            60_000,
            distress_pence=40_000,
            costs_pence=20_000,
            ombudsman="ordered",
            status="approved",
        ),
        payment(second, 125_050, offered_on=D(2026, 1, 2), ombudsman="recommended", **paid),
    ]


def totals(**filters):
    return register_totals(register_queryset(RegisterFilters(**filters)))


def test_totals_worked_by_hand(five):
    figures = totals()
    assert figures.count == 5
    assert figures.total_pence == 210_051
    assert (figures.paid_count, figures.paid_total_pence) == (3, 140_050)
    assert figures.paid_small_count == 2  # £50 and £100; £1,250.50 is over
    assert figures.small_share == pytest.approx(2 / 3)
    assert figures.heads_pence == {
        "distress_pence": 5_000 + 40_000 + 125_050,
        "time_trouble_pence": 10_000,
        "complaint_handling_pence": 10_001,
        "costs_pence": 20_000,
        "other_pence": 0,
    }
    assert sum(figures.heads_pence.values()) == figures.total_pence


def test_no_payments_have_no_share(db):
    figures = totals()
    assert (figures.count, figures.paid_count, figures.small_share) == (0, 0, None)


def test_each_filter(five, categories):
    repairs, asb = categories
    # Financial year 2025 (1 April 2025 to 31 March 2026): not the offer of 31 March 2025.
    assert (totals(year=2025).count, totals(year=2025).total_pence) == (4, 200_050)
    assert totals(year=2024).total_pence == 10_001
    assert totals(category_id=repairs.pk).total_pence == 25_001
    assert totals(category_id=asb.pk).total_pence == 185_050
    assert totals(head="costs_pence").total_pence == 60_000
    assert totals(head="distress_pence").count == 3
    assert totals(band="50-100").total_pence == 5_000
    assert totals(band="100-600").total_pence == 20_001  # £100 and £100.01
    assert totals(band="600-1000").total_pence == 60_000
    assert totals(band="1000+").total_pence == 125_050
    assert totals(band="below").count == 0
    assert totals(ombudsman="ordered").total_pence == 60_000
    assert totals(ombudsman="none").count == 3
    assert totals(status="paid").total_pence == 5_000 + 10_000 + 125_050
    figures = totals(year=2025, status="paid", category_id=repairs.pk)
    assert (figures.count, figures.total_pence, figures.small_share) == (2, 15_000, 1.0)


# The page ---------------------------------------------------------------------------------------


def test_the_page_shows_the_totals_and_guidance(client, manager, five):
    client.force_login(manager)
    response = client.get(REGISTER)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-total="count">5<' in html
    assert 'data-total="sum">£2,100.51<' in html
    assert 'data-total="paid">3 payments totalling £1,400.50<' in html
    assert "2 of 3 (66.7%)" in html
    assert "Ombudsman band £600 to £1,000 (unconfirmed)" in html
    assert "Ombudsman band £100 to £600<" in html
    assert "Ordered by the Ombudsman" in html


def test_the_page_filters(client, manager, five, categories):
    client.force_login(manager)
    response = client.get(REGISTER, {"year": "2025", "status": "paid"})
    html = response.content.decode()
    assert 'data-total="count">3<' in html
    assert 'data-total="sum">£1,400.50<' in html
    assert "2 of 3 (66.7%)" in html


def test_a_filter_that_is_not_a_choice_is_shown_as_an_error(client, manager, five):
    client.force_login(manager)
    response = client.get(REGISTER, {"band": "huge"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert 'data-total="count">5<' in response.content.decode()  # the rest still apply


@pytest.mark.parametrize("role", ["Case handler", "Quality reviewer", "Board member"])
def test_only_complaints_managers_see_the_register(client, db, role):
    from tests.people.factories import StaffUserFactory

    client.force_login(StaffUserFactory(role=role))
    assert client.get(REGISTER).status_code == 403
    assert client.get(reverse("redress:register-csv")).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client, db):
    assert client.get(REGISTER).status_code == 302


def test_the_navigation_links_to_the_register_for_managers_only(client, manager, handler):
    client.force_login(manager)
    assert f'href="{REGISTER}"' in client.get("/").content.decode()
    client.force_login(handler)
    assert f'href="{REGISTER}"' not in client.get("/").content.decode()


def _queries(client, path: str, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, data or {})
    assert response.status_code == 200
    return len(captured)


def test_the_page_costs_the_same_few_queries_however_many_payments(client, manager, handler):
    client.force_login(manager)
    stage = respond_with(handler, [])
    for _ in range(3):
        payment(stage, 7_500)
    few = _queries(client, REGISTER)
    for _ in range(60):  # more than a page
        payment(stage, 12_000, ombudsman="ordered")
    many = _queries(client, REGISTER)
    second_page = _queries(client, REGISTER, {"page": "2", "status": "offered"})
    assert few == many == second_page
    # Session, user, permissions (2), the year range (2), categories, the totals, the page,
    # band confirmations, then the layout's organisation name and roles: no query per row, and
    # no separate COUNT for the paginator.
    assert many == 12


# Exports ----------------------------------------------------------------------------------------


def test_csv_export_has_every_matching_payment_in_pounds(client, manager, five):
    client.force_login(manager)
    response = client.get(reverse("redress:register-csv"), {"ombudsman": "ordered"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["Complaint", "Stage", "Category", "Offered on", "Amount (£)"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Amount (£)"] == "600"
    assert row["Distress and inconvenience (£)"] == "400"
    assert row["Costs incurred (£)"] == "200"
    assert row["Ombudsman band"] == "£600 to £1,000"
    assert row["Ombudsman"] == "Ordered by the Ombudsman"
    assert row["Category"] == "Anti-social behaviour (test)"


def test_xlsx_export_opens_with_the_same_rows(client, manager, five):
    from openpyxl import load_workbook

    client.force_login(manager)
    response = client.get(reverse("redress:register-xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 6
    header = rows[0]
    amounts = sorted(row[header.index("Amount (£)")] for row in rows[1:])
    assert [str(a) for a in amounts] == ["50", "100", "100.01", "600", "1250.5"]


def test_xlsx_export_keeps_text_that_looks_like_a_formula_as_text(client, manager, five):
    from openpyxl import load_workbook

    from putright.redress.models import Compensation

    typed = '=HYPERLINK("https://example.com","Pay")'
    Compensation.objects.filter(pk=five[0].pk).update(payment_reference=typed)
    client.force_login(manager)

    sheet = load_workbook(io.BytesIO(client.get(reverse("redress:register-xlsx")).content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == typed]

    assert len(cells) == 1
    assert (cells[0].data_type, cells[0].quotePrefix) == ("s", True)


@pytest.mark.parametrize("export", ["redress:register-csv", "redress:register-xlsx"])
def test_an_export_with_a_confidential_complaint_is_in_the_security_log(
    client, manager, five, export
):
    from putright.core.models import SecurityEvent

    confidential = five[3].complaint  # the £600 payment's complaint
    Complaint.objects.filter(pk=confidential.pk).update(is_confidential=True)
    client.force_login(manager)

    assert client.get(reverse(export)).status_code == 200

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.CONFIDENTIAL_READ)
    assert event.details["references"] == [confidential.reference]
    assert "export" in event.details["where"]
