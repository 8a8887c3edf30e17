"""Who may do what in training: every action's rule, declared once.

Services check these rules (``access.check``), pages and the API show only what they
allow (``services.may``), and the generated role matrix checks every rule for every
role and relation (``tests/test_rule_matrix.py``, examples in
``training/tests/access_examples.py``). The catalog, the requirements and imports are
reference data of no agency; a person's training is owned by their employer.
"""

from __future__ import annotations

from typing import Any

from liaison.core import access
from liaison.core.access import ANY, OWN, Relation
from liaison.core.roles import Role
from liaison.directory import scope

EVERYONE: dict[Role, Any] = {role: ANY for role in Role}
NO_PARTY = frozenset({Relation.OWN, Relation.PARTNER, Relation.OUTSIDER})
CATALOG: dict[Role, Any] = {Role.ADMIN: ANY, Role.COORDINATOR: ANY}
RECORDERS: dict[Role, Any] = {Role.ADMIN: ANY, Role.COORDINATOR: OWN, Role.SUPERVISOR: OWN}
SUPERVISORS: dict[Role, Any] = {Role.ADMIN: ANY, Role.SUPERVISOR: OWN}
IMPORTERS: dict[Role, Any] = {Role.ADMIN: ANY, Role.COORDINATOR: ANY, Role.SUPERVISOR: ANY}


def _reference(actor: Any, record: Any) -> Relation:
    return Relation.OUTSIDER  # the catalog and the requirements belong to no agency


def _completion(actor: Any, completion: Any) -> Relation:
    return scope.relation_to(actor, completion.person.agency_id)


for _name, _noun in (("course", "course"), ("requirement", "requirement")):
    access.kind(f"training.{_name}", noun=_noun, relation=_reference, relations={Relation.OUTSIDER})
    access.rule(f"training.{_name}.view", roles=EVERYONE, doing=f"see the {_noun}")
access.kind("training.completion", noun="completion", relation=_completion, relations=NO_PARTY)
access.kind(
    "training.completion_import",
    noun="import",
    relation=_reference,
    relations={Relation.OUTSIDER},
)

# A person's training is seen by whoever sees the person.
access.rule(
    "training.completion.view",
    roles=dict(access.get_rule("directory.person.view").roles),
    doing="see the completion",
)
# An uploaded file belongs to no agency: admins see every import, and its uploader sees
# their own (``selectors.completion_import_get_for_user``), as a person sees their own.
access.rule("training.completion_import.view", roles={Role.ADMIN: ANY}, doing="see the import")

access.rule("training.course.create", roles=CATALOG, doing="add a course")
access.rule("training.course.edit", roles=CATALOG, doing="change the course")
access.rule("training.requirement.create", roles=CATALOG, doing="add a requirement")
access.rule("training.requirement.edit", roles=CATALOG, doing="change the requirement")
access.rule(
    "training.completion.create",
    on="directory.person",
    roles=RECORDERS,
    doing="record a completion",
)
access.rule("training.completion.verify", roles=SUPERVISORS, doing="verify the completion")
access.rule(
    "training.override.create",
    on="directory.person",
    roles=SUPERVISORS,
    doing="override a requirement",
)
access.rule(
    "training.evaluation.create",
    on="training.completion",
    roles=RECORDERS,
    doing="evaluate the course",
)
access.rule("training.completion_import.create", roles=IMPORTERS, doing="import completions")
