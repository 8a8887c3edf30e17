from __future__ import annotations

import pytest
from django.test import Client

from liaison.accounts.models import User
from liaison.accounts.tests.factories import make_agency, make_user
from liaison.core.roles import Role
from liaison.directory.models import Agency


@pytest.fixture
def agency(db: None) -> Agency:
    return make_agency("DPS", "Minnesota Department of Public Safety")


@pytest.fixture
def admin(agency: Agency) -> User:
    return make_user(Role.ADMIN, agency=agency, username="root-admin")


@pytest.fixture
def officer(agency: Agency) -> User:
    return make_user(Role.OFFICER, agency=agency, username="ofc")


@pytest.fixture
def admin_client(admin: User) -> Client:
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def officer_client(officer: User) -> Client:
    client = Client()
    client.force_login(officer)
    return client
