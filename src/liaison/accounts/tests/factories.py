"""Test helpers: agencies and users of any role (no JSON fixtures)."""

from __future__ import annotations

import itertools

from liaison.accounts.models import User
from liaison.core.roles import Role
from liaison.directory.models import Agency, Jurisdiction

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def make_agency(abbreviation: str = "", name: str = "", level: str = "state") -> Agency:
    state, _ = Jurisdiction.objects.get_or_create(
        kind=Jurisdiction.Kind.STATE, state="MN", name="Minnesota", defaults={"fips": "27"}
    )
    n = next(_seq)
    return Agency.objects.create(
        name=name or f"Test Agency {n}",
        abbreviation=abbreviation or f"TA{n}",
        level=level,
        jurisdiction=state,
    )


def make_user(
    role: Role | str = Role.OFFICER,
    *,
    agency: Agency | None = None,
    username: str = "",
    password: str = PASSWORD,
) -> User:
    user = User(
        username=username or f"user{next(_seq)}",
        email="someone@example.gov",
        role=str(role),
        agency=agency or make_agency(),
        first_name="Test",
        last_name="Person",
    )
    user.set_password(password)
    user.save()
    return user
