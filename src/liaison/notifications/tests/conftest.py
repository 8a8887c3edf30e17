from __future__ import annotations

import pytest
from django.test import Client

from liaison.accounts.models import User
from liaison.accounts.tests.factories import make_agency, make_user
from liaison.core.roles import Role


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice(db: None) -> User:
    user = make_user(Role.COORDINATOR, username="alice")
    user.email = "alice@dps.example.gov"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def bob(db: None) -> User:
    user = make_user(Role.OFFICER, username="bob", agency=make_agency())
    user.email = "bob@sheriff.example.gov"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def no_email_user(db: None) -> User:
    user = make_user(Role.SUPERVISOR, username="carol")
    user.email = ""
    user.save(update_fields=["email"])
    return user
