"""Sharing writes: filing a request, the privacy officer's review, counsel's override, and
recording a disclosure.

Each service checks the declared rule (``sharing/rules.py``) with ``access.check``,
validates, writes and appends one ledger entry, in one transaction. ``actor=None`` is the
system (the demo loader), which is not permission-checked.

The flow (``docs/sharing/requests.md``):

1. :func:`request_file` builds the ``liaison.sharing.request/1`` facts from the database
   (:mod:`liaison.sharing.facts`), validates them, has the rule packs in effect on the
   filing day decide, and stores facts, decision and pack versions. Permitted items are
   releasable at once; denied items are final unless counsel overrides; items that need
   review wait.
2. :func:`request_review` — the custodian's privacy officer confirms, narrows or denies.
   A deny of the packs is never turned into a permit here.
3. :func:`item_override` — legal counsel sets aside a deny of the packs, in writing.
4. :func:`disclosure_record` — what actually left, with the SHA-256 of the package.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from liaison.core import access, identifiers
from liaison.core.errors import Conflict, ServiceError
from liaison.core.roles import Role
from liaison.core.validation import save, validate
from liaison.directory.models import Agency
from liaison.ledger.services import ledger_append
from liaison.policy import vocabulary as v
from liaison.policy.engine import decide
from liaison.policy.request import validate_request
from liaison.sharing import facts as f
from liaison.sharing.error_codes import SharingErrorCode
from liaison.sharing.models import (
    Decision,
    Disclosure,
    DisclosureSubject,
    FinalDecision,
    Override,
    RequestItem,
    Review,
    SharingRequest,
)

if TYPE_CHECKING:
    from liaison.core.roles import Actor as SignedIn

    Actor = SignedIn | None

REVIEW_YEARS = 5  # 28 C.F.R. § 23.20(h): review and validate within five years


def may(actor: Actor, action: str, record: Any = None) -> bool:
    """Whether a signed-in ``actor`` may take the sharing ``action`` on ``record`` now, for
    pages and the API (which buttons and forms to offer)."""
    return actor is not None and access.permits(actor, action, record)


# --- filing ---------------------------------------------------------------------------------


def request_file(
    *,
    actor: Actor,
    requesting_agency: Agency,
    custodian_agency: Agency,
    purpose: str,
    instrument: str,
    items: Sequence[Mapping[str, Any]],
    urgent: bool = False,
    requested_by: Any = None,
    on: date | None = None,
) -> SharingRequest:
    """File a request for ``requesting_agency`` to ``custodian_agency`` and decide it.

    A partner files for their own agency (and is the requesting user); a coordinator files
    for an agency in reach, naming one of its users in ``requested_by`` or none. ``items``
    are what the requester asks for, in the format's item shape (``category``,
    ``classification``, ``source`` and flags, or ``action``). A malformed request raises
    ``InvalidRequest`` with a message per JSON path and saves nothing.
    """
    with transaction.atomic():
        access.check(actor, "sharing.sharing_request.create", requesting_agency)
        if actor is not None and str(actor.role) == Role.PARTNER:
            requested_by = actor
        if requested_by is not None and requested_by.agency_id != requesting_agency.pk:
            raise ServiceError(
                "The requesting user must work for the requesting agency.",
                code=SharingErrorCode.NOT_A_PARTNER_AGENCY,
                fields={"requested_by": ["Choose a user of the requesting agency."]},
            )
        if (
            custodian_agency.level == Agency.Level.FEDERAL
            or custodian_agency.jurisdiction.state not in v.STATES
        ):
            raise ServiceError(
                "The rule packs speak for Minnesota and Wisconsin state and local agencies.",
                code=SharingErrorCode.CUSTODIAN_NOT_COVERED,
                fields={"custodian_agency": ["Choose a Minnesota or Wisconsin agency."]},
            )
        filed_at = timezone.now()
        day = on or timezone.localdate(filed_at)
        raw = f.request_facts(
            custodian=custodian_agency,
            requester=requesting_agency,
            user=requested_by,
            purpose=purpose,
            instrument=instrument,
            urgent=urgent,
            items=items,
            on=day,
        )
        facts = validate_request(raw)
        decision = decide(facts, on=day)
        machine = [entry["decision"] for entry in decision["items"]]
        request = SharingRequest(
            reference=f"pending-{uuid.uuid4().hex[:16]}",
            requesting_agency=requesting_agency,
            requested_by=requested_by,
            filed_by_id=getattr(actor, "pk", None) or getattr(requested_by, "pk", None),
            custodian_agency=custodian_agency,
            jurisdiction=custodian_agency.jurisdiction,
            state=facts["jurisdiction"]["state"],
            purpose=facts["purpose"],
            instrument=facts["instrument"],
            urgent=facts["urgent"],
            filed_at=filed_at,
            decided_on=day,
            status=(
                SharingRequest.Status.AWAITING_REVIEW
                if Decision.NEEDS_REVIEW in machine
                else SharingRequest.Status.DECIDED
            ),
            facts=facts,
            decision=decision,
            packs=decision["packs"],
        )
        validate(request)
        save(request)
        request.reference = f"SR-{day.year}-{request.pk:06d}"
        request.save(update_fields=["reference"])
        RequestItem.objects.bulk_create(
            [_item(request, index, item, entry) for index, (item, entry) in _pairs(facts, decision)]
        )
        ledger_append(
            actor=actor,
            action="sharing_request.file",
            obj=request,
            agency_id=getattr(actor, "agency_id", None) or requesting_agency.pk,
            change={
                "reference": request.reference,
                "facts": facts,
                "decision": decision,
                "packs": decision["packs"],
            },
        )
        return request


def _pairs(facts: Mapping[str, Any], decision: Mapping[str, Any]) -> Iterable[tuple[int, Any]]:
    return enumerate(zip(facts["items"], decision["items"], strict=True))


def _item(
    request: SharingRequest, index: int, item: Mapping[str, Any], entry: Mapping[str, Any]
) -> RequestItem:
    machine = entry["decision"]
    final = {
        Decision.PERMIT: FinalDecision.PERMIT,
        Decision.DENY: FinalDecision.DENY,
    }.get(machine, FinalDecision.PENDING)
    return RequestItem(
        request=request,
        index=index,
        category=item.get("category", ""),
        action=item.get("action", ""),
        classification=item.get("classification", ""),
        source=item.get("source", ""),
        flags=f.true_flags(item),
        machine_decision=machine,
        machine_fields=list(entry["fields"]),
        final_decision=final,
        permitted_fields=list(entry["fields"]) if final == FinalDecision.PERMIT else [],
    )


# --- review ---------------------------------------------------------------------------------


def allowed_fields(item: RequestItem) -> list[str]:
    """The most a review may let leave for ``item``: the packs' fields for a permit, the
    category's whole minimization list for an item that needed review (the packs name no
    fields then), nothing for a deny or an action."""
    if item.is_action or item.machine_decision == Decision.DENY:
        return []
    if item.machine_decision == Decision.PERMIT:
        return list(item.machine_fields)
    return list(v.CATEGORIES[item.category].fields)


def _locked(request: SharingRequest) -> tuple[SharingRequest, list[RequestItem]]:
    request = SharingRequest.objects.select_for_update().get(pk=request.pk)
    items = list(
        RequestItem.objects.filter(request=request)
        .select_related("override")
        .order_by("index")
        .select_for_update(of=("self",))
    )
    return request, items


def _has_override(item: RequestItem) -> bool:
    return item.overridden


def request_review(
    *,
    actor: Actor,
    request: SharingRequest,
    action: str,
    reason: str = "",
    keep: Mapping[int, Sequence[str]] | None = None,
) -> Review:
    """The custodian's privacy officer answers a request waiting for review.

    ``confirm`` permits every item the packs permitted or sent to review (with the fields
    :func:`allowed_fields` gives) and leaves denies denied; ``narrow`` permits only the
    items in ``keep`` (item index → fields; an action's list is empty), fewer than
    ``confirm`` would, and denies the rest; ``deny`` denies every item. Narrowing and
    denying need a reason. A deny of the packs cannot be turned into a permit here
    (``statutory_deny``): only counsel's override (:func:`item_override`) sets it aside,
    and items counsel overrode keep counsel's answer.
    """
    with transaction.atomic():
        request, items = _locked(request)
        access.check(actor, "sharing.sharing_request.review", request)
        if Review.objects.filter(request=request).exists():
            raise Conflict(
                "This request has been reviewed already.",
                code=SharingErrorCode.NOT_AWAITING_REVIEW,
            )
        reason = reason.strip()
        if action not in Review.Action.values:
            raise ServiceError(
                "Choose confirm, narrow or deny.",
                code=SharingErrorCode.NOT_NARROWER,
                fields={"action": ["Choose confirm, narrow or deny."]},
            )
        if action != Review.Action.CONFIRM and not reason:
            raise ServiceError(
                "Say why the request is narrowed or denied.",
                code=SharingErrorCode.REASON_REQUIRED,
                fields={"reason": ["A reason is required to narrow or deny."]},
            )
        open_items = [i for i in items if not _has_override(i)]
        outcome = _review_outcome(action, open_items, keep or {})
        changed = []
        for item in open_items:
            decision, fields = outcome[item.index]
            item.final_decision = decision
            item.permitted_fields = fields
            changed.append(item)
        RequestItem.objects.bulk_update(changed, ["final_decision", "permitted_fields"])
        review = Review(
            request=request,
            reviewer_id=getattr(actor, "pk", None),
            action=action,
            reason=reason,
            outcome=[
                {"index": i.index, "decision": i.final_decision, "fields": i.permitted_fields}
                for i in items
            ],
        )
        validate(review)
        save(review)
        request.status = SharingRequest.Status.DECIDED
        request.save(update_fields=["status", "updated_at"])
        ledger_append(
            actor=actor,
            action=f"sharing_request.review.{action}",
            obj=request,
            reason=reason,
            change={"review": review.pk, "action": action, "outcome": review.outcome},
        )
        return review


def _review_outcome(
    action: str, items: Sequence[RequestItem], keep: Mapping[int, Sequence[str]]
) -> dict[int, tuple[str, list[str]]]:
    confirmed = {
        i.index: (
            (FinalDecision.DENY.value, [])
            if i.machine_decision == Decision.DENY
            else (FinalDecision.PERMIT.value, allowed_fields(i))
        )
        for i in items
    }
    if action == Review.Action.CONFIRM:
        return confirmed
    if action == Review.Action.DENY:
        return {i.index: (FinalDecision.DENY.value, []) for i in items}
    by_index = {i.index: i for i in items}
    problems: dict[str, list[str]] = {}
    for index, wanted in keep.items():
        item = by_index.get(index)
        if item is None:
            problems[f"keep.{index}"] = ["No such item waiting for review."]
        elif item.statutory_deny:
            raise ServiceError(
                f"Item {index + 1} was denied by the rule packs; a review cannot permit it. "
                "Only legal counsel's override can set that deny aside.",
                code=SharingErrorCode.STATUTORY_DENY,
                fields={f"keep.{index}": ["Denied by the rule packs; counsel may override."]},
            )
        else:
            extra = sorted(set(wanted) - set(allowed_fields(item)))
            if extra:
                problems[f"keep.{index}"] = [f"Not allowed to leave: {', '.join(extra)}."]
            elif not item.is_action and not wanted:
                problems[f"keep.{index}"] = ["Keep at least one field, or leave the item out."]
    if problems:
        raise ServiceError(
            "The narrowed answer keeps something that may not leave.",
            code=SharingErrorCode.NOT_NARROWER,
            fields=problems,
        )
    narrowed = {
        i.index: (
            (FinalDecision.PERMIT.value, [x for x in allowed_fields(i) if x in keep[i.index]])
            if i.index in keep
            else (FinalDecision.DENY.value, [])
        )
        for i in items
    }
    if narrowed == confirmed:
        raise ServiceError(
            "Narrowing keeps fewer items or fields than confirming would; this keeps them all.",
            code=SharingErrorCode.NOT_NARROWER,
            fields={"keep": ["Leave out an item or a field, or confirm instead."]},
        )
    return narrowed


# --- override -------------------------------------------------------------------------------


def item_override(
    *,
    actor: Actor,
    item: RequestItem,
    justification: str,
    fields: Sequence[str] | None = None,
) -> Override:
    """Legal counsel sets aside the rule packs' deny of ``item`` with a written
    justification: the item becomes releasable with ``fields`` (default: the category's
    whole minimization list; an action has none). Ledgered, and listed on the oversight
    views. Only a deny of the packs can be overridden, once."""
    with transaction.atomic():
        request, items = _locked(item.request)
        item = next(i for i in items if i.pk == item.pk)
        access.check(actor, "sharing.sharing_request.override", request)
        if not item.statutory_deny:
            raise Conflict(
                "Only an item the rule packs denied can be overridden.",
                code=SharingErrorCode.NOT_A_DENY,
            )
        if _has_override(item):
            raise Conflict(
                "This item's deny has been set aside already.",
                code=SharingErrorCode.ALREADY_OVERRIDDEN,
            )
        justification = justification.strip()
        if not justification:
            raise ServiceError(
                "An override needs a written justification.",
                code=SharingErrorCode.REASON_REQUIRED,
                fields={"justification": ["Say on what legal ground the deny is set aside."]},
            )
        whole = [] if item.is_action else list(v.CATEGORIES[item.category].fields)
        chosen = whole if fields is None else [x for x in whole if x in set(fields)]
        extra = sorted(set(fields or ()) - set(whole))
        if extra or (not item.is_action and not chosen):
            raise ServiceError(
                "Choose fields of the item's category.",
                code=SharingErrorCode.NOT_NARROWER,
                fields={"fields": [f"Not fields of {item.category}: {', '.join(extra)}."]}
                if extra
                else {"fields": ["Choose at least one field."]},
            )
        override = Override(
            item=item,
            counsel_id=getattr(actor, "pk", None),
            justification=justification,
            fields=chosen,
        )
        validate(override)
        save(override)
        item.final_decision = FinalDecision.PERMIT
        item.permitted_fields = chosen
        item.save(update_fields=["final_decision", "permitted_fields"])
        ledger_append(
            actor=actor,
            action="sharing_item.override",
            obj=request,
            reason=justification,
            change={"override": override.pk, "item": item.index, "fields": chosen},
        )
        return override


# --- disclosure -----------------------------------------------------------------------------


def releasable(request: SharingRequest) -> dict[str, list[str]]:
    """What may leave now: each permitted data category with its permitted fields."""
    out: dict[str, list[str]] = {}
    for item in request.items.all():
        if item.releasable and item.category:
            fields = out.setdefault(item.category, [])
            fields += [x for x in item.permitted_fields if x not in fields]
    return out


def package_sha256(package: bytes) -> str:
    return hashlib.sha256(package).hexdigest()


def review_due_on(disclosed_on: date) -> date:
    """Five years after ``disclosed_on`` (28 February for a 29 February)."""
    try:
        return disclosed_on.replace(year=disclosed_on.year + REVIEW_YEARS)
    except ValueError:
        return disclosed_on.replace(year=disclosed_on.year + REVIEW_YEARS, day=28)


def disclosure_record(
    *,
    actor: Actor,
    request: SharingRequest,
    package: bytes,
    channel: str,
    recipient_name: str,
    fields: Mapping[str, Sequence[str]] | None = None,
    recipient_agency: Agency | None = None,
    subjects: Sequence[tuple[str, str]] = (),
    disclosed_on: date | None = None,
) -> Disclosure:
    """Record what actually left for ``request``: ``fields`` per category (default
    everything releasable), the package exactly as sent (only its SHA-256 is kept), how
    and to whom (default the requesting agency), and the subjects' identifiers as
    ``(kind, value)`` pairs, kept only as keyed hashes. Nothing that is not releasable —
    denied, or still waiting for review — may be named. Criminal intelligence, or a
    decision that obliges it, sets a review date five years on (28 C.F.R. § 23.20)."""
    with transaction.atomic():
        request = SharingRequest.objects.select_for_update().get(pk=request.pk)
        access.check(actor, "sharing.sharing_request.disclose", request)
        if not package:
            raise ServiceError(
                "Attach the package that was sent, so its hash can be recorded.",
                code=SharingErrorCode.EMPTY_PACKAGE,
                fields={"package": ["The package is empty."]},
            )
        allowed = releasable(request)
        chosen = {k: list(vals) for k, vals in (allowed if fields is None else fields).items()}
        problems: dict[str, list[str]] = {}
        for category, names in chosen.items():
            if category not in allowed:
                problems[f"fields.{category}"] = ["This category is not permitted to leave."]
            elif set(names) - set(allowed[category]):
                extra = ", ".join(sorted(set(names) - set(allowed[category])))
                problems[f"fields.{category}"] = [f"Not permitted to leave: {extra}."]
            elif not names:
                problems[f"fields.{category}"] = ["Name at least one field, or leave it out."]
        if problems or not chosen:
            raise ServiceError(
                "A disclosure may name only what is permitted to leave.",
                code=SharingErrorCode.NOTHING_RELEASABLE,
                fields=problems or {"fields": ["Nothing of this request is permitted to leave."]},
            )
        day = disclosed_on or timezone.localdate()
        obligations = _obligations(request, chosen)
        needs_review = "criminal_intelligence" in chosen or "review_within_5_years" in obligations
        disclosure = Disclosure(
            request=request,
            categories=sorted(chosen),
            fields=chosen,
            channel=channel,
            recipient_agency=recipient_agency or request.requesting_agency,
            recipient_name=recipient_name.strip(),
            basis=_basis(request, chosen),
            package_sha256=package_sha256(package),
            disclosed_on=day,
            review_due=review_due_on(day) if needs_review else None,
            obligations=obligations,
            recorded_by_id=getattr(actor, "pk", None),
        )
        validate(disclosure)
        save(disclosure)
        hashes = sorted({(kind, identifiers.keyed_hash(kind, value)) for kind, value in subjects})
        DisclosureSubject.objects.bulk_create(
            [DisclosureSubject(disclosure=disclosure, kind=k, keyed_hash=h) for k, h in hashes]
        )
        request.status = SharingRequest.Status.DISCLOSED
        request.save(update_fields=["status", "updated_at"])
        ledger_append(
            actor=actor,
            action="disclosure.record",
            obj=disclosure,
            change={
                "request": request.reference,
                "fields": chosen,
                "channel": channel,
                "recipient_agency": disclosure.recipient_agency_id,
                "package_sha256": disclosure.package_sha256,
                "subjects": [h for _, h in hashes],
                "review_due": disclosure.review_due,
            },
        )
        return disclosure


def _released_entries(
    request: SharingRequest, chosen: Mapping[str, Sequence[str]]
) -> list[dict[str, Any]]:
    entries = request.decision.get("items", [])
    return [
        entries[i]
        for i, item in enumerate(request.facts.get("items", []))
        if item.get("category") in chosen and i < len(entries)
    ]


def _obligations(request: SharingRequest, chosen: Mapping[str, Sequence[str]]) -> list[str]:
    wanted = {o for e in _released_entries(request, chosen) for o in e.get("obligations", [])}
    return [o for o in v.OBLIGATIONS if o in wanted]


def _basis(request: SharingRequest, chosen: Mapping[str, Sequence[str]]) -> str:
    """The instrument and the citations of the permits that let the data leave."""
    citations: list[str] = []
    for entry in _released_entries(request, chosen):
        for reason in entry.get("reasons", []):
            text = reason.get("citation", "")
            if reason.get("effect") == "permit" and text and text not in citations:
                citations.append(text)
    overridden = Override.objects.filter(item__request=request, item__category__in=list(chosen))
    if overridden.exists():
        citations.append("override by legal counsel")
    text = request.get_instrument_display()
    if citations:
        text += "; " + "; ".join(citations)
    return text[:300]


# Data subjects' requests and the 28 C.F.R. Part 23 reviews are written in their own module
# (docs/sharing/subjects.md); exported here so this module lists every sharing write.
from liaison.sharing.services_subjects import (  # noqa: E402, F401
    answer_due_on,
    data_subject_request_answer,
    data_subject_request_deny,
    data_subject_request_record,
    data_subject_request_start,
    disclosure_review_record,
    disclosure_reviews_flag,
    five_years_after,
)
