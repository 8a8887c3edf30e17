"""Who may do what: one declared rule per action, read by services, pages, the API and tests.

A **rule** says, for one action (``"directory.person.edit"``), which roles may take it
and in which **relation** their agency stands to the record, and — for records with a
lifecycle — in which **states** of the record the action exists at all::

    access.rule(
        "agreements.agreement.activate",
        roles={Role.ADMIN: ANY, Role.COORDINATOR: {Relation.OWN, Relation.PARTY}},
        states={"signed"},
        doing="activate",
    )

Each app declares its rules in ``<app>/rules.py`` (imported when the app is ready),
together with the **kinds** of record they speak about: how to tell the actor's
relation to a record (the agency relations themselves come from
:mod:`liaison.directory.scope`) and, for records with a lifecycle, its state.

Who reads the rules:

* services call :func:`check` before writing (``PermissionDenied`` 403, or
  ``Conflict`` 409 when the record is not in a state the action exists in);
* access selectors take a ``purpose`` (``"view"``, ``"edit"``, …): the action
  ``<kind>.<purpose>`` is checked after the record is found, so a form for an
  action the user may not take answers 403 before it is shown;
* pages and the API ask :func:`permits` / :func:`actions` to show only the
  buttons, links and forms the user may use;
* the role matrix test walks :func:`rules` and checks every rule × role × relation
  through the service (and the page or API where there is one).

``actor=None`` is the system itself (sweeps, demo loading, imports): it passes every
role check, never a state check.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet

from liaison.core.errors import Conflict, NotFound, NotFoundForbidden, PermissionDenied
from liaison.core.roles import Role

M = TypeVar("M", bound=Model)


class Relation(enum.StrEnum):
    """How the actor's agency stands to a record, strongest first.

    ``OWN``      the record is owned by one of the actor's own agencies (their agency
                 or a sub-agency at any depth);
    ``PARTY``    one of the own agencies takes part in it (a party to an agreement, a
                 current member of a task force, the lead of the task force an
                 assignment is to);
    ``PARTNER``  the record is in the actor's agency's reach without being theirs:
                 for a state or local agency, records of another state or local
                 agency and of a federal partner (sharing a running task force);
    ``OUTSIDER`` none of these.
    """

    OWN = "own"
    PARTY = "party"
    PARTNER = "partner"
    OUTSIDER = "outsider"


ANY: frozenset[Relation] = frozenset(Relation)
OWN: frozenset[Relation] = frozenset({Relation.OWN})
OWN_OR_PARTY: frozenset[Relation] = frozenset({Relation.OWN, Relation.PARTY})
IN_REACH: frozenset[Relation] = frozenset({Relation.OWN, Relation.PARTY, Relation.PARTNER})


def role_of(user: Any) -> Role | None:
    """The role of a signed-in, active user with an agency; ``None`` for anyone else."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not getattr(user, "is_active", False) or getattr(user, "agency_id", None) is None:
        return None
    try:
        return Role(user.role)
    except ValueError:
        return None


@dataclass(frozen=True)
class Kind:
    """A kind of record the rules speak about (``"directory.person"``)."""

    name: str
    noun: str
    relation: Callable[[Any, Any], Relation]
    state: Callable[[Any], str] | None = None
    state_labels: Mapping[str, str] | None = None
    relations: frozenset[Relation] = ANY

    def state_of(self, record: Any) -> str | None:
        return None if self.state is None or record is None else self.state(record)

    def label(self, state: str) -> str:
        return (self.state_labels or {}).get(state, state)


@dataclass(frozen=True)
class Rule:
    """Who may take one action: role → relations, and the record states it exists in."""

    action: str
    on: str
    roles: Mapping[Role, frozenset[Relation]]
    states: tuple[str, ...] | None
    doing: str

    @property
    def kind(self) -> str:
        """The kind of record the action is about (``directory.person`` for ``…person.edit``)."""
        return self.action.rsplit(".", 1)[0]

    @property
    def name(self) -> str:
        """The short name of the action (``edit``)."""
        return self.action.rsplit(".", 1)[1]

    def permits(self, role: Role | None, relation: Relation) -> bool:
        return role is not None and relation in self.roles.get(role, frozenset())

    def exists_in(self, state: str | None) -> bool:
        return self.states is None or state is None or state in self.states


_KINDS: dict[str, Kind] = {}
_RULES: dict[str, Rule] = {}


def kind(
    name: str,
    *,
    noun: str,
    relation: Callable[[Any, Any], Relation],
    state: Callable[[Any], str] | None = None,
    state_labels: Mapping[str, str] | None = None,
    relations: Collection[Relation] = ANY,
) -> Kind:
    """Declare a kind of record: ``relation(actor, record)`` tells the actor's relation to it;
    ``state(record)`` its lifecycle state; ``relations`` the relations it can have at all."""
    declared = Kind(
        name=name,
        noun=noun,
        relation=relation,
        state=state,
        state_labels=state_labels,
        relations=frozenset(relations),
    )
    _KINDS[name] = declared
    return declared


def rule(
    action: str,
    *,
    roles: Mapping[Role, Collection[Relation]],
    doing: str,
    states: Iterable[str] | None = None,
    on: str | None = None,
) -> Rule:
    """Declare who may take ``action`` (``"<app>.<kind>.<verb>"``).

    ``on`` names the kind of record the relation is taken to when it is not the action's
    own kind — a create action is about the agency that will own the new record
    (``on="directory.agency"``), or the record it is added to.
    """
    declared = Rule(
        action=action,
        on=on or action.rsplit(".", 1)[0],
        roles={role: frozenset(rel) for role, rel in roles.items()},
        states=None if states is None else tuple(states),
        doing=doing,
    )
    if action in _RULES and _RULES[action] != declared:
        raise ValueError(f"{action} is declared twice")
    _RULES[action] = declared
    return declared


def rules(kind: str | None = None) -> list[Rule]:
    """Every declared rule (of one kind), in declaration order."""
    return [r for r in _RULES.values() if kind is None or r.kind == kind]


def get_rule(action: str) -> Rule:
    try:
        return _RULES[action]
    except KeyError:
        raise LookupError(f"no rule is declared for {action!r}") from None


def get_kind(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no kind of record is declared as {name!r}") from None


def kinds() -> list[Kind]:
    return list(_KINDS.values())


def relation(actor: Any, on: str, record: Any) -> Relation:
    """``actor``'s relation to ``record`` of kind ``on`` (``OUTSIDER`` for no record)."""
    if record is None or role_of(actor) is None:
        return Relation.OUTSIDER
    return get_kind(on).relation(actor, record)


def permits(actor: Any, action: str, record: Any = None) -> bool:
    """Whether ``actor`` may take ``action`` on ``record`` now (role × relation × state)."""
    declared = get_rule(action)
    if not declared.exists_in(get_kind(declared.on).state_of(record)):
        return False
    if actor is None:
        return True
    return declared.permits(role_of(actor), relation(actor, declared.on, record))


def check(actor: Any, action: str, record: Any = None) -> None:
    """Raise unless ``actor`` may take ``action`` on ``record``: ``PermissionDenied`` when the
    rule refuses the actor, ``Conflict`` when the record is not in a state the action is for."""
    declared = get_rule(action)
    if actor is not None and not declared.permits(
        role_of(actor), relation(actor, declared.on, record)
    ):
        raise PermissionDenied()
    target = get_kind(declared.on)
    state = target.state_of(record)
    if state is not None and declared.states is not None and state not in declared.states:
        names = ", ".join(target.label(s) for s in declared.states)
        raise Conflict(
            f"Cannot {declared.doing}: the {target.noun} is {target.label(state)}; "
            f"this needs it to be {names}.",
            code="invalid_transition",
        )


def may_ever(actor: Any, action: str) -> bool:
    """Whether ``actor``'s role may take ``action`` on some record (to show a Create button)."""
    role = role_of(actor)
    return role is not None and bool(get_rule(action).roles.get(role))


def relations_for(actor: Any, action: str) -> frozenset[Relation]:
    """The relations in which ``actor``'s role may take ``action`` (empty: never)."""
    role = role_of(actor)
    return frozenset() if role is None else get_rule(action).roles.get(role, frozenset())


def actions(
    actor: Any, kind: str, record: Any, names: Iterable[str] | None = None
) -> frozenset[str]:
    """The short names of the ``kind`` actions ``actor`` may take on ``record`` now (``view``
    left out: whoever holds the record sees it).

    The relation is computed once, so a page asking for all its buttons pays one lookup.
    """
    role = role_of(actor)
    target = get_kind(kind)
    rel = relation(actor, kind, record) if actor is not None else Relation.OWN
    state = target.state_of(record)
    wanted = None if names is None else set(names)
    out = set()
    for declared in rules(kind):
        if declared.on != kind or declared.name == "view":
            continue
        if wanted is not None and declared.name not in wanted:
            continue
        if declared.exists_in(state) and (actor is None or declared.permits(role, rel)):
            out.add(declared.name)
    return frozenset(out)


# --- access selectors ----------------------------------------------------------------


def fetch(*, actor: Any, visible: QuerySet[M], pk: object, kind: str, purpose: str = "view") -> M:
    """The record ``pk`` of ``visible`` (the actor's scoped queryset), for ``purpose``.

    Missing and out of scope raise the same :class:`NotFound` (the out-of-scope one is a
    :class:`NotFoundForbidden`, so the refusal is recorded); any purpose but ``"view"``
    then checks the rule ``<kind>.<purpose>`` (``PermissionDenied`` or ``Conflict``).
    """
    try:
        key = int(str(pk))
        record = visible.get(pk=key)
    except (ValueError, OverflowError):
        raise NotFound() from None
    except ObjectDoesNotExist:
        model = visible.model
        if model._default_manager.filter(pk=key).exists():
            raise NotFoundForbidden(object_type=model._meta.label_lower, object_id=key) from None
        raise NotFound() from None
    if purpose != "view":
        check(actor, f"{kind}.{purpose}", record)
    return record


# --- refusals: recorded once, wherever they are answered --------------------------------

RefusalRecorder = Callable[[Any, BaseException], object]
_RECORDERS: list[RefusalRecorder] = []


def on_refusal(recorder: RefusalRecorder) -> None:
    """Register ``recorder(request, exc)``, called for every refusal the middleware or the
    API answers (the ledger registers the one that writes ``permission.deny``)."""
    if recorder not in _RECORDERS:
        _RECORDERS.append(recorder)


def record_refusal(request: Any, exc: BaseException) -> None:
    """Hand a refusal to the registered recorders (each decides whether it is one)."""
    for recorder in _RECORDERS:
        recorder(request, exc)
