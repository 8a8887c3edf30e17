"""Who may do what with joint operations: every action's rule, declared once.

An operation is owned by its lead agency; participating agencies take part in it
(``party``). Nobody else sees it: another agency learns of a conflict only whom to call
and why (``selectors.conflicts_for_operation``). Dry-run checks of a plan belong to no agency.
"""

from __future__ import annotations

from typing import Any

from liaison.core import access
from liaison.core.access import ANY, OWN, OWN_OR_PARTY, Relation
from liaison.core.roles import READ_ALL_ROLES, Role
from liaison.directory import scope
from liaison.operations.models import Operation

S = Operation.Status
LIVE = (S.PLANNED, S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.ACTIVE)
STATE_LABELS = {str(value): str(label).lower() for value, label in S.choices}


def participant_agency_ids(operation: Operation) -> list[int]:
    cache = getattr(operation, "_prefetched_objects_cache", {})
    if "participants" in cache:
        return [p.agency_id for p in operation.participants.all()]
    return list(operation.participants.values_list("agency_id", flat=True))


def _operation(actor: Any, operation: Operation) -> Relation:
    return scope.relation_to(
        actor,
        operation.lead_agency_id,
        party_ids=participant_agency_ids(operation),
    )


access.kind(
    "operations.operation",
    noun="operation",
    relation=_operation,
    state=lambda operation: str(operation.status),
    state_labels=STATE_LABELS,
)

VIEW: dict[Role, Any] = {role: ANY for role in READ_ALL_ROLES}
VIEW.update(
    {
        role: OWN_OR_PARTY
        for role in (
            Role.COORDINATOR,
            Role.SUPERVISOR,
            Role.LEGAL_COUNSEL,
            Role.OFFICER,
            Role.PARTNER,
        )
    }
)
PLANNERS: dict[Role, Any] = {Role.ADMIN: ANY, Role.COORDINATOR: OWN}
ACKNOWLEDGERS: dict[Role, Any] = {Role.ADMIN: ANY, Role.COORDINATOR: OWN, Role.SUPERVISOR: OWN}
CHECKERS: dict[Role, Any] = {Role.ADMIN: ANY, Role.COORDINATOR: ANY, Role.SUPERVISOR: ANY}

access.rule("operations.operation.view", roles=VIEW, doing="see the operation")
access.rule(
    "operations.operation.create",
    on="directory.agency",
    roles=PLANNERS,
    doing="plan an operation",
)
access.rule("operations.operation.edit", roles=PLANNERS, states=LIVE, doing="change the plan")
access.rule(
    "operations.operation.submit", roles=PLANNERS, states={S.PLANNED}, doing="submit the plan"
)
access.rule(
    "operations.operation.cancel",
    roles=PLANNERS,
    states={S.PLANNED, S.SUBMITTED, S.IN_REVIEW, S.APPROVED},
    doing="cancel the operation",
)
access.rule(
    "operations.operation.acknowledge",
    roles=ACKNOWLEDGERS,
    states=LIVE,
    doing="acknowledge a conflict",
)
# A dry run belongs to no agency: whoever plans or approves operations may check a plan.
access.rule(
    "operations.operation.check",
    on="directory.agency",
    roles=CHECKERS,
    doing="check a plan for conflicts",
)

# --- legal review, approval, execution, after-action review (operations/review.py, aar.py)
# Counsel of the lead or a participating agency reviews; a supervisor of the lead agency
# approves; the lead's coordinators and supervisors run it; everyone taking part logs.
COUNSEL: dict[Role, Any] = {Role.ADMIN: ANY, Role.LEGAL_COUNSEL: OWN_OR_PARTY}
APPROVERS: dict[Role, Any] = {Role.ADMIN: ANY, Role.SUPERVISOR: OWN}
RUNNERS: dict[Role, Any] = {Role.ADMIN: ANY, Role.COORDINATOR: OWN, Role.SUPERVISOR: OWN}
LOGGERS: dict[Role, Any] = {Role.ADMIN: ANY} | {
    role: OWN_OR_PARTY for role in (Role.COORDINATOR, Role.SUPERVISOR, Role.OFFICER, Role.PARTNER)
}

access.rule(
    "operations.operation.review",
    roles=COUNSEL,
    states={S.SUBMITTED},
    doing="start the legal review",
)
access.rule(
    "operations.operation.signoff",
    roles=COUNSEL,
    states={S.IN_REVIEW},
    doing="sign off the legal review",
)
access.rule(
    "operations.operation.return",
    roles=COUNSEL,
    states={S.SUBMITTED, S.IN_REVIEW},
    doing="return the plan to its planners",
)
access.rule(
    "operations.operation.approve",
    roles=APPROVERS,
    states={S.IN_REVIEW},
    doing="approve the operation",
)
access.rule(
    "operations.operation.start", roles=RUNNERS, states={S.APPROVED}, doing="start the operation"
)
access.rule(
    "operations.operation.log", roles=LOGGERS, states={S.ACTIVE}, doing="write in the execution log"
)
access.rule(
    "operations.operation.close", roles=RUNNERS, states={S.ACTIVE}, doing="close the operation"
)
access.rule(
    "operations.operation.review_after",
    roles=RUNNERS,
    states={S.CLOSED},
    doing="write the after-action review",
)
access.rule(
    "operations.operation.follow_up",
    roles=RUNNERS,
    states={S.CLOSED},
    doing="record a follow-up action as done",
)
