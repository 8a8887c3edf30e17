"""Training writes: the catalog, requirements, completions and their verification,
overrides, evaluations and expiry reminders.

Each service checks permission through :func:`_allowed` (the one place the training
rules are written), validates with ``full_clean()``, saves and appends one ledger
entry, in one transaction. ``actor=None`` is the system (demo loader, migrations,
the worker), which is not permission-checked. The CSV import is in
:mod:`liaison.training.imports`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from liaison.core import access
from liaison.core.errors import Conflict, PermissionDenied, ServiceError
from liaison.core.roles import Role
from liaison.core.validation import save, validate
from liaison.directory.models import Person
from liaison.ledger.services import ledger_append
from liaison.training.error_codes import TrainingErrorCode
from liaison.training.models import Completion, Course, Evaluation, Override, Requirement
from liaison.training.readiness import expiry_of

if TYPE_CHECKING:
    from liaison.core.roles import Actor as SignedIn

    Actor = SignedIn | None


# --- who may do what: the rules of training/rules.py ---------------------------------------


def may(actor: Actor, action: str, record: Any = None) -> bool:
    """Whether a signed-in ``actor`` may take the training ``action`` (``training/rules.py``)
    on ``record``, for pages and the API: which buttons and forms to offer."""
    if actor is None:
        return False
    if action == "training.evaluation.create":
        return _may_evaluate(actor, record)
    return access.permits(actor, action, record)


def _may_evaluate(actor: Actor, completion: Completion) -> bool:
    """Whoever may record the person's training, or the attendee (by work e-mail)."""
    email = str(getattr(actor, "email", "") or "").lower()
    attendee = bool(email) and email == completion.person.email.lower()
    return attendee or access.permits(actor, "training.evaluation.create", completion)


def _change(obj: Any, *names: str) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


# --- catalog -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseFields:
    """What a course says; ``code`` and ``title`` are required."""

    code: str
    title: str
    provider: str = ""
    hours: Decimal = Decimal(0)
    modality: str = Course.Modality.CLASSROOM
    topics: str = ""
    validity_months: int | None = None
    is_certification: bool = False
    certifying_body: str = ""
    passing_score: int | None = None
    attribute: str = ""


COURSE_FIELDS = tuple(CourseFields.__dataclass_fields__)


def _course_save(actor: Actor, course: Course, *, action: str) -> Course:
    validate(course)
    save(course)
    ledger_append(
        actor=actor, action=action, obj=course, change=_change(course, *COURSE_FIELDS, "to_review")
    )
    return course


def course_create(*, actor: Actor, fields: CourseFields, to_review: bool = False) -> Course:
    """Add a course to the catalog."""
    with transaction.atomic():
        access.check(actor, "training.course.create")
        course = Course(**{name: getattr(fields, name) for name in COURSE_FIELDS})
        course.to_review = to_review
        return _course_save(actor, course, action="course.create")


def course_update(*, actor: Actor, course: Course, fields: CourseFields) -> Course:
    """Change a course's details; the course is reviewed (no longer "to review")."""
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        access.check(actor, "training.course.edit", course)
        for name in COURSE_FIELDS:
            setattr(course, name, getattr(fields, name))
        course.to_review = False
        return _course_save(actor, course, action="course.update")


def _course_for_name(*, actor: Actor, name: str, hours: Any = 0) -> Course:
    """The catalog course titled (or coded) ``name``, any case; a new course marked
    "to review" when there is none."""
    with transaction.atomic():
        found = (
            Course.objects.filter(title__iexact=name.strip()).order_by("pk").first()
            or Course.objects.filter(code__iexact=name.strip()).order_by("pk").first()
        )
        if found is not None:
            return found
        course = Course(
            code=_free_code(name), title=name.strip()[:200], hours=Decimal(hours), to_review=True
        )
        return _course_save(actor, course, action="course.create")


def _free_code(name: str) -> str:
    base = "REVIEW-" + "".join(ch for ch in name.upper() if ch.isalnum())[:24]
    code, n = base, 1
    while Course.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


# --- requirements --------------------------------------------------------------------------


def requirement_create(
    *,
    actor: Actor,
    course: Course,
    scope_kind: str,
    basis: str,
    effective_from: date,
    effective_until: date | None = None,
    role: str = "",
    task_force: Any = None,
    agreement_kind: str = "",
    agreement: Any = None,
    renewal_months: int | None = None,
    citation: str = "",
) -> Requirement:
    """Require ``course`` for a role, a task force, an agreement type or an agreement, from
    ``effective_from``. A statutory or contractual ``basis`` admits no override."""
    with transaction.atomic():
        access.check(actor, "training.requirement.create")
        return _requirement_save(
            actor,
            Requirement(
                course=course,
                scope=scope_kind,
                basis=basis,
                effective_from=effective_from,
                effective_until=effective_until,
                role=role,
                task_force=task_force,
                agreement_kind=agreement_kind,
                agreement=agreement,
                renewal_months=renewal_months,
                citation=citation,
            ),
        )


REQUIREMENT_FIELDS = (
    "course_id",
    "scope",
    "basis",
    "effective_from",
    "effective_until",
    "role",
    "task_force_id",
    "agreement_kind",
    "agreement_id",
    "renewal_months",
)


def _requirement_save(actor: Actor, requirement: Requirement) -> Requirement:
    validate(requirement)
    save(requirement)
    ledger_append(
        actor=actor,
        action="requirement.create",
        obj=requirement,
        change=_change(requirement, *REQUIREMENT_FIELDS),
    )
    return requirement


def requirement_from_agreement(*, actor: Actor, agreement: Any, row: Any) -> Requirement:
    """The contractual requirement an agreement's training row (``agreements.TrainingRequirement``)
    stands for: its free-text course linked to the catalog course of that title (a new
    course marked "to review" when none matches), in force from today for the row's
    function. Called by the agreement's service, which checked the actor's rights."""
    with transaction.atomic():
        course = _course_for_name(actor=actor, name=row.course_name, hours=row.hours)
        return _requirement_save(
            actor,
            Requirement(
                course=course,
                scope=Requirement.Scope.AGREEMENT,
                basis=Requirement.Basis.CONTRACTUAL,
                effective_from=timezone.localdate(),
                role=row.function,
                agreement=agreement,
                renewal_months=row.renewal_months,
                citation="Agreement training requirement",
            ),
        )


def requirement_end(
    *, actor: Actor, requirement: Requirement, effective_until: date
) -> Requirement:
    """Set the last day a requirement applies; it stays as history."""
    with transaction.atomic():
        requirement = Requirement.objects.select_for_update().get(pk=requirement.pk)
        access.check(actor, "training.requirement.edit", requirement)
        requirement.effective_until = effective_until
        validate(requirement)
        save(requirement, update_fields=["effective_until", "updated_at"])
        ledger_append(
            actor=actor,
            action="requirement.end",
            obj=requirement,
            change={"effective_until": effective_until},
        )
        return requirement


# --- completions ---------------------------------------------------------------------------


def completion_record(
    *,
    actor: Actor,
    person: Person,
    course: Course,
    completed_on: date,
    hours: Decimal | None = None,
    score: int | None = None,
    certificate: UploadedFile[bytes] | None = None,
) -> Completion:
    """Record that ``person`` completed ``course``; it counts once verified."""
    with transaction.atomic():
        access.check(actor, "training.completion.create", person)
        if completed_on > timezone.localdate():
            raise ServiceError(
                "A completion cannot be in the future.",
                code=TrainingErrorCode.COMPLETION_IN_FUTURE,
                fields={"completed_on": ["Enter today or an earlier day."]},
            )
        completion = Completion(
            person=person,
            course=course,
            completed_on=completed_on,
            hours=course.hours if hours is None else hours,
            score=score,
            expires_on=expiry_of(course=course, completed_on=completed_on),
            entered_by_id=getattr(actor, "pk", None),
        )
        if certificate is not None:
            completion.certificate = certificate
        validate(completion)
        save(completion)
        ledger_append(
            actor=actor,
            action="completion.record",
            obj=completion,
            change=_change(completion, "person_id", "course_id", "completed_on", "hours", "score"),
        )
        return completion


def completion_verify(*, actor: Actor, completion: Completion) -> Completion:
    """A supervisor of the person's agency confirms the completion; from now it counts."""
    with transaction.atomic():
        completion = (
            Completion.objects.select_for_update()
            .select_related("person", "course")
            .get(pk=completion.pk)
        )
        access.check(actor, "training.completion.verify", completion)
        if completion.verified:
            raise Conflict(
                "This completion is verified already.", code=TrainingErrorCode.ALREADY_VERIFIED
            )
        completion.verified_by_id = getattr(actor, "pk", None)
        completion.verified_at = timezone.now()
        save(completion, update_fields=["verified_by", "verified_at", "updated_at"])
        ledger_append(
            actor=actor, action="completion.verify", obj=completion, change={"verified": True}
        )
        return completion


# --- overrides -----------------------------------------------------------------------------


def override_grant(
    *,
    actor: Actor,
    person: Person,
    requirement: Requirement,
    reason: str,
    granted_on: date | None = None,
    valid_until: date | None = None,
) -> Override:
    """A supervisor lets ``person`` act without an agency-policy requirement, with a reason.
    Statutory and contractual requirements cannot be overridden."""
    with transaction.atomic():
        access.check(actor, "training.override.create", person)
        if not requirement.overridable:
            raise ServiceError(
                f"{requirement.course.code} is {requirement.get_basis_display().split(' (')[0].lower()}: "
                "it cannot be overridden.",
                code=TrainingErrorCode.NOT_OVERRIDABLE,
                fields={"requirement": ["Only an agency-policy requirement can be overridden."]},
            )
        if not reason.strip():
            raise ServiceError(
                "An override needs a reason.",
                code=TrainingErrorCode.REASON_REQUIRED,
                fields={"reason": ["Say why the person may act without it."]},
            )
        override = Override(
            person=person,
            requirement=requirement,
            reason=reason.strip(),
            granted_by_id=getattr(actor, "pk", None),
            granted_on=granted_on or timezone.localdate(),
            valid_until=valid_until,
        )
        validate(override)
        save(override)
        ledger_append(
            actor=actor,
            action="override.grant",
            obj=override,
            reason=override.reason,
            change=_change(override, "person_id", "requirement_id", "granted_on", "valid_until"),
        )
        return override


# --- evaluations ---------------------------------------------------------------------------


def evaluation_submit(
    *, actor: Actor, completion: Completion, rating: int, comments: str = ""
) -> Evaluation:
    """The attendee's rating (1–5) and comments on a course they completed; one each."""
    with transaction.atomic():
        if actor is not None and not _may_evaluate(actor, completion):
            raise PermissionDenied()
        if Evaluation.objects.filter(completion=completion).exists():
            raise Conflict(
                "This completion has an evaluation already.",
                code=TrainingErrorCode.ALREADY_EVALUATED,
            )
        evaluation = Evaluation(
            completion=completion,
            rating=rating,
            comments=comments,
            submitted_by_id=getattr(actor, "pk", None),
        )
        validate(evaluation)
        save(evaluation)
        ledger_append(
            actor=actor,
            action="evaluation.submit",
            obj=evaluation,
            change={"completion": completion.pk, "rating": rating, "comments": comments},
        )
        return evaluation


# --- reminders -----------------------------------------------------------------------------

REMINDER_DAYS = (60, 30, 7)


def _band(days_left: int) -> int:
    """The reminder band of a completion: 60 (31–60 days left), 30 (8–30) or 7 (0–7)."""
    return min(t for t in REMINDER_DAYS if days_left <= t)


def training_expiry_reminders_send(*, today: date) -> int:
    """Remind the person (when they have an account: an active user with their work
    e-mail at their agency) and their agency's supervisors 60, 30 and 7 days before a
    verified completion expires — unless a later verified completion of the course
    replaces it. Idempotent: one notification key per completion and band. Returns how
    many notifications were new."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from liaison.core.dates import day_text
    from liaison.notifications.services import notification_send

    horizon = today + timedelta(days=max(REMINDER_DAYS))
    expiring = list(
        Completion.objects.filter(
            verified_at__isnull=False, expires_on__gte=today, expires_on__lte=horizon
        ).select_related("course", "person")
    )
    renewed = set(
        Completion.objects.filter(
            verified_at__isnull=False,
            person_id__in={c.person_id for c in expiring},
            course_id__in={c.course_id for c in expiring},
        )
        .filter(expires_on__gt=horizon)
        .values_list("person_id", "course_id")
    ) | set(
        Completion.objects.filter(
            verified_at__isnull=False,
            expires_on__isnull=True,
            person_id__in={c.person_id for c in expiring},
        ).values_list("person_id", "course_id")
    )
    users = get_user_model().objects.filter(
        agency_id__in={c.person.agency_id for c in expiring}, is_active=True
    )
    supervisors: dict[int, list[Any]] = {}
    by_email: dict[tuple[int, str], Any] = {}
    for user in users:
        if user.role == Role.SUPERVISOR:
            supervisors.setdefault(user.agency_id, []).append(user)
        if user.email:
            by_email.setdefault((user.agency_id, user.email.lower()), user)
    sent = 0
    for c in expiring:
        if (c.person_id, c.course_id) in renewed:
            continue
        assert c.expires_on is not None
        days_left = (c.expires_on - today).days
        band = _band(days_left)
        recipients = list(supervisors.get(c.person.agency_id, []))
        own = by_email.get((c.person.agency_id, c.person.email.lower())) if c.person.email else None
        if own is not None and own not in recipients:
            recipients.append(own)
        sent += notification_send(
            recipients=recipients,
            key=f"training:completion:{c.pk}:expiry:{band}:{c.expires_on.isoformat()}",
            subject=f"Training {c.course.code} expires in {days_left} days",
            body=(
                f"{c.person}'s completion of {c.course.code} {c.course.title} is current until "
                f"{day_text(c.expires_on)}. Schedule the renewal so the person stays ready."
            ),
            url=reverse("training:person", args=[c.person_id]),
        )
    return sent


from liaison.training.services.imports import (  # noqa: E402 - needs the rules above
    completion_import_check,
    completion_import_commit,
    completion_import_preview,
)

__all__ = [
    "CourseFields",
    "completion_import_check",
    "completion_import_commit",
    "completion_import_preview",
    "completion_record",
    "completion_verify",
    "course_create",
    "course_update",
    "evaluation_submit",
    "may",
    "override_grant",
    "requirement_create",
    "requirement_end",
    "requirement_from_agreement",
    "training_expiry_reminders_send",
]
