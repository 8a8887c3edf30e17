"""The agreements module's own codes and the request format's codes, in one table.

The agreements module names things its own way (``287g_jail``, ``booking_data``,
``release_date``, ``immigration_status``, ...) and the ``liaison.sharing.request/1`` format
has its own, fixed, vocabulary. Neither is renamed: :data:`PAIRS` maps one to the other
(``docs/sharing/codes.md`` is the same table for readers), and both directions are read
from it, so they cannot drift apart. A code with no counterpart maps to nothing: the
agreements module's ``personnel_data`` is not a request category, and no agreement code
corresponds to the format's ``driver_license``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# (what, agreements code, format code)
PAIRS: tuple[tuple[str, str, str], ...] = (
    ("type", "287g_jail", "287g_jail_enforcement"),
    ("type", "287g_task_force", "287g_task_force"),
    ("type", "287g_warrant_service", "287g_warrant_service_officer"),
    ("type", "task_force_mou", "federal_task_force_mou"),
    ("type", "information_sharing", "information_sharing"),
    ("type", "mutual_aid", "mutual_aid"),
    ("type", "other", "other"),
    ("status", "draft", "draft"),
    ("status", "legal_review", "legal_review"),
    ("status", "signed", "signed"),
    ("status", "active", "active"),
    ("status", "suspended", "suspended"),
    ("status", "expired", "expired"),
    ("status", "terminated", "terminated"),
    ("activity", "joint_investigation", "joint_investigation"),
    ("activity", "surveillance_support", "surveillance_support"),
    ("activity", "warrant_service", "warrant_service"),
    ("activity", "jail_screening", "jail_screening"),
    ("activity", "detainer_processing", "jail_screening"),
    ("activity", "civil_immigration_arrest", "civil_immigration_arrest"),
    ("activity", "information_sharing", "information_sharing"),
    ("activity", "training", "training"),
    ("activity", "equipment_loan", "equipment_loan"),
    ("category", "criminal_history", "criminal_history"),
    ("category", "arrest_data", "arrest"),
    ("category", "booking_data", "booking"),
    ("category", "release_date", "release_date_custody_status"),
    ("category", "immigration_status", "citizenship_immigration_status"),
    ("category", "dvs_immigration_status_data", "citizenship_immigration_status"),
    ("category", "investigative_data", "active_investigative"),
    ("category", "investigative_data", "inactive_investigative"),
    ("category", "intelligence", "criminal_intelligence"),
    ("category", "location_data", "address"),
    ("category", "incident_data", "incident_response"),
    ("category", "incident_data", "request_for_service"),
    ("category", "biometric_data", "photo"),
    ("purpose", "criminal_investigation", "criminal_investigation"),
    ("purpose", "criminal_immigration_enforcement", "criminal_investigation"),
    ("purpose", "narcotics", "criminal_investigation"),
    ("purpose", "human_trafficking", "criminal_investigation"),
    ("purpose", "counterterrorism", "criminal_investigation"),
    ("purpose", "officer_safety", "officer_safety"),
    ("purpose", "civil_immigration_enforcement", "civil_immigration_enforcement"),
    ("purpose", "emergency_response", "public_safety_emergency"),
)

# Agreements codes that have no counterpart in the format, with why.
AGREEMENTS_ONLY: dict[tuple[str, str], str] = {
    ("activity", "administrative_warrant_service"): "serving I-200/I-205; no format activity",
    ("activity", "deconfliction"): "deconfliction is not a sharing activity",
    ("activity", "transport"): "prisoner transport is not a sharing activity",
    ("activity", "mutual_aid_response"): "mutual aid response is not a sharing activity",
    ("activity", "task_force_operations"): "a purpose in the format, not an activity",
    ("category", "personnel_data"): "the parties' own personnel, never a request category",
    ("purpose", "deconfliction"): "no format purpose",
    ("purpose", "audit_and_oversight"): "no format purpose",
    ("purpose", "training"): "no format purpose",
}
WHATS = ("type", "status", "activity", "category", "purpose")


def to_format(what: str, code: str) -> frozenset[str]:
    """The format codes for the agreements module's ``code`` (empty when none)."""
    return frozenset(f for w, a, f in PAIRS if w == what and a == code)


def from_format(what: str, code: str) -> frozenset[str]:
    """The agreements module's codes for the format's ``code`` (empty when none)."""
    return frozenset(a for w, a, f in PAIRS if w == what and f == code)


def _many(what: str, codes: Iterable[str]) -> list[str]:
    return sorted({f for code in codes for f in to_format(what, code)})


def agreement_fact(
    *,
    kind: str,
    status: str,
    activities: Iterable[str],
    categories: Iterable[str],
    purposes: Iterable[str],
) -> dict[str, Any]:
    """One entry of a request's ``agreements``, from the agreements module's codes (as its
    coverage query reports an agreement); codes without a counterpart are left out."""
    types = sorted(to_format("type", kind))
    statuses = sorted(to_format("status", status))
    return {
        "type": types[0] if types else "other",
        "status": statuses[0] if statuses else "draft",
        "activities": _many("activity", activities),
        "categories": _many("category", categories),
        "purposes": _many("purpose", purposes),
    }


def table() -> list[Mapping[str, str]]:
    """The table for the docs: every pair, then every code without a counterpart."""
    rows: list[Mapping[str, str]] = [
        {"what": w, "agreements": a, "format": f, "note": ""} for w, a, f in PAIRS
    ]
    rows += [
        {"what": w, "agreements": a, "format": "", "note": note}
        for (w, a), note in AGREEMENTS_ONLY.items()
    ]
    return rows
