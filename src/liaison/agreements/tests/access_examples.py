"""How the generated rule matrix tries each agreements action (``liaison.personas.Example``).

The agreements it tries are kept by BCA with HSI and BCA as parties, one in each state
of the lifecycle: DPS and BCA users stand to them as their own agency, HSI as a party,
MPD as a state partner, CBP and ERO as outsiders.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.agreements import selectors as sel
from liaison.agreements import services as svc
from liaison.agreements.models import LegalAuthority, NominatedPerson
from liaison.agreements.tests.conftest import World as AgreementsWorld
from liaison.directory.selectors import person_list_for_user
from liaison.personas import Example, World


def _agreements(w: World) -> list[Any]:
    cached = w.__dict__.get("_matrix_agreements")
    if cached is not None:
        return list(cached)
    aw = AgreementsWorld(**{f.name: getattr(w, f.name) for f in dataclasses.fields(w)})
    draft = aw.draft()
    review = aw.draft()
    svc.agreement_submit_for_review(actor=None, agreement=review)
    approved = aw.approved()
    signed = aw.signed()
    active = aw.active()
    suspended = aw.active()
    svc.agreement_suspend(actor=None, agreement=suspended, reason="Audit")
    terminated = aw.active()
    svc.agreement_terminate(
        actor=None, agreement=terminated, reason="Ended", notice_date=date(2025, 1, 1)
    )
    found = [draft, review, approved, signed, active, suspended, terminated]
    for agreement in found:
        agreement.refresh_from_db()
    w.__dict__["_matrix_agreements"] = found
    return list(found)


def _agencies(w: World) -> list[Any]:
    return list(w.agencies.values())


def _authorities(w: World) -> list[Any]:
    authority = LegalAuthority.objects.order_by("pk").first()
    if authority is None:
        authority = svc.legal_authority_create(
            actor=None,
            fields=svc.AuthorityFields(
                citation="Minn. Stat. § 1.01",
                title="Test statute",
                jurisdiction_code="MN",
                kind="statute",
                summary="For the matrix.",
            ),
        )
    return [authority]


def _none(w: World) -> list[Any]:
    return [None]


def _nominee(w: World, actor: Any, agreement: Any) -> Any:
    parties = agreement.parties.values_list("agency_id", flat=True)
    seen = person_list_for_user(user=actor).filter(agency_id__in=list(parties)).first()
    return seen or w.people["BCA"]


def _end_nomination(w: World, actor: Any, agreement: Any) -> object:
    nomination = NominatedPerson.objects.create(
        agreement=agreement, person=w.people["BCA"], function="TFO", nominated_on=date(2025, 1, 2)
    )
    return svc.agreement_nomination_end(
        actor=actor, nomination=nomination, removed_on=date(2025, 2, 1)
    )


def _page(step: str) -> Any:
    return lambda r: f"/agreements/{r.pk}/{step}/"


TODAY = timezone.localdate

EXAMPLES: dict[str, Example] = {
    "agreements.agreement.view": Example(
        _agreements,
        lambda w, u, r: sel.agreement_get_for_user(user=u, pk=r.pk),
        page=lambda r: f"/agreements/{r.pk}/",
        api=lambda r: f"/api/v1/agreements/{r.pk}",
    ),
    "agreements.agreement.create": Example(
        _agencies,
        lambda w, u, r: svc.agreement_create(
            actor=u,
            owner_agency=r,
            fields=svc.AgreementFields(title="Matrix MOU", kind="task_force_mou"),
        ),
    ),
    "agreements.agreement.edit": Example(
        _agreements,
        lambda w, u, r: svc.agreement_update_draft(
            actor=u,
            agreement=r,
            fields=svc.AgreementFields(title="Matrix MOU", kind="task_force_mou"),
        ),
        page=_page("edit"),
    ),
    "agreements.agreement.submit": Example(
        _agreements, lambda w, u, r: svc.agreement_submit_for_review(actor=u, agreement=r)
    ),
    "agreements.agreement.review": Example(
        _agreements,
        lambda w, u, r: svc.agreement_review(actor=u, agreement=r, approve=True),
        page=_page("review"),
    ),
    "agreements.agreement.sign": Example(
        _agreements,
        lambda w, u, r: svc.agreement_record_signature(
            actor=u,
            agreement=r,
            agency=w.agencies["BCA"],
            name="Signing Official",
            title="Director",
            signed_on=TODAY(),
        ),
        page=_page("sign"),
    ),
    "agreements.agreement.activate": Example(
        _agreements, lambda w, u, r: svc.agreement_activate(actor=u, agreement=r)
    ),
    "agreements.agreement.suspend": Example(
        _agreements,
        lambda w, u, r: svc.agreement_suspend(actor=u, agreement=r, reason="Audit"),
        page=_page("suspend"),
    ),
    "agreements.agreement.reinstate": Example(
        _agreements,
        lambda w, u, r: svc.agreement_reinstate(actor=u, agreement=r, reason="Audit closed"),
        page=_page("reinstate"),
    ),
    "agreements.agreement.terminate": Example(
        _agreements,
        lambda w, u, r: svc.agreement_terminate(
            actor=u, agreement=r, reason="Ended", notice_date=TODAY()
        ),
        page=_page("terminate"),
    ),
    "agreements.agreement.amend": Example(
        _agreements,
        lambda w, u, r: svc.amendment_create(
            actor=u, agreement=r, title="Amendment", effective_date=TODAY(), new_personnel_cap=9
        ),
        page=_page("amend"),
    ),
    "agreements.agreement.nominate": Example(
        _agreements,
        lambda w, u, r: svc.agreement_nominate_person(
            actor=u,
            agreement=r,
            person=_nominee(w, u, r),
            function="TFO",
            nominated_on=TODAY(),
        ),
        page=_page("nominate"),
    ),
    "agreements.agreement.end_nomination": Example(_agreements, _end_nomination),
    "agreements.agreement.training": Example(
        _agreements,
        lambda w, u, r: svc.agreement_training_requirement_add(
            actor=u, agreement=r, function="TFO", course_name="Civil rights", hours=4
        ),
        page=_page("training"),
    ),
    "agreements.agreement.reporting": Example(
        _agreements,
        lambda w, u, r: svc.agreement_reporting_obligation_add(
            actor=u,
            agreement=r,
            description="Quarterly report",
            frequency="quarterly",
            recipient=w.agencies["DPS"],
            first_due_on=TODAY(),
        ),
        page=_page("reporting"),
    ),
    "agreements.agreement.upload": Example(
        _agreements,
        # Not a PDF: refused for its content only after the permission check.
        lambda w, u, r: svc.agreement_document_upload(
            actor=u,
            agreement=r,
            upload=SimpleUploadedFile("note.txt", b"hello", content_type="text/plain"),
            title="Note",
        ),
        page=lambda r: f"/agreements/{r.pk}/documents/new/",
    ),
    "agreements.legal_authority.view": Example(
        _authorities,
        lambda w, u, r: sel.legal_authority_get_for_user(user=u, pk=r.pk),
        page=lambda r: f"/agreements/authorities/{r.pk}/",
    ),
    "agreements.legal_authority.create": Example(
        _none,
        lambda w, u, r: svc.legal_authority_create(
            actor=u,
            fields=svc.AuthorityFields(
                citation="Minn. Stat. § 2.02",
                title="Another statute",
                jurisdiction_code="MN",
                kind="statute",
                summary="For the matrix.",
            ),
        ),
        page=lambda r: "/agreements/authorities/new/",
    ),
    "agreements.legal_authority.edit": Example(
        _authorities,
        lambda w, u, r: svc.legal_authority_update(
            actor=u,
            authority=r,
            fields=svc.AuthorityFields(
                citation=r.citation,
                title=r.title,
                jurisdiction_code=r.jurisdiction_code,
                kind=r.kind,
                summary=r.summary,
            ),
        ),
        page=lambda r: f"/agreements/authorities/{r.pk}/edit/",
    ),
}
