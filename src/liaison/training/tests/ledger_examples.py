"""Ledger examples of the training services, read by the ledger's walker
(``liaison/ledger/tests/test_every_service_is_ledgered.py``).

``EXAMPLES`` maps every public function of ``liaison.training.services`` to a set-up
that returns the call of the service, which must make the ledger grow; ``EXEMPT``
gives the reason a function is not a consequential write. ``World`` holds the
records the examples act on (the directory registry's, with a course).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property, partial
from typing import Any

from django.utils import timezone

from liaison.accounts.tests.factories import make_user
from liaison.agreements.tests.ledger_examples import world as agreements_world
from liaison.core.roles import Role
from liaison.directory.tests.ledger_examples import World as Directory
from liaison.training import services as s
from liaison.training.models import Requirement

__all__ = ["EXAMPLES", "EXEMPT", "World"]


class World(Directory):
    """The directory world, plus a catalog course with a 12-month validity."""

    @cached_property
    def course(self) -> Any:
        return s.course_create(
            actor=None,
            fields=s.CourseFields(code="EX-1", title="Example course", validity_months=12),
        )

    @cached_property
    def policy(self) -> Any:
        return s.requirement_create(
            actor=None,
            course=self.course,
            scope_kind=Requirement.Scope.ROLE,
            role="Task Force Officer",
            basis=Requirement.Basis.POLICY,
            effective_from=date(2026, 1, 1),
        )

    def completion(self, *, on: date | None = None, verified: bool = False) -> Any:
        c = s.completion_record(
            actor=None,
            person=self.person,
            course=self.course,
            completed_on=on or timezone.localdate() - timedelta(days=1),
        )
        return s.completion_verify(actor=None, completion=c) if verified else c


Example = Callable[[World], Callable[[], object]]
"""Given the world, do any set-up and return the call of the service itself."""


def reminders(w: World) -> Callable[[], object]:
    make_user(Role.SUPERVISOR, agency=w.agency)
    today = timezone.localdate()
    w.completion(on=today - timedelta(days=340), verified=True)
    return partial(s.training_expiry_reminders_send, today=today)


def from_agreement(w: World) -> Callable[[], object]:
    agreement = agreements_world(w).active()

    class Row:
        course_name = "Example agreement course"
        function = "Task Force Officer"
        hours = Decimal(8)
        renewal_months = None

    return partial(s.requirement_from_agreement, actor=None, agreement=agreement, row=Row())


def _csv(w: World) -> str:
    badge = w.person.badge_number or "B-1"
    if not w.person.badge_number:
        type(w.person).objects.filter(pk=w.person.pk).update(badge_number=badge)
    return f"person,course,date,hours,score\n{badge},EX-1,2026-01-05,8,\nnobody,EX-1,2026-01-05,,\n"


def import_preview(w: World) -> Callable[[], object]:
    w.course  # noqa: B018 - the course the file names
    return partial(s.completion_import_preview, actor=None, file_name="x.csv", content=_csv(w))


def import_check(w: World) -> Callable[[], object]:
    from liaison.training.models import CompletionImport

    w.course  # noqa: B018
    batch = CompletionImport.objects.create(
        file_name="x.csv", content=_csv(w), total_rows=2, status=CompletionImport.Status.CHECKING
    )
    return partial(s.completion_import_check, batch_id=batch.pk)


def import_commit(w: World) -> Callable[[], object]:
    w.course  # noqa: B018
    batch = s.completion_import_preview(actor=None, file_name="x.csv", content=_csv(w))
    return partial(s.completion_import_commit, actor=None, batch=batch)


t = "liaison.training.services."
EXAMPLES: dict[str, Example] = {
    t + "course_create": lambda w: partial(
        s.course_create, actor=None, fields=s.CourseFields(code="EX-2", title="Another course")
    ),
    t + "course_update": lambda w: partial(
        s.course_update,
        actor=None,
        course=w.course,
        fields=s.CourseFields(code="EX-1", title="Example course, revised"),
    ),
    t + "requirement_create": lambda w: partial(
        s.requirement_create,
        actor=None,
        course=w.course,
        scope_kind=Requirement.Scope.TASK_FORCE,
        task_force=w.task_force,
        basis=Requirement.Basis.STATUTORY,
        effective_from=date(2026, 1, 1),
    ),
    t + "requirement_end": lambda w: partial(
        s.requirement_end, actor=None, requirement=w.policy, effective_until=date(2026, 12, 31)
    ),
    t + "requirement_from_agreement": from_agreement,
    t + "completion_record": lambda w: partial(
        s.completion_record,
        actor=None,
        person=w.person,
        course=w.course,
        completed_on=date(2026, 1, 5),
    ),
    t + "completion_verify": lambda w: partial(
        s.completion_verify, actor=None, completion=w.completion()
    ),
    t + "override_grant": lambda w: partial(
        s.override_grant, actor=None, person=w.person, requirement=w.policy, reason="Scheduled"
    ),
    t + "evaluation_submit": lambda w: partial(
        s.evaluation_submit, actor=None, completion=w.completion(), rating=4, comments="Useful"
    ),
    t + "training_expiry_reminders_send": reminders,
    t + "completion_import_preview": import_preview,
    t + "completion_import_check": import_check,
    t + "completion_import_commit": import_commit,
}

EXEMPT: dict[str, str] = {
    t + "may": "permission predicate for pages and the API; a read",
    t + "imports.check": "checks rows of a file; writes nothing",
    t + "imports.count_rows": "counts rows of a file; writes nothing",
    t + "imports.preview_rows": "a checked import's rows for its page; a read",
    t + "imports.read_upload": "reads an uploaded file's text; writes nothing",
}
