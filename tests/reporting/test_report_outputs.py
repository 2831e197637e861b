"""The figures as the board and the command line get them: the page, JSON, and the report as
HTML, PDF, XLSX and CSV."""

from __future__ import annotations

import datetime as dt
import io
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from putright.accounts.roles import BOARD_MEMBER, CASE_HANDLER, COMPLAINTS_MANAGER
from putright.organisation.selectors import get_organisation
from tests.accounts.helpers import make_staff

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_the_json_holds_every_figure_the_issue_names(landlord, set_today):
    set_today(dt.date(2026, 6, 1))
    data = json.loads(_run("annual", "--year", "2025-26", "--format", "json"))

    assert (data["period"]["start"], data["period"]["end"]) == ("2025-04-01", "2026-03-31")
    assert data["stage1"]["received"] == 5
    assert data["stage1"]["responded"] == 3
    assert data["stage1"]["responded_within_code"] == 2
    assert data["stage1"]["acknowledged_within_code"] == 3
    assert (data["stage2"]["received"], data["stage2"]["responded"]) == (1, 1)
    assert data["stage2"]["responded_within_code"] == 1
    assert data["not_accepted"] == {
        "total": 1,
        "by_reason": {"The matter is the subject of legal proceedings": 1},
    }
    assert data["escalation_rate_pct"] == {"numerator": 1, "denominator": 3, "value": 33.3}
    ch01 = data["tsm"]["CH01"]
    assert {g: ch01["stage1_per_1000"][g]["value"] for g in ("LCRA", "LCHO", "all")} == {
        "LCRA": 3.0,
        "LCHO": 5.0,
        "all": 3.3,
    }
    assert ch01["stage2_per_1000"]["LCHO"]["value"] == 5.0
    ch02 = data["tsm"]["CH02"]
    assert ch02["stage1_pct"]["all"] == {"numerator": 2, "denominator": 3, "value": 66.7}
    assert ch02["stage2_pct"]["LCRA"]["value"] is None
    # No determination in the year: no findings, and a rate that cannot be worked out (not 0%).
    assert data["ombudsman"]["findings"] == {}
    assert data["ombudsman"]["maladministration_rate_pct"]["value"] is None


def test_a_quarter_and_a_csv_file(landlord, tmp_path, set_today):
    set_today(dt.date(2026, 6, 1))
    out = tmp_path / "q1.csv"
    message = _run(
        "quarter", "--year", "2025", "--quarter", "1", "--format", "csv", "--out", str(out)
    )
    assert "2025-26 Q1" in message
    text = out.read_text()
    # April to June 2025: stage 1 received B and C, answered A, B and C.
    assert "Stage 1 complaints received,2,0" in text
    assert "Stage 1 responses,3,0" in text
    assert "Tenant Satisfaction Measures, 2025-26 Q1" in text


@pytest.mark.parametrize("fmt", ["json", "html", "pdf", "xlsx", "csv"])
def test_every_format_goes_to_a_file(landlord, tmp_path, set_today, fmt):
    set_today(dt.date(2026, 6, 1))
    organisation = get_organisation()
    organisation.name = "Greenway Homes"
    organisation.save()
    out = tmp_path / f"report.{fmt}"

    message = _run("annual", "--year", "2025-26", "--format", fmt, "--out", str(out))

    assert f"Wrote the 2025-26 {fmt.upper()} to {out}" in message
    content = out.read_bytes()
    if fmt == "json":
        assert json.loads(content)["stage1"]["received"] == 5
    elif fmt == "pdf":
        assert content.startswith(b"%PDF-")
    elif fmt == "xlsx":
        assert load_workbook(io.BytesIO(content)).sheetnames[0] == "Report"
    else:  # the report itself, under the landlord's name, as a draft
        text = content.decode()
        assert "Stage 1 complaints received" in text
        if fmt == "html":
            assert '<h1 class="report-title">Complaints performance and service' in text
            assert '<p class="report-landlord">Greenway Homes</p>' in text
            assert "Draft." in text


def test_a_quarter_is_the_board_report_and_html_can_go_to_standard_output(landlord, set_today):
    set_today(dt.date(2026, 6, 1))
    html = _run("quarter", "--year", "2025-26", "--quarter", "1", "--format", "html")
    assert "<title>Complaints board report 2025-26 Q1" in html
    assert "Volumes, categories, outcomes and performance" in html


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_a_binary_format_without_a_file_is_refused(db, fmt):
    with pytest.raises(CommandError, match="--out"):
        _run("annual", "--year", "2025-26", "--format", fmt)


@pytest.mark.parametrize("year", ["2025-27", "25/26", "next year"])
def test_a_year_that_is_not_one_is_refused_with_a_message(db, year):
    with pytest.raises(CommandError, match="reporting year"):
        _run("annual", "--year", year)


def test_the_board_and_managers_read_the_page_and_handlers_do_not(client, landlord, set_today):
    set_today(dt.date(2026, 6, 1))
    url = reverse("reporting:annual", args=[2025])
    for role, status in ((BOARD_MEMBER, 200), (COMPLAINTS_MANAGER, 200), (CASE_HANDLER, 403)):
        client.force_login(make_staff(role, email=f"{role.split()[0].lower()}@example.org"))
        assert client.get(url).status_code == status, role
        assert client.get(reverse("reporting:index")).status_code == status, role


def test_the_page_shows_the_year_beside_the_one_before_and_no_resident(client, landlord, set_today):
    set_today(dt.date(2026, 6, 1))
    client.force_login(make_staff(BOARD_MEMBER))
    html = client.get(reverse("reporting:annual", args=[2025])).content.decode()
    assert "Complaint figures 2025-26" in html
    assert 'govuk-table__header--numeric">2024-25</th>' in html
    assert "66.7% (2 of 3)" in html  # CH02 stage 1, both groups
    assert "made no determination on our complaints in this period" in html
    # Months as a reader says them, from April to March.
    assert html.index(">April 2025<") < html.index(">December 2025<") < html.index(">March 2026<")
    assert ">2025-04<" not in html
    for complaint in landlord.values():
        assert complaint.reference not in html
        assert f"{complaint.complainant.first_name} {complaint.complainant.last_name}" not in html


def test_a_year_outside_the_code_or_to_come_is_not_found(client, db, set_today):
    set_today(dt.date(2026, 6, 1))
    client.force_login(make_staff(BOARD_MEMBER))
    assert client.get(reverse("reporting:annual", args=[2023])).status_code == 404
    assert client.get(reverse("reporting:annual", args=[2027])).status_code == 404


def test_the_page_costs_a_bounded_number_of_queries(
    client, landlord, set_today, django_assert_max_num_queries
):
    set_today(dt.date(2026, 6, 1))
    client.force_login(make_staff(BOARD_MEMBER))
    # Two periods of figures (this year and the one before), each a fixed set of aggregates;
    # compliments, contacts, surveys and the equality profile add at most seven a period (three
    # of them only when a period has none of a kind, to tell "none" from "not recorded").
    with django_assert_max_num_queries(110):
        client.get(reverse("reporting:annual", args=[2025]))
