"""factory-boy factories for people and staff, for any test that needs them.

Factories write rows directly (no history events); tests of behaviour call the services.
Fictional contact details only: example.* email domains and Ofcom's drama phone numbers.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from putright.accounts.models import User
from putright.accounts.roles import ROLE_NAMES, sync_roles
from putright.people.models import (
    AdjustmentCategory,
    AuthorityMethod,
    ContactRestriction,
    DisclosedDisability,
    EqualityData,
    Property,
    PropertyType,
    ReasonableAdjustment,
    Relationship,
    Representative,
    Resident,
    ResidentKind,
    Tenancy,
    Tenure,
)

LOCALE = "en_GB"


class PropertyFactory(DjangoModelFactory):
    class Meta:
        model = Property

    uprn = factory.Sequence(lambda n: str(100_090_000_000 + n))
    address_line_1 = factory.LazyAttributeSequence(lambda o, n: f"{n % 200 + 1} {o.street}")
    town = "Greenway"
    postcode = factory.Sequence(lambda n: f"GW{n % 9 + 1} {n % 9 + 1}{'ABDEFGHJLN'[n % 10]}Q")
    property_type = PropertyType.HOUSE

    class Params:
        street = factory.Faker("street_name", locale=LOCALE)


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = Resident

    kind = ResidentKind.TENANT
    title = ""
    first_name = factory.Faker("first_name", locale=LOCALE)
    last_name = factory.Faker("last_name", locale=LOCALE)
    email = factory.LazyAttributeSequence(
        lambda o, n: "{}.{}{}@example.com".format(
            "".join(c for c in o.first_name.lower() if c.isalpha()),
            "".join(c for c in o.last_name.lower() if c.isalpha()),
            n,
        )
    )
    phone = factory.Sequence(lambda n: f"07700 900{n % 1000:03d}")


class TenancyFactory(DjangoModelFactory):
    class Meta:
        model = Tenancy

    resident = factory.SubFactory(ResidentFactory)
    property = factory.SubFactory(PropertyFactory)
    tenure = Tenure.LCRA_GENERAL_NEEDS
    start_date = dt.date(2020, 4, 6)
    end_date = None
    is_joint = False


class RepresentativeFactory(DjangoModelFactory):
    class Meta:
        model = Representative

    resident = factory.SubFactory(ResidentFactory)
    name = factory.Faker("name", locale=LOCALE)
    relationship = Relationship.FAMILY_MEMBER
    email = factory.Sequence(lambda n: f"representative{n}@example.org")
    authority_received_on = dt.date(2025, 1, 6)
    authority_method = AuthorityMethod.WRITTEN


class AdjustmentFactory(DjangoModelFactory):
    class Meta:
        model = ReasonableAdjustment

    resident = factory.SubFactory(ResidentFactory)
    category = AdjustmentCategory.FORMAT
    description = "Letters in large print (16 point)"
    agreed_on = dt.date(2025, 1, 6)
    next_review_on = dt.date(2026, 1, 6)


class DisabilityFactory(DjangoModelFactory):
    class Meta:
        model = DisclosedDisability

    resident = factory.SubFactory(ResidentFactory)
    description = "Hearing impairment"
    disclosed_on = dt.date(2025, 1, 6)
    next_review_on = dt.date(2026, 1, 6)


class RestrictionFactory(DjangoModelFactory):
    class Meta:
        model = ContactRestriction

    resident = factory.SubFactory(ResidentFactory)
    reason = "Repeated abusive phone calls to the contact centre"
    evidence = "Call records of 2, 5 and 9 June 2025; warning letter of 10 June 2025"
    proportionality_note = (
        "Email to one named officer keeps every route open; no disability or other need "
        "known that email contact would disadvantage (Equality Act 2010 considered)."
    )
    restriction = "Contact by email to the named case officer only; 24-hour repairs line open"
    starts_on = dt.date(2025, 6, 16)
    next_review_on = dt.date(2025, 9, 16)


class EqualityDataFactory(DjangoModelFactory):
    class Meta:
        model = EqualityData

    resident = factory.SubFactory(ResidentFactory)
    age_band = EqualityData.AgeBand.FROM_35
    sex = EqualityData.Sex.FEMALE
    ethnicity = EqualityData.Ethnicity.WHITE


STAFF_PASSWORD = "correct-horse-battery-staple"


@cache
def _staff_password_hash() -> str:
    # Hashing is deliberately slow; hash once per test run rather than once per user.
    return make_password(STAFF_PASSWORD)


def _role_group(name: str) -> Group:
    if name not in ROLE_NAMES:
        raise ValueError(f"No role called {name!r}; choose from {', '.join(ROLE_NAMES)}")
    group = Group.objects.filter(name=name).first()
    if group is None or not group.permissions.exists():
        sync_roles()
        group = Group.objects.get(name=name)
    return group


class StaffUserFactory(DjangoModelFactory):
    """A member of staff; ``StaffUserFactory(role=roles.CASE_HANDLER)`` puts them in that role's
    group (creating the groups with their permissions if they do not exist yet)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"staff{n}@example.org")
    full_name = factory.Faker("name", locale=LOCALE)
    job_title = "Complaints officer"  # letters are signed with it
    password = factory.LazyFunction(_staff_password_hash)  # sign in with STAFF_PASSWORD
    is_active = True

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):  # noqa: N805 (factory-boy passes the object)
        if create and extracted:
            obj.groups.add(_role_group(extracted))
