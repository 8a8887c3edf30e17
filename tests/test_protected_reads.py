"""Protected records are read only through access selectors (docs/permissions.md).

Every view, form and API module under ``src/liaison/`` is parsed; none may reach a
protected model's manager (``Person.objects…``, ``Agreement._default_manager…``). The
protected models are the kinds of record whose declared ``view`` rule does not open
them to everyone, and the records that hang off them.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

from liaison.core import access
from liaison.core.access import ANY
from liaison.core.roles import Role

SRC = Path(__file__).resolve().parents[1] / "src" / "liaison"
INTERFACES = ("views", "forms", "api")
# Records without a kind of their own: they are read through the record they belong to.
PARTS_OF_PROTECTED = {
    "operations": {"Participant", "Location", "Subject", "Resource", "OperationCell", "Conflict"},
    "agreements": {
        "AgreementParty",
        "AgreementDocument",
        "DocumentVersion",
        "NominatedPerson",
        "Signatory",
        "Amendment",
        "Grant",
        "TrainingRequirement",
        "ReportingObligation",
        "AgreementStatusChange",
    },
    "sharing": {"RequestItem", "Review", "Override", "DisclosureSubject"},
}


def protected_models() -> set[str]:
    names: set[str] = set()
    for kind in access.kinds():
        view = access.get_rule(f"{kind.name}.view")
        if all(view.roles.get(role) == ANY for role in Role):
            continue  # reference data: every signed-in user reads it
        app_label, model = kind.name.split(".")
        names.add(apps.get_model(app_label, model.replace("_", ""))._meta.object_name or "")
    for parts in PARTS_OF_PROTECTED.values():
        names |= parts
    return names


def _interface_modules() -> list[Path]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if path.stem in INTERFACES or any(p in INTERFACES for p in parts[1:-1]):
            found.append(path)
    return found


def direct_queries(source: str, protected: set[str]) -> list[tuple[int, str]]:
    """``(line, "Model.objects")`` for each use of a protected model's manager in ``source``;
    ``Model.objects.none()`` (an empty choice list, filled per request) is allowed."""
    tree = ast.parse(source)
    empty: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "none"
            and not node.args
        ):
            empty.add(id(node.func.value))
    hits = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager", "_base_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in protected
            and id(node) not in empty
        ):
            hits.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return hits


def test_the_protected_models_include_people_agreements_and_their_documents(db):
    protected = protected_models()
    assert {"Person", "Contact", "TaskForceAssignment", "Agreement", "DocumentVersion"} <= protected
    assert "Agency" not in protected  # reference data


def test_no_view_form_or_api_module_queries_a_protected_model_directly(db):
    protected = protected_models()
    modules = _interface_modules()
    names = {p.name for p in modules}
    assert {"forms.py", "api.py", "views.py"} <= names
    offenders = [
        f"{path.relative_to(SRC)}:{line}: {what}"
        for path in modules
        for line, what in direct_queries(path.read_text(), protected)
    ]
    assert offenders == [], "read these through an access selector instead: " + "; ".join(offenders)


def test_the_scan_finds_a_direct_query_and_allows_an_empty_choice_list():
    source = (
        "people = Person.objects.filter(agency=a)\n"
        "choices = Person.objects.none()\n"
        "agency = Agency.objects.get(pk=1)\n"
        "x = Agreement._default_manager.all()\n"
    )
    assert direct_queries(source, {"Person", "Agreement"}) == [
        (1, "Person.objects"),
        (4, "Agreement._default_manager"),
    ]
