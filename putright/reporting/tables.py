"""The report's tables, laid out once from ``annual.figures`` for every format that shows them
(the page, CSV, and later the PDF and the spreadsheet): a title, column headings and rows of
display text, the period's figure beside the year before's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from putright.core.money import pounds
from putright.reporting import drill as keys

__all__ = ["NOT_RECORDED", "Table", "headline", "sections", "tsm_table"]

NOT_RECORDED = "Not recorded in PutRight for this period."
NONE_IN_PERIOD = "None in this period."
EQUALITY_NOTE = (
    "Complainants are the people who made a stage 1 complaint received in the period, each "
    "counted once; all residents are tenants, shared owners, leaseholders and household members "
    "on our records. Shares include those whose answer is unknown."
)


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
    # What a table with no rows says instead: nothing happened, or nothing was ever recorded.
    empty: str = NONE_IN_PERIOD

    @property
    def linked_rows(self) -> list[tuple[list[str], str | None]]:
        """Each row with its drill key (None where it has none), for the page to link."""
        return [
            (row, self.drill[i] if i < len(self.drill) else None) for i, row in enumerate(self.rows)
        ]


def _count(value: Any) -> str:
    return "n/a" if value is None else f"{value:,}"


def _rate(ratio: dict, suffix: str = "%") -> str:
    return "n/a" if ratio["value"] is None else f"{ratio['value']:.1f}{suffix}"


def _days(value: Any) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _counted(ratio: dict) -> str:
    """A percentage with the counts behind it: "66.7% (2 of 3)"."""
    if ratio["value"] is None:
        return "n/a"
    return f"{_rate(ratio)} ({ratio['numerator']:,} of {ratio['denominator']:,})"


def _compare(
    key: str,
    title: str,
    this: dict,
    before: dict,
    rows,
    note: str = "",
    columns: list[str] | None = None,
) -> Table:
    """A table of one figure per row, this period beside the one before (or the other given).
    A row is ``(label, pick, show)``, or ``(label, pick, show, drill key)`` where the figure
    can be opened."""
    return Table(
        key,
        title,
        columns or ["", this["period"]["label"], before["period"]["label"]],
        [[row[0], row[2](row[1](this)), row[2](row[1](before))] for row in rows],
        note,
        drill=[row[3] if len(row) > 3 else None for row in rows],
    )


def _keyed(
    key: str, title: str, this: dict, before: dict, pick, note: str = "", drill=None
) -> Table:
    """A table of a breakdown (reasons, channels): every key either period has. ``drill``
    gives a line's drill key from its label, where the lines can be opened."""
    now, then = pick(this), pick(before)
    labels = list(now) + [k for k in then if k not in now]
    return Table(
        key,
        title,
        ["", this["period"]["label"], before["period"]["label"]],
        [[k, _count(now.get(k, 0)), _count(then.get(k, 0))] for k in labels],
        note,
        # Only lines the period has: a line of the year before alone has nothing to list.
        drill=[drill(k) if drill and k in now else None for k in labels],
    )


def _recorded_compare(
    key: str, title: str, section: str, this: dict, before: dict, rows, note: str = ""
) -> Table:
    """``_compare`` for records PutRight may not hold (compliments, contacts, surveys): the
    table says so when the period's were not recorded, and the column of a year not recorded
    says so too, rather than showing zeros nobody counted."""
    if not this[section]["recorded"]:
        return Table(key, title, [], [], note, empty=NOT_RECORDED)
    table = _compare(key, title, this, before, rows, note)
    if before[section]["recorded"]:
        return table
    return replace(table, rows=[[label, now, "Not recorded"] for label, now, _ in table.rows])


def _stage_rows(stage: int) -> list:
    """One stage's rows; a rate opens the list of its numerator (the responses within the
    Code's timescales behind "within the Code's timescales")."""
    s = f"stage{stage}"
    return [
        (f"Stage {stage} complaints received", lambda f: f[s]["received"], _count, f"{s}.received"),
        (f"Stage {stage} responses", lambda f: f[s]["responded"], _count, f"{s}.responded"),
        (
            f"Stage {stage} responses within the Code's timescales",
            lambda f: f[s]["within_code_pct"],
            _rate,
            f"{s}.responded.within_code",
        ),
        (
            f"Stage {stage} responses later than the Code's timescales",
            lambda f: f[s]["responded_late"],
            _count,
            f"{s}.responded.late",
        ),
        (
            f"Stage {stage} responses within the first date (no extension)",
            lambda f: f[s]["within_initial_pct"],
            _rate,
            f"{s}.responded.within_initial",
        ),
        (
            f"Stage {stage} acknowledged within 5 working days",
            lambda f: f[s]["acknowledged_within_code_pct"],
            _rate,
            f"{s}.acknowledged.within_code",
        ),
        (
            f"Stage {stage} acknowledged later than 5 working days",
            lambda f: f[s]["acknowledged_late"],
            _count,
            f"{s}.acknowledged.late",
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
    """Every table of the annual report, in the order of Code 8.1's analysis, then the records
    kept beside complaints and the equality profile of complainants."""
    volumes = [
        *_stage_rows(1),
        *_stage_rows(2),
        (
            "Escalated to stage 2, of stage 1 responses",
            lambda f: f["escalation_rate_pct"],
            _rate,
            "stage2.received",
        ),
        (
            "Stage 2 upheld where stage 1 did not uphold",
            lambda f: f["overturn_rate_pct"],
            _rate,
        ),
        (
            "Complaints not accepted",
            lambda f: f["not_accepted"]["total"],
            _count,
            "not_accepted",
        ),
        (
            "Stage 2 requests refused",
            lambda f: f["escalation_refused"]["total"],
            _count,
            "escalation_refused",
        ),
        ("Complaints withdrawn", lambda f: f["withdrawn"], _count, "withdrawn"),
        (
            "Stage 1 complaints per 1,000 homes",
            lambda f: f["complaints_per_1000_homes"],
            lambda r: _rate(r, ""),
        ),
    ]
    outcome_rows = [
        (
            f"Stage {stage}: {label}",
            _pick_outcome(stage, key),
            _count,
            f"stage{stage}.outcome.{key}",
        )
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
            drill=lambda label: keys.reason_key("not_accepted", label, this),
        ),
        _compare("outcomes", "Outcomes of responses", this, before, outcome_rows),
        _categories(this),
        _areas(this),
        _keyed(
            "channels",
            "How stage 1 complaints arrived",
            this,
            before,
            lambda f: f["channels"],
            drill=keys.channel_key,
        ),
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
        _compliments(this, before),
        _contacts(this, before),
        _satisfaction(this, before),
        *_equality(this),
    ]


def _compliments(this: dict, before: dict) -> Table:
    about = [
        ("About a team", "team"),
        ("About a person", "person"),
        ("About a contractor", "contractor"),
    ]
    channels = list(this["compliments"]["by_channel"]) + [
        label
        for label in before["compliments"]["by_channel"]
        if label not in this["compliments"]["by_channel"]
    ]
    return _recorded_compare(
        "compliments",
        "Compliments received",
        "compliments",
        this,
        before,
        [
            ("Compliments received", lambda f: f["compliments"]["total"], _count),
            *((label, lambda f, k=k: f["compliments"]["about"][k], _count) for label, k in about),
            *(
                (
                    f"By {label.lower()}",
                    lambda f, label=label: f["compliments"]["by_channel"].get(label, 0),
                    _count,
                )
                for label in channels
            ),
        ],
        "A compliment may praise a team and a person in it, so those lines may add up to more "
        "than the compliments received. Compliments are not complaints and are left out of the "
        "Tenant Satisfaction Measures.",
    )


def _contacts(this: dict, before: dict) -> Table:
    c = "contacts"
    return _recorded_compare(
        "contacts",
        "Contacts answered within their response target",
        c,
        this,
        before,
        [
            ("Contacts received", lambda f: f[c]["received"], _count),
            ("Answered", lambda f: f[c]["answered"], _count),
            ("Answered within target", lambda f: f[c]["answered_within_target"], _count),
            (
                "Share answered within target",
                lambda f: f[c]["answered_within_target_pct"],
                _rate,
            ),
        ],
        "The share is of every contact received, answered or not.",
    )


def _satisfaction(this: dict, before: dict) -> Table:
    s = "satisfaction"
    return _recorded_compare(
        "satisfaction",
        "Satisfaction with complaint handling (surveys after a complaint closed)",
        s,
        this,
        before,
        [
            ("Surveys sent", lambda f: f[s]["surveys_sent"], _count),
            ("Responses", lambda f: f[s]["responses"], _count),
            ("Response rate", lambda f: f[s]["response_rate_pct"], _rate),
            (
                "Mean score out of 5",
                lambda f: f[s]["mean_score_out_of_5"],
                lambda r: _rate(r, ""),
            ),
            ("Follow-ups of a low score or comment", lambda f: f[s]["follow_ups"], _count),
            (
                "Follow-ups that offered the choice to complain",
                lambda f: f[s]["follow_ups_offered_choice_to_complain"],
                _count,
            ),
        ],
        "Counted over the surveys sent in the period, whenever the answer came. A low score or a "
        "dissatisfied comment is not a complaint: a follow-up offers the resident the choice to "
        "make one (Code 1.6).",
    )


def _equality(this: dict) -> list[Table]:
    """One table per characteristic: complainants beside all residents, with the unknown and
    "prefer not to say" lines kept, so each column adds up to its whole population."""
    profile = this["equality"]
    label = this["period"]["label"]
    if not profile["recorded"]:
        return [
            Table(
                "equality",
                f"Equality profile of complainants, {label}",
                [],
                [],
                empty=NOT_RECORDED,
            )
        ]

    def cell(n: int, ratio: dict) -> str:
        return f"{_count(n)} ({_rate(ratio)})"

    characteristics = list(profile["characteristics"].items())
    last = characteristics[-1][0]
    return [
        Table(
            f"equality_{key}",
            f"Equality profile of complainants, {label}: {characteristic['label'].lower()}",
            [
                characteristic["label"],
                f"Complainants ({_count(profile['complainants'])})",
                f"All residents ({_count(profile['residents'])})",
            ],
            [
                [
                    row["label"],
                    cell(row["complainants"], row["complainants_pct"]),
                    cell(row["residents"], row["residents_pct"]),
                ]
                for row in characteristic["rows"]
            ],
            # Said once, under the last of the tables it explains.
            EQUALITY_NOTE if key == last else "",
        )
        for key, characteristic in characteristics
    ]


def headline(quarter: dict, year: dict) -> Table:
    """The dashboard's figures: this quarter beside the year to date, each from
    ``annual.figures`` as the reports show them, with the counts beside every percentage."""
    rows = []
    for stage in (1, 2):
        s = f"stage{stage}"
        rows += [
            (f"Stage {stage} complaints received", _pick(s, "received"), _count),
            (f"Stage {stage} responses", _pick(s, "responded"), _count),
            (
                f"Stage {stage} responses within the Code's timescales",
                _pick(s, "within_code_pct"),
                _counted,
            ),
        ]
    rows += [
        (
            "Stage 1 acknowledged within 5 working days",
            _pick("stage1", "acknowledged_within_code_pct"),
            _counted,
        ),
        ("Escalated to stage 2, of stage 1 responses", _pick("escalation_rate_pct"), _counted),
        ("Complaints not accepted", _pick("not_accepted", "total"), _count),
        ("Complaints withdrawn", _pick("withdrawn"), _count),
        ("Compensation paid", _pick("compensation", "total_pence"), pounds),
        ("Housing Ombudsman determinations", _pick("ombudsman", "determinations"), _count),
    ]
    return _compare(
        "headline",
        "This quarter and the year to date",
        quarter,
        year,
        rows,
        columns=[
            "",
            f"This quarter ({quarter['period']['label']})",
            f"Year to date ({year['period']['label']})",
        ],
    )


def _pick(*keys: str):
    """The figure at ``keys`` in a ``figures`` dictionary."""

    def pick(figures: dict) -> Any:
        for key in keys:
            figures = figures[key]
        return figures

    return pick


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
        drill=[keys.category_key(row) for row in this["categories"]],
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
        drill=[keys.business_area_key(row) for row in this["business_areas"]],
    )


def _month_name(month: str) -> str:
    """ "2025-04" (the figures' key, sortable and the same in every format) as a reader says it:
    "April 2025"."""
    return dt.date.fromisoformat(f"{month}-01").strftime("%B %Y")


def _months(this: dict, before: dict) -> Table:
    then = list(before["monthly_received"].values())
    return Table(
        "months",
        "Stage 1 complaints received each month",
        ["Month", this["period"]["label"], before["period"]["label"]],
        [
            [_month_name(month), _count(n), _count(then[i]) if i < len(then) else "n/a"]
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
