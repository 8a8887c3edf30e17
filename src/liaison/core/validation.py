"""Validating and saving records so every refusal reads as a field message in plain words.

* A model's database constraints carry a ``violation_error_message`` written for the
  person at the form. :func:`on_field` declares which field a constraint's message
  belongs beside; without it the message goes to the form's summary (a unique
  constraint over one field goes beside that field, as Django does).
* :func:`validate` is ``full_clean()`` that raises :class:`ServiceError` with those
  field messages; :func:`save` turns an ``IntegrityError`` the database raises for a
  declared constraint (a race the validation could not see) into the same error.
* :func:`model_update` is the one way an ``*_update`` service changes a record: it
  sets the given fields, validates, saves only the fields that changed and returns
  their names, so the service records its own verb in the ledger.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import BaseConstraint, UniqueConstraint

from liaison.core.error_codes import CoreErrorCode
from liaison.core.errors import ServiceError

C = TypeVar("C", bound=BaseConstraint)
M = TypeVar("M", bound=models.Model)

_FIELD_OF_CONSTRAINT: dict[str, str] = {}


def on_field(field: str, constraint: C) -> C:
    """Declare that ``constraint``'s message is shown beside ``field``; returns the constraint.

    Use it in ``Meta.constraints``: ``on_field("expiry_date", models.CheckConstraint(...))``.
    """
    _FIELD_OF_CONSTRAINT[constraint.name] = field
    return constraint


def constraint_field(constraint: BaseConstraint) -> str:
    """The field beside which ``constraint``'s message shows, or ``"__all__"`` for the summary."""
    if constraint.name in _FIELD_OF_CONSTRAINT:
        return _FIELD_OF_CONSTRAINT[constraint.name]
    if isinstance(constraint, UniqueConstraint) and len(constraint.fields) == 1:
        return str(constraint.fields[0])
    return NON_FIELD_ERRORS


def constraint_message(constraint: BaseConstraint) -> str:
    """The plain-words message of ``constraint`` (its ``violation_error_message``)."""
    return str(constraint.get_violation_error_message())


def model_constraints(model: type[models.Model]) -> Iterator[BaseConstraint]:
    """Every database constraint of ``model``, its parents' included."""
    for _owner, constraints in _constraints_of(model):
        yield from constraints


def _constraints_of(
    model: type[models.Model],
) -> list[tuple[type[models.Model], list[BaseConstraint]]]:
    found = [(model, list(model._meta.constraints))]
    for parent in model._meta.parents:
        found.append((parent, list(parent._meta.constraints)))
    return found


def _invalid(fields: Mapping[str, list[str]]) -> ServiceError:
    return ServiceError(
        "Please correct the errors below.", code=CoreErrorCode.INVALID, fields=fields
    )


def validate(obj: models.Model, *, exclude: Collection[str] | None = None) -> None:
    """``obj.full_clean(exclude=...)``, raising :class:`ServiceError` with field messages.

    Constraint messages go beside the field :func:`on_field` declared (else the summary).
    """
    errors: dict[str, list[str]] = {}
    try:
        obj.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as exc:
        errors = {name: list(messages) for name, messages in exc.message_dict.items()}
    skip = set(exclude or ()) | set(errors)
    using = router.db_for_write(type(obj), instance=obj)
    for model, constraints in _constraints_of(type(obj)):
        for constraint in constraints:
            try:
                constraint.validate(model, obj, exclude=skip, using=using)
            except ValidationError as exc:
                errors.setdefault(constraint_field(constraint), []).extend(exc.messages)
    if errors:
        raise _invalid(errors)


def _columns(model: type[models.Model], constraint: UniqueConstraint) -> set[str]:
    table = model._meta.db_table
    fields = [model._meta.get_field(name) for name in constraint.fields]
    return {f"{table}.{field.column}" for field in fields if isinstance(field, models.Field)}


_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>.+)$")


def integrity_error_as_service_error(
    error: IntegrityError, model: type[models.Model]
) -> ServiceError | None:
    """The field message for the constraint of ``model`` that ``error`` reports, if any.

    PostgreSQL and SQLite name a check constraint; SQLite names a unique constraint
    by its columns instead.
    """
    text = str(error)
    unique = _SQLITE_UNIQUE.search(text)
    unique_columns = {c.strip() for c in unique.group("columns").split(",")} if unique else set()
    for owner, constraints in _constraints_of(model):
        for constraint in constraints:
            named = re.search(rf"\b{re.escape(constraint.name)}\b", text) is not None
            by_columns = (
                isinstance(constraint, UniqueConstraint)
                and bool(constraint.fields)
                and _columns(owner, constraint) == unique_columns
            )
            if named or by_columns:
                return _invalid({constraint_field(constraint): [constraint_message(constraint)]})
    return None


def save(obj: M, *, update_fields: Collection[str] | None = None) -> M:
    """Save ``obj``; a constraint the database enforces answers with its field message."""
    try:
        with transaction.atomic():
            obj.save(update_fields=update_fields)
    except IntegrityError as exc:
        refusal = integrity_error_as_service_error(exc, type(obj))
        if refusal is None:
            raise
        raise refusal from exc
    return obj


def _auto_now_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False) is True]


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    field = obj._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        new = value.pk if isinstance(value, models.Model) else value
        return bool(getattr(obj, field.attname) != new)
    return bool(getattr(obj, name) != value)


def model_update(
    obj: M,
    data: Mapping[str, Any],
    *,
    allowed: Collection[str],
    check: Callable[[M], None] | None = None,
) -> list[str]:
    """Set ``data`` on ``obj``, validate it, and save only the fields whose value changed.

    Returns the changed field names, in the order given; empty when nothing changed
    (then nothing is checked, validated or saved). A field outside ``allowed`` is
    refused with a field message; ``check(obj)`` runs on the changed record before it
    is validated (a rule about the new values, e.g. the actor's rights over a new
    agency). The caller holds the transaction and the row lock, and records the change
    in the ledger under its own verb (``person.end``, not ``person.update``).
    """
    refused = sorted(set(data) - set(allowed))
    if refused:
        raise ServiceError(
            "Some fields cannot be changed here.",
            code=CoreErrorCode.FIELD_NOT_ALLOWED,
            fields={name: ["This field cannot be changed here."] for name in refused},
        )
    changed = [name for name, value in data.items() if _differs(obj, name, value)]
    if not changed:
        return []
    for name in changed:
        setattr(obj, name, data[name])
    if check is not None:
        check(obj)
    validate(obj)
    save(obj, update_fields=[*changed, *_auto_now_fields(type(obj))])
    return changed
