"""The Code's timescales as a policy object, the deadline helpers and the 12-month age check."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from putright.rules import (
    CODE,
    StageTimescales,
    Timescales,
    WorkingDayCalendar,
    acknowledgement_due,
    extension_cap_date,
    months_between_exceeds,
    response_due,
)
from putright.rules.timescales import add_months

D = date
CAL = WorkingDayCalendar()


# --- the policy object ---------------------------------------------------------------------------


def test_defaults_are_the_codes_timescales() -> None:
    assert Timescales() == CODE
    assert (CODE.stage1.acknowledge, CODE.stage1.respond, CODE.stage1.extension_cap) == (5, 10, 10)
    assert (CODE.stage2.acknowledge, CODE.stage2.respond, CODE.stage2.extension_cap) == (5, 20, 20)
    assert CODE.age_limit_months == 12
    assert CODE.escalation_window == 20
    assert dict(CODE.local_targets) == {}


def test_for_stage_returns_each_stage() -> None:
    assert CODE.for_stage(1) is CODE.stage1
    assert CODE.for_stage(2) is CODE.stage2


@pytest.mark.parametrize("stage", [0, 3, -1, True])
def test_for_stage_refuses_anything_but_two_stages(stage: int) -> None:
    with pytest.raises(ValueError, match="two stages"):
        CODE.for_stage(stage)


def test_policies_are_frozen_and_hashable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CODE.stage1 = StageTimescales(1, 1, 1)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        CODE.stage1.respond = 30  # type: ignore[misc]
    local = Timescales(local_targets={"first_contact": 3})
    assert {CODE, local} == {Timescales(), Timescales(local_targets={"first_contact": 3})}


def test_local_target_sits_beside_the_code_and_does_not_replace_it() -> None:
    policy = Timescales(local_targets={"first_contact": 3, "stage1.respond": 8})
    assert policy.local_targets["first_contact"] == 3
    assert policy.local_targets["stage1.respond"] == 8
    # The Code's own figures, which compliance is measured against, are untouched.
    assert policy.stage1 == CODE.stage1
    assert policy.for_stage(1).respond == 10
    assert policy != CODE


def test_local_targets_cannot_be_changed_afterwards() -> None:
    source = {"first_contact": 3}
    policy = Timescales(local_targets=source)
    source["first_contact"] = 30
    assert policy.local_targets["first_contact"] == 3
    with pytest.raises(TypeError):
        policy.local_targets["first_contact"] = 1  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "days"),
    [("stage1.respond", 12), ("stage1.acknowledge", 6), ("stage2.respond", 21)],
)
def test_local_target_may_not_loosen_a_code_timescale(name: str, days: int) -> None:
    with pytest.raises(ValueError, match="looser"):
        Timescales(local_targets={name: days})


def test_local_target_equal_to_the_code_is_allowed() -> None:
    assert Timescales(local_targets={"stage1.respond": 10}).local_targets["stage1.respond"] == 10
    assert Timescales(local_targets={"stage2.extension_cap": 20})


@pytest.mark.parametrize("name", ["stage3.respond", "stage1.reply", "stage0.acknowledge"])
def test_local_target_naming_no_code_timescale_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="names no Code timescale"):
        Timescales(local_targets={name: 1})


@pytest.mark.parametrize(
    "targets", [{"first_contact": 0}, {"first_contact": -3}, {"": 3}, {"first_contact": True}]
)
def test_local_target_values_are_checked(targets: dict[str, int]) -> None:
    with pytest.raises((ValueError, TypeError)):
        Timescales(local_targets=targets)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"stage1": StageTimescales(5, 10, 10), "age_limit_months": 0},
        {"escalation_window": -1},
        {"age_limit_months": 12.0},
    ],
)
def test_other_fields_are_checked(kwargs: dict[str, object]) -> None:
    with pytest.raises((ValueError, TypeError)):
        Timescales(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("args", [(0, 10, 10), (5, -1, 10), (5, 10, 1.5), (True, 10, 10)])
def test_stage_timescales_must_be_positive_whole_days(args: tuple[object, ...]) -> None:
    with pytest.raises((ValueError, TypeError)):
        StageTimescales(*args)  # type: ignore[arg-type]


def test_a_stricter_local_stage_target_checks_against_the_policys_own_stage() -> None:
    # Another regime may configure its own stage figures; local targets still may not exceed them.
    strict = StageTimescales(acknowledge=3, respond=8, extension_cap=8)
    with pytest.raises(ValueError, match="looser"):
        Timescales(stage1=strict, local_targets={"stage1.respond": 9})
    assert Timescales(stage1=strict, local_targets={"stage1.respond": 7})


# --- deadline helpers ----------------------------------------------------------------------------


def test_stage1_deadlines_over_christmas() -> None:
    ack = acknowledgement_due(CAL, D(2025, 12, 22), CODE.stage1)
    assert ack == D(2025, 12, 31)
    due = response_due(CAL, ack, CODE.stage1)
    assert due == D(2026, 1, 15)
    assert extension_cap_date(CAL, due, CODE.stage1) == D(2026, 1, 29)


def test_stage1_deadlines_with_closure_days() -> None:
    closed = CAL.with_closures([D(2025, 12, 24), D(2025, 12, 29), D(2025, 12, 30), D(2025, 12, 31)])
    ack = acknowledgement_due(closed, D(2025, 12, 22), CODE.stage1)
    assert ack == D(2026, 1, 7)
    assert response_due(closed, ack, CODE.stage1) == D(2026, 1, 21)


def test_stage2_deadlines_over_easter() -> None:
    stage2 = CODE.for_stage(2)
    ack = acknowledgement_due(CAL, D(2026, 4, 2), stage2)
    assert ack == D(2026, 4, 13)
    due = response_due(CAL, ack, stage2)
    assert due == D(2026, 5, 12)
    assert extension_cap_date(CAL, due, stage2) == D(2026, 6, 10)


def test_response_runs_from_the_actual_acknowledgement() -> None:
    # Acknowledged late on 7 Jan 2026: the response clock starts there, not at receipt.
    assert response_due(CAL, D(2026, 1, 7), CODE.stage1) == D(2026, 1, 21)


def test_helpers_use_the_given_stage_figures() -> None:
    custom = StageTimescales(acknowledge=1, respond=2, extension_cap=3)
    assert acknowledgement_due(CAL, D(2025, 12, 24), custom) == D(2025, 12, 29)
    assert response_due(CAL, D(2025, 12, 24), custom) == D(2025, 12, 30)
    assert extension_cap_date(CAL, D(2025, 12, 24), custom) == D(2025, 12, 31)


# --- the 12-month age check ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "later", "months", "exceeds"),
    [
        (D(2024, 3, 15), D(2025, 3, 14), 12, False),
        (D(2024, 3, 15), D(2025, 3, 15), 12, False),  # the anniversary is still within
        (D(2024, 3, 15), D(2025, 3, 16), 12, True),
        # 29 Feb: twelve months end on 28 Feb the next year.
        (D(2024, 2, 29), D(2025, 2, 28), 12, False),
        (D(2024, 2, 29), D(2025, 3, 1), 12, True),
        (D(2024, 2, 29), D(2028, 2, 29), 48, False),
        (D(2024, 2, 29), D(2028, 3, 1), 48, True),
        (D(2023, 2, 28), D(2024, 2, 28), 12, False),
        (D(2023, 2, 28), D(2024, 2, 29), 12, True),
        # Month ends.
        (D(2025, 1, 31), D(2025, 2, 28), 1, False),
        (D(2025, 1, 31), D(2025, 3, 1), 1, True),
        (D(2024, 12, 31), D(2025, 12, 31), 12, False),
        (D(2024, 12, 31), D(2026, 1, 1), 12, True),
        # Zero months and dates the wrong way round.
        (D(2025, 6, 1), D(2025, 6, 1), 0, False),
        (D(2025, 6, 1), D(2025, 6, 2), 0, True),
        (D(2025, 6, 1), D(2020, 1, 1), 12, False),
    ],
)
def test_months_between_exceeds(earlier: date, later: date, months: int, exceeds: bool) -> None:
    assert months_between_exceeds(earlier, later, months) is exceeds


def test_months_between_exceeds_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        months_between_exceeds(D(2025, 1, 1), D(2025, 1, 2), -1)
    with pytest.raises(TypeError, match="datetime"):
        months_between_exceeds(datetime(2025, 1, 1), D(2026, 1, 2), 12)


@given(d=st.dates(min_value=D(1900, 1, 1), max_value=D(2099, 1, 1)), months=st.integers(0, 120))
def test_the_last_day_within_the_limit_is_exact(d: date, months: int) -> None:
    end = add_months(d, months)
    assert not months_between_exceeds(d, end, months)
    assert months_between_exceeds(d, end + timedelta(days=1), months)
    # Same day of the month where it exists, otherwise the month's last day.
    assert end.day == d.day or (end + timedelta(days=1)).day == 1
    assert (end.year * 12 + end.month) - (d.year * 12 + d.month) == months


def test_add_months_goes_backwards_too() -> None:
    assert add_months(D(2025, 3, 31), -1) == D(2025, 2, 28)
    assert add_months(D(2025, 1, 15), -13) == D(2023, 12, 15)


# --- several local targets, the smallest allowed values and what the errors say -----------------


@pytest.mark.parametrize(
    "targets",
    [
        # A target with no Code counterpart first must not stop the later ones being checked.
        {"first_contact": 3, "stage1.respond": 12},
        {"stage1.respond": 12, "first_contact": 3},
        {"first_contact": 3, "repairs_visit": 10, "stage2.acknowledge": 6},
        {"stage1.respond": 8, "stage2.respond": 21},
    ],
)
def test_every_local_target_is_checked_not_just_the_first(targets: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="looser"):
        Timescales(local_targets=targets)


def test_a_misnamed_stage_target_after_another_target_is_still_refused() -> None:
    with pytest.raises(ValueError, match="names no Code timescale"):
        Timescales(local_targets={"first_contact": 3, "stage1.repsond": 5})


def test_several_stricter_local_targets_are_all_kept() -> None:
    targets = {"first_contact": 3, "stage1.acknowledge": 2, "stage2.respond": 15}
    assert dict(Timescales(local_targets=targets).local_targets) == targets


def test_the_smallest_allowed_age_limit_and_escalation_window() -> None:
    # One month is the shortest age limit; an escalation window of 0 closes an un-escalated
    # complaint as soon as the stage 1 response is sent.
    assert Timescales(age_limit_months=1).age_limit_months == 1
    assert Timescales(escalation_window=0).escalation_window == 0
    assert StageTimescales(acknowledge=1, respond=1, extension_cap=1).respond == 1


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (
            lambda: Timescales(age_limit_months=0),
            ValueError,
            "age_limit_months must be at least 1, got 0",
        ),
        (
            lambda: Timescales(age_limit_months=12.0),
            TypeError,
            "age_limit_months must be a whole number of months, got 12.0",
        ),
        (
            lambda: Timescales(escalation_window=-1),
            ValueError,
            "escalation_window must be at least 0, got -1",
        ),
        (
            lambda: Timescales(escalation_window="20"),
            TypeError,
            "escalation_window must be a whole number of days, got '20'",
        ),
        (lambda: StageTimescales(5, 0, 10), ValueError, "respond must be at least 1, got 0"),
        (
            lambda: StageTimescales(5, 10, True),
            TypeError,
            "extension_cap must be a whole number of days, got True",
        ),
        (
            lambda: Timescales(local_targets={"": 3}),
            ValueError,
            "local target names must be non-empty strings, got ''",
        ),
        (
            lambda: Timescales(local_targets={"first_contact": 0}),
            ValueError,
            "local target 'first_contact' must be at least 1, got 0",
        ),
        (
            lambda: Timescales(local_targets={"stage3.respond": 5}),
            ValueError,
            "local target 'stage3.respond' names no Code timescale; use stage1 or stage2 with one "
            "of acknowledge, respond, extension_cap",
        ),
        (
            lambda: Timescales(local_targets={"stage1.respond": 12}),
            ValueError,
            "local target 'stage1.respond' of 12 working days is looser than the 10 it sits "
            "beside; a local target may only be stricter",
        ),
        (
            lambda: months_between_exceeds(D(2025, 1, 1), D(2025, 1, 2), -1),
            ValueError,
            "months must be at least 0, got -1",
        ),
        (
            lambda: months_between_exceeds(D(2025, 1, 1), D(2025, 1, 2), 1.0),
            TypeError,
            "months must be a whole number of months, got 1.0",
        ),
    ],
)
def test_errors_name_the_setting_and_the_rule_it_broke(
    build: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        build()
    assert str(caught.value) == message
