"""Who may read the rule packs: everyone signed in, partners too — the packs are public law.

Nothing in the packs is about a person or an agency, so every actor stands to a pack as
an outsider; the rule lets every role read. Deciding a request directly (the API's
``/policy/decide``) is a separate question, answered in :mod:`liaison.policy.selectors`.
"""

from __future__ import annotations

from typing import Any

from liaison.core import access
from liaison.core.access import ANY, Relation
from liaison.core.roles import Role

EVERYONE: dict[Role, Any] = {role: ANY for role in Role}


def _reference(actor: Any, record: Any) -> Relation:
    return Relation.OUTSIDER  # a pack belongs to no agency


access.kind("policy.pack", noun="rule pack", relation=_reference, relations={Relation.OUTSIDER})
access.rule("policy.pack.view", roles=EVERYONE, doing="read the rule pack")
