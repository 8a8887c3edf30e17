"""The role matrix, generated from the declared rules (``liaison.core.access``).

For every declared action, every role and every relation the action's kind of record
can have — own agency, party, partner, outsider — and for actions of a lifecycle a
record in a state the action is for and one in a state it is not, the rule's answer
is checked through the service (or access selector), and through the page and the
API where the action has one. A wrongful refusal fails as surely as a leak.

Each app says how to try its actions in ``<app>/tests/access_examples.py``
(``EXAMPLES``, see ``liaison.personas.Example``); a declared action without an example
fails :func:`test_every_declared_action_has_an_example`, so a new action is tested
the moment it is declared. The personas stand at six agencies of the persona world,
one user per role at each: between them they stand to the world's records as
their own agency, a party, a partner and an outsider.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client

from liaison.core import access
from liaison.core.access import Relation
from liaison.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from liaison.core.roles import Role
from liaison.personas import Example, World

PLACES = ("DPS", "BCA", "MPD", "HCSO", "HSI", "CBP")
REFUSED_PAGE = {403, 404, 409}


def examples() -> dict[str, Example]:
    found: dict[str, Example] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("liaison."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access_examples")
        except ModuleNotFoundError:
            continue
        found.update(module.EXAMPLES)
    return found


ACTIONS = [rule.action for rule in access.rules()]


class _Undo(Exception):
    """Raised to roll back an attempt that went through."""


def _allowed(attempt: Any) -> bool:
    """Whether the attempt got past the permission check (its writes are rolled back)."""
    try:
        with transaction.atomic():
            attempt()
            raise _Undo
    except _Undo:
        return True
    except (NotFound, PermissionDenied):
        return False
    except Conflict as exc:
        return exc.code != "invalid_transition"  # a step out of order is the rule's refusal
    except ServiceError:
        return True  # refused for its data, after the permission check


def test_every_declared_action_has_an_example():
    declared = set(ACTIONS)
    known = set(examples())
    assert sorted(declared - known) == [], "add an example to <app>/tests/access_examples.py"
    assert sorted(known - declared) == [], "examples for actions no longer declared"


def test_the_rules_cover_the_directory_and_agreements_actions():
    assert {"directory.person.create", "agreements.agreement.sign"} <= set(ACTIONS)
    assert len(ACTIONS) >= 40


@pytest.mark.parametrize("action", ACTIONS)
def test_the_rule_holds_for_every_role_and_relation(action: str, world: World) -> None:
    rule = access.get_rule(action)
    example = examples()[action]
    kind = access.get_kind(rule.on)
    records = list(example.records(world))
    users = {(role, place): world.persona(role, place) for role in Role for place in PLACES}
    relation_of: dict[tuple[str, int], Relation] = {}  # the relation does not depend on the role
    client = Client()  # one client: each new one builds the handler and its middleware
    checked: set[tuple[Role, Relation, bool]] = set()
    wrong: list[str] = []
    for (role, place), user in users.items():
        for index, record in enumerate(records):
            key = (place, index)
            if key not in relation_of:
                relation_of[key] = access.relation(user, rule.on, record)
            relation = relation_of[key]
            in_state = rule.exists_in(kind.state_of(record))
            case = (role, relation, in_state)
            if case in checked:
                continue
            checked.add(case)
            expected = rule.permits(role, relation) and in_state
            label = f"{role.value} at {place}, {relation.value}, state {kind.state_of(record)}"
            got = _allowed(lambda u=user, r=record: example.attempt(world, u, r))
            if got != expected:
                wrong.append(f"service {'allows' if got else 'refuses'}: {label}")
            for url in filter(None, [example.page and example.page(record)]):
                client.force_login(user)
                status = client.get(url).status_code
                if (status == 200) != expected or (not expected and status not in REFUSED_PAGE):
                    wrong.append(f"page {url} answers {status}: {label}")
    assert wrong == [], f"{action} against its rule:\n" + "\n".join(wrong)
    # Without a record (creating reference data) every actor is an outsider.
    relations = kind.relations if any(r is not None for r in records) else {Relation.OUTSIDER}
    missing = [
        f"{role.value}/{relation.value}"
        for role in Role
        for relation in relations
        if not any((role, relation, s) in checked for s in (True, False))
    ]
    assert missing == [], f"{action}: the persona world has no case for {missing}"
    if rule.states is not None:
        states = {in_state for _, _, in_state in checked}
        assert states == {True, False}, f"{action}: try it in a state it is for and one not"


@pytest.mark.parametrize("action", sorted(a for a, ex in examples().items() if ex.api))
def test_the_rule_and_the_api_agree_for_every_persona(action: str, world: World) -> None:
    """Through the API's endpoint for the action (the detail GET of a record), for the
    personas at the owner, a party and an outsider of the world's records."""
    from liaison.accounts.services import token_create

    example = examples()[action]
    assert example.api is not None

    rule = access.get_rule(action)
    wrong = []
    api = Client()
    for role in Role:
        for place in ("BCA", "HSI", "CBP"):
            user = world.persona(role, place)
            _, secret = token_create(actor=None, user=user, name="matrix")
            for record in example.records(world):
                expected = rule.permits(role, access.relation(user, rule.on, record))
                url = example.api(record)
                status = api.get(url, headers={"Authorization": f"Bearer {secret}"}).status_code
                if (status == 200) != expected:
                    wrong.append(f"{role.value} at {place}: {url} → {status}")
    assert wrong == []
