"""Reads of the policy engine for a signed-in user."""

from __future__ import annotations

from datetime import date
from typing import Any

from liaison.core.errors import PermissionDenied
from liaison.core.roles import Actor, Role
from liaison.policy.engine import decide

# Who may ask the engine directly (the sharing workflow asks it for partners).
EVALUATOR_ROLES = frozenset({Role.ADMIN, Role.PRIVACY_OFFICER, Role.LEGAL_COUNSEL})


def decision_evaluate(*, actor: Actor, request: object, on: date | None = None) -> dict[str, Any]:
    """The decision on ``request`` as the packs would give it, recording nothing.

    For administrators, privacy officers and counsel, who check requests and rule changes;
    anyone else is refused. A malformed request raises ``InvalidRequest`` with field messages.
    """
    if actor.role not in EVALUATOR_ROLES:
        raise PermissionDenied(
            "Only an administrator, a privacy officer or counsel may evaluate requests directly."
        )
    return decide(request, on=on)
