"""Fixtures for the privacy tests: the complaint fixtures, and documents stored in a temporary
folder."""

from __future__ import annotations

import pytest

from tests.complaints.conftest import log, officer, sign_off_required  # noqa: F401  (fixtures)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
