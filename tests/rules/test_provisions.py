"""The stage-to-provision map: a stage 2 page never cites a stage 1 provision."""

import pytest

from putright.rules.provisions import STAGE_PROVISIONS, provision, provisions_for


@pytest.mark.parametrize(
    ("stage", "duty", "expected"),
    [
        (1, "acknowledge", "6.2"),
        (1, "respond", "6.3"),
        (1, "extend", "6.4"),
        (1, "extension_notice", "6.5"),
        (1, "response_contents", "6.9"),
        (2, "acknowledge", "6.11"),
        (2, "respond", "6.14"),
        (2, "extend", "6.15"),
        (2, "extension_notice", "6.16"),
        (2, "response_contents", "6.19"),
    ],
)
def test_each_duty_cites_its_stage_provision(stage, duty, expected):
    assert provision(stage, duty) == expected
    assert provisions_for(stage)[duty] == expected


def test_both_stages_name_the_same_duties():
    assert set(STAGE_PROVISIONS) == {1, 2}
    assert set(STAGE_PROVISIONS[1]) == set(STAGE_PROVISIONS[2])


@pytest.mark.parametrize(("stage", "duty"), [(3, "extend"), (1, "appeal")])
def test_an_unknown_stage_or_duty_is_an_error(stage, duty):
    with pytest.raises(ValueError, match=f"{duty!r} at stage {stage}"):
        provision(stage, duty)


def test_the_copy_given_out_does_not_change_the_map():
    copy = provisions_for(2)
    copy["extend"] = "6.4"
    assert provision(2, "extend") == "6.15"
