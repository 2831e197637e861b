"""The figures of one period as one plain structure: what the report pages, the exports and
``putright report`` all show, so the screen, the spreadsheet and the JSON can never disagree.

``figures(period)`` returns nested dictionaries of numbers, strings and lists only (JSON as it
is). Every rate is given raw (``numerator``, ``denominator``) beside its rounded ``value``;
``None`` means "cannot be worked out", never 0.
"""

from __future__ import annotations

from typing import Any

from putright.organisation.selectors import current_calendar
from putright.reporting import metrics as m
from putright.reporting.periods import Period
from putright.rules.calendar import WorkingDayCalendar
from putright.rules.ratios import Ratio, percentage


def _ratio(ratio: Ratio) -> dict:
    return ratio.as_dict()


def _stage(
    period: Period, stage: int, calendar: WorkingDayCalendar, shared: m.PeriodCounts
) -> dict[str, Any]:
    counts = m.stage_figures(period, stage, shared)
    days = m.days_to_respond(period, stage, calendar, shared)
    return {
        "received": counts.received,
        "responded": counts.responded,
        "responded_within_code": counts.responded_within_code,
        "responded_within_initial": counts.responded_within_initial,
        "responded_after_extension": counts.extended,
        "responded_late": counts.responded_late,
        "within_code_pct": _ratio(counts.within_code),
        "within_initial_pct": _ratio(counts.within_initial),
        "acknowledged": counts.acknowledged,
        "acknowledged_within_code": counts.acknowledged_within_code,
        "acknowledged_late": counts.acknowledged_late,
        "acknowledged_within_code_pct": _ratio(counts.acknowledged_on_time),
        "working_days_to_respond": {
            "mean": None if days.mean is None else round(days.mean, 1),
            "median": days.median,
        },
        "outcomes": m.outcomes(period, stage, shared),
        "point_outcomes": m.point_outcomes(period, stage, shared),
    }


def _tsm(period: Period, shared: m.PeriodCounts) -> dict[str, Any]:
    tsm = m.tenant_satisfaction_measures(period, shared)

    def groups(ratios: dict[str, Ratio]) -> dict[str, dict]:
        return {group: _ratio(ratio) for group, ratio in ratios.items()}

    return {
        "homes": tsm.homes,
        "CH01": {
            "stage1_per_1000": groups(tsm.ch01_stage1),
            "stage2_per_1000": groups(tsm.ch01_stage2),
        },
        "CH02": {"stage1_pct": groups(tsm.ch02_stage1), "stage2_pct": groups(tsm.ch02_stage2)},
        "notes": tsm.notes,
    }


def _ombudsman(period: Period) -> dict[str, Any]:
    """The Ombudsman's findings on the landlord in the period and the maladministration rate as
    the Ombudsman computes it (``rules.malrate``), with how mediation was counted beside it."""
    from putright.ombudsman.selectors import period_summary

    summary = period_summary(period.start, period.end, period.reporting_year)
    rate = summary.rate
    return {
        "determinations": summary.determinations,
        "findings": dict(sorted(summary.outcome_counts.items())),
        "maladministration_rate_pct": {
            "numerator": rate.failures,
            "denominator": rate.considered,
            "value": rate.percent,
        },
        "mediation_note": rate.mediation_note,
        "orders": summary.orders,
        "orders_done_in_time": summary.orders_done_in_time,
        "requests": summary.requests,
        "requests_in_time": summary.requests_in_time,
        "compensation_ordered_pence": summary.compensation_ordered_pence,
        "failure_orders": summary.failure_orders,
    }


def _beside_complaints(period: Period) -> dict[str, Any]:
    """Compliments, contacts and satisfaction surveys: each says whether it was ``recorded`` in
    PutRight for the period at all, so nobody reads a zero that was never counted."""
    praise = m.compliments(period)
    contacts = m.contacts_answered(period)
    surveys = m.satisfaction(period)
    return {
        "compliments": {
            "recorded": praise.recorded,
            "total": praise.total,
            "about": praise.about,
            "by_channel": praise.by_channel,
        },
        "contacts": {
            "recorded": contacts.recorded,
            "received": contacts.received,
            "answered": contacts.answered,
            "answered_within_target": contacts.within_target,
            "answered_within_target_pct": _ratio(contacts.within_target_share),
        },
        "satisfaction": {
            "recorded": surveys.recorded,
            "surveys_sent": surveys.sent,
            "responses": surveys.responses,
            "response_rate_pct": _ratio(surveys.response_rate),
            "mean_score_out_of_5": _ratio(surveys.mean_score),
            "follow_ups": surveys.follow_ups,
            "follow_ups_offered_choice_to_complain": surveys.choice_offered,
        },
    }


def _equality(period: Period) -> dict[str, Any]:
    profile = m.equality_profile(period)

    def share(n: int, of: int) -> dict:
        return _ratio(percentage(n, of))

    return {
        "recorded": profile.recorded,
        "complainants": profile.complainants,
        "residents": profile.residents,
        "characteristics": {
            key: {
                "label": label,
                "rows": [
                    {
                        "value": row.value,
                        "label": row.label,
                        "complainants": row.complainants,
                        "complainants_pct": share(row.complainants, profile.complainants),
                        "residents": row.residents,
                        "residents_pct": share(row.residents, profile.residents),
                    }
                    for row in rows
                ],
            }
            for key, (label, rows) in profile.characteristics.items()
        },
    }


def figures(period: Period, *, equality: bool = True) -> dict[str, Any]:
    """Every figure of the annual report and the board pack for ``period``. The counts several
    figures share are made once per call, in one pass over the period's stages each
    (``metrics.PeriodCounts``), and kept no longer than the call. ``equality``: False leaves
    out the equality profile (``"equality": None``) where it is not shown."""
    shared = m.PeriodCounts(period)
    refused = m.not_accepted(period)
    escalation_refused = m.not_accepted(period, kind="escalation")
    paid = m.compensation(period)
    calendar = current_calendar()  # one reading of the closure days for both stages
    return {
        "period": {
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "reporting_year": period.reporting_year,
        },
        "stage1": _stage(period, 1, calendar, shared),
        "stage2": _stage(period, 2, calendar, shared),
        "not_accepted": {"total": refused.total, "by_reason": refused.by_reason},
        "escalation_refused": {
            "total": escalation_refused.total,
            "by_reason": escalation_refused.by_reason,
        },
        # The code of each reason named above, by its label: what a list of refusals is asked
        # for by (``reporting.drill``).
        "refusal_reason_codes": refused.codes | escalation_refused.codes,
        "withdrawn": m.withdrawn(period, shared),
        "escalation_rate_pct": _ratio(m.escalation_rate(period, shared)),
        "overturn_rate_pct": _ratio(m.overturn_rate(period, shared)),
        "complaints_per_1000_homes": _ratio(m.complaints_per_thousand_homes(period, shared)),
        "channels": m.channels(period, shared),
        "categories": [vars(row) for row in m.categories(period, shared)],
        "business_areas": [
            {**vars(row), "within_code_pct": _ratio(row.timeliness)}
            for row in m.business_areas(period, shared)
        ],
        "root_causes": m.root_causes(period),
        "monthly_received": m.monthly_received(period, shared),
        "tsm": _tsm(period, shared),
        "compensation": {
            "payments": paid.payments,
            "total_pence": paid.total_pence,
            "payments_100_or_less": paid.small_payments,
            "payments_100_or_less_pct": _ratio(paid.small_share),
            "ordered_by_ombudsman_pence": paid.ordered_pence,
        },
        "ombudsman": _ombudsman(period),
        **_beside_complaints(period),
        "equality": _equality(period) if equality else None,
    }


def figures_of(shown: Period, *beside: Period, equality: bool = True) -> list[dict[str, Any]]:
    """``figures`` of the period a report is about, then of each period shown beside it (the
    year before). Only the first has the equality profile, and only when ``equality``: a
    report shows the profile of its own period alone (``tables``), and at a million complaints
    working out a profile costs about as much as the rest of a year's figures."""
    return [
        figures(shown, equality=equality),
        *(figures(period, equality=False) for period in beside),
    ]
