"""Fixtures shared by the SPM tests."""

import pytest

from conftest import make_user
from simpul.accounts.models import Membership
from simpul.accounts.roles import Role


@pytest.fixture
def kader(posyandu_miji, posyandu_meri):
    """A kader of both Miji and Meri (the under-fives of ``test_fastpath_health.children`` live in both)."""
    user = make_user("kader.dua", Role.KADER, posyandu=posyandu_miji)
    Membership.objects.create(user=user, role=Role.KADER, posyandu=posyandu_meri, fields=["kesehatan"])
    return user
