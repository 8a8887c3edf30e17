"""Dependencies point one way (DESIGN.md, docs/architecture.md): a test reads every import.

Every module of every app under ``src/liaison/`` (its tests excepted) is parsed, and
each import of another app — at the top, inside a function, or under
``TYPE_CHECKING`` — must point down :data:`ORDER`: an app imports only apps of an
earlier layer. ``core`` and ``ledger`` import no domain app; ``accounts`` uses the
directory (a user belongs to an agency) and never the reverse; ``agreements`` comes
after both, and later modules after it. When an earlier app must react to a later
one, a guard point or hook is registered (``liaison.core.guards``), never an import
back up. A new app is placed in :data:`ORDER` before its first module lands.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "liaison"

ORDER: list[frozenset[str]] = [
    frozenset({"core"}),
    frozenset({"ledger"}),
    frozenset({"notifications"}),
    frozenset({"directory"}),
    frozenset({"accounts"}),
    frozenset({"agreements"}),
    frozenset({"policy", "training"}),
    frozenset({"sharing"}),
    frozenset({"operations"}),
    frozenset({"incidents", "community"}),
    frozenset({"oversight", "transparency"}),
]


def _apps() -> list[str]:
    return sorted(p.name for p in SRC.iterdir() if (p / "apps.py").exists())


def _modules(app: str) -> Iterable[Path]:
    for path in sorted((SRC / app).rglob("*.py")):
        if "tests" not in path.relative_to(SRC / app).parts:
            yield path


def _imported(path: Path, apps: Iterable[str], src: Path = SRC) -> set[str]:
    """The liaison apps ``path`` imports (absolute or relative, anywhere in the module)."""
    known = set(apps)
    package = ["liaison", *path.relative_to(src).parent.parts]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "liaison" and parts[1] in known:
                found.add(parts[1])
    return found


def import_graph() -> dict[str, dict[str, list[str]]]:
    """``{app: {imported app: [modules importing it]}}`` for every app under src/liaison."""
    apps = _apps()
    graph: dict[str, dict[str, list[str]]] = {app: {} for app in apps}
    for app in apps:
        for path in _modules(app):
            for other in _imported(path, apps) - {app}:
                graph[app].setdefault(other, []).append(str(path.relative_to(SRC.parent)))
    return graph


def _layer(app: str) -> int | None:
    return next((i for i, layer in enumerate(ORDER) if app in layer), None)


def wrong_way(graph: Mapping[str, Mapping[str, list[str]]]) -> list[str]:
    """Every import that does not point to an earlier layer, as a sentence."""
    problems = []
    for app, imports in sorted(graph.items()):
        mine = _layer(app)
        if mine is None:
            problems.append(f"{app} is not placed in ORDER (tests/test_import_direction.py)")
            continue
        for other, where in sorted(imports.items()):
            theirs = _layer(other)
            if theirs is None or theirs >= mine:
                problems.append(f"{app} imports {other}, a later or equal layer: {where}")
    return problems


def cycles(graph: Mapping[str, Mapping[str, object]]) -> list[list[str]]:
    """Groups of apps that import each other, directly or through others (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        for other in graph.get(app, {}):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for app in sorted(graph):
        if app not in index:
            visit(app)
    return found


def test_every_import_between_apps_points_to_an_earlier_layer():
    problems = wrong_way(import_graph())
    assert not problems, "\n".join(problems)


def test_core_imports_no_other_app_and_the_ledger_only_core():
    graph = import_graph()
    assert graph["core"] == {}
    assert set(graph["ledger"]) <= {"core"}, graph["ledger"]


def test_no_two_apps_import_each_other():
    assert cycles(import_graph()) == []


def test_the_scheduler_and_its_table_are_both_in_core():
    graph = import_graph()
    assert "notifications" not in graph["core"], graph["core"]


def test_accounts_uses_the_directory_and_never_the_reverse():
    graph = import_graph()
    assert "directory" in graph["accounts"]
    assert "accounts" not in graph["directory"], graph["directory"]


def test_the_reader_sees_every_kind_of_import(tmp_path):
    module = tmp_path / "liaison" / "directory" / "views.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "from .. import ledger\n"
        "from ..directory import scope\n"
        "if TYPE_CHECKING:\n"
        "    from liaison.accounts.models import User\n"
        "def f():\n"
        "    import liaison.agreements.services\n"
    )
    apps = ["accounts", "agreements", "directory", "ledger", "notifications"]
    found = _imported(module, apps, src=tmp_path / "liaison")
    assert found == {"ledger", "directory", "accounts", "agreements"}


def test_a_wrong_way_import_and_a_cycle_are_reported():
    graph = {
        "core": {"ledger": ["liaison/core/x.py"]},
        "ledger": {},
        "directory": {"accounts": ["liaison/directory/views.py"]},
        "accounts": {"directory": ["liaison/accounts/forms.py"]},
        "newapp": {},
    }
    assert wrong_way(graph) == [
        "core imports ledger, a later or equal layer: ['liaison/core/x.py']",
        "directory imports accounts, a later or equal layer: ['liaison/directory/views.py']",
        "newapp is not placed in ORDER (tests/test_import_direction.py)",
    ]
    assert cycles(graph) == [["accounts", "directory"]]
