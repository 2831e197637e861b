"""WorkingDayCalendar.add() and between() against numpy's business-day functions.

numpy is only the yardstick (it is a test extra, not a dependency of the rules core). Both sides
use the same calendar: England and Wales bank holidays plus Christmas closure days.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np

from putright.rules.calendar import WorkingDayCalendar, england_and_wales_bank_holidays

CALLS = 1_000_000
SAMPLE = 10_000
SEED = 20251222
FIRST, LAST = date(2020, 1, 1), date(2030, 12, 31)
EPOCH = date(1970, 1, 1).toordinal()  # datetime64[D] counts days from here
# The closure days from the regulatory spec's worked example, every year, so closures are timed.
CLOSURES = [date(y, 12, d) for y in range(2019, 2033) for d in (24, 29, 30, 31)]


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _timing(ours: float, numpy_seconds: float, calls: int) -> dict[str, float]:
    return {
        "ours_seconds": round(ours, 4),
        "numpy_seconds": round(numpy_seconds, 4),
        "ours_us_per_call": round(ours / calls * 1e6, 4),
        "numpy_us_per_call": round(numpy_seconds / calls * 1e6, 4),
        "ratio_ours_over_numpy": round(ours / numpy_seconds, 2),
    }


def run() -> dict[str, Any]:
    cal = WorkingDayCalendar(CLOSURES)
    holidays = sorted(england_and_wales_bank_holidays(2019, 2032) | set(CLOSURES))
    busdaycal = np.busdaycalendar(weekmask="1111100", holidays=np.array(holidays, "datetime64[D]"))

    rng = np.random.default_rng(SEED)
    ordinals = rng.integers(FIRST.toordinal(), LAST.toordinal() + 1, size=CALLS)
    offsets = rng.integers(1, 21, size=CALLS)
    others = rng.integers(FIRST.toordinal(), LAST.toordinal() + 1, size=CALLS)
    np_dates = (ordinals - EPOCH).astype("datetime64[D]")
    np_others = (others - EPOCH).astype("datetime64[D]")
    dates = [date.fromordinal(o) for o in ordinals.tolist()]
    other_dates = [date.fromordinal(o) for o in others.tolist()]
    ns = offsets.tolist()

    # "n-th working day strictly after d": numpy's roll="forward" would count from the next working
    # day when d is not one, landing a day late. Rolling backward first makes d's nearest working
    # day at or before it the base, and offsetting n from there gives exactly our answer.
    def numpy_add(day: np.ndarray, n: np.ndarray) -> np.ndarray:
        return np.busday_offset(day, n, roll="backward", busdaycal=busdaycal)

    # between(a, b) counts (a, b]; busday_count counts [begin, end), so shift both by a day. Going
    # backwards numpy counts [end + 1, begin + 1) instead, so order each pair and restore the sign.
    one = np.timedelta64(1, "D")

    def numpy_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        return np.where(b < a, -1, 1) * np.busday_count(lo + one, hi + one, busdaycal=busdaycal)

    add = cal.add
    between = cal.between
    sample = slice(0, SAMPLE)
    ours_add = [add(d, n) for d, n in zip(dates[sample], ns[sample], strict=True)]
    theirs_add = numpy_add(np_dates[sample], offsets[sample]).astype(object).tolist()
    assert ours_add == theirs_add, "add() and numpy.busday_offset disagree"
    ours_between = [between(a, b) for a, b in zip(dates[sample], other_dates[sample], strict=True)]
    theirs_between = numpy_between(np_dates[sample], np_others[sample]).tolist()
    assert ours_between == theirs_between, "between() and numpy.busday_count disagree"

    add_ours = _best(lambda: [add(d, n) for d, n in zip(dates, ns, strict=True)], repeat=3)
    add_numpy = _best(lambda: numpy_add(np_dates, offsets), repeat=5)
    # What the engine would pay to use numpy on Python dates: convert in, compute, convert out.
    add_numpy_converting = _best(
        lambda: numpy_add(np.array(dates, "datetime64[D]"), np.array(ns)).astype(object).tolist(),
        repeat=3,
    )
    between_ours = _best(
        lambda: [between(a, b) for a, b in zip(dates, other_dates, strict=True)], repeat=3
    )
    between_numpy = _best(lambda: numpy_between(np_dates, np_others), repeat=5)

    add_result: dict[str, Any] = _timing(add_ours, add_numpy, CALLS)
    add_result["numpy_with_date_conversion_seconds"] = round(add_numpy_converting, 4)
    add_result["ratio_ours_over_numpy_with_conversion"] = round(add_ours / add_numpy_converting, 2)
    return {
        "calls": CALLS,
        "checked_identical_on": SAMPLE,
        "dates": f"{FIRST} to {LAST}, n 1..20, seed {SEED}",
        "closure_days": len(CLOSURES),
        "numpy": np.__version__,
        "add": add_result,
        "between": _timing(between_ours, between_numpy, CALLS),
    }
