"""The task tests run on ``kit.TODAY``: the services read the clock (a family registered now, a screening
today, a dismissal's default date) and the tests compare with fixed dates of that year."""

import pytest

from conftest import clock_at
from simpul.tasks.tests.kit import TODAY


@pytest.fixture(autouse=True)
def on_the_kits_day():
    with clock_at(TODAY):
        yield
