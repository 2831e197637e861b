"""The maladministration rate (MalRate) as the Housing Ombudsman computes it.

Counted on findings, not determinations: each complaint element the Ombudsman determines gets
its own finding.

- numerator: severe maladministration + maladministration + service failure;
- denominator: every finding except outside jurisdiction and withdrawn (the findings the
  Ombudsman did not consider); reasonable redress and no maladministration stay in it;
- mediation: the Ombudsman does not say. Whether mediation counts in the denominator is a
  setting (``mediation_in_denominator``), and the mediation count is shown beside the rate.

Checked against a published figure: 116 findings, 77 failures, 19 outside jurisdiction give
77 / 97 = 79% (regulatory-spec.md 4.3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

SEVERE_MALADMINISTRATION = "severe_maladministration"
MALADMINISTRATION = "maladministration"
SERVICE_FAILURE = "service_failure"
MEDIATION = "mediation"
REASONABLE_REDRESS = "reasonable_redress"
NO_MALADMINISTRATION = "no_maladministration"
OUTSIDE_JURISDICTION = "outside_jurisdiction"
WITHDRAWN = "withdrawn"

OUTCOMES: tuple[str, ...] = (
    SEVERE_MALADMINISTRATION,
    MALADMINISTRATION,
    SERVICE_FAILURE,
    MEDIATION,
    REASONABLE_REDRESS,
    NO_MALADMINISTRATION,
    OUTSIDE_JURISDICTION,
    WITHDRAWN,
)
# Findings of failure: a service failure is a form of maladministration.
FAILURES = frozenset({SEVERE_MALADMINISTRATION, MALADMINISTRATION, SERVICE_FAILURE})
# Findings the Ombudsman did not consider, so outside the denominator.
NOT_CONSIDERED = frozenset({OUTSIDE_JURISDICTION, WITHDRAWN})


@dataclass(frozen=True)
class MalRate:
    """The rate and the counts behind it, for a report to show side by side."""

    failures: int
    considered: int
    mediation: int
    not_considered: int
    total: int
    mediation_in_denominator: bool

    @property
    def percent(self) -> int | None:
        """Whole-number percentage, rounded half up as the Ombudsman reports it; None when no
        finding was considered."""
        if self.considered == 0:
            return None
        exact = Fraction(100 * self.failures, self.considered)
        return int(exact + Fraction(1, 2))

    @property
    def mediation_note(self) -> str:
        where = "counted in" if self.mediation_in_denominator else "left out of"
        return f"{self.mediation} mediation finding(s), {where} the findings considered"


def malrate_from_counts(
    counts: Mapping[str, int], *, mediation_in_denominator: bool = True
) -> MalRate:
    """The MalRate from a count of findings per outcome (outcomes as in ``OUTCOMES``)."""
    unknown = set(counts) - set(OUTCOMES)
    if unknown:
        raise ValueError(f"Unknown finding outcome(s): {', '.join(sorted(unknown))}")
    if any(n < 0 for n in counts.values()):
        raise ValueError("A count of findings cannot be negative")
    total = sum(counts.values())
    failures = sum(counts.get(outcome, 0) for outcome in FAILURES)
    not_considered = sum(counts.get(outcome, 0) for outcome in NOT_CONSIDERED)
    mediation = counts.get(MEDIATION, 0)
    considered = total - not_considered - (0 if mediation_in_denominator else mediation)
    return MalRate(
        failures=failures,
        considered=considered,
        mediation=mediation,
        not_considered=not_considered,
        total=total,
        mediation_in_denominator=mediation_in_denominator,
    )


def malrate(outcomes: Iterable[str], *, mediation_in_denominator: bool = True) -> MalRate:
    """The MalRate over a list of findings' outcomes."""
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome] = counts.get(outcome, 0) + 1
    return malrate_from_counts(counts, mediation_in_denominator=mediation_in_denominator)
