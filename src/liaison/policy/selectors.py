"""Reads of the policy engine and the rule packs for a signed-in user."""

from __future__ import annotations

from datetime import date
from typing import Any

from liaison.core import access
from liaison.core.errors import NotFound, PermissionDenied
from liaison.core.roles import Actor, Role
from liaison.policy.engine import decide
from liaison.policy.packs import Library, Pack, Policy, shipped

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


def _readable(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def pack_list_for_user(*, user: Any, library: Library | None = None) -> list[Pack]:
    """Every pack version (federal first, then by name; versions by effective date)."""
    if not _readable(user):
        return []
    lib = library or shipped()
    names = sorted(lib.names, key=lambda n: (n != "federal", n))
    return [pack for name in names for pack in lib.versions[name]]


def pack_get_for_user(
    *, user: Any, name: str, version: str, library: Library | None = None
) -> Pack:
    """One pack version; ``NotFound`` when there is none (or the user may not read it)."""
    for pack in pack_list_for_user(user=user, library=library):
        if pack.name == name and pack.version == version:
            access.check(user, "policy.pack.view", pack)
            return pack
    raise NotFound()


def policy_get_for_user(
    *, user: Any, name: str, version: str, policy_id: str, library: Library | None = None
) -> tuple[Pack, Policy]:
    """One policy of a pack version, with its pack; ``NotFound`` when there is none."""
    pack = pack_get_for_user(user=user, name=name, version=version, library=library)
    for policy in pack.policies:
        if policy.id == policy_id:
            return pack, policy
    raise NotFound()
