"""The report's tables, laid out once from ``annual.figures`` for every format that shows them
(the page, CSV, and later the PDF and the spreadsheet): a title, column headings and rows of
display text, the period's figure beside the year before's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from putright.core.money import pounds

__all__ = ["Table", "sections", "tsm_table"]


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""
    # Per row, the key of the figure a manager can open to see the complaints behind it (the
    # period's own column), or None where there is no list to show.
    drill: list[str | None] = field(default_factory=list)


def _count(value: Any) -> str:
    return "n/a" if value is None else f"{value:,}"


def _rate(ratio: dict, suffix: str = "%") -> str:
    return "n/a" if ratio["value"] is None else f"{ratio['value']:.1f}{suffix}"


def _days(value: Any) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _compare(key: str, title: str, this: dict, before: dict, rows, note: str = "") -> Table:
    """A table of one figure per row, this period beside the one before."""
    return Table(
        key,
        title,
        ["", this["period"]["label"], before["period"]["label"]],
        [[label, show(pick(this)), show(pick(before))] for label, pick, show in rows],
        note,
    )


def _keyed(key: str, title: str, this: dict, before: dict, pick, note: str = "") -> Table:
    """A table of a breakdown (reasons, channels): every key either period has."""
    now, then = pick(this), pick(before)
    keys = list(now) + [k for k in then if k not in now]
    return Table(
        key,
        title,
        ["", this["period"]["label"], before["period"]["label"]],
        [[k, _count(now.get(k, 0)), _count(then.get(k, 0))] for k in keys],
        note,
    )


def _stage_rows(stage: int) -> list:
    s = f"stage{stage}"
    return [
        (f"Stage {stage} complaints received", lambda f: f[s]["received"], _count),
        (f"Stage {stage} responses", lambda f: f[s]["responded"], _count),
        (
            f"Stage {stage} responses within the Code's timescales",
            lambda f: f[s]["within_code_pct"],
            _rate,
        ),
        (
            f"Stage {stage} responses within the first date (no extension)",
            lambda f: f[s]["within_initial_pct"],
            _rate,
        ),
        (
            f"Stage {stage} acknowledged within 5 working days",
            lambda f: f[s]["acknowledged_within_code_pct"],
            _rate,
        ),
        (
            f"Stage {stage} mean working days to respond",
            lambda f: f[s]["working_days_to_respond"]["mean"],
            _days,
        ),
        (
            f"Stage {stage} median working days to respond",
            lambda f: f[s]["working_days_to_respond"]["median"],
            _days,
        ),
    ]


def sections(this: dict, before: dict) -> list[Table]:
    """Every table of the annual report, in the order of Code 8.1's analysis."""
    volumes = [
        *_stage_rows(1),
        *_stage_rows(2),
        ("Escalated to stage 2, of stage 1 responses", lambda f: f["escalation_rate_pct"], _rate),
        (
            "Stage 2 upheld where stage 1 did not uphold",
            lambda f: f["overturn_rate_pct"],
            _rate,
        ),
        ("Complaints not accepted", lambda f: f["not_accepted"]["total"], _count),
        ("Stage 2 requests refused", lambda f: f["escalation_refused"]["total"], _count),
        ("Complaints withdrawn", lambda f: f["withdrawn"], _count),
        (
            "Stage 1 complaints per 1,000 homes",
            lambda f: f["complaints_per_1000_homes"],
            lambda r: _rate(r, ""),
        ),
    ]
    outcome_rows = [
        (f"Stage {stage}: {label}", _pick_outcome(stage, key), _count)
        for stage in (1, 2)
        for key, label in (
            ("upheld", "upheld"),
            ("partly_upheld", "partly upheld"),
            ("not_upheld", "not upheld"),
        )
    ]
    money = [
        ("Payments made", lambda f: f["compensation"]["payments"], _count),
        ("Total paid", lambda f: f["compensation"]["total_pence"], pounds),
        (
            "Payments of £100 or less",
            lambda f: f["compensation"]["payments_100_or_less_pct"],
            _rate,
        ),
        (
            "Ordered by the Housing Ombudsman",
            lambda f: f["compensation"]["ordered_by_ombudsman_pence"],
            pounds,
        ),
    ]
    return [
        _compare(
            "volumes",
            "Complaints received and answered",
            this,
            before,
            volumes,
            "Counted in the year each thing happened: a complaint received in March and "
            "answered in April is received in one year and answered in the next.",
        ),
        _keyed(
            "not_accepted",
            "Complaints not accepted, by the reason in our policy (Code 8.1 b)",
            this,
            before,
            lambda f: f["not_accepted"]["by_reason"],
        ),
        _compare("outcomes", "Outcomes of responses", this, before, outcome_rows),
        _categories(this),
        _areas(this),
        _keyed("channels", "How stage 1 complaints arrived", this, before, lambda f: f["channels"]),
        _keyed(
            "root_causes",
            "Root causes found in responses",
            this,
            before,
            lambda f: f["root_causes"],
            "A response may find more than one root cause.",
        ),
        _months(this, before),
        _compare("compensation", "Compensation paid", this, before, money),
    ]


def _pick_outcome(stage: int, key: str):
    return lambda f: f[f"stage{stage}"]["outcomes"][key]


def _categories(this: dict) -> Table:
    return Table(
        "categories",
        f"Stage 1 complaints by category, {this['period']['label']}",
        ["Category", "Received", "Responses", "Upheld", "Partly upheld", "Not upheld"],
        [
            [
                row["category"],
                _count(row["received"]),
                _count(row["responded"]),
                _count(row["upheld"]),
                _count(row["partly_upheld"]),
                _count(row["not_upheld"]),
            ]
            for row in this["categories"]
        ],
    )


def _areas(this: dict) -> Table:
    return Table(
        "business_areas",
        f"Responses by business area, {this['period']['label']}",
        ["Business area", "Responses", "Within the Code's timescales"],
        [
            [row["business_area"], _count(row["responded"]), _rate(row["within_code_pct"])]
            for row in this["business_areas"]
        ],
    )


def _months(this: dict, before: dict) -> Table:
    then = list(before["monthly_received"].values())
    return Table(
        "months",
        "Stage 1 complaints received each month",
        ["Month", this["period"]["label"], before["period"]["label"]],
        [
            [month, _count(n), _count(then[i]) if i < len(then) else "n/a"]
            for i, (month, n) in enumerate(this["monthly_received"].items())
        ],
    )


def tsm_table(this: dict) -> Table:
    """CH01 and CH02 for LCRA, LCHO and both, with the raw counts behind each rate."""
    tsm = this["tsm"]

    def cell(ratio: dict, suffix: str) -> str:
        return f"{_rate(ratio, suffix)} ({ratio['numerator']:,} of {ratio['denominator']:,})"

    rows = [
        ["CH01 stage 1 complaints per 1,000 homes", "stage1_per_1000", "CH01", ""],
        ["CH01 stage 2 complaints per 1,000 homes", "stage2_per_1000", "CH01", ""],
        ["CH02 stage 1 responses within the Code's timescales", "stage1_pct", "CH02", "%"],
        ["CH02 stage 2 responses within the Code's timescales", "stage2_pct", "CH02", "%"],
    ]
    return Table(
        "tsm",
        f"Tenant Satisfaction Measures, {this['period']['label']}",
        ["Measure", "LCRA", "LCHO", "Both"],
        [
            [label, *(cell(tsm[code][key][g], suffix) for g in ("LCRA", "LCHO", "all"))]
            for label, key, code, suffix in rows
        ],
    )


def ombudsman_table(this: dict, before: dict) -> Table:
    """The Ombudsman's determinations, findings and the maladministration rate, with how
    mediation was counted in the note."""
    findings = [
        (key.replace("_", " ").capitalize(), _pick_finding(key), _count)
        for key in dict.fromkeys([*this["ombudsman"]["findings"], *before["ombudsman"]["findings"]])
    ]
    rows = [
        ("Determinations", lambda f: f["ombudsman"]["determinations"], _count),
        *findings,
        (
            "Maladministration rate",
            lambda f: f["ombudsman"]["maladministration_rate_pct"],
            _rate,
        ),
        ("Orders", lambda f: f["ombudsman"]["orders"], _count),
        ("Orders complied with in time", lambda f: f["ombudsman"]["orders_done_in_time"], _count),
        ("Requests for information", lambda f: f["ombudsman"]["requests"], _count),
        ("Requests answered in time", lambda f: f["ombudsman"]["requests_in_time"], _count),
        ("Complaint handling failure orders", lambda f: f["ombudsman"]["failure_orders"], _count),
    ]
    return _compare(
        "ombudsman",
        "Housing Ombudsman determinations",
        this,
        before,
        rows,
        f"Maladministration rate: {this['ombudsman']['mediation_note']}",
    )


def _pick_finding(key: str):
    return lambda f: f["ombudsman"]["findings"].get(key, 0)
