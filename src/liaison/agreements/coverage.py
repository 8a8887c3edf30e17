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

A covered answer is one query, with the clauses, and stops at the first covering
agreements found; a "not covered" answer takes one or two more to explain.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection

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
from liaison.core.dates import day_text

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


@dataclass(frozen=True)
class Terms:
    """What an agreement's text says on one date, amendments effective by then applied."""

    on: date
    last_day: date | None  # empty: open-ended
    personnel_cap: int | None  # empty: no cap


def terms_on(agreement: Agreement, on: date, amendments: Iterable[Amendment]) -> Terms:
    """The agreement's last day in force and personnel cap on ``on``: the original values,
    replaced by each amendment (in order) whose effective date is on or before ``on`` —
    the rule :func:`coverage` applies in SQL for the last day."""
    last_day, cap = agreement.expiry_date, agreement.signed_personnel_cap
    for amendment in sorted(amendments, key=lambda m: m.number):
        if amendment.effective_date > on:
            continue
        if amendment.new_expiry_date is not None:
            last_day = amendment.new_expiry_date
        if amendment.new_personnel_cap is not None:
            cap = amendment.new_personnel_cap
    return Terms(on=on, last_day=last_day, personnel_cap=cap)


def scheduled_amendments(amendments: Iterable[Amendment], after: date) -> list[Amendment]:
    """Recorded amendments that take effect after ``after``, in the order they apply."""
    return sorted((m for m in amendments if m.effective_date > after), key=lambda m: m.number)


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


def _tables() -> dict[str, str]:
    return {
        "agreement": Agreement._meta.db_table,
        "party": AgreementParty._meta.db_table,
        "status": AgreementStatusChange._meta.db_table,
        "amendment": Amendment._meta.db_table,
        "grant": Grant._meta.db_table,
    }


# The question is answered in SQL written out once rather than built with the ORM per
# call: building and compiling the equivalent querysets cost ten times the query itself.
# Standard SQL, the same on SQLite and PostgreSQL.
_GRANTED_ON = (
    "FROM {grant} g LEFT JOIN {amendment} ga ON ga.id = g.granted_by_id "
    "WHERE g.agreement_id = {ref} AND g.{column} = %s "
    "AND (g.valid_from IS NULL OR g.valid_from <= %s) "
    "AND (g.valid_until IS NULL OR g.valid_until > %s)"
)
_STATUS_ON = (
    "(SELECT s.to_status FROM {status} s WHERE s.agreement_id = a.id AND s.effective_on <= %s "
    "ORDER BY s.id DESC LIMIT 1)"
)
_EXPIRY_ON = (
    "(SELECT m.new_expiry_date FROM {amendment} m WHERE m.agreement_id = a.id "
    "AND m.effective_date <= %s AND m.new_expiry_date IS NOT NULL ORDER BY m.number DESC LIMIT 1)"
)
_WITH_AGENCY = "AND {column} IN (SELECT q.agreement_id FROM {party} q WHERE q.agency_id = %s)"
_PARTY_AND_GRANTS = (
    "FROM {agreement} a WHERE a.id IN (SELECT p.agreement_id FROM {party} p WHERE p.agency_id = %s) "
    "{with_agency} {granted}"
)
# Stops at the first ``limit`` covering agreements: no ordering over all candidates, so
# an agency that is party to thousands of agreements is answered about as fast as one
# with ten. (The few found are sorted afterwards.)
_COVERING = (
    "SELECT t.id, t.title, t.kind, t.effective_date {clause_columns} FROM ("
    "SELECT a.id, a.title, a.kind, a.effective_date {party_and_grants} "
    "AND a.effective_date <= %s AND {status_on} = 'active' "
    "AND COALESCE({expiry_on}, a.expiry_date, %s) >= %s LIMIT %s) t"
)
_CONSIDERED = (
    "SELECT a.id, a.title, a.kind, a.effective_date, {status_on} AS status_on, "
    "COALESCE({expiry_on}, a.expiry_date) AS expiry_on {party_and_grants} LIMIT %s"
)
_EVER_GRANTED = (
    "AND EXISTS(SELECT 1 FROM {grant} g WHERE g.agreement_id = p.agreement_id AND g.{column} = %s)"
)
_PARTY_COUNTS = (
    "SELECT (SELECT COUNT(*) FROM {party} WHERE agency_id = %s), "
    "(SELECT COUNT(*) FROM {party} WHERE agency_id = %s)"
)
_DIAGNOSIS = """
SELECT
  EXISTS(SELECT 1 FROM {party} p WHERE p.agency_id = %s {with_agency}),
  EXISTS(SELECT 1 FROM {party} p WHERE p.agency_id = %s {with_agency} {ever})
"""


def _party_and_grants(
    agency_id: int, with_id: int | None, items: list[tuple[str, Any]], on: date
) -> tuple[str, list[Any]]:
    """FROM/WHERE of the agreements of the agency (and ``with_id``) granting every item on ``on``."""
    t = _tables()
    params: list[Any] = [agency_id]
    with_agency = ""
    if with_id is not None:
        with_agency = _WITH_AGENCY.format(column="a.id", **t)
        params = _fewer_agreements_first(agency_id, with_id)
    granted = []
    for name, item in items:
        granted_on = _GRANTED_ON.format(column=f"{name}_id", ref="a.id", **t)
        # A scalar subquery, not EXISTS: PostgreSQL would turn EXISTS into a hashed
        # semi-join over every grant of the item; this probes the index per agreement and
        # lets the LIMIT stop early.
        granted.append(f"AND (SELECT 1 {granted_on} LIMIT 1) IS NOT NULL")
        params += [item.pk, on, on]
    sql = _PARTY_AND_GRANTS.format(with_agency=with_agency, granted=" ".join(granted), **t)
    return sql, params


def _fewer_agreements_first(agency_id: int, with_id: int) -> list[Any]:
    """The two agencies, the one party to fewer agreements first: the query walks the
    first one's agreements, and a federal agency may be party to thousands."""
    _, rows = _run(_PARTY_COUNTS.format(**_tables()), [agency_id, with_id])
    first, second = rows[0]
    return [agency_id, with_id] if first <= second else [with_id, agency_id]


def _run(sql: str, params: list[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Execute one of this module's statements; return column names and rows.

    On PostgreSQL the statement is prepared on the server (its text is fixed for a given
    set of items asked), so it is planned once per connection rather than per question.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [c[0] for c in cursor.description], cursor.fetchall()
    import psycopg

    connection.ensure_connection()
    started = time.monotonic()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        result = [c.name for c in cursor.description or []], cursor.fetchall()
    if connection.queries_logged:
        # Count it like any other query (query-count tests, debug toolbar).
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    return result


def _fetch(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    columns, raw = _run(sql, params)
    rows = [dict(zip(columns, row, strict=True)) for row in raw]
    for row in rows:
        # SQLite hands back dates computed by COALESCE as text.
        for key in ("effective_date", "expiry_on"):
            if isinstance(row.get(key), str):
                row[key] = date.fromisoformat(row[key])
    return rows


def _covering(
    agency_id: int, with_id: int | None, items: list[tuple[str, Any]], on: date, limit: int
) -> list[dict[str, Any]]:
    """Up to ``limit`` agreements covering the agency for every item on ``on``, with the clause
    (and amendment number) of each grant, latest effective first."""
    t = _tables()
    from_where, where_params = _party_and_grants(agency_id, with_id, items, on)
    columns, column_params = [], []
    for i, (name, item) in enumerate(items):
        granted_on = _GRANTED_ON.format(column=f"{name}_id", ref="t.id", **t)
        columns.append(f", (SELECT g.clause {granted_on} LIMIT 1) AS clause_{i}")
        columns.append(f", (SELECT ga.number {granted_on} LIMIT 1) AS number_{i}")
        column_params += [item.pk, on, on, item.pk, on, on]
    sql = _COVERING.format(
        clause_columns="".join(columns),
        party_and_grants=from_where,
        status_on=_STATUS_ON.format(**t),
        expiry_on=_EXPIRY_ON.format(**t),
    )
    rows = _fetch(sql, [*column_params, *where_params, on, on, on, on, on, limit])
    return sorted(rows, key=lambda r: (r["effective_date"], r["id"]), reverse=True)


def _considered(
    agency_id: int, with_id: int | None, items: list[tuple[str, Any]], on: date, limit: int
) -> list[dict[str, Any]]:
    """Up to ``limit`` agreements granting every item on ``on`` (none of them covering), with
    their status and last day as of ``on``."""
    t = _tables()
    from_where, where_params = _party_and_grants(agency_id, with_id, items, on)
    sql = _CONSIDERED.format(
        party_and_grants=from_where,
        status_on=_STATUS_ON.format(**t),
        expiry_on=_EXPIRY_ON.format(**t),
    )
    return _fetch(sql, [on, on, *where_params, limit])


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
    purpose, for a disclosure). Returns up to ``limit`` agreements considered.
    """
    agency_id = int(getattr(agency, "pk", agency))
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
    covering = _covering(agency_id, with_id, items, on, limit)
    if covering:
        clauses = tuple(
            Clause(
                agreement_id=row["id"],
                item_kind=name,
                item_code=item.code,
                clause=row[f"clause_{i}"],
                amendment_number=row[f"number_{i}"],
            )
            for row in covering
            for i, (name, item) in enumerate(items)
        )
        return CoverageResult(
            covered=True,
            on=on,
            agreements=tuple(
                AgreementAnswer(
                    agreement_id=row["id"], title=row["title"], kind=row["kind"], covers=True
                )
                for row in covering
            ),
            clauses=clauses,
            asked=asked,
        )
    rows = _considered(agency_id, with_id, items, on, limit)
    return _explain(
        agency_id=agency_id, with_id=with_id, rows=rows, items=items, on=on, asked=asked
    )


def _why_not(row: dict[str, Any], on: date) -> tuple[str, str]:
    """Why one agreement that grants the items on ``on`` does not cover on that date."""
    status = row["status_on"]
    if row["effective_date"] is None or row["effective_date"] > on or status is None:
        when = f" (from {day_text(row['effective_date'])})" if row["effective_date"] else ""
        return Reason.NOT_YET_EFFECTIVE, f"The agreement was not yet in effect on that date{when}."
    if status == S.SUSPENDED:
        return Reason.SUSPENDED, "The agreement was suspended on that date."
    if status == S.TERMINATED:
        return Reason.TERMINATED, "The agreement had been terminated by that date."
    if status == S.EXPIRED or (row["expiry_on"] is not None and row["expiry_on"] < on):
        return Reason.EXPIRED, f"The agreement expired after {day_text(row['expiry_on'])}."
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
    agency_id: int,
    with_id: int | None,
    rows: list[dict[str, Any]],
    items: list[tuple[str, Any]],
    on: date,
    asked: dict[str, str],
) -> CoverageResult:
    what = " and ".join(f"{item.name.lower()}" for _, item in items)
    if rows:
        answers = []
        for row in rows:
            code, text = _why_not(row, on)
            answers.append(
                AgreementAnswer(
                    agreement_id=row["id"],
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
    t = _tables()
    with_agency = ""
    if with_id is not None:
        with_agency = _WITH_AGENCY.format(column="p.agreement_id", **t)
    ever = " ".join(_EVER_GRANTED.format(column=f"{name}_id", **t) for name, _ in items)
    params = [agency_id, *([with_id] if with_id is not None else [])]
    params += [
        agency_id,
        *([with_id] if with_id is not None else []),
        *(item.pk for _, item in items),
    ]
    _, found = _run(_DIAGNOSIS.format(with_agency=with_agency, ever=ever, **t), params)
    is_party, ever_granted = found[0]
    if not is_party:
        return CoverageResult(
            covered=False,
            on=on,
            reason_code=Reason.NOT_A_PARTY,
            reason="Not covered: the agency is not a party to any agreement"
            + (" with that agency." if with_id is not None else "."),
            asked=asked,
        )
    if ever_granted:
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
