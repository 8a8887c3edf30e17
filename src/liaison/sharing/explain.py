"""The stored decision in plain words, for the request page: what was decided on each item,
why (each policy's citation and explanation), and what would change the answer
("Would be permitted with: a judicial warrant")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from liaison.policy import vocabulary as v

INSTRUMENT_WORDS = {
    "judicial_warrant": "a judicial warrant",
    "court_order": "a court order",
    "grand_jury_subpoena": "a grand-jury subpoena",
    "administrative_subpoena": "an administrative subpoena",
    "administrative_warrant": "an administrative warrant (I-200/I-205) alone",
    "detainer": "a detainer (I-247A) alone",
    "detainer_with_administrative_warrant": "a detainer with an administrative warrant",
    "agreement_clause": "a clause of an agreement",
    "written_consent": "the subject's written consent",
    "none": "no legal instrument",
}
AGREEMENT_WORDS = {
    "287g_jail_enforcement": "a 287(g) jail enforcement agreement",
    "287g_task_force": "a 287(g) task force agreement",
    "287g_warrant_service_officer": "a 287(g) warrant service officer agreement",
    "federal_task_force_mou": "a federal task force MOU",
    "information_sharing": "an information-sharing agreement",
    "mutual_aid": "a mutual aid agreement",
    "other": "another agreement",
}
DECISION_WORDS = {"permit": "Permitted", "deny": "Denied", "needs_review": "Needs review"}
OBLIGATION_WORDS = {
    "record_dissemination": "record the dissemination",
    "review_within_5_years": "review within 5 years (28 C.F.R. § 23.20)",
    "notify_subject": "notify the subject",
    "report_to_council": "report the request to the council",
    "document_assistance": "document the assistance given",
    "log_access": "log each access",
}


@dataclass(frozen=True)
class Path:
    outcome: str
    ways: list[str]

    @property
    def sentence(self) -> str:
        verb = "Would be permitted" if self.outcome == "permit" else "Would go to review"
        return f"{verb} with: {', '.join(self.ways)}."


def path_words(path: Mapping[str, Any]) -> str:
    if "instrument" in path:
        return INSTRUMENT_WORDS.get(str(path["instrument"]), str(path["instrument"]))
    agreement = path.get("agreement", {})
    kind = AGREEMENT_WORDS.get(agreement.get("type", ""), "an agreement")
    return f"an active {kind.split(' ', 1)[1]} covering the purpose"


def paths(entry: Mapping[str, Any]) -> list[Path]:
    """The item's lawful paths grouped by the answer they would give, permit first."""
    out = []
    for outcome in ("permit", "needs_review"):
        ways = [path_words(p) for p in entry.get("paths", []) if p.get("decision") == outcome]
        if ways:
            out.append(Path(outcome, ways))
    return out


def what(item: Any) -> str:
    """The item in words: ``Address data (private, records management)`` or an action."""
    if item.action:
        return f"Action: {item.get_action_display().lower()}"
    return (
        f"{item.get_category_display()} data ({item.get_classification_display().lower()}, "
        f"from {item.get_source_display().lower()})"
    )


def category_description(code: str) -> str:
    found = v.CATEGORIES.get(code)
    return found.description if found else ""
