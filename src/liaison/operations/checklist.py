"""The legal review checklist of an operation: computed from the records, never typed.

:func:`checklist` answers, for one operation as it stands now, four sections of items,
each ``ok``, ``blocked`` or ``needs_review``:

``coverage``
    each activity, for each state or local agency taking part (the lead included), is
    covered by an active agreement on every day of the window (the agreements module's
    coverage query, :func:`liaison.agreements.coverage.coverage`). An operation that
    lists no activity is blocked: there is nothing counsel could check.
``readiness``
    each named participant's required training (their assignments', nominations' and
    the operation role's requirements, :mod:`liaison.training.readiness`) is current on
    the first and on the last day; an expired or missing course blocks, naming it.
``rules``
    the rule packs' constraints on the operation's actions, decided by the policy
    engine (:func:`liaison.policy.engine.decide`) for each state or local agency whose
    activity is one of the packs' actions (a civil immigration arrest): ``deny`` blocks,
    ``needs_review`` goes to counsel. Ordinance items LEGAL.md marks uncertain (staging
    on city property in Minneapolis and St. Paul; Hennepin County's detainer practice)
    are ``needs_review``: counsel reads them and says so in the sign-off.
``conflicts``
    every standing deconfliction conflict has been acknowledged by this operation's side.

Counsel's sign-off records the checklist's :attr:`Checklist.digest`; approval needs a
sign-off of the checklist as it still is (an edit after the sign-off asks for a new one)
and no blocked item (:mod:`liaison.operations.review`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from liaison.agreements.coverage import coverage
from liaison.agreements.models import Activity
from liaison.core.dates import day_text
from liaison.directory.models import Agency, Jurisdiction, Person
from liaison.operations.models import Conflict, Operation, Participant
from liaison.policy import codes
from liaison.policy import vocabulary as v
from liaison.policy.engine import decide
from liaison.policy.request import InvalidRequest
from liaison.training import readiness
from liaison.training.models import Requirement

OK, BLOCKED, NEEDS_REVIEW = "ok", "blocked", "needs_review"
STATE_LABELS = {OK: "Passes", BLOCKED: "Blocks approval", NEEDS_REVIEW: "For counsel"}
SECTIONS = {
    "coverage": "Activities covered by an active agreement",
    "readiness": "Participants' required training",
    "rules": "Rule packs and ordinances",
    "conflicts": "Deconfliction",
}
# Days of a window checked one by one; a longer window is checked on its first and last
# day and on every seventh day between.
DAILY_LIMIT = 31

# Ordinance items LEGAL.md marks uncertain: (key, state, city or county name, kind of
# jurisdiction, activities it concerns (empty: any), text, citation).
UNCERTAIN_ORDINANCES: tuple[tuple[str, str, str, str, frozenset[str], str, str], ...] = (
    (
        "minneapolis-city-property",
        "MN",
        "Minneapolis",
        Jurisdiction.Kind.CITY,
        frozenset(),
        "Minneapolis: later amendments of Code ch. 19 limit staging on city property and "
        "the use of city data and technology for immigration enforcement; their dates "
        "are uncertain. Counsel confirms whether any city property, data or technology "
        "is used.",
        "Minneapolis Code of Ordinances ch. 19 (later amendments; dates uncertain)",
    ),
    (
        "st-paul-city-property",
        "MN",
        "St. Paul",
        Jurisdiction.Kind.CITY,
        frozenset(),
        "St. Paul: Administrative Code ch. 44 bars status inquiries; whether city "
        "property may be used to stage the operation is for counsel to confirm.",
        "Saint Paul Administrative Code ch. 44",
    ),
    (
        "hennepin-detainers",
        "MN",
        "Hennepin",
        Jurisdiction.Kind.COUNTY,
        frozenset({"detainer_processing", "jail_screening", "civil_immigration_arrest"}),
        "Hennepin County stopped honoring detainer holds in 2014 (judicial warrants "
        "only); its current policy is uncertain. Counsel confirms it.",
        "Hennepin County Sheriff's Office detainer policy (2014; current policy uncertain)",
    ),
)
CITY_ALIASES = {"saint paul": "st. paul", "st paul": "st. paul"}


@dataclass(frozen=True)
class Item:
    """One line of the checklist."""

    section: str
    key: str
    state: str
    title: str
    detail: str
    citation: str = ""

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def line(self) -> str:
        """The item as one sentence, for refusals."""
        return f"{self.title}: {self.detail}"


@dataclass(frozen=True)
class Checklist:
    operation_id: int
    items: tuple[Item, ...] = field(default_factory=tuple)

    @property
    def blocking(self) -> list[Item]:
        return [i for i in self.items if i.state == BLOCKED]

    @property
    def for_counsel(self) -> list[Item]:
        return [i for i in self.items if i.state == NEEDS_REVIEW]

    @property
    def passes(self) -> bool:
        return not self.blocking

    def section(self, name: str) -> list[Item]:
        return [i for i in self.items if i.section == name]

    def sections(self) -> list[tuple[str, str, list[Item]]]:
        return [(name, label, self.section(name)) for name, label in SECTIONS.items()]

    def blocking_in(self, *sections: str) -> list[Item]:
        return [i for i in self.blocking if i.section in sections]

    @property
    def digest(self) -> str:
        """SHA-256 of the items (states and texts): what counsel signed off."""
        body = json.dumps([asdict(i) for i in self.items], sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()

    def as_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation_id,
            "passes": self.passes,
            "digest": self.digest,
            "items": [asdict(i) for i in self.items],
        }


def window_days(operation: Operation) -> list[date]:
    """The local days of the operation's window that the checks are made on."""
    first = timezone.localtime(operation.window_start).date()
    last = timezone.localtime(operation.window_end).date()
    span = (last - first).days
    if span < DAILY_LIMIT:
        return [first + timedelta(days=n) for n in range(span + 1)]
    days = [first + timedelta(days=n) for n in range(0, span, 7)]
    return [*days, last]


def _acting_agencies(operation: Operation, participants: list[Participant]) -> list[Agency]:
    """The state and local agencies taking part, the lead first, each once."""
    found: dict[int, Agency] = {}
    for agency in [operation.lead_agency, *(p.agency for p in participants)]:
        if agency.level != Agency.Level.FEDERAL:
            found.setdefault(agency.pk, agency)
    return list(found.values())


# --- coverage --------------------------------------------------------------------------


def _coverage_items(
    operation: Operation, agencies: list[Agency], activities: list[Activity], days: list[date]
) -> list[Item]:
    if not activities:
        return [
            Item(
                "coverage",
                "activities",
                BLOCKED,
                "No activity listed",
                "List the operation's activities (the agreements' taxonomy) so their "
                "coverage can be checked.",
            )
        ]
    items = []
    for activity in activities:
        for agency in agencies:
            uncovered: list[str] = []
            covering: set[str] = set()
            for day in days:
                answer = coverage(agency=agency, on=day, activity=activity)
                if answer.covered:
                    covering |= {a.title for a in answer.agreements if a.covers}
                else:
                    uncovered.append(f"{day_text(day)} ({answer.reason})")
            title = f"{activity.name} by {agency.name}"
            if uncovered:
                detail = "Not covered by an active agreement on " + "; ".join(uncovered[:3])
                if len(uncovered) > 3:
                    detail += f" and {len(uncovered) - 3} more days"
                items.append(
                    Item("coverage", f"{activity.code}:{agency.pk}", BLOCKED, title, detail + ".")
                )
            else:
                items.append(
                    Item(
                        "coverage",
                        f"{activity.code}:{agency.pk}",
                        OK,
                        title,
                        "Covered on every day of the window by "
                        + ", ".join(sorted(covering))
                        + ".",
                    )
                )
    return items


# --- readiness -------------------------------------------------------------------------


def _role_requirements(roles: Iterable[str], on: date) -> list[Requirement]:
    wanted = sorted({r for r in roles if r})
    if not wanted:
        return []
    q = Q(pk__in=[])
    for role in wanted:
        q |= Q(scope=Requirement.Scope.ROLE, role__iexact=role)
    return list(
        Requirement.objects.filter(q)
        .filter(effective_from__lte=on)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on))
        .select_related("course")
    )


def _readiness_items(participants: list[Participant], days: list[date]) -> list[Item]:
    named = [p for p in participants if p.person_id is not None]
    if not participants:
        return [
            Item(
                "readiness",
                "participants",
                BLOCKED,
                "No participant listed",
                "List the agencies and people taking part.",
            )
        ]
    items: list[Item] = []
    checked_days = sorted({days[0], days[-1]})
    people = [p.person for p in named if p.person is not None]
    per_day = {day: readiness.requirements_for_people(people, on=day) for day in checked_days}
    for participant in named:
        person: Person = participant.person  # type: ignore[assignment]
        gaps: list[str] = []
        checked: set[str] = set()
        for day in checked_days:
            if person.active_from > day or (
                person.active_until is not None and person.active_until < day
            ):
                gaps.append(f"not with {person.agency} on {day_text(day)}")
                continue
            mine = {r.pk: r for r in per_day[day].get(person.pk, [])}
            for r in _role_requirements([participant.role], day):
                mine.setdefault(r.pk, r)
            for status in readiness.statuses(
                person=person, requirements=list(mine.values()), on=day
            ):
                checked.add(status.requirement.course.code)
                if status.blocking:
                    line = f"{status.line} (on {day_text(day)})"
                    if line not in gaps:
                        gaps.append(line)
        role = f" ({participant.role})" if participant.role else ""
        title = f"{person}{role}, {participant.agency.name}"
        if gaps:
            items.append(
                Item("readiness", f"person:{person.pk}", BLOCKED, title, "; ".join(gaps) + ".")
            )
        else:
            detail = (
                "Required training current: " + ", ".join(sorted(checked)) + "."
                if checked
                else "No training requirement applies."
            )
            items.append(Item("readiness", f"person:{person.pk}", OK, title, detail))
    for participant in participants:
        if participant.person_id is None:
            items.append(
                Item(
                    "readiness",
                    f"agency:{participant.pk}",
                    OK,
                    f"{participant.agency.name} (no people named)",
                    "Listed without named people: no one's training to check. Name the "
                    "people who take part to have their training checked.",
                )
            )
    return items


# --- rules -----------------------------------------------------------------------------


def _jurisdiction_facts(agency: Agency) -> dict[str, Any]:
    j = agency.jurisdiction
    state = j.state or ""
    facts: dict[str, Any] = {"state": state}
    if j.kind == Jurisdiction.Kind.CITY:
        facts["city"] = j.name.removeprefix("City of ").strip()
        if j.parent is not None and j.parent.kind == Jurisdiction.Kind.COUNTY:
            facts["county"] = j.parent.name.removesuffix(" County").strip()
    elif j.kind == Jurisdiction.Kind.COUNTY:
        facts["county"] = j.name.removesuffix(" County").strip()
    return facts


def _requester(operation: Operation, participants: list[Participant]) -> dict[str, Any]:
    federal = [p.agency for p in participants if p.agency.level == Agency.Level.FEDERAL]
    agency = federal[0] if federal else operation.lead_agency
    level = agency.level or "local"
    return {
        "agency": agency.name[:200],
        "level": level,
        "component": "other_federal" if level == "federal" else level,
    }


def _rule_items(
    operation: Operation,
    agencies: list[Agency],
    participants: list[Participant],
    activities: list[Activity],
    days: list[date],
) -> list[Item]:
    actions = sorted(
        {
            code
            for a in activities
            for code in codes.to_format("activity", a.code)
            if code in v.ACTIONS
        }
    )
    items: list[Item] = []
    requester = _requester(operation, participants)
    for agency in agencies:
        facts = _jurisdiction_facts(agency)
        if facts["state"] not in v.STATES or not actions:
            continue
        agreements = []
        for activity in activities:
            answer = coverage(agency=agency, on=days[0], activity=activity)
            agreements += [
                codes.agreement_fact(
                    kind=a.kind,
                    status="active",
                    activities=[activity.code],
                    categories=[],
                    purposes=[],
                )
                for a in answer.agreements
                if a.covers
            ]
        request = {
            "format": v.REQUEST_FORMAT,
            "jurisdiction": facts,
            "requester": requester,
            "purpose": "civil_immigration_enforcement",
            "instrument": "none",
            "agreements": agreements[:50],
            "items": [{"action": action} for action in actions],
        }
        try:
            decision = decide(request, on=days[0])
        except InvalidRequest as exc:  # a jurisdiction the packs cannot read
            items.append(
                Item(
                    "rules",
                    f"packs:{agency.pk}",
                    NEEDS_REVIEW,
                    f"Rule packs for {agency.name}",
                    f"The packs could not be asked ({exc.message}); counsel reviews.",
                )
            )
            continue
        for action, answer in zip(actions, decision["items"], strict=True):
            state = {"deny": BLOCKED, "needs_review": NEEDS_REVIEW}.get(answer["decision"], OK)
            explanation = " ".join(r["explanation"] for r in answer["reasons"])
            citation = "; ".join(r["citation"] for r in answer["reasons"] if r["citation"])
            label = action.replace("_", " ").capitalize()
            items.append(
                Item(
                    "rules",
                    f"{action}:{agency.pk}",
                    state,
                    f"{label} by {agency.name}",
                    explanation or "Permitted by the packs in effect.",
                    citation,
                )
            )
    return items


def _ordinance_items(
    operation: Operation, agencies: list[Agency], activities: list[Activity]
) -> list[Item]:
    places: set[tuple[str, str]] = set()
    unsure: set[str] = set()
    for location in operation.locations.all():
        if location.city:
            places.add((Jurisdiction.Kind.CITY, _norm(location.city)))
        if location.county:
            county = _norm(location.county.removesuffix(" County"))
            places.add((Jurisdiction.Kind.COUNTY, county))
            if not location.city:
                unsure.add(county)
    for agency in agencies:
        facts = _jurisdiction_facts(agency)
        if "city" in facts:
            places.add((Jurisdiction.Kind.CITY, _norm(facts["city"])))
        if "county" in facts:
            places.add((Jurisdiction.Kind.COUNTY, _norm(facts["county"])))
    codes_ = {a.code for a in activities}
    # A place in Hennepin or Ramsey County whose city is not derived may be in the city.
    city_counties = {"minneapolis": "hennepin", "st. paul": "ramsey"}
    items = []
    for key, _state, name, kind, concerns, text, citation in UNCERTAIN_ORDINANCES:
        wanted = _norm(name)
        hit = (kind, wanted) in places
        maybe = kind == Jurisdiction.Kind.CITY and city_counties.get(wanted) in unsure
        if (hit or maybe) and (not concerns or concerns & codes_):
            detail = text
            if maybe and not hit:
                detail += (
                    f" A place of the operation is in {city_counties[wanted].title()} County "
                    "and its city is not derived (no city boundaries installed)."
                )
            items.append(Item("rules", key, NEEDS_REVIEW, f"Ordinance: {name}", detail, citation))
    return items


def _norm(name: str) -> str:
    low = " ".join(name.lower().replace("city of ", "").split())
    return CITY_ALIASES.get(low, low)


# --- conflicts -------------------------------------------------------------------------


def _conflict_items(operation: Operation) -> list[Item]:
    standing = Conflict.objects.filter(
        Q(operation_a=operation) | Q(operation_b=operation), cleared_at__isnull=True
    ).order_by("detected_at", "pk")
    items = []
    for conflict in standing:
        reason = conflict.get_reason_display().lower()
        if conflict.acknowledged_by_side(operation.pk):
            items.append(
                Item(
                    "conflicts",
                    f"conflict:{conflict.pk}",
                    OK,
                    f"Conflict ({reason})",
                    "Acknowledged by this operation's side.",
                )
            )
        else:
            items.append(
                Item(
                    "conflicts",
                    f"conflict:{conflict.pk}",
                    BLOCKED,
                    f"Conflict ({reason})",
                    "Not acknowledged yet: call the other operation's point of contact, "
                    "then acknowledge it.",
                )
            )
    return items


def checklist(operation: Operation) -> Checklist:
    """The operation's legal review checklist as the records stand now."""
    participants = list(
        operation.participants.select_related("agency", "person", "person__agency").order_by("pk")
    )
    activities = list(operation.activities.order_by("code"))
    agencies = _acting_agencies(operation, participants)
    days = window_days(operation)
    items = [
        *_coverage_items(operation, agencies, activities, days),
        *_readiness_items(participants, days),
        *_rule_items(operation, agencies, participants, activities, days),
        *_ordinance_items(operation, agencies, activities),
        *_conflict_items(operation),
    ]
    return Checklist(operation_id=operation.pk, items=tuple(items))
