"""Figures a report publishes as a rate: kept as their raw numerator and denominator, rounded
only when shown.

The Tenant Satisfaction Measures (regulatory-spec.md section 3) publish CH01 as complaints per
1,000 homes and CH02 as a percentage, both to one decimal place in common practice; a board pack
shows the same kind of figure for acknowledgements and escalations. One type keeps them honest:
a rate with nothing to divide by is "not applicable", never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["Ratio", "per_thousand", "percentage"]


@dataclass(frozen=True)
class Ratio:
    """``numerator`` over ``denominator``, multiplied by ``scale`` (100 for a percentage, 1,000
    for a rate per 1,000 homes)."""

    numerator: int
    denominator: int
    scale: int = 100

    @property
    def value(self) -> Decimal | None:
        """The exact figure, or None when there is nothing to divide by."""
        if not self.denominator:
            return None
        return Decimal(self.numerator) * self.scale / Decimal(self.denominator)

    def rounded(self, places: int = 1) -> Decimal | None:
        """Rounded half up, as a published figure is (2.25 to 2.3, not banker's 2.2)."""
        value = self.value
        if value is None:
            return None
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    def shown(self, places: int = 1) -> str:
        """As a page or a spreadsheet cell shows it: "52.6%", "23.5 per 1,000", or "n/a"."""
        rounded = self.rounded(places)
        if rounded is None:
            return "n/a"
        if self.scale == 100:
            return f"{rounded}%"
        return f"{rounded} per {self.scale:,}"

    def as_dict(self, places: int = 1) -> dict:
        rounded = self.rounded(places)
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if rounded is None else float(rounded),
        }


def percentage(numerator: int, denominator: int) -> Ratio:
    return Ratio(numerator, denominator, 100)


def per_thousand(count: int, homes: int) -> Ratio:
    return Ratio(count, homes, 1000)
