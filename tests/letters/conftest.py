"""Fixtures for the letter tests: the complaint fixtures, an organisation with a name and
contact details, and a handler with a job title (a letter is signed with both)."""

from __future__ import annotations

import pytest

from putright.organisation.selectors import get_organisation
from tests.complaints.conftest import log, officer, sign_off_required  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def organisation(db, sign_off_required):  # noqa: F811  (the imported fixture)
    organisation = get_organisation()
    organisation.name = "Greenway Homes"
    organisation.address = "1 Station Road\nGreenway\nGW1 1AA"
    organisation.phone = "0300 123 4567"
    organisation.email = "complaints@greenway.example.org"
    organisation.save()
    return organisation


@pytest.fixture(autouse=True)
def _officer_signs_with_a_job_title(officer):  # noqa: F811  (the imported fixture)
    officer.full_name = "Sam Patel"
    officer.job_title = "Complaints Officer"
    officer.save(update_fields=["full_name", "job_title"])
