"""Personnel nominations, training requirements, reporting obligations and documents."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from liaison.agreements.coverage import terms_on
from liaison.agreements.models import (
    Agreement,
    AgreementDocument,
    DocumentVersion,
    NominatedPerson,
    ReportingObligation,
    TrainingRequirement,
)
from liaison.core import access, guards
from liaison.core.dates import day_text
from liaison.core.errors import Conflict, NotFound, NotFoundForbidden, ServiceError
from liaison.core.validation import save
from liaison.directory.models import Agency, Person
from liaison.directory.selectors import person_list_for_user
from liaison.ledger.services import ledger_append

if TYPE_CHECKING:
    from liaison.accounts.models import User


from liaison.agreements.error_codes import AgreementErrorCode
from liaison.agreements.services._common import (
    MAX_DOCUMENT_BYTES,
    PDF_MAGIC,
    _clean,
    _lock,
    _party_agency_ids,
)

# --- personnel, training, reporting -----------------------------------------------------

NOMINATE_PERSON = guards.point(
    "agreements.agreement_nominate_person",
    context=("actor", "agreement", "person", "function", "nominated_on"),
)
"""Run before a nomination is written: a later app (training) may refuse it or add notes."""

TRAINING_REQUIREMENT_ADD = guards.point(
    "agreements.agreement_training_requirement_add",
    context=("actor", "agreement", "requirement"),
)
"""Run before a training requirement is written, with the unsaved row: a later app
(training) links its free-text course to a catalog course, or refuses it."""


def agreement_nominate_person(
    *, actor: User | None, agreement: Agreement, person: Person, function: str, nominated_on: date
) -> NominatedPerson:
    """Nominate a person to act under the agreement, within its personnel cap. Guards
    registered at :data:`NOMINATE_PERSON` run before the write (training refuses people
    whose required training is not current)."""
    with transaction.atomic():
        agreement = _lock(actor=actor, agreement=agreement)
        access.check(actor, "agreements.agreement.nominate", agreement)
        if actor is not None and not person_list_for_user(user=actor).filter(pk=person.pk).exists():
            raise NotFoundForbidden(object_type="directory.person", object_id=person.pk)
        if person.agency_id not in _party_agency_ids(agreement):
            raise ServiceError(
                "Only personnel of a party can be nominated.",
                code=AgreementErrorCode.NOMINEE_NOT_OF_PARTY,
                fields={"person": ["This person's agency is not a party."]},
            )
        current = NominatedPerson.objects.filter(agreement=agreement, removed_on__isnull=True)
        if current.filter(person=person).exists():
            raise Conflict(
                "This person is already nominated.", code=AgreementErrorCode.ALREADY_NOMINATED
            )
        cap = terms_on(agreement, nominated_on, agreement.amendments.all()).personnel_cap
        if cap is not None and current.count() >= cap:
            raise Conflict(
                f"On {day_text(nominated_on)} the agreement allows at most {cap} personnel.",
                code=AgreementErrorCode.PERSONNEL_CAP,
            )
        notes = NOMINATE_PERSON.run(
            actor=actor,
            agreement=agreement,
            person=person,
            function=function,
            nominated_on=nominated_on,
        )
        nomination = NominatedPerson(
            agreement=agreement, person=person, function=function, nominated_on=nominated_on
        )
        _clean(nomination)
        save(nomination)
        change: dict[str, Any] = {
            "person": person.pk,
            "function": function,
            "nominated_on": nominated_on,
        }
        if notes:
            change["guards"] = notes
        ledger_append(actor=actor, action="agreement.nominate", obj=agreement, change=change)
        return nomination


def agreement_nomination_end(
    *, actor: User | None, nomination: NominatedPerson, removed_on: date
) -> NominatedPerson:
    """Remove a nominated person from the agreement."""
    with transaction.atomic():
        agreement = _lock(actor=actor, agreement=nomination.agreement)
        access.check(actor, "agreements.agreement.end_nomination", agreement)
        nomination = NominatedPerson.objects.select_for_update().get(pk=nomination.pk)
        if nomination.removed_on is not None:
            raise Conflict(
                "This nomination has already ended.", code=AgreementErrorCode.ALREADY_ENDED
            )
        nomination.removed_on = removed_on
        nomination.save(update_fields=["removed_on"])
        ledger_append(
            actor=actor,
            action="agreement.nomination_end",
            obj=agreement,
            change={"nomination": nomination.pk, "removed_on": removed_on},
        )
        return nomination


def agreement_training_requirement_add(
    *,
    actor: User | None,
    agreement: Agreement,
    function: str,
    course_name: str,
    hours: Any,
    renewal_months: int | None = None,
) -> TrainingRequirement:
    """Add a training requirement for a role under the agreement."""
    with transaction.atomic():
        agreement = _lock(actor=actor, agreement=agreement)
        access.check(actor, "agreements.agreement.training", agreement)
        row = TrainingRequirement(
            agreement=agreement,
            function=function,
            course_name=course_name,
            hours=hours,
            renewal_months=renewal_months,
        )
        _clean(row)
        notes = TRAINING_REQUIREMENT_ADD.run(actor=actor, agreement=agreement, requirement=row)
        save(row)
        ledger_append(
            actor=actor,
            action="agreement.training_requirement_add",
            obj=agreement,
            change={
                "function": function,
                "course": course_name,
                "hours": str(hours),
                "renewal_months": renewal_months,
                **({"guards": notes} if notes else {}),
            },
        )
        return row


def agreement_reporting_obligation_add(
    *,
    actor: User | None,
    agreement: Agreement,
    description: str,
    frequency: str,
    recipient: Agency,
    first_due_on: date,
) -> ReportingObligation:
    """Add a reporting obligation (what, how often, to whom, first due date)."""
    with transaction.atomic():
        agreement = _lock(actor=actor, agreement=agreement)
        access.check(actor, "agreements.agreement.reporting", agreement)
        row = ReportingObligation(
            agreement=agreement,
            description=description,
            frequency=frequency,
            recipient=recipient,
            first_due_on=first_due_on,
        )
        _clean(row)
        save(row)
        ledger_append(
            actor=actor,
            action="agreement.reporting_obligation_add",
            obj=agreement,
            change={
                "description": description,
                "frequency": frequency,
                "recipient": recipient.pk,
                "first_due_on": first_due_on,
            },
        )
        return row


# --- documents ----------------------------------------------------------------------


def agreement_document_upload(
    *,
    actor: User | None,
    agreement: Agreement,
    upload: UploadedFile[bytes],
    title: str = "",
    document: AgreementDocument | None = None,
) -> DocumentVersion:
    """Attach a PDF (at most 20 MB) as a new document, or as a new version of ``document``.

    The file must say it is a PDF *and* start with ``%PDF-``; anything else is refused
    before anything is stored. Earlier versions are kept.
    """
    with transaction.atomic():
        agreement = _lock(actor=actor, agreement=agreement)
        access.check(actor, "agreements.agreement.upload", agreement)
        _check_pdf(upload)
        if document is not None and document.agreement_id != agreement.pk:
            raise NotFound()
        if document is None:
            if not title.strip():
                raise ServiceError(
                    "Give the document a title.",
                    code=AgreementErrorCode.DOCUMENT_TITLE_REQUIRED,
                    fields={"title": ["Required."]},
                )
            document = AgreementDocument.objects.create(agreement=agreement, title=title.strip())
        else:
            document = AgreementDocument.objects.select_for_update().get(pk=document.pk)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        latest = document.versions.order_by("-version").values_list("version", flat=True).first()
        version = DocumentVersion(
            document=document,
            version=(latest or 0) + 1,
            original_name=(upload.name or "document.pdf")[-255:],
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        version.file.save(f"{version.sha256}.pdf", upload, save=False)
        # The file is on disk now; if the transaction fails, remove it again.
        stored_name = version.file.name
        storage = version.file.storage
        try:
            version.save()
            ledger_append(
                actor=actor,
                action="agreement_document.upload",
                obj=version,
                change={
                    "agreement": agreement.pk,
                    "document": document.pk,
                    "version": version.version,
                    "sha256": version.sha256,
                },
            )
        except Exception:
            if stored_name:
                storage.delete(stored_name)
            raise
        return version


def _check_pdf(upload: UploadedFile[bytes]) -> None:
    size = upload.size or 0
    if size > MAX_DOCUMENT_BYTES:
        raise ServiceError(
            "The file is too large.",
            code=AgreementErrorCode.FILE_TOO_LARGE,
            fields={"file": [f"Upload a PDF of at most {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB."]},
        )
    if size == 0:
        raise ServiceError(
            "The file is empty.",
            code=AgreementErrorCode.FILE_EMPTY,
            fields={"file": ["Upload a PDF file."]},
        )
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if content_type != "application/pdf" or head != PDF_MAGIC:
        raise ServiceError(
            "Only PDF files can be attached.",
            code=AgreementErrorCode.NOT_PDF,
            fields={"file": ["The file is not a PDF. Upload a PDF file."]},
        )
