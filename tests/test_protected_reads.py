"""Interface modules read records only through selectors (docs/permissions.md).

Every view, form, API and CLI module under ``src/liaison/`` is parsed; none may reach a
model's manager (``Person.objects…``, ``Agreement._default_manager…``). Protected records
come through access selectors; reference data (agencies, jurisdictions, activities, legal
authorities, courses …) through the small selectors of the app that owns it
(``directory.selectors.agencies()``, ``agreements.selectors.activities()``).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "liaison"
INTERFACES = ("views", "forms", "api", "cli")
MANAGERS = {"objects", "_default_manager", "_base_manager"}


def _interface_modules() -> list[Path]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if path.stem in INTERFACES or any(p in INTERFACES for p in parts[1:-1]):
            found.append(path)
    return found


def direct_queries(source: str) -> list[tuple[int, str]]:
    """``(line, "Model.objects")`` for each use of a model's manager in ``source``;
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
    hits = [
        (node.lineno, f"{ast.unparse(node.value)}.{node.attr}")
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS and id(node) not in empty
    ]
    return sorted(hits)


def test_no_view_form_api_or_cli_module_queries_a_model_directly():
    modules = _interface_modules()
    names = {p.name for p in modules}
    assert {"forms.py", "api.py", "views.py", "cli.py"} <= names
    offenders = [
        f"{path.relative_to(SRC)}:{line}: {what}"
        for path in modules
        for line, what in direct_queries(path.read_text())
    ]
    assert offenders == [], "read these through a selector instead: " + "; ".join(offenders)


def test_the_scan_finds_a_direct_query_and_allows_an_empty_choice_list():
    source = (
        "people = Person.objects.filter(agency=a)\n"
        "choices = Person.objects.none()\n"
        "agency = Agency.objects.get(pk=1)\n"
        "x = Agreement._default_manager.all()\n"
        "codes = model.objects.filter(code__in=c)\n"
        "field = forms.ModelChoiceField(queryset=Activity.objects.filter(active=True))\n"
        "empty = forms.ModelChoiceField(queryset=Jurisdiction.objects.none())\n"
        "raw = self.model._base_manager.all()\n"
        "def f():\n"
        "    return Jurisdiction.objects.order_by('name').none()\n"
    )
    assert direct_queries(source) == [
        (1, "Person.objects"),
        (3, "Agency.objects"),
        (4, "Agreement._default_manager"),
        (5, "model.objects"),
        (6, "Activity.objects"),
        (8, "self.model._base_manager"),
        (10, "Jurisdiction.objects"),
    ]


def test_the_scan_covers_the_interface_modules_of_every_app():
    apps_with_forms = {p.parent.name for p in _interface_modules() if p.name == "forms.py"}
    assert {"accounts", "agreements", "directory", "operations", "sharing", "training"} <= (
        apps_with_forms
    )
