"""The Complaint Handling Code as data: every provision a landlord assesses itself against.

Pure Python (no Django). Each revision of the Code is a :class:`ComplaintHandlingCode` kept under
its own version in ``CODES``; a later revision is added beside the earlier one (a new module such
as ``code_2024``), never written over it, so a self-assessment made against the 2024 Code still
reads the provisions it was made against after the Code changes.

A provision's ``obligation`` is read from the Code's own wording: "must" where it says "must"
(or "must not"), forbids something outright ("not acceptable under any circumstances", 5.3) or
makes a duty the landlord's responsibility ("Landlords are responsible for ensuring", 5.5);
"should" where it only describes good practice or something the Ombudsman may ask ("It is not
appropriate ...", 5.2; "may be asked ...", 8.4). The ``summary`` is PutRight's short paraphrase
for screens; the Code's own text is the authority.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Final

__all__ = [
    "CODES",
    "LATEST",
    "ComplaintHandlingCode",
    "Obligation",
    "Provision",
    "Section",
    "code",
]


class Obligation(StrEnum):
    MUST = "must"
    SHOULD = "should"


@dataclass(frozen=True)
class Section:
    number: int
    title: str


@dataclass(frozen=True)
class Provision:
    number: str  # "6.15": section, then the provision's place in it
    section: int
    obligation: Obligation
    summary: str
    part: str = ""  # a heading within the section ("Stage 1", "Stage 2"), where the Code has one

    @property
    def is_must(self) -> bool:
        return self.obligation is Obligation.MUST

    @property
    def slug(self) -> str:
        """The number as a web page's fragment or id can carry it: "6.15" -> "6-15"."""
        return self.number.replace(".", "-")


@dataclass(frozen=True)
class ComplaintHandlingCode:
    """One revision of the Code: its sections and provisions, in the Code's order."""

    version: str
    title: str
    in_force_from: date
    sections: tuple[Section, ...]
    provisions: tuple[Provision, ...]
    _by_number: dict[str, Provision] = field(init=False, repr=False, compare=False)
    _positions: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        section_numbers = [section.number for section in self.sections]
        if section_numbers != sorted(set(section_numbers)):
            raise ValueError(f"Code {self.version}: sections are numbered once, in order")
        by_number: dict[str, Provision] = {}
        previous: tuple[int, int] = (0, 0)
        for provision in self.provisions:
            if provision.number in by_number:
                raise ValueError(f"Code {self.version}: provision {provision.number} is repeated")
            head, _, tail = provision.number.partition(".")
            if not (head.isdigit() and tail.isdigit()) or int(head) != provision.section:
                raise ValueError(
                    f"Code {self.version}: provision {provision.number} is not numbered within "
                    f"section {provision.section}"
                )
            if provision.section not in section_numbers:
                raise ValueError(f"Code {self.version}: no section {provision.section}")
            key = (int(head), int(tail))
            if key <= previous:
                raise ValueError(
                    f"Code {self.version}: provision {provision.number} is out of order"
                )
            if not isinstance(provision.obligation, Obligation) or not provision.summary.strip():
                raise ValueError(f"Code {self.version}: provision {provision.number} is incomplete")
            previous = key
            by_number[provision.number] = provision
        object.__setattr__(self, "_by_number", by_number)
        object.__setattr__(self, "_positions", {n: i for i, n in enumerate(by_number, start=1)})

    def __contains__(self, number: object) -> bool:
        return number in self._by_number

    def __iter__(self) -> Iterator[Provision]:
        return iter(self.provisions)

    def __len__(self) -> int:
        return len(self.provisions)

    def provision(self, number: str) -> Provision:
        """The provision numbered ``number`` ("6.15"); ``KeyError`` for one the Code lacks."""
        try:
            return self._by_number[number]
        except KeyError:
            raise KeyError(f"The {self.title} has no provision {number}") from None

    def numbers(self) -> tuple[str, ...]:
        return tuple(provision.number for provision in self.provisions)

    def position(self, number: str) -> int:
        """Where the provision comes in the Code, from 1: so "6.10" sorts after "6.9"."""
        return self._positions[self.provision(number).number]

    def section(self, number: int) -> Section:
        for section in self.sections:
            if section.number == number:
                return section
        raise KeyError(f"The {self.title} has no section {number}")

    def by_section(self) -> list[tuple[Section, list[Provision]]]:
        """Each section with its provisions, in the Code's order."""
        return [
            (section, [p for p in self.provisions if p.section == section.number])
            for section in self.sections
        ]


def _codes() -> dict[str, ComplaintHandlingCode]:
    from .code_2024 import CODE_2024

    return {CODE_2024.version: CODE_2024}


CODES: Final[dict[str, ComplaintHandlingCode]] = _codes()
# The revision a new self-assessment is made against unless another is chosen.
LATEST: Final = "2024"


def code(version: str) -> ComplaintHandlingCode:
    """The Code of ``version`` ("2024"); ``KeyError`` for a version PutRight does not hold."""
    try:
        return CODES[version]
    except KeyError:
        raise KeyError(f"PutRight holds no Complaint Handling Code version {version!r}") from None
