"""Bulk import of completions from CSV: check every row first, then commit the valid ones.

A file has a header and the columns ``person`` (badge number or work e-mail of
someone whose training the uploader may record), ``course`` (catalog code),
``date`` (YYYY-MM-DD), ``hours`` (empty: the course's) and ``score`` (may be empty).

1. :func:`completion_import_preview` stores the file and checks it: small files at
   once, large ones (more than :data:`INLINE_ROWS` rows) in the worker, which
   reports its progress on the import's page. Nothing is imported yet.
2. The page lists every row's outcome and errors (unknown person, unknown course,
   bad date, duplicate — in the file or already recorded, bad hours or score).
3. :func:`completion_import_commit` checks the file again and inserts the valid rows
   in one transaction, with one ledger entry whose hashed change names every row;
   the rejected rows, with their errors, are kept as a CSV to download.

Rows imported by a supervisor or an admin are verified by them (they vouch for the
file); a coordinator's import waits for a supervisor's verification like any
completion entered by hand.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from liaison.core import access
from liaison.core.access import Relation
from liaison.core.bulk import insert_rows
from liaison.core.errors import Conflict, ServiceError
from liaison.core.roles import Role
from liaison.directory import scope
from liaison.directory.models import Person
from liaison.ledger.services import ledger_append
from liaison.training.error_codes import TrainingErrorCode
from liaison.training.models import MAX_HOURS, Completion, CompletionImport, Course
from liaison.training.readiness import expiry_of

if TYPE_CHECKING:
    from liaison.training.services import Actor

COLUMNS = ("person", "course", "date", "hours", "score")
INLINE_ROWS = 5_000
PROGRESS_EVERY = 5_000
MAX_BYTES = 20 * 1024 * 1024
BATCH_SIZE = 2_000
PREVIEW_VALID_SHOWN = 200
"""The preview lists every rejected row, and this many of the rows to import."""


@dataclass
class Row:
    """One data row of the file and what checking it found."""

    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    person_id: int | None = None
    course: Course | None = None
    completed_on: date | None = None
    hours: Decimal | None = None
    score: int | None = None

    @property
    def outcome(self) -> str:
        return "Rejected" if self.errors else "Will be imported"


def read_upload(upload: Any) -> str:
    """The text of an uploaded CSV file (UTF-8, a byte-order mark allowed)."""
    if upload.size > MAX_BYTES:
        raise ServiceError(
            "The file is too large.",
            code=TrainingErrorCode.IMPORT_FILE_UNREADABLE,
            fields={"file": [f"At most {MAX_BYTES // 1_048_576} MB."]},
        )
    raw = upload.read()
    try:
        return str(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ServiceError(
            "The file is not UTF-8 text.",
            code=TrainingErrorCode.IMPORT_FILE_UNREADABLE,
            fields={"file": ["Save it as CSV UTF-8 and try again."]},
        ) from exc


def _reader(content: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(content))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in COLUMNS[:3] if c not in header]
    if missing:
        raise ServiceError(
            "The file's first line must name the columns.",
            code=TrainingErrorCode.IMPORT_FILE_UNREADABLE,
            fields={
                "file": [f"Missing column: {', '.join(missing)}. Expected {', '.join(COLUMNS)}."]
            },
        )
    # The last of a repeated column counts, as with csv.DictReader.
    at = {name: i for i, name in enumerate(header)}
    where = [(c, at.get(c, -1)) for c in COLUMNS]
    n = 1
    for raw in reader:
        if not raw:
            continue  # blank lines are not rows
        n += 1
        width = len(raw)
        yield n, {c: raw[i].strip() if 0 <= i < width else "" for c, i in where}


def count_rows(content: str) -> int:
    return sum(1 for _ in _reader(content))


@dataclass
class _Lookups:
    people: dict[str, int]
    courses: dict[str, Course]
    existing: set[tuple[int, int, date]]


def _lookups(actor: Actor, raw: list[tuple[int, dict[str, str]]]) -> _Lookups:
    """Loaded once per check: people the actor may record training for, by badge number
    and e-mail (lower case); catalog courses by code (upper case); the recorded
    completions of those courses on the file's days (those the file could duplicate)."""
    people_qs = Person.objects.all()
    if actor is not None:
        # The rule training.completion.create, as a filter: any person, or the own
        # agencies' people, or no one.
        relations = access.relations_for(actor, "training.completion.create")
        if Relation.OUTSIDER not in relations:
            own = scope.own_agency_ids(actor) if Relation.OWN in relations else frozenset()
            people_qs = people_qs.filter(agency_id__in=sorted(own))
    people: dict[str, int] = {}
    for pk, badge, email in people_qs.values_list("pk", "badge_number", "email").order_by("pk"):
        for key in (badge.lower(), email.lower()):
            if key:
                people.setdefault(key, pk)
    courses = {c.code.upper(): c for c in Course.objects.filter(active=True)}
    codes = {values["course"].upper() for _, values in raw}
    course_ids = sorted(c.pk for code, c in courses.items() if code in codes)
    days = set()
    for _, values in raw:
        with contextlib.suppress(ValueError):
            days.add(date.fromisoformat(values["date"]))
    existing: set[tuple[int, int, date]] = set()
    if days and course_ids:
        existing.update(
            Completion.objects.filter(
                course_id__in=course_ids, completed_on__gte=min(days), completed_on__lte=max(days)
            ).values_list("person_id", "course_id", "completed_on")
        )
    return _Lookups(people=people, courses=courses, existing=existing)


def _check_row(
    line: int,
    values: dict[str, str],
    found: _Lookups,
    seen: set[tuple[int, int, date]],
    today: date,
) -> Row:
    row = Row(line=line, values=values)
    row.person_id = found.people.get(values["person"].lower()) if values["person"] else None
    if row.person_id is None:
        row.errors.append(
            "Unknown person: no one you may record training for has this badge number or e-mail."
        )
    row.course = found.courses.get(values["course"].upper()) if values["course"] else None
    if row.course is None:
        row.errors.append("Unknown course: no catalog course has this code.")
    try:
        row.completed_on = date.fromisoformat(values["date"])
        if row.completed_on > today:
            row.errors.append("Bad date: it is in the future.")
    except ValueError:
        row.errors.append("Bad date: write it as YYYY-MM-DD.")
        row.completed_on = None
    if values["hours"]:
        try:
            row.hours = Decimal(values["hours"])
            if not (0 <= row.hours <= MAX_HOURS) or row.hours != row.hours.quantize(Decimal("0.1")):
                raise InvalidOperation
        except InvalidOperation:
            row.errors.append(f"Bad hours: a number from 0 to {MAX_HOURS}, one decimal at most.")
            row.hours = None
    if values["score"]:
        if values["score"].isdigit() and int(values["score"]) <= 100:
            row.score = int(values["score"])
        else:
            row.errors.append("Bad score: a whole number from 0 to 100.")
    if row.person_id is not None and row.course is not None and row.completed_on is not None:
        key = (row.person_id, row.course.pk, row.completed_on)
        if key in found.existing:
            row.errors.append("Duplicate: this completion is recorded already.")
        elif key in seen:
            row.errors.append("Duplicate: the same completion is on an earlier line of the file.")
        seen.add(key)
    return row


def check(actor: Actor, content: str, *, progress: Any = None) -> list[Row]:
    """Every row of ``content`` with its errors (none: it will be imported). ``progress``,
    if given, is called with the number of rows checked every :data:`PROGRESS_EVERY`."""
    raw = list(_reader(content))
    found = _lookups(actor, raw)
    seen: set[tuple[int, int, date]] = set()
    today = timezone.localdate()
    rows = []
    for i, (line, values) in enumerate(raw, start=1):
        rows.append(_check_row(line, values, found, seen, today))
        if progress is not None and i % PROGRESS_EVERY == 0:
            progress(i)
    return rows


def _uploader(batch: CompletionImport) -> Actor:
    return batch.uploaded_by


def preview_rows(batch: CompletionImport) -> list[Row]:
    """Every row of a checked import with its outcome, as its uploader sees them."""
    return check(_uploader(batch), batch.content)


def completion_import_preview(*, actor: Actor, file_name: str, content: str) -> CompletionImport:
    """Keep the file and check it (in the worker when it is large); nothing is imported."""
    with transaction.atomic():
        access.check(actor, "training.completion_import.create")
        total = count_rows(content)
        if total == 0:
            raise ServiceError(
                "The file has no rows.",
                code=TrainingErrorCode.IMPORT_FILE_UNREADABLE,
                fields={"file": ["Add rows under the header."]},
            )
        batch = CompletionImport(
            uploaded_by_id=getattr(actor, "pk", None),
            file_name=file_name[:255],
            content=content,
            total_rows=total,
            status=CompletionImport.Status.CHECKING,
        )
        batch.save()
        ledger_append(
            actor=actor,
            action="completion_import.upload",
            obj=batch,
            change={"file_name": file_name, "rows": total, "content": content},
        )
        if total <= INLINE_ROWS:
            _record_check(batch, check(actor, content))
        else:
            from liaison.training.tasks import check_completion_import

            transaction.on_commit(lambda: check_completion_import.enqueue(batch.pk))
        return batch


def _record_check(batch: CompletionImport, rows: list[Row]) -> None:
    batch.processed_rows = len(rows)
    batch.valid_rows = sum(1 for r in rows if not r.errors)
    batch.status = CompletionImport.Status.PREVIEWED
    batch.save(update_fields=["processed_rows", "valid_rows", "status", "updated_at"])


def completion_import_check(*, batch_id: int) -> CompletionImport:
    """The worker's check of a large file: progress saved as it goes (each step its own
    small transaction, so the page sees it), then the counts. Checking writes no
    completion; the upload's ledger entry covers it."""
    batch = CompletionImport.objects.get(pk=batch_id)
    if batch.status != CompletionImport.Status.CHECKING:
        return batch

    def progress(done: int) -> None:
        CompletionImport.objects.filter(pk=batch.pk).update(processed_rows=done)

    rows = check(_uploader(batch), batch.content, progress=progress)
    with transaction.atomic():
        _record_check(batch, rows)
        ledger_append(
            actor=None,
            action="completion_import.check",
            obj=batch,
            change={"rows": len(rows), "valid": batch.valid_rows},
        )
    return batch


INSERTED = (
    "person",
    "course",
    "completed_on",
    "hours",
    "score",
    "expires_on",
    "certificate",
    "source",
    "entered_by",
    "verified_by",
    "verified_at",
    "created_at",
    "updated_at",
)
"""The columns an imported completion fills, in the order of :func:`_values`."""


def _values(
    rows: list[Row], *, actor: Actor, verifier: Actor, now: Any
) -> Iterator[tuple[Any, ...]]:
    """Each checked row as the values of a :class:`Completion` (:data:`INSERTED`): what
    ``completion_record`` would save, the expiry from the course's validity."""
    expiry: dict[tuple[int, date], date | None] = {}
    entered_by = getattr(actor, "pk", None)
    verified_by = getattr(verifier, "pk", None)
    verified_at = now if verifier is not None else None
    for row in rows:
        course, day = row.course, row.completed_on
        assert row.person_id is not None
        assert course is not None
        assert day is not None
        key = (course.pk, day)
        if key not in expiry:
            expiry[key] = expiry_of(course=course, completed_on=day)
        yield (
            row.person_id,
            course.pk,
            day,
            course.hours if row.hours is None else row.hours,
            row.score,
            expiry[key],
            "",
            Completion.Source.IMPORTED.value,
            entered_by,
            verified_by,
            verified_at,
            now,
            now,
        )


def _digest(rows: list[Row]) -> str:
    """SHA-256 of the rows as ``person_id,course_id,date,hours,score`` lines."""
    digest = hashlib.sha256()
    for r in rows:
        assert r.course is not None
        digest.update(
            f"{r.person_id},{r.course.pk},{r.completed_on},{r.hours},{r.score}\n".encode()
        )
    return digest.hexdigest()


def completion_import_commit(*, actor: Actor, batch: CompletionImport) -> CompletionImport:
    """Check the file again and insert its valid rows, in one transaction; the rejected
    rows, with their errors, are kept as a CSV (:attr:`CompletionImport.rejected`)."""
    with transaction.atomic():
        batch = CompletionImport.objects.select_for_update().get(pk=batch.pk)
        access.check(actor, "training.completion_import.create")
        if batch.status != CompletionImport.Status.PREVIEWED or (
            actor is not None and batch.uploaded_by_id != actor.pk
        ):
            raise Conflict(
                "This import was committed already, or is still being checked.",
                code=TrainingErrorCode.IMPORT_NOT_PENDING,
            )
        rows = check(actor, batch.content)
        verifier = actor if getattr(actor, "role", "") in {Role.SUPERVISOR, Role.ADMIN} else None
        now = timezone.now()
        valid = [r for r in rows if not r.errors]
        # The rows were checked just above, as full_clean() would (people, courses,
        # days, hours, scores, duplicates); the database's constraints hold as well.
        insert_rows(Completion, INSERTED, _values(valid, actor=actor, verifier=verifier, now=now))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([*COLUMNS, "line", "errors"])
        for r in rows:
            if r.errors:
                writer.writerow([*(r.values[c] for c in COLUMNS), r.line, " ".join(r.errors)])
        batch.status = CompletionImport.Status.COMMITTED
        batch.imported_rows = len(valid)
        batch.valid_rows = len(valid)
        batch.processed_rows = len(rows)
        batch.rejected = out.getvalue()
        batch.content = ""
        batch.save()
        ledger_append(
            actor=actor,
            action="completion_import.commit",
            obj=batch,
            change={
                # One digest committing to every imported row, in file order: hashing
                # 100,000 rows as JSON values would cost more than inserting them.
                "imported_sha256": _digest(valid),
                "imported": len(valid),
                "verified": verifier is not None,
                "rejected_lines": [r.line for r in rows if r.errors],
            },
        )
        return batch
