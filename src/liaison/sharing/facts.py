"""The facts of a ``liaison.sharing.request/1`` request, built from the database.

A requester says only what they want (custodian, purpose, instrument, urgency, items);
everything else the rule packs read comes from our own records, never from the
requester:

* ``jurisdiction`` — the custodian agency's jurisdiction: its state, and the county and
  city it sits in (a city's county is its parent);
* ``requester`` — the requesting agency's name, level and component (ICE ERO, HSI, CBP,
  FBI, … told from its abbreviation or its parent's), and ``attributes`` from the
  ``liaison.core.attributes`` registry for the requesting user (e.g.
  ``28CFRCertificationIndicator`` from their current 28 CFR Part 23 training);
* ``agreements`` — the agreements between the custodian and the requesting agency that
  grant the request's purpose on the filing day, as the agreements coverage query
  reports them, mapped to the format's codes through ``liaison.policy.codes``. When no
  agreement covers, the ones that would (expired, suspended, not yet signed) are
  included with that status, so the decision can say why they do not count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from liaison.agreements.coverage import Reason, coverage
from liaison.agreements.models import Agreement, Grant, Purpose
from liaison.core.attributes import attributes_for
from liaison.directory.models import Agency, Jurisdiction
from liaison.policy import codes
from liaison.policy import vocabulary as v
from liaison.policy.request import MAX_AGREEMENTS

# The format's federal components, told from an agency's (or its parent's) abbreviation.
COMPONENT_PREFIXES: tuple[tuple[str, str], ...] = (
    ("ERO", "ice_ero"),
    ("HSI", "ice_hsi"),
    ("CBP", "cbp"),
    ("FBI", "fbi"),
    ("DEA", "dea"),
    ("ATF", "atf"),
    ("USMS", "usms"),
)

# The status an agreement that does not cover stands in, by the coverage query's reason.
_STATUS_OF_REASON = {
    Reason.EXPIRED: "expired",
    Reason.SUSPENDED: "suspended",
    Reason.TERMINATED: "terminated",
    Reason.NOT_YET_EFFECTIVE: "signed",
}


def component_of(agency: Agency) -> str:
    """The format's ``requester.component`` of ``agency``."""
    if agency.level != Agency.Level.FEDERAL:
        return "state" if agency.level == Agency.Level.STATE else "local"
    names = [agency.abbreviation, agency.name]
    parent = agency.parent
    while parent is not None:
        names += [parent.abbreviation, parent.name]
        parent = parent.parent
    for name in names:
        tokens = name.upper().replace("—", " ").replace("-", " ").split()
        for prefix, component in COMPONENT_PREFIXES:
            if prefix in tokens:
                return component
    joined = " ".join(names).lower()
    if "enforcement and removal" in joined:
        return "ice_ero"
    if "homeland security investigations" in joined:
        return "ice_hsi"
    return "other_federal"


def jurisdiction_of(agency: Agency) -> tuple[dict[str, Any], Jurisdiction]:
    """The format's ``jurisdiction`` of a custodian agency, and its jurisdiction record."""
    place = agency.jurisdiction
    county = city = None
    if place.kind == Jurisdiction.Kind.CITY:
        city = place.name
        if place.parent is not None and place.parent.kind == Jurisdiction.Kind.COUNTY:
            county = place.parent.name
    elif place.kind == Jurisdiction.Kind.COUNTY:
        county = place.name
    return {"state": place.state, "county": _county_name(county), "city": city}, place


def _county_name(name: str | None) -> str | None:
    """``Nobles`` for ``Nobles County``: the packs name counties without the word."""
    if name is None:
        return None
    return name[: -len(" County")] if name.endswith(" County") else name


def requester_of(agency: Agency, user: Any) -> dict[str, Any]:
    """The format's ``requester``: the agency's name, level, component, and the attributes
    the registry knows of the requesting user (none when no user is named)."""
    attributes = dict(attributes_for(user)) if user is not None else {}
    return {
        "agency": agency.name,
        "level": agency.level,
        "component": component_of(agency),
        "attributes": {k: val for k, val in attributes.items() if _json_scalar(val)},
    }


def _json_scalar(value: object) -> bool:
    return value is None or isinstance(value, bool | str | int | float)


def agreements_between(
    *, custodian: Agency, requester: Agency, purpose: str, on: date
) -> list[dict[str, Any]]:
    """The format's ``agreements``: the custodian's and requester's agreements granting
    ``purpose`` on ``on`` (covering ones, else the ones that would cover but are not in
    force, with their status)."""
    purposes = list(Purpose.objects.filter(code__in=codes.from_format("purpose", purpose)))
    status_of: dict[int, str] = {}
    for item in purposes:
        answer = coverage(
            agency=custodian, with_agency=requester, purpose=item, on=on, limit=MAX_AGREEMENTS
        )
        for found in answer.agreements:
            if found.covers:
                status_of[found.agreement_id] = "active"
            elif found.agreement_id not in status_of:
                status_of[found.agreement_id] = _STATUS_OF_REASON.get(found.reason_code, "")
    if not status_of:
        return []
    return _facts_of(status_of, on=on)


def _facts_of(status_of: Mapping[int, str], *, on: date) -> list[dict[str, Any]]:
    agreements = {a.pk: a for a in Agreement.objects.filter(pk__in=list(status_of))}
    grants: dict[int, dict[str, list[str]]] = {
        pk: {"activity": [], "data_category": [], "purpose": []} for pk in agreements
    }
    rows = Grant.objects.filter(agreement_id__in=list(agreements)).values_list(
        "agreement_id",
        "activity__code",
        "data_category__code",
        "purpose__code",
        "valid_from",
        "valid_until",
    )
    for agreement_id, activity, category, purpose, valid_from, valid_until in rows:
        if (valid_from is not None and valid_from > on) or (
            valid_until is not None and valid_until <= on
        ):
            continue
        for name, code in (
            ("activity", activity),
            ("data_category", category),
            ("purpose", purpose),
        ):
            if code:
                grants[agreement_id][name].append(code)
    out = []
    for pk in sorted(agreements, key=lambda k: (status_of[k] != "active", k)):
        agreement = agreements[pk]
        out.append(
            codes.agreement_fact(
                kind=agreement.kind,
                status=status_of[pk] or agreement.status,
                activities=grants[pk]["activity"],
                categories=grants[pk]["data_category"],
                purposes=grants[pk]["purpose"],
            )
        )
    return out


def request_facts(
    *,
    custodian: Agency,
    requester: Agency,
    user: Any,
    purpose: str,
    instrument: str,
    urgent: bool,
    items: Sequence[Mapping[str, Any]],
    on: date,
) -> dict[str, Any]:
    """The whole ``liaison.sharing.request/1`` request, before validation."""
    jurisdiction, _ = jurisdiction_of(custodian)
    return {
        "format": v.REQUEST_FORMAT,
        "jurisdiction": jurisdiction,
        "requester": requester_of(requester, user),
        "purpose": purpose,
        "instrument": instrument,
        "urgent": urgent,
        "agreements": agreements_between(
            custodian=custodian, requester=requester, purpose=purpose, on=on
        )
        if purpose in v.PURPOSES
        else [],
        "items": [dict(item) for item in items],
    }


def true_flags(item: Mapping[str, Any]) -> list[str]:
    """The flags set on a (validated) data item, in the format's order."""
    return [flag for flag in v.FLAGS if item.get(flag)]


def plain_codes(values: Iterable[str]) -> str:
    return ", ".join(value.replace("_", " ") for value in values)
