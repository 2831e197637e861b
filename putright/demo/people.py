"""Demo step: a fictional landlord's homes and the people in them, over the reporting period.

At scale 1.0 there are about 8,000 homes: 80% low-cost rental (general needs, supported housing
and housing for older people), 19.5% shared ownership and a few leaseholders, in eight fictional
towns (postcode area GW, which does not exist). Each home starts with a tenancy begun before the
period; through the period tenancies end (moving out, death, eviction, abandonment, sales) and
homes are re-let after a void, sometimes to an existing tenant transferring from another home.
A few new-build homes are first let during the period.

Then: applicants and other non-residents, representatives (including executors of tenants who
died), reasonable adjustments, disclosed disabilities, a couple of contact restrictions and
equality answers for a share of people. Contact details are fictional: example.* email
domains and Ofcom's drama phone numbers.

Everything is generated in memory as small records, then written with ``bulk_create``; the rows
have no per-row history events (they were not made by anyone's action).
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from putright.core.dates import long_date
from putright.people.models import (
    AdjustmentCategory,
    AuthorityMethod,
    ContactMethod,
    ContactRestriction,
    DisclosedDisability,
    EndReason,
    EqualityData,
    Format,
    Property,
    PropertyType,
    ReasonableAdjustment,
    Relationship,
    Representative,
    Resident,
    ResidentKind,
    Tenancy,
    Tenure,
    tsm_group,
)

if TYPE_CHECKING:
    from putright.demo.generator import DemoGenerator

DAY = dt.timedelta(days=1)

# Share of homes in each tenure (LCRA 79.5%, LCHO 19.5%, leaseholders 1%).
TENURE_MIX = {
    Tenure.LCRA_GENERAL_NEEDS: 0.66,
    Tenure.LCRA_SUPPORTED: 0.06,
    Tenure.LCRA_OLDER_PEOPLE: 0.075,
    Tenure.LCHO_SHARED_OWNERSHIP: 0.195,
    Tenure.LEASEHOLDER: 0.01,
}
NEW_BUILD_SHARE = 0.015  # homes first let during the period

# Chance a tenancy ends in a year, how long the home then stands empty (days), and mean years a
# tenancy already running at the start has been going.
END_RATE = {
    Tenure.LCRA_GENERAL_NEEDS: 0.08,
    Tenure.LCRA_SUPPORTED: 0.35,
    Tenure.LCRA_OLDER_PEOPLE: 0.13,
    Tenure.LCHO_SHARED_OWNERSHIP: 0.05,
    Tenure.LEASEHOLDER: 0.06,
}
VOID_DAYS = {
    Tenure.LCRA_GENERAL_NEEDS: (14, 60),
    Tenure.LCRA_SUPPORTED: (7, 45),
    Tenure.LCRA_OLDER_PEOPLE: (21, 90),
    Tenure.LCHO_SHARED_OWNERSHIP: (45, 150),
    Tenure.LEASEHOLDER: (30, 120),
}
MEAN_YEARS_HELD = {
    Tenure.LCRA_GENERAL_NEEDS: 9,
    Tenure.LCRA_SUPPORTED: 2,
    Tenure.LCRA_OLDER_PEOPLE: 6,
    Tenure.LCHO_SHARED_OWNERSHIP: 6,
    Tenure.LEASEHOLDER: 10,
}
END_REASONS = {
    Tenure.LCRA_GENERAL_NEEDS: {
        EndReason.MOVED_OUT: 60,
        EndReason.DEATH: 15,
        EndReason.EVICTION: 6,
        EndReason.ABANDONED: 6,
        EndReason.SOLD: 3,  # right to buy: the home leaves our stock
        EndReason.OTHER: 10,
    },
    Tenure.LCRA_SUPPORTED: {
        EndReason.MOVED_OUT: 80,
        EndReason.EVICTION: 8,
        EndReason.ABANDONED: 10,
        EndReason.OTHER: 2,
    },
    Tenure.LCRA_OLDER_PEOPLE: {
        EndReason.DEATH: 60,
        EndReason.MOVED_OUT: 35,
        EndReason.OTHER: 5,
    },
    Tenure.LCHO_SHARED_OWNERSHIP: {
        EndReason.MOVED_OUT: 60,  # share sold on to a new shared owner
        EndReason.SOLD: 40,  # staircased to full ownership: the home leaves our stock
    },
    Tenure.LEASEHOLDER: {EndReason.MOVED_OUT: 100},
}
JOINT_SHARE = {
    Tenure.LCRA_GENERAL_NEEDS: 0.25,
    Tenure.LCRA_SUPPORTED: 0.0,
    Tenure.LCRA_OLDER_PEOPLE: 0.12,
    Tenure.LCHO_SHARED_OWNERSHIP: 0.4,
    Tenure.LEASEHOLDER: 0.3,
}
TRANSFER_SHARE = 0.15  # re-lets of rented homes that go to a tenant moving from another home
AGE_AT_START = {
    Tenure.LCRA_GENERAL_NEEDS: (18, 70),
    Tenure.LCRA_SUPPORTED: (18, 60),
    Tenure.LCRA_OLDER_PEOPLE: (58, 88),
    Tenure.LCHO_SHARED_OWNERSHIP: (22, 55),
    Tenure.LEASEHOLDER: (25, 70),
}

TOWNS = (  # fictional towns, weight, postcode districts
    ("Greenway", 30, (1, 2, 3, 4)),
    ("Kingsford", 14, (5, 6)),
    ("Millbridge", 13, (7, 8)),
    ("Ashby Vale", 10, (9,)),
    ("Hollin Cross", 10, (10, 11)),
    ("Thornley", 9, (12,)),
    ("Eastmere", 8, (14, 15)),
    ("Fenwick Green", 6, (16,)),
)
_STREET_WORDS = (
    "Oak Ash Beech Church Mill Station Park Victoria Albert Queens Kings Bridge Brook Meadow "
    "Orchard Willow Elm Chestnut Cedar Rowan Hazel Holly Moor Hill Green School Manor Priory "
    "Abbey Castle Windmill Foundry Canal Wharf Market Chapel Garden Spring Fox Heron Kestrel "
    "Lark Swallow Lime Sycamore Hawthorn Birch Larch Poplar Primrose Bluebell Clover Heather "
    "Bracken Fern Linden Maple Laurel Juniper Alder Aspen Hornbeam Cherry Plum Pear Apple "
    "Damson Quarry Mason Weaver Cooper Tanner Fuller Carter Smithy Forge Kiln Pond Lake Ridge "
    "Vale Dale Fell Beck Ford Field Croft Grange Lodge Hall Court Cross Gate"
)
STREET_WORDS = tuple(_STREET_WORDS.split())
_STREET_SUFFIXES = "Road Street Lane Close Avenue Way Drive Crescent Grove Gardens Terrace Place"
STREET_SUFFIXES = (*_STREET_SUFFIXES.split(), "Walk", "Rise", "View")
ESTATE_SUFFIXES = ("Meadows", "Fields", "Park", "Rise", "Gardens", "Green", "Heights")
SCHEME_SUFFIXES = {
    Tenure.LCRA_OLDER_PEOPLE: ("Court", "Lodge", "House"),
    Tenure.LCRA_SUPPORTED: ("House", "Lodge", "Place"),
}
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses in the inward code

LANGUAGES = {  # language (other than English) and weight; a share need an interpreter
    "Polish": 18,
    "Urdu": 14,
    "Punjabi": 10,
    "Bengali": 9,
    "Arabic": 9,
    "Somali": 8,
    "Romanian": 8,
    "Portuguese": 6,
    "Gujarati": 6,
    "Tigrinya": 4,
    "British Sign Language": 8,
}
ADJUSTMENTS = (
    (AdjustmentCategory.FORMAT, "Letters and responses in large print (16 point Arial)"),
    (AdjustmentCategory.FORMAT, "Letters and leaflets in easy read, with pictures"),
    (AdjustmentCategory.FORMAT, "Letters sent by email so they can be read with a screen reader"),
    (AdjustmentCategory.CONTACT, "Phone calls after 10am only"),
    (AdjustmentCategory.CONTACT, "Contact by email or text rather than phone calls"),
    (AdjustmentCategory.CONTACT, "Phone before visiting and allow time to answer the door"),
    (AdjustmentCategory.LANGUAGE, "Interpreter for calls, visits and meetings"),
    (AdjustmentCategory.SUPPORT, "Copy letters to their support worker, with consent"),
    (AdjustmentCategory.SUPPORT, "Daughter to be present at visits and meetings"),
    (AdjustmentCategory.MEETINGS, "Meetings at home rather than at the office"),
    (AdjustmentCategory.MEETINGS, "Ground-floor meeting room with step-free access"),
    (AdjustmentCategory.TIME, "Ten extra working days to reply to requests for information"),
)
DISABILITIES = (
    "Mobility impairment; uses a wheelchair",
    "Hearing loss; uses hearing aids",
    "Sight loss; uses a screen reader",
    "Long-term mental health condition",
    "Learning disability",
    "Chronic obstructive pulmonary disease (COPD)",
    "Autism",
    "Early-stage dementia",
    "Arthritis affecting hands and walking",
    "Deaf; British Sign Language user",
)
RESTRICTIONS = (
    {
        "reason": "Repeated abusive and threatening phone calls to contact centre staff.",
        "evidence": "Call recordings and incident log for 14 calls over three weeks; warning "
        "letter sent first, asking for calls to stay civil.",
        "proportionality_note": "Email and letters to one named officer keep every route open, "
        "and repairs can still be reported on the 24-hour line. No disability or other need is "
        "known that would make written contact harder; we asked, and considered the Equality "
        "Act 2010 before deciding.",
        "restriction": "Contact by email or letter to the named case officer only; phone calls "
        "limited to the 24-hour emergency repairs line.",
    },
    {
        "reason": "Unannounced visits to the office with aggressive behaviour towards "
        "reception staff.",
        "evidence": "Incident reports from three visits; statements from two members of staff.",
        "proportionality_note": "The resident has a disclosed mental health condition, so we "
        "kept phone contact open with a named officer and offered home visits with two staff, "
        "as a reasonable adjustment under the Equality Act 2010.",
        "restriction": "Office visits by appointment only; phone contact through the named "
        "officer on weekday mornings.",
    },
    {
        "reason": "More than 40 emails a week repeating the same points to many staff.",
        "evidence": "Email log for six weeks; the points raised were answered on three dates.",
        "proportionality_note": "One point of contact and a weekly summary reply keep the "
        "resident informed; their preferred format (email) is unchanged. Equality Act 2010 "
        "needs considered: none known that this would disadvantage.",
        "restriction": "Emails to one shared mailbox, answered once a week by the named officer.",
    },
)
REPRESENTATIVE_MIX = {
    Relationship.FAMILY_MEMBER: 45,
    Relationship.FRIEND: 8,
    Relationship.ADVOCATE: 10,
    Relationship.SOLICITOR: 8,
    Relationship.MP: 8,
    Relationship.COUNCILLOR: 7,
    Relationship.SUPPORT_WORKER: 12,
    Relationship.OTHER: 2,
}
ETHNICITY_MIX = {
    EqualityData.Ethnicity.WHITE: 79,
    EqualityData.Ethnicity.ASIAN: 9,
    EqualityData.Ethnicity.BLACK: 5,
    EqualityData.Ethnicity.MIXED: 3,
    EqualityData.Ethnicity.OTHER: 2,
    EqualityData.Ethnicity.PREFER_NOT_TO_SAY: 2,
}


# --- small in-memory records ---------------------------------------------------------------------


@dataclass(slots=True)
class Home:
    tenure: str
    uprn: str | None = None
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    property_type: str = PropertyType.HOUSE
    scheme: str = ""
    new_build: bool = False


@dataclass(slots=True)
class Person:
    sex: str
    title: str
    first_name: str
    last_name: str
    date_of_birth: dt.date
    kind: str = ResidentKind.TENANT
    email: str = ""
    phone: str = ""
    correspondence_address: str = ""
    preferred_contact_method: str = ContactMethod.LETTER
    preferred_format: str = Format.STANDARD
    language: str = "English"
    interpreter_needed: bool = False


@dataclass(slots=True)
class Let:
    person: int
    home: int
    tenure: str
    start: dt.date
    joint: bool
    end: dt.date | None = None
    reason: str = ""


@dataclass
class PeopleResult:
    """What the people step made, for later steps (ids in creation order)."""

    property_ids: list[int]
    resident_ids: list[int]
    # (resident_id, property_id, tenure, start_date, end_date) for every tenancy
    tenancies: list[tuple[int, int, str, dt.date, dt.date | None]]
    counts: Counter = field(default_factory=Counter)


# --- helpers -----------------------------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _date_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + DAY * rng.randint(0, max(0, (last - first).days))


def _allocate(total: int, shares: dict) -> dict:
    """Split ``total`` by ``shares`` exactly (largest remainder): proportions hold at any size."""
    raw = {key: total * share / sum(shares.values()) for key, share in shares.items()}
    counts = {key: int(value) for key, value in raw.items()}
    left = total - sum(counts.values())
    for key in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[:left]:
        counts[key] += 1
    return counts


class _Postcodes:
    """Unit postcodes in the fictional GW area, each used once per street or scheme."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def new(self, district: int) -> str:
        for _ in range(20):  # a district has 3,600 codes; share one once they run short
            code = (
                f"GW{district} {self.rng.randint(1, 9)}"
                f"{self.rng.choice(POSTCODE_UNIT_LETTERS)}{self.rng.choice(POSTCODE_UNIT_LETTERS)}"
            )
            if code not in self.used:
                break
        self.used.add(code)
        return code


# --- homes -------------------------------------------------------------------------------------


def _place_homes(rng: random.Random, homes: list[Home], uprn_base: int) -> None:
    """Give every home an address: streets of houses and blocks, estates, and schemes."""
    postcodes = _Postcodes(rng)
    town_weights = {town: weight for town, weight, _ in TOWNS}
    districts = {town: codes for town, _, codes in TOWNS}
    used_names: set[tuple[str, str]] = set()

    def place_name(town: str, suffixes) -> str:
        for _ in range(50):
            name = f"{rng.choice(STREET_WORDS)} {rng.choice(suffixes)}"
            if (town, name) not in used_names:
                break
        used_names.add((town, name))
        return name

    by_tenure: dict[str, list[Home]] = {}
    for home in homes:
        by_tenure.setdefault(home.tenure, []).append(home)

    # Schemes: sheltered housing for older people, and supported housing.
    for tenure, (low, high) in (
        (Tenure.LCRA_OLDER_PEOPLE, (18, 40)),
        (Tenure.LCRA_SUPPORTED, (6, 14)),
    ):
        pending = by_tenure.get(tenure, [])
        while pending:
            size = min(len(pending), rng.randint(low, high))
            group, pending = pending[:size], pending[size:]
            town = _weighted(rng, town_weights)
            scheme = place_name(town, SCHEME_SUFFIXES[tenure])
            street = place_name(town, STREET_SUFFIXES)
            number = rng.randint(1, 120)
            postcode = postcodes.new(rng.choice(districts[town]))
            for n, home in enumerate(group, start=1):
                if tenure == Tenure.LCRA_OLDER_PEOPLE and rng.random() < 0.25:
                    home.property_type = PropertyType.BUNGALOW
                    home.address_line_1 = f"{n} {scheme}"
                elif tenure == Tenure.LCRA_SUPPORTED and rng.random() < 0.4:
                    home.property_type = rng.choice(
                        (PropertyType.BEDSIT, PropertyType.SHARED_HOUSING_ROOM)
                    )
                    home.address_line_1 = f"Room {n}, {scheme}"
                else:
                    home.property_type = PropertyType.FLAT
                    home.address_line_1 = f"Flat {n}, {scheme}"
                home.address_line_2 = f"{number} {street}"
                home.scheme = scheme
                home.town, home.postcode = town, postcode

    # Shared ownership: newer estates of houses and flats.
    pending = by_tenure.get(Tenure.LCHO_SHARED_OWNERSHIP, [])
    while pending:
        size = min(len(pending), rng.randint(12, 40))
        group, pending = pending[:size], pending[size:]
        town = _weighted(rng, town_weights)
        street = place_name(town, ESTATE_SUFFIXES)
        district = rng.choice(districts[town])
        postcode = postcodes.new(district)
        for n, home in enumerate(group, start=1):
            if n % 15 == 0:
                postcode = postcodes.new(district)
            home.property_type = PropertyType.HOUSE if rng.random() < 0.6 else PropertyType.FLAT
            home.address_line_1 = f"{n} {street}"
            home.town, home.postcode = town, postcode

    # General needs: streets of houses, and blocks of flats that include leaseholders.
    general = by_tenure.get(Tenure.LCRA_GENERAL_NEEDS, [])
    leasehold = list(by_tenure.get(Tenure.LEASEHOLDER, []))
    while general:
        town = _weighted(rng, town_weights)
        district = rng.choice(districts[town])
        street = place_name(town, STREET_SUFFIXES)
        if rng.random() < 0.6:
            size = min(len(general), rng.randint(8, 40))
            group, general = general[:size], general[size:]
            postcode = postcodes.new(district)
            for n, home in enumerate(group, start=1):
                if n % 15 == 0:
                    postcode = postcodes.new(district)
                home.property_type = PropertyType.HOUSE
                home.address_line_1 = f"{2 * n - (n % 2)} {street}"
                home.town, home.postcode = town, postcode
        else:
            size = min(len(general), rng.randint(6, 24))
            group, general = general[:size], general[size:]
            take = min(len(leasehold), rng.randint(0, 3))
            group, leasehold = group + leasehold[:take], leasehold[take:]
            rng.shuffle(group)
            block = f"{rng.choice(STREET_WORDS)} House"
            number = rng.randint(1, 99)
            postcode = postcodes.new(district)
            for n, home in enumerate(group, start=1):
                home.property_type = (
                    PropertyType.MAISONETTE if rng.random() < 0.15 else PropertyType.FLAT
                )
                home.address_line_1 = f"Flat {n}, {block}"
                home.address_line_2 = f"{number} {street}"
                home.scheme = block
                home.town, home.postcode = town, postcode
    for n, home in enumerate(leasehold, start=1):  # any left over: a block of their own
        home.property_type = PropertyType.FLAT
        home.address_line_1 = f"Flat {n}, Wharf House"
        home.address_line_2 = "2 Canal Wharf"
        home.scheme = "Wharf House"
        home.town, home.postcode = "Greenway", "GW1 1AB"

    for n, home in enumerate(homes):
        home.uprn = None if rng.random() < 0.02 else str(uprn_base + n)


def _make_homes(generator: DemoGenerator, rng: random.Random, uprn_base: int) -> list[Home]:
    total = generator.scaled(8_000, minimum=10)
    counts = _allocate(total, TENURE_MIX)
    homes = [Home(tenure=tenure) for tenure, count in counts.items() for _ in range(count)]
    _place_homes(rng, homes, uprn_base)
    rng.shuffle(homes)
    for home in homes:
        home.new_build = home.tenure != Tenure.LEASEHOLDER and rng.random() < NEW_BUILD_SHARE
    return homes


# --- people --------------------------------------------------------------------------------------


class _People:
    def __init__(self, generator: DemoGenerator, rng: random.Random):
        self.rng = rng
        self.fake = generator.faker_for("people")
        self.people: list[Person] = []

    def new(self, *, born_before: dt.date, age: tuple[int, int], surname: str | None = None) -> int:
        rng = self.rng
        sex = "female" if rng.random() < 0.56 else "male"
        if sex == "female":
            first = self.fake.first_name_female()
            title = rng.choices(("Ms", "Mrs", "Miss", "Dr", "Mx", ""), (40, 30, 18, 2, 1, 9))[0]
        else:
            first = self.fake.first_name_male()
            title = rng.choices(("Mr", "Dr", "Mx", ""), (88, 2, 1, 9))[0]
        last = surname or self.fake.last_name()
        years = rng.randint(*age)
        born = born_before - DAY * (years * 365 + rng.randint(0, 364))
        person = Person(
            sex=sex,
            title=title,
            first_name=first,
            last_name=last,
            date_of_birth=born,
        )
        self._contact(person, older=years >= 60)
        self.people.append(person)
        return len(self.people) - 1

    def _contact(self, person: Person, *, older: bool) -> None:
        rng = self.rng
        n = len(self.people)
        if rng.random() < (0.55 if older else 0.82):
            local = "".join(
                c
                for c in f"{person.first_name}.{person.last_name}".lower()
                if c.isalpha() or c == "."
            )
            domain = rng.choice(("example.com", "example.org", "example.net"))
            person.email = f"{local}{n}@{domain}"
        if rng.random() < 0.92:
            person.phone = (
                f"07700 900{rng.randint(0, 999):03d}"
                if rng.random() < 0.8
                else f"01632 960{rng.randint(1, 999):03d}"
            )
        methods = {
            ContactMethod.LETTER: 45 if older else 20,
            ContactMethod.EMAIL: 15 if older else 40,
            ContactMethod.PHONE: 30 if older else 25,
            ContactMethod.TEXT: 5 if older else 13,
            ContactMethod.IN_PERSON: 5 if older else 2,
        }
        if not person.email:
            methods.pop(ContactMethod.EMAIL)
        if not person.phone:
            methods.pop(ContactMethod.PHONE)
            methods.pop(ContactMethod.TEXT)
        person.preferred_contact_method = _weighted(rng, methods)
        formats = {
            Format.STANDARD: 90 if older else 96,
            Format.LARGE_PRINT: 7 if older else 1.5,
            Format.EASY_READ: 1,
            Format.AUDIO: 1 if older else 0.5,
            Format.BRAILLE: 0.5 if older else 0.2,
            Format.OTHER: 0.5,
        }
        person.preferred_format = _weighted(rng, formats)
        if rng.random() < 0.07:
            person.language = _weighted(rng, LANGUAGES)
            person.interpreter_needed = person.language == "British Sign Language" or (
                rng.random() < 0.6
            )


# --- the lettings timeline -----------------------------------------------------------------------


class _Timeline:
    """Tenancies from before the period to ``as_at``, by simulating ends, voids and re-lets in
    date order (a discrete event simulation with a heap of dated events)."""

    def __init__(self, rng: random.Random, homes: list[Home], people: _People, first_day, as_at):
        self.rng, self.homes, self.people = rng, homes, people
        self.first_day, self.as_at = first_day, as_at
        self.lets: list[Let] = []
        self.current: dict[int, list[int]] = {}  # home -> indexes of its current lets
        self.token = [0] * len(homes)  # bumped when a home's household changes
        self.events: list[tuple[dt.date, int, str, int, int]] = []
        self.sequence = 0
        self.rented = [i for i, h in enumerate(homes) if tsm_group(h.tenure) == "LCRA"]

    def push(self, when: dt.date, kind: str, home: int) -> None:
        if when <= self.as_at:
            self.sequence += 1
            heapq.heappush(self.events, (when, self.sequence, kind, home, self.token[home]))

    def run(self) -> list[Let]:
        for index, home in enumerate(self.homes):
            if home.new_build:
                self.push(_date_between(self.rng, self.first_day, self.as_at), "let", index)
            else:
                years = self.rng.expovariate(1 / MEAN_YEARS_HELD[home.tenure])
                start = self.first_day - DAY * max(1, int(min(years, 40) * 365))
                self.let_to_new_household(index, start)
        while self.events:
            when, _, kind, home, token = heapq.heappop(self.events)
            if token != self.token[home]:
                continue  # the household changed since this was scheduled
            if kind == "end":
                self.end(home, when)
            else:
                self.relet(home, when)
        return self.lets

    def schedule_end(self, home: int, start: dt.date) -> None:
        rate = END_RATE[self.homes[home].tenure]
        # Memoryless: a tenancy begun before the period ends at the same rate within it.
        origin = max(start, self.first_day)
        days = max(1, int(self.rng.expovariate(rate) * 365))
        self.push(origin + DAY * days, "end", home)

    def let_to_new_household(self, home: int, start: dt.date) -> None:
        tenure = self.homes[home].tenure
        joint = self.rng.random() < JOINT_SHARE[tenure]
        first = self.people.new(born_before=start, age=AGE_AT_START[tenure])
        members = [first]
        if joint:
            surname = self.people.people[first].last_name if self.rng.random() < 0.7 else None
            members.append(
                self.people.new(born_before=start, age=AGE_AT_START[tenure], surname=surname)
            )
        self.start(home, start, members, joint)

    def start(self, home: int, start: dt.date, members: list[int], joint: bool) -> None:
        tenure = self.homes[home].tenure
        self.token[home] += 1
        self.current[home] = []
        for person in members:
            self.current[home].append(len(self.lets))
            self.lets.append(Let(person=person, home=home, tenure=tenure, start=start, joint=joint))
        self.schedule_end(home, start)

    def close(self, home: int, last_day: dt.date, reason: str) -> list[int]:
        members = []
        for index in self.current.pop(home, []):
            let = self.lets[index]
            let.end, let.reason = last_day, reason
            members.append(let.person)
        self.token[home] += 1
        return members

    def end(self, home: int, when: dt.date) -> None:
        tenure = self.homes[home].tenure
        reason = _weighted(self.rng, END_REASONS[tenure])
        if reason == EndReason.DEATH and len(self.current.get(home, [])) > 1:
            reason = EndReason.MOVED_OUT  # a joint tenant would succeed; keep it simple
        self.close(home, when, reason)
        if reason != EndReason.SOLD:  # a sold home leaves our stock
            self.push(when + DAY * self.rng.randint(*VOID_DAYS[tenure]), "let", home)

    def relet(self, home: int, when: dt.date) -> None:
        if tsm_group(self.homes[home].tenure) == "LCRA" and self.rng.random() < TRANSFER_SHARE:
            origin = self.transfer_candidate(home, when)
            if origin is not None:
                members = self.close(origin, when - DAY, EndReason.TRANSFER)
                joint = len(members) > 1
                self.start(home, when, members, joint)
                origin_tenure = self.homes[origin].tenure
                self.push(when + DAY * self.rng.randint(*VOID_DAYS[origin_tenure]), "let", origin)
                return
        self.let_to_new_household(home, when)

    def transfer_candidate(self, home: int, when: dt.date) -> int | None:
        for _ in range(8):
            origin = self.rng.choice(self.rented)
            lets = self.current.get(origin)
            if origin != home and lets and all(self.lets[i].start < when - DAY for i in lets):
                return origin
        return None


# --- the step ------------------------------------------------------------------------------------


def _next_number(model, field: str, prefix: str, digits: int) -> int:
    """One more than the highest generated number already stored (0 on an empty database)."""
    from django.db.models import Max

    highest = model.objects.filter(**{f"{field}__startswith": prefix}).aggregate(m=Max(field))["m"]
    return int(highest[len(prefix) :]) + 1 if highest and highest[len(prefix) :].isdigit() else 0


def make_people(generator: DemoGenerator) -> None:
    from putright.demo.organisation import reporting_period

    rng = generator.rng_for("people")
    period = generator.results.get("period") or reporting_period(generator)
    first_day, as_at = period.first_day, period.as_at

    uprn_base = 100_090_000_000 + _next_number(Property, "uprn", "10009", 7)
    homes = _make_homes(generator, rng, uprn_base)
    people = _People(generator, rng)
    lets = _Timeline(rng, homes, people, first_day, as_at).run()

    # Who each person is on as_at, from their tenancies.
    kinds: dict[int, str] = {}
    for let in sorted(lets, key=lambda let: let.start):
        holds = let.start <= as_at and (let.end is None or let.end >= as_at)
        if holds:
            kinds[let.person] = {
                Tenure.LCHO_SHARED_OWNERSHIP: ResidentKind.SHARED_OWNER,
                Tenure.LEASEHOLDER: ResidentKind.LEASEHOLDER,
            }.get(let.tenure, ResidentKind.TENANT)
        else:  # ended (a later tenancy, if any, overrides this)
            kinds.setdefault(let.person, ResidentKind.FORMER_RESIDENT)
    for index, kind in kinds.items():
        people.people[index].kind = kind
    tenancy_people = len(people.people)

    # Applicants and other people who use our services without a home of ours.
    for kind, count in (
        (ResidentKind.APPLICANT, generator.scaled(120, minimum=1)),
        (ResidentKind.OTHER, generator.scaled(40, minimum=1)),
    ):
        for _ in range(count):
            index = people.new(born_before=as_at, age=(18, 80))
            person = people.people[index]
            person.kind = kind
            person.correspondence_address = (
                f"{rng.randint(1, 200)} {rng.choice(STREET_WORDS)} "
                f"{rng.choice(STREET_SUFFIXES)}\n{rng.choice(TOWNS)[0]}\n"
                f"GW{rng.randint(1, 16)} {rng.randint(1, 9)}"
                f"{rng.choice(POSTCODE_UNIT_LETTERS)}{rng.choice(POSTCODE_UNIT_LETTERS)}"
            )
            if person.preferred_contact_method == ContactMethod.IN_PERSON:
                person.preferred_contact_method = ContactMethod.LETTER

    # --- write homes, people and tenancies ---
    reference_base = _next_number(Resident, "reference", "GH", 7)
    property_ids = generator.bulk_create(
        Property,
        (
            Property(
                uprn=h.uprn,
                address_line_1=h.address_line_1,
                address_line_2=h.address_line_2,
                town=h.town,
                postcode=h.postcode,
                property_type=h.property_type,
                scheme=h.scheme,
            )
            for h in homes
        ),
    )
    resident_ids = generator.bulk_create(
        Resident,
        (
            Resident(
                reference=f"GH{reference_base + n:07d}",
                kind=p.kind,
                title=p.title,
                first_name=p.first_name,
                last_name=p.last_name,
                date_of_birth=p.date_of_birth,
                email=p.email,
                phone=p.phone,
                correspondence_address=p.correspondence_address,
                preferred_contact_method=p.preferred_contact_method,
                preferred_format=p.preferred_format,
                language=p.language,
                interpreter_needed=p.interpreter_needed,
            )
            for n, p in enumerate(people.people)
        ),
    )
    generator.bulk_create(
        Tenancy,
        (
            Tenancy(
                resident_id=resident_ids[let.person],
                property_id=property_ids[let.home],
                tenure=let.tenure,
                start_date=let.start,
                end_date=let.end,
                end_reason=let.reason,
                is_joint=let.joint,
            )
            for let in lets
        ),
    )

    # --- the rest, for a share of people ---
    counts = Counter(
        homes=len(homes),
        residents=len(resident_ids),
        tenancies=len(lets),
        ended=sum(1 for let in lets if let.end is not None),
        transfers=sum(1 for let in lets if let.reason == EndReason.TRANSFER),
        new_lets=sum(1 for let in lets if let.start >= first_day),
    )
    housed = [i for i, kind in kinds.items() if kind != ResidentKind.FORMER_RESIDENT]
    housed.sort()
    older = {let.person for let in lets if let.tenure == Tenure.LCRA_OLDER_PEOPLE}
    recent_start = max(first_day, as_at - dt.timedelta(days=540))

    representatives = _representatives(generator, rng, people, housed, lets, as_at, first_day)
    counts["representatives"] = len(representatives)
    representative_ids = generator.bulk_create(
        Representative,
        (
            Representative(resident_id=resident_ids[person], **fields)
            for person, fields in representatives
        ),
    )

    adjusted = rng.sample(housed, min(len(housed), generator.scaled(560)))
    older_housed = sorted(older.intersection(housed))
    adjusted += rng.sample(older_housed, min(len(older_housed), generator.scaled(120)))
    adjustments = []
    for person in sorted(set(adjusted)):
        category, description = rng.choice(ADJUSTMENTS)
        if category == AdjustmentCategory.LANGUAGE:
            language = people.people[person].language
            description = (
                f"{language if language != 'English' else 'Polish'} interpreter for "
                "calls, visits and meetings"
            )
        agreed = _date_between(rng, recent_start, as_at - DAY)
        review = agreed + dt.timedelta(days=rng.choice((91, 182, 365)))
        adjustments.append(
            ReasonableAdjustment(
                resident_id=resident_ids[person],
                category=category,
                description=description,
                agreed_on=agreed,
                next_review_on=review,
                last_reviewed_on=None,
            )
        )
    counts["adjustments"] = len(generator.bulk_create(ReasonableAdjustment, adjustments))

    restricted = rng.sample(housed, min(len(housed), generator.scaled(2.5, minimum=1)))
    restrictions = []
    condition_of: dict[int, str] = {}
    for n, person in enumerate(restricted):
        starts = _date_between(rng, as_at - dt.timedelta(days=300), as_at - dt.timedelta(days=30))
        terms = RESTRICTIONS[n % len(RESTRICTIONS)]
        if "mental health condition" in terms["proportionality_note"]:
            condition_of[person] = "Long-term mental health condition"
        restrictions.append(
            ContactRestriction(
                resident_id=resident_ids[person],
                starts_on=starts,
                next_review_on=starts + dt.timedelta(days=rng.choice((60, 91, 182))),
                **terms,
            )
        )
    counts["restrictions"] = len(generator.bulk_create(ContactRestriction, restrictions))

    disclosed = dict.fromkeys(rng.sample(housed, min(len(housed), generator.scaled(400))))
    disclosed.update(condition_of)  # restricted people whose restriction cites a condition
    counts["disabilities"] = len(
        generator.bulk_create(
            DisclosedDisability,
            (
                DisclosedDisability(
                    resident_id=resident_ids[person],
                    description=disclosed[person] or rng.choice(DISABILITIES),
                    disclosed_on=(on := _date_between(rng, recent_start, as_at - DAY)),
                    next_review_on=on + dt.timedelta(days=365),
                )
                for person in sorted(disclosed)
            ),
        )
    )

    answered = [i for i in range(tenancy_people) if rng.random() < 0.6]
    counts["equality"] = len(
        generator.bulk_create(
            EqualityData,
            (
                EqualityData(
                    resident_id=resident_ids[person],
                    age_band=_age_band(rng, people.people[person].date_of_birth, as_at),
                    sex=people.people[person].sex if rng.random() < 0.97 else "not_said",
                    ethnicity=_weighted(rng, ETHNICITY_MIX),
                )
                for person in answered
            ),
        )
    )

    generator.results["people"] = PeopleResult(
        property_ids=property_ids,
        resident_ids=resident_ids,
        tenancies=[
            (resident_ids[let.person], property_ids[let.home], let.tenure, let.start, let.end)
            for let in lets
        ],
        counts=counts,
    )
    generator.results["representative_ids"] = representative_ids
    by_group = Counter(tsm_group(h.tenure) or "other" for h in homes)
    generator.say(
        f"People: {counts['homes']:,} homes (LCRA {by_group['LCRA']:,}, LCHO "
        f"{by_group['LCHO']:,}, other {by_group['other']:,}); {counts['residents']:,} residents; "
        f"{counts['tenancies']:,} tenancies, of which {counts['new_lets']:,} began and "
        f"{counts['ended']:,} ended since {long_date(first_day)} "
        f"({counts['transfers']:,} transfers); representatives {counts['representatives']:,}; "
        f"reasonable adjustments {counts['adjustments']:,}; disclosed disabilities "
        f"{counts['disabilities']:,}; contact restrictions {counts['restrictions']:,}; "
        f"equality answers {counts['equality']:,}. Bulk-loaded, so no history events."
    )


def _age_band(rng: random.Random, born: dt.date, on: dt.date) -> str:
    if rng.random() < 0.05:
        return EqualityData.AgeBand.PREFER_NOT_TO_SAY
    age = (on - born).days // 365
    for limit, band in (
        (24, EqualityData.AgeBand.UNDER_25),
        (34, EqualityData.AgeBand.FROM_25),
        (44, EqualityData.AgeBand.FROM_35),
        (54, EqualityData.AgeBand.FROM_45),
        (64, EqualityData.AgeBand.FROM_55),
        (74, EqualityData.AgeBand.FROM_65),
    ):
        if age <= limit:
            return band
    return EqualityData.AgeBand.OVER_75


def _representatives(generator, rng, people: _People, housed, lets, as_at, first_day):
    """(person index, Representative fields) for a share of residents, and executors for some
    tenants who died during the period."""
    fake = generator.faker_for("representatives")
    chosen = rng.sample(housed, min(len(housed), generator.scaled(110)))
    result = []
    for person in sorted(chosen):
        relationship = _weighted(rng, REPRESENTATIVE_MIX)
        resident = people.people[person]
        fields = {
            "relationship": relationship,
            "authority_received_on": _date_between(rng, first_day, as_at - DAY),
            "authority_method": AuthorityMethod.WRITTEN,
            "authority_note": "",
        }
        if relationship == Relationship.MP:
            fields |= {
                "name": f"{fake.name()} MP",
                "organisation": "House of Commons constituency office",
                "email": f"mp.office{person}@example.org",
                "address": "Constituency office, 4 Market Place, Greenway, GW1 2AB",
            }
        elif relationship == Relationship.COUNCILLOR:
            fields |= {
                "name": f"Councillor {fake.name()}",
                "organisation": "Greenway Borough Council",
                "email": f"cllr{person}@example.org",
            }
        elif relationship == Relationship.SOLICITOR:
            fields |= {
                "name": fake.name(),
                "organisation": f"{fake.last_name()} & {fake.last_name()} Solicitors",
                "email": f"housing{person}@example.net",
                "phone": f"01632 960{rng.randint(1, 999):03d}",
            }
        elif relationship in (Relationship.ADVOCATE, Relationship.SUPPORT_WORKER):
            fields |= {
                "name": fake.name(),
                "organisation": rng.choice(
                    ("Greenway Advocacy Service", "Kingsford Mind", "Age Friendly Greenway")
                ),
                "email": f"support{person}@example.org",
            }
        else:
            surname = resident.last_name if relationship == Relationship.FAMILY_MEMBER else None
            fields |= {
                "name": f"{fake.first_name()} {surname or fake.last_name()}",
                "phone": f"07700 900{rng.randint(0, 999):03d}",
            }
            if rng.random() < 0.3:
                fields["authority_method"] = AuthorityMethod.VERBAL
                fields["authority_note"] = (
                    "Resident gave consent by phone after security questions; call noted on "
                    "the housing file by the complaints officer."
                )
            elif (
                resident.date_of_birth < as_at - dt.timedelta(days=75 * 365) and rng.random() < 0.5
            ):
                fields["authority_method"] = AuthorityMethod.LASTING_POWER_OF_ATTORNEY
                fields["authority_note"] = "Copy of the registered lasting power of attorney seen."
        result.append((person, fields))

    # Executors for some tenants who died in the period, once probate was granted.
    deaths = [let for let in lets if let.reason == EndReason.DEATH and let.end >= first_day]
    for let in rng.sample(deaths, min(len(deaths), generator.scaled(12))):
        received = let.end + dt.timedelta(days=rng.randint(60, 200))
        if received >= as_at:
            continue
        resident = people.people[let.person]
        result.append(
            (
                let.person,
                {
                    "name": f"{fake.first_name()} {resident.last_name}",
                    "relationship": Relationship.EXECUTOR,
                    "email": f"estate{let.person}@example.com",
                    "authority_received_on": received,
                    "authority_method": AuthorityMethod.PROBATE,
                    "authority_note": "Grant of probate seen and copied to the file.",
                },
            )
        )
    return result
