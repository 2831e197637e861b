"""The board's dashboard against the landlord worked by hand in ``dashboard_data``: its figures
are the reports' figures, its charts are SVG with a text alternative and the numbers of the
table beside them, it names nobody, and it costs the same queries however much data there is."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.complaints.models import Complaint
from putright.reporting import charts
from putright.reporting.annual import figures
from putright.reporting.dashboard import dashboard, risks_now
from putright.reporting.periods import quarter, quarter_of, reporting_year
from tests.accounts.helpers import make_staff
from tests.reporting.dashboard_data import TODAY, log

pytestmark = pytest.mark.django_db

D = dt.date
URL = "/reports/dashboard/"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def html(at_risk, set_today, client):
    set_today(TODAY)
    client.force_login(make_staff("Board member"))
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


# --- reading the page back ----------------------------------------------------------------------


class _Tables(HTMLParser):
    """Each table's rows (header and data cells as text), by the table's id."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs)["id"], [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("th", "td") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._table[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_in(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def svg_in(html: str, key: str) -> ET.Element:
    found = re.search(rf'<svg [^>]*aria-labelledby="{key}-chart-title.*?</svg>', html, re.S)
    assert found, f"no chart {key}"
    return ET.fromstring(found.group(0))


def plotted(svg: ET.Element, key: str, series: int) -> list[tuple[float, float]]:
    """The points of a series' line, as drawn (x, y in the SVG's units)."""
    line = next(g for g in svg.iter(f"{SVG}g") if g.get("id") == f"{key}-series-{series}")
    path = line.find(f"{SVG}path").get("d")
    return [(float(x), float(y)) for x, y in re.findall(r"[ML] ([\d.]+) ([\d.]+)", path)]


# --- periods and figures ------------------------------------------------------------------------


def test_the_quarter_of_a_day_is_its_reporting_years_quarter(db):
    q = quarter_of(TODAY)
    assert (q.label, q.start, q.end) == ("2025-26 Q4", D(2026, 1, 1), D(2026, 3, 31))
    assert quarter_of(D(2025, 4, 1)).label == "2025-26 Q1"
    assert quarter_of(D(2025, 12, 31)).label == "2025-26 Q3"


def test_the_dashboards_figures_are_the_reports_figures_for_the_same_periods(at_risk):
    board = dashboard(today=TODAY)
    assert board.quarter == quarter(2025, 4)
    assert board.year == reporting_year(2025)
    # The same figures, but for the equality profile, which the dashboard does not show.
    assert board.quarter_figures == figures(quarter(2025, 4), equality=False)
    assert board.year_figures == figures(reporting_year(2025), equality=False)
    assert board.year_figures["equality"] is None


def test_the_quarter_and_the_year_to_date_on_the_page(html):
    rows = {row[0]: row[1:] for row in tables_in(html)["headline"][1:]}
    q, y = figures(quarter(2025, 4)), figures(reporting_year(2025))
    # Hand-worked in dashboard_data, and the same numbers annual.figures gives.
    assert rows["Stage 1 complaints received"] == ["6", "10"]
    assert [q["stage1"]["received"], y["stage1"]["received"]] == [6, 10]
    assert rows["Stage 1 responses"] == ["1", "4"]
    assert rows["Stage 1 responses within the Code's timescales"] == [
        "100.0% (1 of 1)",
        "75.0% (3 of 4)",
    ]
    assert rows["Stage 2 complaints received"] == ["0", "1"]
    assert rows["Complaints not accepted"] == [
        str(q["not_accepted"]["total"]),
        str(y["not_accepted"]["total"]),
    ]
    assert tables_in(html)["headline"][0] == [
        "Figure",
        "This quarter (2025-26 Q4)",
        "Year to date (2025-26)",
    ]


def test_breaches_and_risks_today_count_what_the_queues_and_trackers_count(at_risk):
    risks = risks_now(today=TODAY)
    assert (risks.acknowledgements_overdue, risks.responses_overdue) == (2, 1)  # F, H; I
    assert (risks.due_soon, risks.due_until) == (2, D(2026, 3, 9))  # J, K
    assert risks.extended == 1  # K
    assert risks.actions_overdue == 1
    assert (risks.ombudsman_orders_overdue, risks.ombudsman_orders_due_soon) == (1, 1)
    assert (risks.ombudsman_requests_overdue, risks.ombudsman_requests_due_soon) == (1, 1)


def test_the_risks_table_on_the_page(html):
    rows = {row[0]: row[1] for row in tables_in(html)["risks"][1:]}
    assert rows == {
        "Complaints not acknowledged by their Code deadline": "2",
        "Complaints not responded to by their Code deadline": "1",
        "Complaints due today or by 9 March 2026": "2",
        "Open complaints on an extension": "1",
        "Promised actions overdue": "1",
        "Housing Ombudsman orders overdue": "1",
        "Housing Ombudsman orders due by 9 March 2026": "1",
        "Housing Ombudsman requests for information overdue": "1",
        "Housing Ombudsman requests for information due by 9 March 2026": "1",
    }


# --- the charts ---------------------------------------------------------------------------------

RECEIVED_2025 = ["1", "0", "1", "1", "0", "1", "0", "0", "0", "2", "3", "1"]  # B; C; D; F; ...


def test_stage_1_received_by_month_against_the_year_before(html):
    rows = tables_in(html)["received"]
    assert rows[0] == ["Month", "2025-26", "2024-25"]
    assert [row[0] for row in rows[1:]] == [
        "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "January", "February", "March",
    ]  # fmt: skip
    # April B; June C; July D; September F; January I, L; February H, J, K; March G (31st).
    assert [row[1] for row in rows[1:]] == RECEIVED_2025
    assert [row[2] for row in rows[1:]] == ["0"] * 11 + ["1"]  # A, 31 March 2025
    # The months add up to the year's figure in the reports.
    assert sum(map(int, RECEIVED_2025)) == figures(reporting_year(2025))["stage1"]["received"]


def test_responses_within_the_code_by_month_add_up_to_the_years_figures(html):
    rows = {row[0]: row[1:] for row in tables_in(html)["timeliness"][1:]}
    assert rows["April 2025"] == ["100.0% (1 of 1)", "no responses"]  # A
    assert rows["May 2025"] == ["100.0% (1 of 1)", "100.0% (1 of 1)"]  # B, in its extension
    assert rows["June 2025"] == ["0.0% (0 of 1)", "no responses"]  # C, late
    assert rows["January 2026"] == ["100.0% (1 of 1)", "no responses"]  # L
    assert rows["March 2026"] == ["no responses", "no responses"]
    year = figures(reporting_year(2025))
    for stage, column in ((1, 0), (2, 1)):
        counts = [re.search(r"\((\d+) of (\d+)\)", row[column]) for row in rows.values()]
        within = sum(int(m.group(1)) for m in counts if m)
        responded = sum(int(m.group(2)) for m in counts if m)
        assert (within, responded) == (
            year[f"stage{stage}"]["responded_within_code"],
            year[f"stage{stage}"]["responded"],
        )


def test_months_still_to_come_are_not_drawn_as_nought(at_risk, set_today, client):
    set_today(D(2025, 6, 20))
    client.force_login(make_staff("Board member"))
    rows = tables_in(client.get(URL).content.decode())["received"]
    assert [row[1] for row in rows[1:]] == ["1", "0", "1"] + ["not yet"] * 9


@pytest.mark.parametrize("key", ["received", "timeliness"])
def test_each_chart_is_an_svg_image_with_its_text_alternative(html, key):
    svg = svg_in(html, key)
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    heading = re.search(rf'<h3 [^>]*id="chart-{key}">(.*?)</h3>', html).group(1)
    assert title.text == unescape(heading)  # named as the heading above it says
    assert "The table beside it" in desc.text
    assert svg.get("viewBox") and not svg.get("height")  # scales with its column


def test_the_chart_titles_and_summaries(html):
    received = svg_in(html, "received")
    assert received.find(f"{SVG}title").text == "Stage 1 complaints received each month"
    # So far: 10 this year; the same months of 2024-25 held A only (31 March 2025).
    assert "10 so far this year, against 1 in the same months of 2024-25" in (
        received.find(f"{SVG}desc").text
    )
    timeliness = svg_in(html, "timeliness")
    assert "stage 1: 3 of 4; stage 2: 1 of 1" in timeliness.find(f"{SVG}desc").text


@pytest.mark.parametrize("key", ["received", "timeliness"])
def test_each_chart_draws_the_numbers_of_the_table_beside_it(html, key):
    """Each line's points are the table's numbers under one linear scale (the y axis)."""
    svg = svg_in(html, key)
    rows = tables_in(html)[key][1:]
    for series in (0, 1):
        shown = [re.match(r"[\d.]+", row[series + 1]) for row in rows]
        numbers = [float(found.group(0)) for found in shown if found]
        ys = [y for _, y in plotted(svg, key, series)]
        assert len(ys) == len(numbers)
        low, high = numbers.index(min(numbers)), numbers.index(max(numbers))
        if numbers[low] == numbers[high]:
            assert ys == [ys[0]] * len(ys)
            continue
        scale = (ys[high] - ys[low]) / (numbers[high] - numbers[low])
        assert scale < 0  # more is drawn higher up
        for number, y in zip(numbers, ys, strict=True):
            assert y == pytest.approx(ys[low] + scale * (number - numbers[low]), abs=0.01)


def test_charts_are_the_same_bytes_for_the_same_numbers_and_obey_the_csp(at_risk):
    board = dashboard(today=TODAY)
    for chart in board.charts:
        drawn = charts.svg(chart)
        assert drawn == charts.svg(chart)
        assert "<style" not in drawn and "style=" not in drawn  # style-src 'self' only
        assert "<script" not in drawn and "xlink:" not in drawn
        assert "Matplotlib" not in drawn and "<metadata" not in drawn  # no dated credits


def test_ids_are_unique_on_the_page(html):
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_the_chart_table_cells_are_the_charts_numbers(at_risk):
    for chart in dashboard(today=TODAY).charts:
        table = charts.table(chart)
        for i, row in enumerate(table.rows):
            for series, cell in zip(chart.series, row[1:], strict=True):
                value = series.values[i]
                if value is not None:
                    shown = f"{value:.1f}%" if chart.percent else f"{value:,}"
                    assert cell.startswith(shown)


# --- who sees it, and what it shows -------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("Board member", 200), ("Complaints manager", 200), ("Case handler", 403)],
)
def test_the_board_and_managers_see_the_dashboard_and_case_handlers_do_not(client, role, status):
    client.force_login(make_staff(role))
    assert client.get(URL).status_code == status


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_the_dashboard_names_nobody(html, at_risk):
    for complaint in Complaint.objects.select_related("complainant", "handler"):
        resident = complaint.complainant
        assert complaint.reference not in html
        # The whole name: a surname alone may be a word the page has anyway ("May", "Page").
        assert f"{resident.first_name} {resident.last_name}" not in html
        assert complaint.handler.email not in html
    assert at_risk["case"].reference not in html


def test_the_board_home_leads_to_the_dashboard_and_the_reports(client):
    client.force_login(make_staff("Board member"))
    html = client.get(reverse("accounts:home")).content.decode()
    button = re.search(r'<a href="([^"]+)" role="button"[^>]*class="govuk-button[^"]*"', html)
    assert button and button.group(1) == URL
    assert 'href="/reports/"' in html


def test_the_reports_index_links_to_the_dashboard(client):
    client.force_login(make_staff("Complaints manager"))
    assert f'href="{URL}"' in client.get(reverse("reporting:index")).content.decode()


# --- cost ---------------------------------------------------------------------------------------


def test_the_page_costs_the_same_queries_however_many_complaints(at_risk, set_today, client):
    set_today(TODAY)
    client.force_login(make_staff("Board member"))
    client.get(URL)  # the organisation and the calendar, read once and kept
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    handler = at_risk["A"].handler
    for day in (5, 6, 7, 8, 9, 12, 13, 14):
        log(handler, D(2026, 1, day))
    with CaptureQueriesContext(connection) as larger:
        assert client.get(URL).status_code == 200
    assert len(larger) == len(small)
    assert len(small) <= 90  # annual.figures twice (about 35 each), then the risks and months
