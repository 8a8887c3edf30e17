"""Appending to the ledger. Every consequential service calls :func:`ledger_append`
inside its own transaction, so the action and its record commit or fail together."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Protocol

import rfc8785
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from liaison.ledger import merkle
from liaison.ledger.models import Entry, EntryKind, Head


class Actor(Protocol):
    """What the ledger needs of a user: its id and the agency it acts for."""

    @property
    def pk(self) -> Any: ...

    @property
    def agency_id(self) -> int | None: ...


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) bytes of ``value``; dates, decimals and UUIDs become strings first."""
    plain = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return bytes(rfc8785.dumps(plain))


def change_digest(change: Mapping[str, Any] | None) -> str:
    return hashlib.sha256(canonical_json(dict(change or {}))).hexdigest()


def entry_leaf_data(entry: Entry) -> bytes:
    """The bytes hashed into the Merkle tree for ``entry`` (canonical JSON of its fields)."""
    return canonical_json(
        {
            "seq": entry.seq,
            "recorded_at": entry.recorded_at.isoformat(timespec="microseconds"),
            "kind": entry.kind,
            "actor_id": entry.actor_id,
            "agency_id": entry.agency_id,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "reason": entry.reason,
            "change_hash": entry.change_hash,
        }
    )


def ledger_append(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    reason: str = "",
    change: Mapping[str, Any] | None = None,
    kind: str = EntryKind.ACTION,
    agency_id: int | None = None,
) -> Entry:
    """Append one entry and return it. Call inside the caller's transaction.

    ``obj`` (or ``object_type``/``object_id``) names what was acted on; ``change``
    is hashed, never stored. ``agency_id`` defaults to the actor's agency.
    """
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    if not action or not object_type:
        raise ValueError("A ledger entry needs an action and an object type.")
    with transaction.atomic():
        head, _ = Head.objects.select_for_update().get_or_create(id=1)
        entry = Entry(
            seq=head.size,
            recorded_at=timezone.now(),
            kind=kind,
            actor_id=actor.pk if actor is not None else None,
            agency_id=agency_id if agency_id is not None else getattr(actor, "agency_id", None),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            reason=reason,
            change_hash=change_digest(change),
        )
        entry.leaf_hash = merkle.leaf_hash(entry_leaf_data(entry))
        entry.save(force_insert=True)
        Head.objects.filter(id=1).update(size=head.size + 1)
    return entry


def access_record(
    *,
    actor: Actor | None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    action: str = "read",
    reason: str = "",
) -> Entry:
    """Record a read or export of not-public data (Minn. Stat. 13.05 subd. 5; CJIS audit events).

    ``action`` is a verb such as ``person.read`` or ``agreement.export``.
    """
    return ledger_append(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
        kind=EntryKind.ACCESS,
    )


def security_record(
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: str | int,
    reason: str = "",
    change: Mapping[str, Any] | None = None,
) -> Entry:
    """Record a security event: failed or successful logon, lockout, permission denial,
    role or token change. Commits on its own so a refused request still leaves its trace."""
    with transaction.atomic(durable=False):
        return ledger_append(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            reason=reason,
            change=change,
            kind=EntryKind.SECURITY,
        )
