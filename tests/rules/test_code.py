"""The Complaint Handling Code as data: every provision of the Ombudsman's self-assessment form,
once each, in the Code's order, with its section and whether it is a "must" or a "should".

The provision numbers below were read from a completed self-assessment in the Ombudsman's
five-column layout (reference seed 004, kept outside the project). When that file is on this
machine it is read again and compared; elsewhere that comparison is skipped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from putright.rules.code import (
    CODES,
    LATEST,
    ComplaintHandlingCode,
    Obligation,
    Provision,
    Section,
    code,
)

SEED_004 = Path("/work/shared/reference/seeds/004_96dd6a746f122873.txt")

# Read from seed 004, in its order: 5 + 5 + 7 + 3 + 15 + 20 + 4 + 5 + 8 = 72 provisions.
SEED_PROVISIONS = (
    *(f"1.{n}" for n in range(2, 7)),
    *(f"2.{n}" for n in range(1, 6)),
    *(f"3.{n}" for n in range(1, 8)),
    *(f"4.{n}" for n in range(1, 4)),
    *(f"5.{n}" for n in range(1, 16)),
    *(f"6.{n}" for n in range(1, 21)),
    *(f"7.{n}" for n in range(1, 5)),
    *(f"8.{n}" for n in range(1, 6)),
    *(f"9.{n}" for n in range(1, 9)),
)
# The two whose wording in seed 004 neither says "must", nor bans outright, nor makes a duty the
# landlord's responsibility: good practice (5.2) and what the Ombudsman may ask (8.4).
SEED_SHOULD = {"5.2", "8.4"}

CODE_2024 = CODES["2024"]


def test_the_seed_list_is_what_was_read():
    assert len(SEED_PROVISIONS) == 72
    assert SEED_PROVISIONS[0] == "1.2" and SEED_PROVISIONS[-1] == "9.8"


def test_every_provision_of_the_seed_appears_exactly_once_in_order():
    numbers = CODE_2024.numbers()
    for number in SEED_PROVISIONS:
        assert numbers.count(number) == 1, number
    positions = [numbers.index(number) for number in SEED_PROVISIONS]
    assert positions == sorted(positions)
    assert numbers == SEED_PROVISIONS  # and nothing the form does not assess


def test_provisions_sit_in_their_sections():
    assert [s.number for s in CODE_2024.sections] == list(range(1, 10))
    for provision in CODE_2024:
        assert provision.number.startswith(f"{provision.section}.")
    assert CODE_2024.section(6).title == "Complaints stages"
    assert CODE_2024.section(8).title == "Self-assessment, reporting and compliance"
    counts = {section.number: len(provisions) for section, provisions in CODE_2024.by_section()}
    assert counts == {1: 5, 2: 5, 3: 7, 4: 3, 5: 15, 6: 20, 7: 4, 8: 5, 9: 8}


def test_section_6_is_split_into_its_two_stages():
    parts = {p.number: p.part for p in CODE_2024 if p.section == 6}
    assert {n for n, part in parts.items() if part == "Stage 1"} == {f"6.{n}" for n in range(1, 10)}
    assert {n for n, part in parts.items() if part == "Stage 2"} == {
        f"6.{n}" for n in range(10, 21)
    }
    assert all(p.part == "" for p in CODE_2024 if p.section != 6)


def test_must_and_should_follow_the_wording():
    should = {p.number for p in CODE_2024 if p.obligation is Obligation.SHOULD}
    assert should == SEED_SHOULD
    assert CODE_2024.provision("5.3").is_must  # "not acceptable under any circumstances"
    assert CODE_2024.provision("6.13").obligation == "must"


def test_every_provision_has_a_short_summary():
    for provision in CODE_2024:
        assert 20 <= len(provision.summary) <= 400, provision.number
        assert provision.summary == provision.summary.strip()


def test_timescales_in_the_summaries_match_the_code():
    assert "5 working days" in CODE_2024.provision("6.2").summary
    assert "10 working days" in CODE_2024.provision("6.3").summary
    assert "10 working days" in CODE_2024.provision("6.4").summary
    assert "5 working days" in CODE_2024.provision("6.11").summary
    assert "20 working days" in CODE_2024.provision("6.14").summary
    assert "20 working days" in CODE_2024.provision("6.15").summary
    assert "12 months" in CODE_2024.provision("2.3").summary


def test_looking_up_provisions():
    assert CODE_2024.provision("6.15").section == 6
    assert CODE_2024.provision("6.15").slug == "6-15"
    assert "6.15" in CODE_2024 and "6.21" not in CODE_2024 and "1.1" not in CODE_2024
    with pytest.raises(KeyError, match="no provision 6.21"):
        CODE_2024.provision("6.21")
    assert CODE_2024.position("1.2") == 1
    assert CODE_2024.position("6.9") + 1 == CODE_2024.position("6.10")  # not string order
    assert CODE_2024.position("9.8") == 72
    with pytest.raises(KeyError):
        CODE_2024.section(10)


def test_versions_sit_side_by_side():
    assert LATEST in CODES and code("2024") is CODE_2024
    assert CODE_2024.version == "2024" and CODE_2024.in_force_from == date(2024, 4, 1)
    with pytest.raises(KeyError, match="2030"):
        code("2030")


def _provision(number: str, section: int | None = None) -> Provision:
    return Provision(
        number=number,
        section=int(number.split(".")[0]) if section is None else section,
        obligation=Obligation.MUST,
        summary="A summary.",
    )


@pytest.mark.parametrize(
    ("provisions", "problem"),
    [
        ((_provision("1.1"), _provision("1.1")), "repeated"),
        ((_provision("1.2"), _provision("1.1")), "out of order"),
        ((_provision("1.10"), _provision("1.9")), "out of order"),
        ((_provision("2.1", section=1),), "not numbered within"),
        ((_provision("3.1"),), "no section 3"),
        ((replace(_provision("1.1"), summary=" "),), "incomplete"),
    ],
)
def test_a_malformed_code_is_refused(provisions, problem):
    with pytest.raises(ValueError, match=problem):
        ComplaintHandlingCode(
            version="test",
            title="Test code",
            in_force_from=date(2030, 1, 1),
            sections=(Section(1, "One"), Section(2, "Two")),
            provisions=provisions,
        )


# --- Seed 004 itself, when it is on this machine ---------------------------------------------

# What makes a provision a "must" (putright.rules.code's docstring): "must" or "must not", an
# outright ban (5.3) or a duty stated as the landlord's responsibility (5.5).
MANDATORY_WORDING = ("must", "not acceptable", "are responsible for")
ROW = re.compile(r"^(\d\.\d{1,2})\t")


def _seed_requirements(text: str) -> dict[str, str]:
    """Each provision's "Code requirement" column, joined across the rows a page break splits.

    A provision's row starts with its number and a tab; rows that carry on after a page break
    start with a tab, the requirement being their second column."""
    found: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        match = ROW.match(line)
        if match:
            current = match.group(1)
            assert current not in found, f"{current} appears twice in seed 004"
            found[current] = line.split("\t")[1]
        elif current and line.startswith("\t"):
            columns = line.split("\t")
            found[current] += " " + (columns[1] if len(columns) > 1 else "")
        elif line.startswith("Section "):
            current = None
    return found


@pytest.fixture
def seed_requirements() -> dict[str, str]:
    if not SEED_004.exists():
        pytest.skip(f"{SEED_004} is not on this machine")
    return _seed_requirements(SEED_004.read_text(encoding="utf-8"))


def test_the_seed_file_lists_the_provisions_kept_here(seed_requirements):
    assert tuple(seed_requirements) == SEED_PROVISIONS
    assert tuple(seed_requirements) == CODE_2024.numbers()


def test_must_and_should_agree_with_the_seed_wording(seed_requirements):
    for number, requirement in seed_requirements.items():
        wording = re.sub(r"<[^>]+>", " ", requirement).lower()
        mandatory = any(words in wording for words in MANDATORY_WORDING)
        expected = Obligation.MUST if mandatory else Obligation.SHOULD
        assert CODE_2024.provision(number).obligation is expected, number
