"""Is an agency covered by an agreement to do something, or share some data, on a date?

:func:`coverage` answers with the covering agreements and the clauses that grant
what was asked, or "not covered" with the reason. The answer for a past date is
that date's answer: status changes, amendments and grants all carry dates.

An agreement covers agency *A* for item(s) *X* on day *D* when
* *A* is a party;
* the agreement's effective date is on or before *D*;
* its status on *D* is ``active`` — the status set by the most recently recorded
  change whose effective date is on or before *D*;
* its last day in force on *D* (the original expiry date, or the one set by the
  latest amendment effective by *D*) is not before *D*;
* every item asked (activity, data category, purpose) is granted on *D*: a grant
  row whose period contains *D* (amendments open and close those periods).

The covered path is two queries whatever the number of agreements; explaining a
"not covered" answer takes at most three more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from liaison.agreements.models import (
    Activity,
    Agreement,
    AgreementParty,
    AgreementStatusChange,
    Amendment,
    DataCategory,
    Grant,
    Purpose,
)

S = Agreement.Status


class Reason:
    """Stable codes for why something is not covered."""

    NOT_A_PARTY = "not_a_party"
    NOT_AUTHORIZED = "not_authorized"
    NOT_AUTHORIZED_ON_DATE = "not_authorized_on_date"
    NOT_YET_EFFECTIVE = "not_yet_effective"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    NOT_SIGNED = "not_signed"
    NOTHING_ASKED = "nothing_asked"


@dataclass(frozen=True)
class Clause:
    """The section of an agreement or amendment that grants one item."""

    agreement_id: int
    item_kind: str  # "activity", "data_category" or "purpose"
    item_code: str
    clause: str
    amendment_number: int | None


@dataclass(frozen=True)
class AgreementAnswer:
    """One agreement considered, and why it does or does not cover."""

    agreement_id: int
    title: str
    kind: str
    covers: bool
    reason_code: str = ""
    reason: str = ""


@dataclass(frozen=True)
class CoverageResult:
    covered: bool
    on: date
    agreements: tuple[AgreementAnswer, ...] = ()
    clauses: tuple[Clause, ...] = ()
    reason_code: str = ""
    reason: str = ""
    asked: dict[str, str] = field(default_factory=dict)

    @property
    def agreement_ids(self) -> list[int]:
        return [a.agreement_id for a in self.agreements if a.covers]


def _grant_valid_on(on: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gt=on)
    )


def _items(
    activity: Activity | None, data_category: DataCategory | None, purpose: Purpose | None
) -> list[tuple[str, Any]]:
    return [
        (name, item)
        for name, item in (
            ("activity", activity),
            ("data_category", data_category),
            ("purpose", purpose),
        )
        if item is not None
    ]


def _annotated(qs: QuerySet[Agreement], on: date) -> Any:
    # Any: the stubs cannot type the annotated fields used by the callers' filters.
    status_on = Subquery(
        AgreementStatusChange.objects.filter(agreement=OuterRef("pk"), effective_on__lte=on)
        .order_by("-id")
        .values("to_status")[:1]
    )
    expiry_on = Coalesce(
        Subquery(
            Amendment.objects.filter(
                agreement=OuterRef("pk"), effective_date__lte=on, new_expiry_date__isnull=False
            )
            .order_by("-number")
            .values("new_expiry_date")[:1]
        ),
        F("expiry_date"),
    )
    return qs.annotate(status_on=status_on, expiry_on=expiry_on)


def coverage(
    *,
    agency: Any,
    on: date,
    activity: Activity | None = None,
    data_category: DataCategory | None = None,
    purpose: Purpose | None = None,
    with_agency: Any = None,
    limit: int = 20,
) -> CoverageResult:
    """Whether ``agency`` is covered on ``on`` for everything asked, by one agreement.

    ``agency``/``with_agency`` are agencies or their ids; ``with_agency`` narrows to
    agreements both are party to. Ask for one or more of activity, data category and
    purpose: a single agreement must grant all of them (a data category *and* a
    purpose, for a disclosure). Returns up to ``limit`` covering agreements.
    """
    agency_id = getattr(agency, "pk", agency)
    with_id = getattr(with_agency, "pk", with_agency)
    items = _items(activity, data_category, purpose)
    asked = {name: item.code for name, item in items}
    if not items:
        return CoverageResult(
            covered=False,
            on=on,
            reason_code=Reason.NOTHING_ASKED,
            reason="Ask about an activity, a data category or a purpose.",
            asked=asked,
        )
    parties = Agreement.objects.filter(
        pk__in=AgreementParty.objects.filter(agency_id=agency_id).values("agreement_id")
    )
    if with_id is not None:
        parties = parties.filter(
            pk__in=AgreementParty.objects.filter(agency_id=with_id).values("agreement_id")
        )
    granted = parties
    for name, item in items:
        granted = granted.filter(
            Exists(
                Grant.objects.filter(_grant_valid_on(on), agreement=OuterRef("pk"), **{name: item})
            )
        )
    covering = list(
        _annotated(granted.filter(effective_date__lte=on), on)
        .filter(status_on=S.ACTIVE)
        .filter(Q(expiry_on__isnull=True) | Q(expiry_on__gte=on))
        .order_by("-effective_date", "-id")
        .values("pk", "title", "kind")[:limit]
    )
    if covering:
        ids = [row["pk"] for row in covering]
        return CoverageResult(
            covered=True,
            on=on,
            agreements=tuple(
                AgreementAnswer(
                    agreement_id=row["pk"], title=row["title"], kind=row["kind"], covers=True
                )
                for row in covering
            ),
            clauses=_clauses(ids, items, on),
            asked=asked,
        )
    return _explain(parties=parties, granted=granted, items=items, on=on, asked=asked, limit=limit)


def _clauses(ids: Sequence[int], items: list[tuple[str, Any]], on: date) -> tuple[Clause, ...]:
    item_q = Q()
    for name, item in items:
        item_q |= Q(**{name: item})
    rows = (
        Grant.objects.filter(_grant_valid_on(on), item_q, agreement_id__in=ids)
        .order_by("agreement_id", "id")
        .values_list(
            "agreement_id",
            "activity_id",
            "data_category_id",
            "clause",
            "granted_by__number",
        )
    )
    codes = {name: item.code for name, item in items}
    clauses = []
    for agreement_id, activity_id, data_category_id, clause, number in rows:
        kind = "activity" if activity_id else "data_category" if data_category_id else "purpose"
        clauses.append(
            Clause(
                agreement_id=agreement_id,
                item_kind=kind,
                item_code=codes[kind],
                clause=clause,
                amendment_number=number,
            )
        )
    return tuple(clauses)


def _why_not(row: dict[str, Any], on: date) -> tuple[str, str]:
    """Why one agreement that grants the items on ``on`` does not cover on that date."""
    status = row["status_on"]
    if row["effective_date"] is None or row["effective_date"] > on or status is None:
        when = f" (from {row['effective_date']:%b %d, %Y})" if row["effective_date"] else ""
        return Reason.NOT_YET_EFFECTIVE, f"The agreement was not yet in effect on that date{when}."
    if status == S.SUSPENDED:
        return Reason.SUSPENDED, "The agreement was suspended on that date."
    if status == S.TERMINATED:
        return Reason.TERMINATED, "The agreement had been terminated by that date."
    if status == S.EXPIRED or (row["expiry_on"] is not None and row["expiry_on"] < on):
        return Reason.EXPIRED, f"The agreement expired after {row['expiry_on']:%b %d, %Y}."
    if status in (S.DRAFT, S.LEGAL_REVIEW, S.SIGNED):
        label = S(status).label.lower()
        return Reason.NOT_SIGNED, f"The agreement was not in force on that date ({label})."
    return Reason.NOT_YET_EFFECTIVE, "The agreement was not in force on that date."


# When several agreements fail for different reasons, the answer names the most useful.
_REASON_ORDER = [
    Reason.SUSPENDED,
    Reason.EXPIRED,
    Reason.TERMINATED,
    Reason.NOT_YET_EFFECTIVE,
    Reason.NOT_SIGNED,
]


def _explain(
    *,
    parties: QuerySet[Agreement],
    granted: QuerySet[Agreement],
    items: list[tuple[str, Any]],
    on: date,
    asked: dict[str, str],
    limit: int,
) -> CoverageResult:
    what = " and ".join(f"{item.name.lower()}" for _, item in items)
    rows = list(
        _annotated(granted, on)
        .order_by("-effective_date", "-id")
        .values("pk", "title", "kind", "effective_date", "status_on", "expiry_on")[:limit]
    )
    if rows:
        answers = []
        for row in rows:
            code, text = _why_not(row, on)
            answers.append(
                AgreementAnswer(
                    agreement_id=row["pk"],
                    title=row["title"],
                    kind=row["kind"],
                    covers=False,
                    reason_code=code,
                    reason=text,
                )
            )
        best = min(answers, key=lambda a: _REASON_ORDER.index(a.reason_code))
        return CoverageResult(
            covered=False,
            on=on,
            agreements=tuple(answers),
            reason_code=best.reason_code,
            reason=f"Not covered: {best.reason[0].lower()}{best.reason[1:]}",
            asked=asked,
        )
    if not parties.exists():
        return CoverageResult(
            covered=False,
            on=on,
            reason_code=Reason.NOT_A_PARTY,
            reason="Not covered: the agency is not a party to any agreement"
            + (" with that agency." if "with" in asked else "."),
            asked=asked,
        )
    ever = parties
    for name, item in items:
        ever = ever.filter(Exists(Grant.objects.filter(agreement=OuterRef("pk"), **{name: item})))
    if ever.exists():
        return CoverageResult(
            covered=False,
            on=on,
            reason_code=Reason.NOT_AUTHORIZED_ON_DATE,
            reason=f"Not covered: {what} was not authorized on that date "
            "(an amendment added it later or removed it earlier).",
            asked=asked,
        )
    return CoverageResult(
        covered=False,
        on=on,
        reason_code=Reason.NOT_AUTHORIZED,
        reason=f"Not covered: no agreement the agency is party to authorizes {what}.",
        asked=asked,
    )
