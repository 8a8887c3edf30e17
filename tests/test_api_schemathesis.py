"""schemathesis over the whole OpenAPI schema, in process (WSGI, no network).

For every operation, generated requests — valid ones and ones that break the schema —
are sent with an admin's token and with a federal partner's token, on the Minnesota
demo data. Not one may answer 5xx, and every answer must match what the schema
declares for it: a documented status, its content type and its body schema. The
examples are bounded and derandomized (the same requests every run), so the test takes
about a minute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from liaison.accounts.models import User
from liaison.accounts.services import token_create
from liaison.core.demo import load_all
from liaison.core.roles import Role

EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 3}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _token(role: Role, state_agency: bool) -> str:
    users = User.objects.filter(role=role, is_active=True).select_related("agency")
    user = next(u for u in users if (u.agency.level != "federal") == state_agency)
    return token_create(actor=None, user=user, name="schemathesis")[1]


def _run(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> int:
    """Send this operation's examples; return how many were sent."""
    sent = 0

    @settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        nonlocal sent
        sent += 1
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()
    return sent


@pytest.fixture
def in_process_wsgi() -> Iterator[Any]:
    """The WSGI app, keeping the test's database connection open between requests (as
    Django's test client does): the whole run happens inside the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize(("role", "state_agency"), [(Role.ADMIN, True), (Role.PARTNER, False)])
def test_no_request_makes_the_api_fail_or_break_its_schema(
    db: None,
    in_process_wsgi: Any,
    role: Role,
    state_agency: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    load_all(state="MN")
    headers = {"Authorization": f"Bearer {_token(role, state_agency)}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", in_process_wsgi)
    failures: list[str] = []
    operations = examples = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in EXAMPLES:
            try:
                examples += _run(operation, mode, headers)
            except Unsatisfiable:
                # Nothing to break: an operation without parameters has no negative cases.
                assert mode is GenerationMode.NEGATIVE, operation.label
            except Exception as exc:  # each operation's failure is reported, then the next runs
                failures.append(f"{operation.label} ({mode}): {_first_lines(exc)}")
    with capsys.disabled():
        print(f"\nschemathesis as {role}: {operations} operations, {examples} examples")
    assert operations >= 60
    assert not failures, "\n".join(failures)


def _first_lines(exc: BaseException, lines: int = 12) -> str:
    text: Callable[[BaseException], str] = str
    return "\n".join(text(exc).splitlines()[:lines])
