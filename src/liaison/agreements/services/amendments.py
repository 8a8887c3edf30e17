"""Amendments: signed changes that apply from their own effective date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from liaison.agreements.models import (
    Activity,
    Agreement,
    Amendment,
    DataCategory,
    Grant,
    Purpose,
)
from liaison.core import access
from liaison.core.dates import day_text
from liaison.core.errors import ServiceError
from liaison.core.validation import save
from liaison.ledger.services import ledger_append

if TYPE_CHECKING:
    from liaison.accounts.models import User


from liaison.agreements.error_codes import AgreementErrorCode
from liaison.agreements.services._common import (
    _clean,
    _lock,
)

# --- amendments ---------------------------------------------------------------------


def amendment_create(
    *,
    actor: User | None,
    agreement: Agreement,
    title: str,
    effective_date: date,
    summary: str = "",
    section: str = "",
    new_expiry_date: date | None = None,
    new_personnel_cap: int | None = None,
    add_activities: Sequence[Activity] = (),
    remove_activities: Sequence[Activity] = (),
    add_data_categories: Sequence[DataCategory] = (),
    remove_data_categories: Sequence[DataCategory] = (),
    add_purposes: Sequence[Purpose] = (),
    remove_purposes: Sequence[Purpose] = (),
) -> Amendment:
    """Record a signed amendment: what it adds or removes applies from ``effective_date``.

    Amendments apply in order, so each takes effect no earlier than the previous one.
    """
    with transaction.atomic():
        agreement = _lock(actor=actor, agreement=agreement)
        access.check(actor, "agreements.agreement.amend", agreement)
        previous = Amendment.objects.filter(agreement=agreement).order_by("-number").first()
        problems: dict[str, list[str]] = {}
        if agreement.effective_date and effective_date < agreement.effective_date:
            problems["effective_date"] = ["An amendment cannot take effect before the agreement."]
        if previous is not None and effective_date < previous.effective_date:
            problems["effective_date"] = [
                f"Amendment {previous.number} takes effect {day_text(previous.effective_date)}; "
                "a later amendment cannot take effect before it."
            ]
        if new_expiry_date is not None and new_expiry_date < effective_date:
            problems["new_expiry_date"] = [
                "The new last day must be on or after the effective date."
            ]
        changes_something = any(
            [
                new_expiry_date,
                new_personnel_cap is not None,
                add_activities,
                remove_activities,
                add_data_categories,
                remove_data_categories,
                add_purposes,
                remove_purposes,
            ]
        )
        if not changes_something:
            problems["__all__"] = ["The amendment changes nothing."]
        if problems:
            raise ServiceError(
                "The amendment cannot be recorded.",
                code=AgreementErrorCode.AMENDMENT_INVALID,
                fields=problems,
            )
        amendment = Amendment(
            agreement=agreement,
            number=(previous.number + 1) if previous else 1,
            title=title,
            summary=summary,
            section=section,
            effective_date=effective_date,
            new_expiry_date=new_expiry_date,
            new_personnel_cap=new_personnel_cap,
            created_by=actor,
        )
        _clean(amendment)
        save(amendment)
        for item_field, added, removed in (
            ("activity", add_activities, remove_activities),
            ("data_category", add_data_categories, remove_data_categories),
            ("purpose", add_purposes, remove_purposes),
        ):
            _amend_grants(amendment, item_field, added, removed)
        update = ["updated_at"]
        if new_expiry_date is not None:
            agreement.expires_on = new_expiry_date
            update.append("expires_on")
        if new_personnel_cap is not None:
            agreement.personnel_cap = new_personnel_cap
            update.append("personnel_cap")
        agreement.save(update_fields=update)
        ledger_append(
            actor=actor,
            action="amendment.create",
            obj=amendment,
            change={
                "agreement": agreement.pk,
                "number": amendment.number,
                "effective_date": effective_date,
                "new_expiry_date": new_expiry_date,
                "new_personnel_cap": new_personnel_cap,
                "add": sorted(
                    i.code for i in [*add_activities, *add_data_categories, *add_purposes]
                ),
                "remove": sorted(
                    i.code for i in [*remove_activities, *remove_data_categories, *remove_purposes]
                ),
            },
        )
        return amendment


_FORM_FIELD = {"activity": "activities", "data_category": "data_categories", "purpose": "purposes"}


def _amend_grants(
    amendment: Amendment,
    item_field: str,
    added: Sequence[Activity | DataCategory | Purpose],
    removed: Sequence[Activity | DataCategory | Purpose],
) -> None:
    agreement = amendment.agreement
    open_grants = {
        getattr(g, f"{item_field}_id"): g
        for g in Grant.objects.filter(agreement=agreement, valid_until__isnull=True).exclude(
            **{f"{item_field}__isnull": True}
        )
    }
    for item in removed:
        grant = open_grants.get(item.pk)
        if grant is None:
            raise ServiceError(
                "The amendment removes something not granted.",
                code=AgreementErrorCode.NOT_GRANTED,
                fields={f"remove_{_FORM_FIELD[item_field]}": [f"{item} is not currently granted."]},
            )
        grant.valid_until = amendment.effective_date
        grant.revoked_by = amendment
        grant.save(update_fields=["valid_until", "revoked_by"])
    removed_ids = {i.pk for i in removed}
    for item in added:
        if item.pk in open_grants and item.pk not in removed_ids:
            raise ServiceError(
                "The amendment adds something already granted.",
                code=AgreementErrorCode.ALREADY_GRANTED,
                fields={f"add_{_FORM_FIELD[item_field]}": [f"{item} is already granted."]},
            )
        Grant.objects.create(
            agreement=agreement,
            clause=amendment.clause,
            valid_from=amendment.effective_date,
            granted_by=amendment,
            **{item_field: item},
        )
