"""Legal review, approval and execution of an operation: the services.

``submitted`` → (counsel starts the review) ``in_review`` → (counsel signs off the
checklist, with reasons) → (a supervisor of the lead agency approves) ``approved`` →
``active`` (started) → execution log entries by the participants → ``closed``.
Counsel may instead return the plan to ``planned`` with reasons.

Every step runs in one transaction, checks the rule of ``operations/rules.py``, writes
a :class:`~liaison.operations.models.ReviewStep` and one ledger entry (the reason is
committed by the ledger's salted hash, kept beside it). Sign-off is refused while a legal
item (coverage, rule packs) blocks; approval while *any* item blocks — an activity not
covered, a participant not ready, a conflict not acknowledged — or counsel's sign-off is
not of the checklist as it stands, with a message that lists each failing item.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import User
from liaison.core import access, errors
from liaison.core.text import text_problem
from liaison.directory import scope
from liaison.ledger.services import ledger_append
from liaison.operations.checklist import Checklist, Item, checklist
from liaison.operations.error_codes import OperationsErrorCode
from liaison.operations.models import LogEntry, Operation, ReviewStep
from liaison.operations.services import operation_deconflict

if TYPE_CHECKING:
    from liaison.core.roles import Actor as SignedIn

    Actor = SignedIn | None

MAX_REASON = 4000
S = Operation.Status


def may(actor: Actor, action: str, operation: Operation) -> bool:
    """Whether a signed-in ``actor`` may take ``action`` on ``operation`` now (for pages)."""
    return actor is not None and access.permits(actor, action, operation)


def _locked(operation: Operation) -> Operation:
    return (
        Operation.objects.select_for_update()
        .select_related("lead_agency", "lead_agency__jurisdiction")
        .get(pk=operation.pk)
    )


def _reason(reason: str, *, required: bool = True) -> str:
    text = (reason or "").strip()
    problem = text_problem(text) if text else ""
    if problem:
        raise errors.ServiceError(
            problem, code=OperationsErrorCode.REASON_REQUIRED, fields={"reason": [problem]}
        )
    if required and not text:
        raise errors.ServiceError(
            "Give the reason in words.",
            code=OperationsErrorCode.REASON_REQUIRED,
            fields={"reason": ["Give the reason in words."]},
        )
    if len(text) > MAX_REASON:
        message = f"At most {MAX_REASON} characters."
        raise errors.ServiceError(
            message, code=OperationsErrorCode.REASON_REQUIRED, fields={"reason": [message]}
        )
    return text


def _blocked(doing: str, items: list[Item]) -> errors.Conflict:
    lines = [i.line for i in items]
    return errors.Conflict(
        f"Cannot {doing}: " + " ".join(f"({n}) {line}" for n, line in enumerate(lines, 1)),
        code=OperationsErrorCode.CHECKLIST_BLOCKED,
        fields={"__all__": lines},
    )


def _step(
    *,
    actor: Actor,
    operation: Operation,
    kind: str,
    reason: str = "",
    digest: str = "",
) -> ReviewStep:
    return ReviewStep.objects.create(
        operation=operation,
        kind=kind,
        actor=actor if isinstance(actor, User) else None,
        at=timezone.now(),
        reason=reason,
        checklist_digest=digest,
    )


def _move(operation: Operation, status: str) -> None:
    operation.status = status
    operation.save(update_fields=["status", "updated_at"])


def latest_signoff(operation: Operation) -> ReviewStep | None:
    """Counsel's latest sign-off, unless a return came after it."""
    step = (
        operation.review_steps.filter(kind__in=[ReviewStep.Kind.SIGNOFF, ReviewStep.Kind.RETURN])
        .order_by("-at", "-pk")
        .first()
    )
    return step if step is not None and step.kind == ReviewStep.Kind.SIGNOFF else None


def approval_problems(operation: Operation, found: Checklist | None = None) -> list[Item]:
    """Why ``operation`` cannot be approved now (empty: it can): each blocking item,
    then a missing or outdated sign-off."""
    found = found or checklist(operation)
    problems = list(found.blocking)
    signoff = latest_signoff(operation)
    if signoff is None:
        problems.append(
            Item("review", "signoff", "blocked", "Legal review", "Counsel has not signed off.")
        )
    elif signoff.checklist_digest != found.digest:
        problems.append(
            Item(
                "review",
                "signoff",
                "blocked",
                "Legal review",
                "The checklist changed after counsel signed off; counsel signs off again.",
            )
        )
    return problems


def operation_review_start(*, actor: Actor, operation: Operation) -> Operation:
    """Counsel takes up a submitted plan: ``submitted`` → ``in_review``."""
    with transaction.atomic():
        operation = _locked(operation)
        access.check(actor, "operations.operation.review", operation)
        _move(operation, S.IN_REVIEW)
        _step(actor=actor, operation=operation, kind=ReviewStep.Kind.REVIEW_START)
        ledger_append(
            actor=actor,
            action="operation.review_start",
            obj=operation,
            change={"status": S.IN_REVIEW},
        )
        return operation


def operation_signoff(*, actor: Actor, operation: Operation, reason: str) -> ReviewStep:
    """Counsel signs off the checklist as it stands, with reasons (which also answer the
    items marked for counsel). Refused while coverage or a rule pack blocks."""
    with transaction.atomic():
        operation = _locked(operation)
        access.check(actor, "operations.operation.signoff", operation)
        text = _reason(reason)
        found = checklist(operation)
        legal = found.blocking_in("coverage", "rules")
        if legal:
            raise _blocked("sign off the legal review", legal)
        step = _step(
            actor=actor,
            operation=operation,
            kind=ReviewStep.Kind.SIGNOFF,
            reason=text,
            digest=found.digest,
        )
        ledger_append(
            actor=actor,
            action="operation.signoff",
            obj=operation,
            reason=text,
            change={
                "checklist": found.digest,
                "for_counsel": sorted(i.key for i in found.for_counsel),
            },
        )
        return step


def operation_return(*, actor: Actor, operation: Operation, reason: str) -> Operation:
    """Counsel sends the plan back to its planners, with reasons: → ``planned``."""
    with transaction.atomic():
        operation = _locked(operation)
        access.check(actor, "operations.operation.return", operation)
        text = _reason(reason)
        _move(operation, S.PLANNED)
        _step(actor=actor, operation=operation, kind=ReviewStep.Kind.RETURN, reason=text)
        ledger_append(
            actor=actor,
            action="operation.return",
            obj=operation,
            reason=text,
            change={"status": S.PLANNED},
        )
        return operation


def operation_approve(*, actor: Actor, operation: Operation, reason: str = "") -> Operation:
    """A supervisor of the lead agency approves: ``in_review`` → ``approved``.

    Refused (``checklist_blocked``) while any activity is not covered, any participant
    is not ready, a rule pack denies, or a conflict is not acknowledged by this side —
    the message and ``fields["__all__"]`` list each item — and (``not_signed_off``)
    without counsel's sign-off of the checklist as it stands.
    """
    with transaction.atomic():
        operation = _locked(operation)
        access.check(actor, "operations.operation.approve", operation)
        text = _reason(reason, required=False)
        found = checklist(operation)
        if found.blocking:
            raise _blocked("approve the operation", approval_problems(operation, found))
        problems = approval_problems(operation, found)
        if problems:
            raise errors.Conflict(
                "Cannot approve the operation: " + " ".join(p.detail for p in problems),
                code=OperationsErrorCode.NOT_SIGNED_OFF,
                fields={"__all__": [p.line for p in problems]},
            )
        _move(operation, S.APPROVED)
        _step(
            actor=actor,
            operation=operation,
            kind=ReviewStep.Kind.APPROVAL,
            reason=text,
            digest=found.digest,
        )
        ledger_append(
            actor=actor,
            action="operation.approve",
            obj=operation,
            reason=text,
            change={"status": S.APPROVED, "checklist": found.digest},
        )
        operation_deconflict(actor=actor, operation=operation)
        return operation


def operation_start(*, actor: Actor, operation: Operation) -> Operation:
    """The approved operation begins: ``approved`` → ``active``."""
    with transaction.atomic():
        operation = _locked(operation)
        access.check(actor, "operations.operation.start", operation)
        _move(operation, S.ACTIVE)
        _step(actor=actor, operation=operation, kind=ReviewStep.Kind.START)
        ledger_append(
            actor=actor, action="operation.start", obj=operation, change={"status": S.ACTIVE}
        )
        operation_deconflict(actor=actor, operation=operation)
        return operation


def _author_agency(actor: Actor, operation: Operation) -> int:
    own = scope.own_agency_ids(actor)
    taking_part = {operation.lead_agency_id, *(p.agency_id for p in operation.participants.all())}
    mine = sorted(own & taking_part)
    if mine:
        return mine[0]
    agency_id = getattr(actor, "agency_id", None)
    if agency_id is None:
        raise errors.ServiceError(
            "Only people of the agencies taking part write the execution log.",
            code=OperationsErrorCode.NOT_A_PARTICIPANT,
        )
    return int(agency_id)


def operation_log(
    *, actor: Actor, operation: Operation, text: str, occurred_at: datetime | None = None
) -> LogEntry:
    """A participant writes a time-stamped entry in the execution log of an active
    operation; ``occurred_at`` (default now) may not be in the future or before the
    operation started."""
    with transaction.atomic():
        operation = _locked(operation)
        access.check(actor, "operations.operation.log", operation)
        body = _reason(text)
        now = timezone.now()
        when = occurred_at or now
        started = operation.review_steps.filter(kind=ReviewStep.Kind.START).order_by("at").first()
        earliest = min(operation.window_start, started.at) if started else operation.window_start
        if when > now or when < earliest:
            message = "The time must be after the operation started and not in the future."
            raise errors.ServiceError(
                message,
                code=OperationsErrorCode.LOG_TIME_OUTSIDE,
                fields={"occurred_at": [message]},
            )
        if not isinstance(actor, User):
            raise errors.ServiceError(
                "Only people of the agencies taking part write the execution log.",
                code=OperationsErrorCode.NOT_A_PARTICIPANT,
            )
        entry = LogEntry.objects.create(
            operation=operation,
            author=actor,
            agency_id=_author_agency(actor, operation),
            occurred_at=when,
            recorded_at=now,
            text=body,
        )
        ledger_append(
            actor=actor,
            action="operation.log",
            obj=operation,
            reason=body,
            change={"entry": entry.pk, "occurred_at": when.isoformat()},
        )
        return entry


def operation_close(*, actor: Actor, operation: Operation, reason: str = "") -> Operation:
    """The operation ends: ``active`` → ``closed``; the after-action review follows."""
    with transaction.atomic():
        operation = _locked(operation)
        access.check(actor, "operations.operation.close", operation)
        text = _reason(reason, required=False)
        _move(operation, S.CLOSED)
        _step(actor=actor, operation=operation, kind=ReviewStep.Kind.CLOSE, reason=text)
        ledger_append(
            actor=actor,
            action="operation.close",
            obj=operation,
            reason=text,
            change={"status": S.CLOSED},
        )
        operation_deconflict(actor=actor, operation=operation)
        return operation


def timeline(operation: Operation) -> list[dict[str, Any]]:
    """The review steps and log entries of ``operation``, in time order, for its page."""
    rows: list[dict[str, Any]] = [
        {"at": s.at, "what": s.get_kind_display(), "who": s.actor, "text": s.reason}
        for s in operation.review_steps.select_related("actor")
    ]
    rows += [
        {"at": e.occurred_at, "what": f"Log ({e.agency})", "who": e.author, "text": e.text}
        for e in operation.log_entries.select_related("author", "agency")
    ]
    return sorted(rows, key=lambda r: r["at"])
