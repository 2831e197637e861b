"""Money as people read it. Amounts are kept in whole pence everywhere, never as floats."""

from __future__ import annotations


def pounds(pence: int | None) -> str:
    """``125050`` -> ``"£1,250.50"``, always with its pence, as a payment is written; ``None``
    (no amount) -> ``""``. Anything but a whole, non-negative number of pence is a mistake."""
    if pence is None:
        return ""
    if isinstance(pence, bool) or not isinstance(pence, int) or pence < 0:
        raise ValueError(f"An amount must be a whole number of pence, got {pence!r}")
    return f"£{pence // 100:,}.{pence % 100:02d}"
