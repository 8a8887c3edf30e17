"""Writes to the legal-authority library (legal counsel and admins)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from liaison.agreements.authorities_data import AUTHORITIES
from liaison.agreements.models import LegalAuthority
from liaison.agreements.services._common import _clean
from liaison.core import access
from liaison.core.validation import model_update, save
from liaison.directory.models import Jurisdiction
from liaison.ledger.services import ledger_append

if TYPE_CHECKING:
    from liaison.accounts.models import User


@dataclass(frozen=True, kw_only=True)
class AuthorityFields:
    citation: str
    title: str
    jurisdiction_code: str
    kind: str
    summary: str
    jurisdiction: Jurisdiction | None = None
    effective_date: date | None = None
    repealed_on: date | None = None
    source_url: str = ""
    verify_with_counsel: bool = False

    def change(self) -> dict[str, object]:
        data = asdict(self)
        data["jurisdiction"] = self.jurisdiction.pk if self.jurisdiction else None
        return data


AUTHORITY_FIELDS = (
    "citation",
    "title",
    "jurisdiction_code",
    "kind",
    "summary",
    "jurisdiction",
    "effective_date",
    "repealed_on",
    "source_url",
    "verify_with_counsel",
)


def _values(fields: AuthorityFields) -> dict[str, object]:
    return {name: getattr(fields, name) for name in AUTHORITY_FIELDS}


def legal_authority_create(*, actor: User | None, fields: AuthorityFields) -> LegalAuthority:
    """Add an authority to the library."""
    with transaction.atomic():
        access.check(actor, "agreements.legal_authority.create")
        authority = LegalAuthority(**_values(fields))
        _clean(authority)
        save(authority)
        ledger_append(
            actor=actor, action="legal_authority.create", obj=authority, change=fields.change()
        )
        return authority


def legal_authority_update(
    *, actor: User | None, authority: LegalAuthority, fields: AuthorityFields
) -> LegalAuthority:
    """Change an authority (for example record its repeal, or clear the counsel flag).
    Only changed fields are saved; no change, no ledger entry."""
    with transaction.atomic():
        access.check(actor, "agreements.legal_authority.edit", authority)
        authority = LegalAuthority.objects.select_for_update().get(pk=authority.pk)
        if model_update(authority, _values(fields), allowed=AUTHORITY_FIELDS):
            ledger_append(
                actor=actor, action="legal_authority.update", obj=authority, change=fields.change()
            )
        return authority


def legal_authorities_load(*, actor: User | None = None) -> int:
    """Load the shipped library (:mod:`liaison.agreements.authorities_data`); only citations
    not yet present are added, so running it again adds nothing. Returns how many were added."""
    existing = set(LegalAuthority.objects.values_list("citation", flat=True))
    added = 0
    for row in AUTHORITIES:
        if row["citation"] in existing:
            continue
        legal_authority_create(
            actor=actor,
            fields=AuthorityFields(
                citation=row["citation"],
                title=row["title"],
                jurisdiction_code=row["jurisdiction_code"],
                kind=row["kind"],
                summary=row["summary"],
                source_url=row.get("source_url", ""),
                verify_with_counsel=row.get("verify_with_counsel", False),
                effective_date=row.get("effective_date"),
                repealed_on=row.get("repealed_on"),
            ),
        )
        added += 1
    return added
