import pytest

from ..conftest import People
from .base import Cast, make_cast


@pytest.fixture
def cast(people: People) -> Cast:
    return make_cast(people)
