"""Who may do what with agreements and the legal library: every action's rule, declared once.

An agreement is owned by the agency that keeps it; its parties take part in it. The
lifecycle state an action needs is declared with the rule, so the services, the
buttons of the detail page and the API answer the same (see ``docs/permissions.md``).
"""

from __future__ import annotations

from typing import Any

from liaison.agreements.models import Agreement, AgreementParty
from liaison.core import access
from liaison.core.access import ANY, IN_REACH, OWN, OWN_OR_PARTY, Relation
from liaison.core.roles import READ_ALL_ROLES, Role
from liaison.directory import scope

S = Agreement.Status
APPROVED = "approved"
"""In legal review with counsel's approval: waiting for the parties' signatures."""

IN_FORCE = (S.SIGNED.value, S.ACTIVE.value, S.SUSPENDED.value)
OPEN = (S.DRAFT.value, S.LEGAL_REVIEW.value, APPROVED, *IN_FORCE)
STATE_LABELS = {str(value): str(label).lower() for value, label in S.choices} | {
    APPROVED: "approved by counsel"
}


def agreement_state(agreement: Agreement) -> str:
    """The lifecycle state rules speak of: the status, with counsel's approval told apart."""
    if agreement.status == S.LEGAL_REVIEW and agreement.legal_approved_at is not None:
        return APPROVED
    return str(agreement.status)


def _parties(agreement: Agreement) -> list[tuple[int, str]]:
    cache = getattr(agreement, "_prefetched_objects_cache", {})
    if "parties" in cache:
        return [(p.agency_id, p.agency.level) for p in agreement.parties.all()]
    return list(
        AgreementParty.objects.filter(agreement_id=agreement.pk).values_list(
            "agency_id", "agency__level"
        )
    )


def _agreement(actor: Any, agreement: Agreement) -> Relation:
    parties = _parties(agreement)
    # In the state rule's reach: the owner, or any state or local party.
    reach = [agreement.owner_agency_id] + [
        pk for pk, level in parties if level in scope.LOCAL_LEVELS
    ]
    return scope.relation_to(
        actor, agreement.owner_agency_id, party_ids=[pk for pk, _ in parties], reach_ids=reach
    )


def _reference(actor: Any, record: Any) -> Relation:
    return Relation.OUTSIDER  # public law belongs to no agency


access.kind(
    "agreements.agreement",
    noun="agreement",
    relation=_agreement,
    state=agreement_state,
    state_labels=STATE_LABELS,
)
access.kind(
    "agreements.legal_authority",
    noun="legal authority",
    relation=_reference,
    relations={Relation.OUTSIDER},
)

VIEW: dict[Role, Any] = {role: ANY for role in READ_ALL_ROLES}
VIEW.update({role: IN_REACH for role in scope.STATE_STAFF_ROLES})
VIEW.update({Role.OFFICER: OWN_OR_PARTY, Role.PARTNER: OWN_OR_PARTY})
# Coordinators of the keeping agency or of a party run the agreement; admins run any.
MANAGE: dict[Role, Any] = {Role.ADMIN: ANY, Role.COORDINATOR: OWN_OR_PARTY}
# Legal counsel who can see an agreement reviews, suspends or terminates it.
COUNSEL: dict[Role, Any] = {Role.LEGAL_COUNSEL: IN_REACH}
MANAGE_OR_COUNSEL = MANAGE | COUNSEL


def _agreement_rule(
    name: str, roles: dict[Role, Any], doing: str, states: Any = None
) -> access.Rule:
    return access.rule(f"agreements.agreement.{name}", roles=roles, doing=doing, states=states)


_agreement_rule("view", VIEW, "see the agreement")
access.rule(
    "agreements.agreement.create",
    on="directory.agency",
    roles={Role.ADMIN: ANY, Role.COORDINATOR: OWN},
    doing="draft an agreement",
)
_agreement_rule("edit", MANAGE, "edit", states=[S.DRAFT])
_agreement_rule("submit", MANAGE, "submit for legal review", states=[S.DRAFT])
_agreement_rule("review", COUNSEL, "review", states=[S.LEGAL_REVIEW])
_agreement_rule("sign", MANAGE, "record a signature", states=[APPROVED])
_agreement_rule("activate", MANAGE, "activate", states=[S.SIGNED])
_agreement_rule("suspend", MANAGE_OR_COUNSEL, "suspend", states=[S.ACTIVE])
_agreement_rule("reinstate", MANAGE_OR_COUNSEL, "reinstate", states=[S.SUSPENDED])
_agreement_rule("terminate", MANAGE_OR_COUNSEL, "terminate", states=IN_FORCE)
_agreement_rule("amend", MANAGE, "amend", states=IN_FORCE)
_agreement_rule("nominate", MANAGE, "nominate personnel", states=OPEN)
_agreement_rule("end_nomination", MANAGE, "end a nomination")
_agreement_rule("training", MANAGE, "add training", states=OPEN)
_agreement_rule("reporting", MANAGE, "add a reporting obligation", states=OPEN)
_agreement_rule("upload", MANAGE_OR_COUNSEL, "attach a document")

access.rule(
    "agreements.legal_authority.view",
    roles={role: ANY for role in Role},
    doing="read the legal library",
)
for _verb, _doing in (("create", "add a legal authority"), ("edit", "change a legal authority")):
    access.rule(
        f"agreements.legal_authority.{_verb}",
        roles={Role.LEGAL_COUNSEL: ANY, Role.ADMIN: ANY},
        doing=_doing,
    )
