"""The Housing Ombudsman's compensation bands, shown beside an amount as guidance (Code 7.4).

Pure Python (no Django). Only the £100 to £600 band is confirmed by the Ombudsman's own words
(determinations quoting the remedies guidance); the others come from a secondary source and stay
*unconfirmed* until an administrator checks them against the published guidance and records that
in the database (``redress.BandConfirmation``). Guidance, never a rule: nothing is refused for
falling outside a band.

Edges: the published ranges touch (£50 to £100, £100 to £600, ...). A band here covers its lower
amount and everything below its upper amount, so £100 is in the £100 to £600 band and £600 in the
£600 to £1,000 band; one amount is in exactly one band, so totals by band add up. Amounts below
£50 are in no band.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

__all__ = [
    "BANDS",
    "REMEDIES_GUIDANCE",
    "SMALL_PAYMENT_PENCE",
    "Band",
    "band_by_key",
    "band_for",
]

REMEDIES_GUIDANCE: Final = (
    "Housing Ombudsman, Guidance on remedies (https://housing-ombudsman.org.uk/landlords-info/"
    "guidance-notes/ombudsmans-policy-and-guidance-on-remedies)"
)
# The revision of the remedies guidance the bands were read against (April 2024 update).
GUIDANCE_EFFECTIVE: Final = date(2024, 4, 1)

# "Payments of £100 or less" is the line landlords' annual reports draw (seed 000: about 27%).
SMALL_PAYMENT_PENCE: Final = 10_000


@dataclass(frozen=True)
class Band:
    key: str
    lower_pence: int  # included
    upper_pence: int | None  # excluded; None: no upper limit
    label: str
    description: str
    source: str
    effective_from: date
    confirmed: bool  # confirmed by the Ombudsman's own words in the reference notes

    def contains(self, pence: int) -> bool:
        return pence >= self.lower_pence and (self.upper_pence is None or pence < self.upper_pence)


BANDS: Final[tuple[Band, ...]] = (
    Band(
        key="50-100",
        lower_pence=5_000,
        upper_pence=10_000,
        label="£50 to £100",
        description="Service failure with a minimal or short-lived impact.",
        source=f"{REMEDIES_GUIDANCE}, Annex A, as cited by a secondary source",
        effective_from=GUIDANCE_EFFECTIVE,
        confirmed=False,
    ),
    Band(
        key="100-600",
        lower_pence=10_000,
        upper_pence=60_000,
        label="£100 to £600",
        description=(
            "Failure which adversely affected the resident but had no permanent impact, "
            "including where the landlord made an offer that was not proportionate."
        ),
        source=f"{REMEDIES_GUIDANCE}, as quoted in Ombudsman determinations",
        effective_from=GUIDANCE_EFFECTIVE,
        confirmed=True,
    ),
    Band(
        key="600-1000",
        lower_pence=60_000,
        upper_pence=100_000,
        label="£600 to £1,000",
        description="Failure with a significant impact on the resident.",
        source=f"{REMEDIES_GUIDANCE}, Annex A, as cited by a secondary source",
        effective_from=GUIDANCE_EFFECTIVE,
        confirmed=False,
    ),
    Band(
        key="1000+",
        lower_pence=100_000,
        upper_pence=None,
        label="£1,000 or more",
        description="Severe maladministration with a serious or long-term impact.",
        source=f"{REMEDIES_GUIDANCE}, Annex A, as cited by a secondary source",
        effective_from=GUIDANCE_EFFECTIVE,
        confirmed=False,
    ),
)


def band_for(pence: int) -> Band | None:
    """The band an amount in whole pence falls in, or ``None`` below the lowest band."""
    if isinstance(pence, bool) or not isinstance(pence, int) or pence < 0:
        raise ValueError("An amount is whole pence, not negative")
    for band in BANDS:
        if band.contains(pence):
            return band
    return None


def band_by_key(key: str) -> Band | None:
    return next((band for band in BANDS if band.key == key), None)
