"""Checking a ``liaison.sharing.request/1`` request before anything is decided.

:func:`validate_request` returns the request with every optional field filled in, or
raises :class:`InvalidRequest` listing *every* problem at once, keyed by JSON path
(``items[1].category``, ``agreements[0].status``, ``requester.level``). Unknown fields
are refused too: a misspelt flag must not be silently read as false.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from liaison.core.errors import ServiceError
from liaison.core.text import text_problem
from liaison.policy import vocabulary as v
from liaison.policy.error_codes import PolicyErrorCode

MAX_ITEMS = 50
MAX_AGREEMENTS = 50
MAX_TEXT = 200

Request = dict[str, Any]
_MISSING = object()  # a required field already reported as missing


class InvalidRequest(ServiceError):
    """The request does not follow the format; ``fields`` says where and why."""

    code = PolicyErrorCode.INVALID_REQUEST


class _Problems:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.fields.setdefault(path or "__all__", []).append(message)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _Shape:
    """The fields of a JSON object: those it must have, and every one it may have."""

    def __init__(self, required: Sequence[str], optional: Sequence[str] = ()) -> None:
        self.required = tuple(required)
        self.must = frozenset(required)
        self.known = frozenset(required) | frozenset(optional)


def _object(
    value: object, path: str, problems: _Problems, shape: _Shape
) -> Mapping[str, Any] | None:
    if not isinstance(value, dict):
        problems.add(path, "Must be a JSON object.")
        return None
    keys = value.keys()
    if not keys >= shape.must:
        for key in shape.required:
            if key not in value:
                problems.add(_join(path, key), "This field is required.")
    if not keys <= shape.known:
        for key in value:
            if key not in shape.known:
                problems.add(_join(path, str(key)), "Unknown field.")
    return value


_REQUEST = _Shape(
    ("format", "jurisdiction", "requester", "purpose", "instrument", "items"),
    ("urgent", "agreements"),
)
_JURISDICTION = _Shape(("state",), ("county", "city"))
_REQUESTER = _Shape(("agency", "level", "component"), ("attributes",))
_AGREEMENT = _Shape(("type", "status"), ("activities", "categories", "purposes"))
_ACTION_ITEM = _Shape(("action",))
_DATA_ITEM = _Shape(("category", "classification", "source"), v.FLAGS)
_CATEGORY_NAMES = tuple(v.CATEGORIES)
# Each vocabulary as a set, to accept a valid value without building its field's path.
_MEMBERS = {
    choices: frozenset(choices)
    for choices in (
        v.ACTIONS,
        _CATEGORY_NAMES,
        v.CLASSIFICATIONS,
        v.SOURCES,
        v.ACTIVITIES,
        v.PURPOSES,
    )
}


def _valid(value: object, choices: Sequence[str]) -> bool:
    """Whether :func:`_choice` accepts ``value`` as it is."""
    members = _MEMBERS.get(choices) if isinstance(choices, tuple) else None
    return isinstance(value, str) and value in (members or frozenset(choices))


def _choice(value: object, path: str, problems: _Problems, choices: Sequence[str]) -> str | None:
    if value is _MISSING:
        return None
    if not isinstance(value, str):
        problems.add(path, "Must be a string.")
        return None
    if value not in choices:
        problems.add(path, f"Unknown value {value!r}; one of: {', '.join(choices)}.")
        return None
    return value


def _text(value: object, path: str, problems: _Problems, *, nullable: bool) -> str | None:
    if value is _MISSING or (value is None and nullable):
        return None
    if not isinstance(value, str):
        problems.add(path, "Must be a string or null." if nullable else "Must be a string.")
        return None
    problem = text_problem(value)
    if problem:
        problems.add(path, problem)
    elif len(value) > MAX_TEXT:
        problems.add(path, f"At most {MAX_TEXT} characters.")
    elif not value.strip() and not nullable:
        problems.add(path, "May not be blank.")
    return value.strip() or None


def _bool(value: object, path: str, problems: _Problems) -> bool:
    if not isinstance(value, bool):
        problems.add(path, "Must be true or false.")
        return False
    return value


def _choices(
    value: object, path: str, problems: _Problems, choices: Sequence[str], *, limit: int = 50
) -> list[str]:
    if not isinstance(value, list):
        problems.add(path, "Must be a list.")
        return []
    if len(value) > limit:
        problems.add(path, f"At most {limit} entries.")
        return []
    if all(_valid(x, choices) for x in value):
        return sorted(set(value))
    found = [_choice(x, f"{path}[{i}]", problems, choices) for i, x in enumerate(value)]
    return sorted({x for x in found if x is not None})


def _jurisdiction(value: object, problems: _Problems) -> dict[str, Any]:
    obj = _object(value, "jurisdiction", problems, _JURISDICTION)
    if obj is None:
        return {}
    return {
        "state": _choice(obj.get("state", _MISSING), "jurisdiction.state", problems, v.STATES),
        "county": _text(obj.get("county"), "jurisdiction.county", problems, nullable=True),
        "city": _text(obj.get("city"), "jurisdiction.city", problems, nullable=True),
    }


def _requester(value: object, problems: _Problems) -> dict[str, Any]:
    obj = _object(value, "requester", problems, _REQUESTER)
    if obj is None:
        return {}
    attributes: dict[str, Any] = {}
    raw = obj.get("attributes", {})
    if not isinstance(raw, dict):
        problems.add("requester.attributes", "Must be a JSON object.")
    else:
        for name, value_ in raw.items():
            path = f"requester.attributes.{name}"
            if name in v.REQUESTER_ATTRIBUTES:
                attributes[name] = _bool(value_, path, problems)
            elif isinstance(value_, bool | str | int | float) or value_ is None:
                attributes[name] = value_
            else:
                problems.add(path, "Must be a string, number, true, false or null.")
    return {
        "agency": _text(obj.get("agency", _MISSING), "requester.agency", problems, nullable=False),
        "level": _choice(obj.get("level", _MISSING), "requester.level", problems, v.LEVELS),
        "component": _choice(
            obj.get("component", _MISSING), "requester.component", problems, v.COMPONENTS
        ),
        "attributes": attributes,
    }


def _agreement(value: object, path: str, problems: _Problems) -> dict[str, Any]:
    obj = _object(value, path, problems, _AGREEMENT)
    if obj is None:
        return {}
    return {
        "type": _choice(obj.get("type", _MISSING), f"{path}.type", problems, v.AGREEMENT_TYPES),
        "status": _choice(
            obj.get("status", _MISSING), f"{path}.status", problems, v.AGREEMENT_STATUSES
        ),
        "activities": _choices(
            obj.get("activities", []), f"{path}.activities", problems, v.ACTIVITIES
        ),
        "categories": _choices(
            obj.get("categories", []), f"{path}.categories", problems, _CATEGORY_NAMES
        ),
        "purposes": _choices(obj.get("purposes", []), f"{path}.purposes", problems, v.PURPOSES),
    }


def _item(value: object, path: str, problems: _Problems) -> dict[str, Any]:
    if isinstance(value, dict) and "action" in value:
        obj = _object(value, path, problems, _ACTION_ITEM)
        if obj is None:
            return {}
        action = obj.get("action", _MISSING)
        if _valid(action, v.ACTIONS):
            return {"action": action}
        return {"action": _choice(action, f"{path}.action", problems, v.ACTIONS)}
    if isinstance(value, dict) and "category" not in value:
        problems.add(path, "An item needs either a category (data) or an action.")
        return {}
    obj = _object(value, path, problems, _DATA_ITEM)
    if obj is None:
        return {}
    item: dict[str, Any] = {}
    for key, choices in _DATA_CHOICES:
        found = obj.get(key, _MISSING)
        item[key] = (
            found if _valid(found, choices) else _choice(found, f"{path}.{key}", problems, choices)
        )
    for flag in v.FLAGS:
        found = obj.get(flag, False)
        item[flag] = (
            found if found is True or found is False else _bool(found, f"{path}.{flag}", problems)
        )
    return item


_DATA_CHOICES = (
    ("category", _CATEGORY_NAMES),
    ("classification", v.CLASSIFICATIONS),
    ("source", v.SOURCES),
)


def _list(value: object, path: str, problems: _Problems, *, limit: int, empty: bool) -> list[Any]:
    if not isinstance(value, list):
        problems.add(path, "Must be a list.")
        return []
    if not value and not empty:
        problems.add(path, "At least one entry is required.")
    if len(value) > limit:
        problems.add(path, f"At most {limit} entries.")
        return []
    return value


def validate_request(request: object) -> Request:
    """``request`` checked and completed (defaults filled in), or :class:`InvalidRequest`
    with a message for every field that is missing, of the wrong type or unknown."""
    problems = _Problems()
    obj = _object(request, "", problems, _REQUEST)
    if obj is None:
        raise InvalidRequest("The request must be a JSON object.", fields=problems.fields)
    if "format" in obj and obj["format"] != v.REQUEST_FORMAT:
        problems.add("format", f"Must be {v.REQUEST_FORMAT!r}.")
    clean: Request = {"format": v.REQUEST_FORMAT}
    clean["jurisdiction"] = (
        _jurisdiction(obj.get("jurisdiction"), problems) if ("jurisdiction" in obj) else {}
    )
    clean["requester"] = _requester(obj.get("requester"), problems) if "requester" in obj else {}
    if "purpose" in obj:
        clean["purpose"] = _choice(obj["purpose"], "purpose", problems, v.PURPOSES)
    if "instrument" in obj:
        clean["instrument"] = _choice(obj["instrument"], "instrument", problems, v.INSTRUMENTS)
    clean["urgent"] = _bool(obj["urgent"], "urgent", problems) if "urgent" in obj else False
    agreements = _list(
        obj.get("agreements", []), "agreements", problems, limit=MAX_AGREEMENTS, empty=True
    )
    clean["agreements"] = [
        _agreement(a, f"agreements[{i}]", problems) for i, a in enumerate(agreements)
    ]
    items = (
        _list(obj["items"], "items", problems, limit=MAX_ITEMS, empty=False)
        if "items" in obj
        else []
    )
    clean["items"] = [_item(item, f"items[{i}]", problems) for i, item in enumerate(items)]
    if problems.fields:
        count = sum(len(m) for m in problems.fields.values())
        raise InvalidRequest(
            f"The request is not a valid {v.REQUEST_FORMAT} request "
            f"({count} problem{'s' if count != 1 else ''}).",
            fields=problems.fields,
        )
    return clean
