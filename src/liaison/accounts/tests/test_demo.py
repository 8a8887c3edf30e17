"""Demo accounts: one per role, idempotent, the published password."""

from __future__ import annotations

import random

import pytest

from liaison.accounts import demo
from liaison.accounts.models import User
from liaison.accounts.tests.factories import make_agency
from liaison.core.roles import Role
from liaison.ledger.models import Head

pytestmark = pytest.mark.django_db


def agencies_for(state: str) -> None:
    for abbreviation in sorted({a for a, _, _ in demo.ACCOUNTS[state].values()}):
        make_agency(abbreviation, name=f"{abbreviation} full name")


@pytest.mark.parametrize("state", ["MN", "WI"])
def test_the_demo_makes_one_login_per_role_and_running_twice_changes_nothing(state: str) -> None:
    agencies_for(state)
    first = demo.load(state=state, scale=1, rng=random.Random(1))
    size = Head.objects.get().size
    second = demo.load(state=state, scale=1, rng=random.Random(1))
    assert first == second
    assert Head.objects.get().size == size
    assert first[0] == "Demo logins (MFA is off in the demo):"
    assert set(User.objects.values_list("username", flat=True)) == set(Role.values)
    for user in User.objects.select_related("agency"):
        assert user.role == user.username
        assert user.check_password("liaison-demo-2026")
        assert user.get_full_name()
        assert user.agency.abbreviation == demo.ACCOUNTS[state][Role(user.role)][0]


def test_the_demo_lines_name_role_and_agency() -> None:
    agencies_for("MN")
    lines = demo.load(state="MN", scale=1, rng=random.Random(1))
    assert (
        lines[1] == "  coordinator      password liaison-demo-2026   (Coordinator, DPS full name)"
    )
    assert len(lines) == 1 + len(Role)
