"""Every write in the product appends a ledger entry: a test walks all services and proves it.

Every public function of every ``liaison.<app>.services`` module (or package, with
its public submodules) — the ledger's own excepted — must appear in its app's
registry, ``liaison/<app>/tests/ledger_examples.py``: either in ``EXAMPLES``, with a
call that must make the ledger grow, or in ``EXEMPT``, with the reason it is not a
consequential write. An app whose writes live in other modules too names them in its
registry's ``SERVICE_MODULES`` (e.g. ``("review",)`` for ``liaison.<app>.review``); their
public functions are walked the same way, and a module outside those that calls
``ledger_append`` fails ``test_every_module_that_appends_to_the_ledger_is_walked``.
A registry also names the ``World`` its
examples act on. A new
service with neither fails ``test_every_service_has_an_example_or_a_reason``, and so
does a registry line for a function that is gone; a new app adds its own registry.
The ledger imports no app: the walker finds the registries through the app registry.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps

from liaison.ledger.tree import appended_size

REGISTRY = "tests.ledger_examples"


def _liaison_apps() -> list[Any]:
    return [
        config
        for config in apps.get_app_configs()
        if config.name.startswith("liaison.") and config.label != "ledger"
    ]


def _import_if_present(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def declared_modules(app: str) -> tuple[str, ...]:
    """The app's service modules beyond ``services``, as its registry declares them."""
    registry = _import_if_present(f"{app}.{REGISTRY}")
    names = getattr(registry, "SERVICE_MODULES", ())
    return tuple(f"{app}.{name}" for name in names)


def _service_modules() -> list[tuple[ModuleType, str]]:
    """Each service module with the prefix of the modules its own functions come from
    (``liaison.<app>.services`` also takes in ``services_<part>`` modules it exports)."""
    modules = []
    for config in _liaison_apps():
        module = _import_if_present(f"{config.name}.services")
        if module is not None:
            modules.append((module, module.__name__))
            if hasattr(module, "__path__"):  # a package: its public submodules too
                for info in pkgutil.iter_modules(module.__path__):
                    if not info.name.startswith("_"):
                        name = f"{module.__name__}.{info.name}"
                        modules.append((importlib.import_module(name), module.__name__))
        for name in declared_modules(config.name):
            modules.append((importlib.import_module(name), name + "."))
    return modules


def discover_services() -> dict[str, Callable[..., Any]]:
    """``{"liaison.app.services.name": function}`` for every public service function.

    A function exported by a services package is named by the package path; one
    defined in a public submodule and not exported, by the submodule path.
    """
    found: dict[str, Callable[..., Any]] = {}
    seen: set[int] = set()
    for module, prefix in _service_modules():
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or not _defined_in(fn, prefix):
                continue
            if id(fn) in seen:
                continue
            seen.add(id(fn))
            found[f"{module.__name__}.{name}"] = fn
    return found


def _defined_in(fn: Callable[..., Any], prefix: str) -> bool:
    return (fn.__module__ + ".").startswith(prefix)


@dataclass(frozen=True)
class Registry:
    """One app's ledger examples: ``examples[name](world)`` sets up and returns the call."""

    app: str
    world: Callable[[], Any]
    examples: Mapping[str, Callable[[Any], Callable[[], object]]]
    exempt: Mapping[str, str]
    modules: tuple[str, ...] = ()  # service modules beyond ``<app>.services``


def registries() -> list[Registry]:
    """The registry of every app that has one (an app with services and none fails below)."""
    found = []
    for config in _liaison_apps():
        module = _import_if_present(f"{config.name}.{REGISTRY}")
        if module is not None:
            found.append(
                Registry(
                    app=config.name,
                    world=module.World,
                    examples=module.EXAMPLES,
                    exempt=getattr(module, "EXEMPT", {}),
                    modules=declared_modules(config.name),
                )
            )
    return found


def coverage_problems(services: Mapping[str, object], found: list[Registry]) -> list[str]:
    """What is wrong with the registries for these ``services``: empty when all is well."""
    problems = []
    registered: set[str] = set()
    for registry in found:
        own = (f"{registry.app}.services", *registry.modules)
        for name in [*registry.examples, *registry.exempt]:
            if not any(name.startswith(module + ".") for module in own):
                problems.append(f"{name} is not a service of {registry.app}; move its line")
            registered.add(name)
    for name in sorted(set(services) - registered):
        app = ".".join(name.split(".")[:2])
        path = app.replace(".", "/") + "/" + REGISTRY.replace(".", "/") + ".py"
        problems.append(
            f"{name} has no example in {path} (add one that makes the ledger grow, "
            "or an exemption with its reason)"
        )
    problems += [
        f"{name} is in a registry but is no longer a service"
        for name in sorted(registered - set(services))
    ]
    return problems


def _examples() -> dict[str, tuple[Registry, Callable[[Any], Callable[[], object]]]]:
    return {name: (r, example) for r in registries() for name, example in r.examples.items()}


def test_every_service_has_an_example_or_a_reason():
    problems = coverage_problems(discover_services(), registries())
    assert not problems, "\n".join(problems)


def test_a_new_service_without_an_example_fails_the_walk():
    found = registries()
    services: dict[str, object] = dict(discover_services())
    already = set(coverage_problems(services, found))  # reported by the test above
    services["liaison.directory.services.person_teleport"] = object()
    assert [p for p in coverage_problems(services, found) if p not in already] == [
        "liaison.directory.services.person_teleport has no example in "
        "liaison/directory/tests/ledger_examples.py (add one that makes the ledger grow, "
        "or an exemption with its reason)"
    ]
    del services["liaison.directory.services.person_create"]
    assert (
        "liaison.directory.services.person_create is in a registry but is no longer a "
        "service" in coverage_problems(services, found)
    )


def test_a_registry_lists_only_its_own_apps_services():
    found = registries()
    stray = Registry(
        app="liaison.notifications",
        world=object,
        examples={"liaison.directory.services.person_create": lambda w: lambda: None},
        exempt={},
    )
    assert (
        "liaison.directory.services.person_create is not a service of liaison.notifications; "
        "move its line"
    ) in coverage_problems(discover_services(), [*found, stray])


def modules_appending_outside_the_walk(root: Path) -> list[str]:
    """Modules under ``root`` (the ``liaison`` package) that call ``ledger_append`` but
    that the walk does not cover: neither a service module nor declared in their app's
    ``SERVICE_MODULES``. Tests, migrations and the ledger itself are left out."""
    walked = _service_modules()
    stray = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if "tests" in parts or "migrations" in parts or parts[1] == "ledger":
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        covered = any(
            name == module.__name__ or (name + ".").startswith(prefix) for module, prefix in walked
        )  # ``services_<part>`` modules come in through ``services``
        if "ledger_append(" in path.read_text(encoding="utf-8") and not covered:
            stray.append(name)
    return stray


def test_every_module_that_appends_to_the_ledger_is_walked():
    import liaison

    stray = modules_appending_outside_the_walk(Path(liaison.__file__).parent)
    assert not stray, (
        f"{stray} call ledger_append outside a service module: name them in their app's "
        "SERVICE_MODULES (tests/ledger_examples.py) so the walk covers their functions"
    )


def test_an_undeclared_module_that_appends_is_found(tmp_path: Path) -> None:
    root = tmp_path / "liaison"
    (root / "directory" / "tests").mkdir(parents=True)
    (root / "directory" / "loader.py").write_text("ledger_append(actor=None, action='x')\n")
    (root / "directory" / "tests" / "helper.py").write_text("ledger_append()\n")
    (root / "directory" / "views.py").write_text("print('no ledger here')\n")
    assert modules_appending_outside_the_walk(root) == ["liaison.directory.loader"]


def test_the_walk_finds_the_services_and_the_registries():
    services = discover_services()
    assert "liaison.accounts.services.user_create" in services
    assert "liaison.agreements.services.agreement_create" in services
    assert not any(name.startswith("liaison.ledger.") for name in services)
    apps_with_registries = {r.app for r in registries()}
    assert {"liaison.accounts", "liaison.directory", "liaison.agreements"} <= apps_with_registries


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_directory(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(_examples()))
def test_the_service_appends_to_the_ledger(name):
    if name not in discover_services():
        pytest.fail(f"{name} is in the registry but is not a service any more")
    registry, example = _examples()[name]
    call = example(registry.world())  # set-up (its own entries are not counted)
    before = appended_size()
    call()
    assert appended_size() > before, f"{name} wrote without appending a ledger entry"
