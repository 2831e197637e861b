"""Fixtures for the caseworking screens' tests."""

import pytest


@pytest.fixture(autouse=True)
def _letters_can_be_signed(request):
    """Steps issue their letters here, signed with the organisation's name."""
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("named_organisation")
