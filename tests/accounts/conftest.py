import pytest

from putright.accounts.roles import ROLE_NAMES
from tests.accounts.helpers import make_staff


@pytest.fixture(params=ROLE_NAMES)
def role(request) -> str:
    return request.param


@pytest.fixture
def staff_with_role(db, role):
    return make_staff(role)


@pytest.fixture
def case_handler(db):
    return make_staff("Case handler")


@pytest.fixture
def administrator(db):
    return make_staff("Administrator")


@pytest.fixture
def board_member(db):
    return make_staff("Board member")
