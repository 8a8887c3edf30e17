"""Guard points: a later app checks, and may refuse or annotate, an earlier app's write.

Dependencies point one way (``docs/architecture.md``): ``directory`` and
``agreements`` never import ``training`` or ``operations``. Yet training must be
able to refuse a task-force assignment when required training is not current. So
the earlier app *declares* a guard point next to its service, and runs it inside
the service's transaction, after its own checks and before it writes::

    # liaison/directory/services.py
    ASSIGNMENT_CREATE = guards.point(
        "directory.task_force_assignment_create",
        context=("actor", "person", "task_force", "role", "start_date", "end_date"),
    )
    ...
    with transaction.atomic():
        ...  # permission and the service's own rules
        notes = ASSIGNMENT_CREATE.run(actor=actor, person=person, ...)
        ...  # write; ``notes`` go into the ledger change

and the later app *registers* a guard for it from its ``AppConfig.ready()``::

    # liaison/training/apps.py
    def ready(self) -> None:
        from liaison.core import guards
        from liaison.training.services import training_current_guard

        guards.register(
            "directory.task_force_assignment_create", training_current_guard, key="training"
        )

A guard is called with the point's context as keyword arguments. It **refuses** by
raising a :class:`~liaison.core.errors.ServiceError` (usually :class:`Refused`) with
field messages: the exception leaves the service, whose transaction rolls back, and
interfaces show it like any other refusal. It **annotates** by returning a mapping of
notes (JSON values, no personal data): :meth:`GuardPoint.run` returns
``{key: notes}`` for every guard that returned some, and the service records them in
its ledger entry's change. Returning ``None`` (or nothing) lets the write go ahead.

A point named ``<app label>.<name>`` is declared in that app's ``services`` module;
registering for a point nobody declares fails at start-up, so a misspelt name never
leaves a rule silently unenforced.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from liaison.core.errors import ServiceError

Guard = Callable[..., Mapping[str, Any] | None]
"""Called with the point's context as keyword arguments; returns notes or ``None``."""


class Refused(ServiceError):
    """A guard's refusal of the write it guards (HTTP 409: the record is not ready for it)."""

    status = 409
    code = "refused_by_guard"


@dataclass(frozen=True)
class _Registration:
    key: str
    guard: Guard


_points: dict[str, GuardPoint] = {}
_guards: dict[str, list[_Registration]] = {}


@dataclass(frozen=True)
class GuardPoint:
    """A place in a service where registered guards are run; see :func:`point`."""

    name: str
    context: tuple[str, ...]

    def run(self, **context: Any) -> dict[str, dict[str, Any]]:
        """Run every guard registered here, in registration order, inside the caller's
        transaction. A guard's :class:`ServiceError` propagates (the caller's transaction
        rolls back); returns ``{key: notes}`` of the guards that returned notes."""
        if set(context) != set(self.context):
            raise TypeError(
                f"Guard point {self.name} takes {sorted(self.context)}, got {sorted(context)}."
            )
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError(
                f"Guard point {self.name} must run inside the service's transaction."
            )
        notes: dict[str, dict[str, Any]] = {}
        for registration in _guards.get(self.name, []):
            returned = registration.guard(**context)
            if returned:
                notes[registration.key] = dict(returned)
        return notes

    def registered(self) -> list[str]:
        """Keys of the guards registered here, in the order they run."""
        return [r.key for r in _guards.get(self.name, [])]


def point(name: str, *, context: tuple[str, ...]) -> GuardPoint:
    """Declare the guard point ``name`` (``"<app label>.<service name>"``) whose guards are
    called with the keyword arguments ``context``. Declared once, at import of the
    declaring app's ``services`` module."""
    label = name.split(".", 1)[0]
    if "." not in name or not label:
        raise ImproperlyConfigured(f"A guard point is named '<app label>.<name>', not {name!r}.")
    existing = _points.get(name)
    if existing is not None and existing.context != tuple(context):
        raise ImproperlyConfigured(f"Guard point {name} is declared twice, differently.")
    declared = existing or GuardPoint(name=name, context=tuple(context))
    _points[name] = declared
    return declared


def register(name: str, guard: Guard, *, key: str) -> None:
    """Register ``guard`` at the point ``name`` under ``key`` (the registering app's label,
    or ``"<label>.<rule>"``); registering the same key again replaces it. Call it from
    the registering app's ``AppConfig.ready()``."""
    _declared(name)
    registrations = _guards.setdefault(name, [])
    for i, existing in enumerate(registrations):
        if existing.key == key:
            registrations[i] = _Registration(key=key, guard=guard)
            return
    registrations.append(_Registration(key=key, guard=guard))


def unregister(name: str, *, key: str) -> None:
    """Remove the guard registered at ``name`` under ``key`` (tests that register one)."""
    _guards[name] = [r for r in _guards.get(name, []) if r.key != key]


@contextmanager
def replaced(name: str, guard: Guard, *, key: str) -> Iterator[None]:
    """Register ``guard`` at ``name`` under ``key`` for the ``with`` block only (tests):
    afterwards the guard registered under ``key`` before, if any, is back in its place,
    so a test standing in for an app's guard leaves the app's own guard registered."""
    _declared(name)
    before = list(_guards.get(name, []))
    register(name, guard, key=key)
    try:
        yield
    finally:
        _guards[name] = before


def points() -> dict[str, GuardPoint]:
    """Every declared guard point by name (those of services imported so far)."""
    return dict(_points)


def _declared(name: str) -> GuardPoint:
    if name not in _points:
        label = name.split(".", 1)[0]
        try:
            config = apps.get_app_config(label)
        except LookupError:
            config = None
        if config is not None:
            try:
                importlib.import_module(f"{config.name}.services")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.services":
                    raise
    if name not in _points:
        raise ImproperlyConfigured(
            f"No guard point {name!r}: a point '<app label>.<name>' is declared in that "
            f"app's services with liaison.core.guards.point(...)."
        )
    return _points[name]
