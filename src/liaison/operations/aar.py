"""After-action review of a closed operation, its follow-up actions and their reminders,
and the evaluation across operations.

:func:`after_action_review_write` records, once per closed operation, the outcomes
(arrests by charge category, detainers served, seizures, use-of-force events, injuries,
complaints received — each with an optional reference to the incident or complaint
record, a plain text until those records exist), the hours and costs by agency, what
went well, what to change and follow-up actions with owners and due dates. The worker's
daily :func:`follow_up_reminders_send` reminds owners of actions due within
:data:`REMIND_DAYS` days or overdue, once a day each (idempotent).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import User
from liaison.core import access, errors
from liaison.core.dates import day_text
from liaison.core.validation import validate
from liaison.directory.models import Agency
from liaison.ledger.services import ledger_append
from liaison.notifications.services import notification_send
from liaison.operations.error_codes import OperationsErrorCode
from liaison.operations.models import (
    AfterActionReview,
    AgencyCost,
    FollowUp,
    Operation,
    Outcome,
)

if TYPE_CHECKING:
    from liaison.core.roles import Actor as SignedIn

    Actor = SignedIn | None

REMIND_DAYS = 7


@dataclass(frozen=True)
class OutcomeFields:
    kind: str
    count: int
    category: str = ""
    reference: str | None = None


@dataclass(frozen=True)
class CostFields:
    agency: Agency
    hours: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)


@dataclass(frozen=True)
class FollowUpFields:
    action: str
    owner_id: int
    due_on: date


@dataclass(frozen=True)
class ReviewFields:
    objectives_met: str
    objectives_assessment: str = ""
    went_well: str = ""
    to_change: str = ""
    outcomes: Sequence[OutcomeFields] = field(default_factory=tuple)
    costs: Sequence[CostFields] = field(default_factory=tuple)
    follow_ups: Sequence[FollowUpFields] = field(default_factory=tuple)


def _prefixed(exc: errors.ServiceError, prefix: str) -> errors.ServiceError:
    exc.fields = {f"{prefix}{k}": v for k, v in exc.fields.items()}
    return exc


def after_action_review_write(
    *, actor: Actor, operation: Operation, fields: ReviewFields
) -> AfterActionReview:
    """Write the after-action review of a closed operation (once)."""
    with transaction.atomic():
        operation = Operation.objects.select_for_update().get(pk=operation.pk)
        access.check(actor, "operations.operation.review_after", operation)
        if AfterActionReview.objects.filter(operation=operation).exists():
            raise errors.Conflict(
                "The after-action review of this operation is written already.",
                code=OperationsErrorCode.REVIEW_EXISTS,
            )
        if not isinstance(actor, User):
            raise errors.ServiceError(
                "An after-action review is written by a person.",
                code=OperationsErrorCode.NOT_A_PARTICIPANT,
            )
        review = AfterActionReview(
            operation=operation,
            objectives_met=fields.objectives_met,
            objectives_assessment=fields.objectives_assessment.strip(),
            went_well=fields.went_well.strip(),
            to_change=fields.to_change.strip(),
            written_by=actor,
        )
        validate(review)
        review.save()
        rows: list[Outcome] = []
        for n, o in enumerate(fields.outcomes):
            row = Outcome(
                review=review,
                kind=o.kind,
                count=o.count,
                category=o.category.strip(),
                reference=(o.reference or "").strip() or None,
            )
            try:
                validate(row, exclude=["review"])
            except errors.ServiceError as exc:
                raise _prefixed(exc, f"outcomes[{n}].") from None
            rows.append(row)
        Outcome.objects.bulk_create(rows)
        seen: set[int] = set()
        costs = []
        for n, c in enumerate(fields.costs):
            if c.agency.pk in seen:
                raise errors.ServiceError(
                    "This agency's hours and costs are listed already.",
                    code=OperationsErrorCode.REVIEW_EXISTS,
                    fields={f"costs[{n}].agency": ["Listed already."]},
                )
            seen.add(c.agency.pk)
            cost = AgencyCost(review=review, agency=c.agency, hours=c.hours, cost=c.cost)
            try:
                validate(cost, exclude=["review"])
            except errors.ServiceError as exc:
                raise _prefixed(exc, f"costs[{n}].") from None
            costs.append(cost)
        AgencyCost.objects.bulk_create(costs)
        follow_ups = []
        for n, f in enumerate(fields.follow_ups):
            row_f = FollowUp(
                review=review, action=f.action.strip(), owner_id=f.owner_id, due_on=f.due_on
            )
            try:
                validate(row_f, exclude=["review"])
            except errors.ServiceError as exc:
                raise _prefixed(exc, f"follow_ups[{n}].") from None
            follow_ups.append(row_f)
        FollowUp.objects.bulk_create(follow_ups)
        ledger_append(
            actor=actor,
            action="operation.after_action_review",
            obj=operation,
            change={
                "objectives_met": review.objectives_met,
                "outcomes": [[o.kind, o.category, o.count] for o in rows],
                "costs": [[c.agency_id, str(c.hours), str(c.cost)] for c in costs],
                "follow_ups": len(follow_ups),
            },
        )
        return review


def follow_up_done(*, actor: Actor, follow_up: FollowUp) -> FollowUp:
    """Record a follow-up action as done (its owner, or who runs the operation)."""
    with transaction.atomic():
        follow_up = (
            FollowUp.objects.select_for_update()
            .select_related("review__operation")
            .get(pk=follow_up.pk)
        )
        operation = follow_up.review.operation
        owner = actor is not None and getattr(actor, "pk", None) == follow_up.owner_id
        if not owner:
            access.check(actor, "operations.operation.follow_up", operation)
        if follow_up.done_at is not None:
            raise errors.Conflict(
                "This follow-up action is done already.", code=OperationsErrorCode.FOLLOW_UP_DONE
            )
        follow_up.done_at = timezone.now()
        follow_up.save(update_fields=["done_at", "updated_at"])
        ledger_append(
            actor=actor,
            action="operation.follow_up_done",
            obj=operation,
            change={"follow_up": follow_up.pk},
        )
        return follow_up


def follow_ups_due(*, today: date) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(
        done_at__isnull=True, due_on__lte=today + timedelta(days=REMIND_DAYS)
    ).select_related("owner", "review")


def follow_up_reminders_send(*, today: date) -> int:
    """Remind each owner of a follow-up due within a week or overdue, once a day.

    Idempotent: the notification key names the action and the day, and ``reminded_on``
    is claimed with a conditional update, so two workers never remind twice.
    """
    sent = 0
    for follow_up in follow_ups_due(today=today).exclude(reminded_on=today):
        claimed = (
            FollowUp.objects.filter(pk=follow_up.pk, done_at__isnull=True)
            .exclude(reminded_on=today)
            .update(reminded_on=today)
        )
        if not claimed:
            continue
        overdue = follow_up.due_on < today
        subject = (
            f"Follow-up action overdue since {day_text(follow_up.due_on)}"
            if overdue
            else f"Follow-up action due {day_text(follow_up.due_on)}"
        )
        sent += notification_send(
            recipients=[follow_up.owner],
            key=f"operations.follow_up.{follow_up.pk}.{today.isoformat()}",
            subject=subject,
            body=f"An after-action review asks you to: {follow_up.action}",
            url=reverse("operations:operation_detail", args=[follow_up.review.operation_id]),
        )
    return sent


# --- evaluation across operations ------------------------------------------------------


@dataclass(frozen=True)
class EvaluationRow:
    operation: Operation
    review: AfterActionReview | None
    outcomes: dict[str, int]
    hours: Decimal
    cost: Decimal


def evaluation(operations: Iterable[Operation]) -> list[EvaluationRow]:
    """Objectives against outcomes for each of ``operations`` (closed ones carry their
    review); a fixed number of queries whatever the rows."""
    ops = list(operations)
    ids = [o.pk for o in ops]
    reviews = {r.operation_id: r for r in AfterActionReview.objects.filter(operation_id__in=ids)}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Outcome.objects.filter(review__operation_id__in=ids)
        .values("review__operation_id", "kind")
        .annotate(total=Sum("count"))
    ):
        counts[row["review__operation_id"]][row["kind"]] = int(row["total"] or 0)
    money: dict[int, tuple[Decimal, Decimal]] = {}
    for spent in (
        AgencyCost.objects.filter(review__operation_id__in=ids)
        .values("review__operation_id")
        .annotate(hours=Sum("hours"), cost=Sum("cost"))
    ):
        money[spent["review__operation_id"]] = (
            spent["hours"] or Decimal(0),
            spent["cost"] or Decimal(0),
        )
    return [
        EvaluationRow(
            operation=o,
            review=reviews.get(o.pk),
            outcomes={k: counts[o.pk].get(k, 0) for k in Outcome.Kind.values},
            hours=money.get(o.pk, (Decimal(0), Decimal(0)))[0],
            cost=money.get(o.pk, (Decimal(0), Decimal(0)))[1],
        )
        for o in ops
    ]


def owners_for(operation: Operation) -> QuerySet[Any]:
    """Accounts of the agencies taking part: whom a follow-up may be given to."""
    agencies = {operation.lead_agency_id, *(p.agency_id for p in operation.participants.all())}
    return (
        get_user_model()
        .objects.filter(agency_id__in=agencies, is_active=True)
        .order_by("last_name", "first_name", "pk")
    )
