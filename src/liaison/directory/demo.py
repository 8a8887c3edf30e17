"""Demo directory: real jurisdictions and agencies of Minnesota or Wisconsin and the
federal agencies they work with, plus fictional task forces, people and contacts.

Idempotent: every record is looked up by its natural key first, so a second run adds
nothing. Deterministic: everything generated comes from the seeded ``rng``; the generated
people and contacts of a larger ``scale`` extend those of a smaller one.
Reference data, task forces and designations go through the services; the generated
people, assignments and contacts are inserted in bulk (for ``--scale`` runs), recorded
in the ledger one entry per batch of up to 1,000 that commits to each record.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from django.db import models

from liaison.directory import services
from liaison.directory.models import (
    Agency,
    Contact,
    Jurisdiction,
    LiaisonDesignation,
    Person,
    TaskForce,
    TaskForceAssignment,
)
from liaison.ledger.services import ledger_append

M = TypeVar("M", bound=models.Model)

EPOCH = date(2024, 1, 2)

# (key, name, kind, state, fips, parent key)
JURISDICTIONS: dict[str, list[tuple[str, str, str, str, str, str]]] = {
    "MN": [
        ("MN", "Minnesota", "state", "MN", "27", ""),
        ("HENNEPIN", "Hennepin County", "county", "MN", "27053", "MN"),
        ("RAMSEY", "Ramsey County", "county", "MN", "27123", "MN"),
        ("MINNEAPOLIS", "Minneapolis", "city", "MN", "2743000", "HENNEPIN"),
        ("SAINT_PAUL", "Saint Paul", "city", "MN", "2758000", "RAMSEY"),
    ],
    "WI": [
        ("WI", "Wisconsin", "state", "WI", "55", ""),
        ("MILWAUKEE_COUNTY", "Milwaukee County", "county", "WI", "55079", "WI"),
        ("DANE", "Dane County", "county", "WI", "55025", "WI"),
        ("MILWAUKEE", "Milwaukee", "city", "WI", "5553000", "MILWAUKEE_COUNTY"),
    ],
}

# (abbreviation, name, level, jurisdiction key, parent abbreviation, website)
FEDERAL_AGENCIES = [
    ("CBP", "U.S. Customs and Border Protection", "federal", "US", "", "https://www.cbp.gov"),
    ("ICE", "U.S. Immigration and Customs Enforcement", "federal", "US", "", "https://www.ice.gov"),
]
AGENCIES: dict[str, list[tuple[str, str, str, str, str, str]]] = {
    "MN": [
        ("DPS", "Minnesota Department of Public Safety", "state", "MN", "", "https://dps.mn.gov"),
        ("BCA", "Bureau of Criminal Apprehension", "state", "MN", "DPS", ""),
        ("MSP", "Minnesota State Patrol", "state", "MN", "DPS", ""),
        ("MNFC", "Minnesota Fusion Center", "state", "MN", "BCA", ""),
        (
            "AGO",
            "Minnesota Attorney General's Office",
            "state",
            "MN",
            "",
            "https://www.ag.state.mn.us",
        ),
        ("HCSO", "Hennepin County Sheriff's Office", "local", "HENNEPIN", "", ""),
        ("RCSO", "Ramsey County Sheriff's Office", "local", "RAMSEY", "", ""),
        ("MPD", "Minneapolis Police Department", "local", "MINNEAPOLIS", "", ""),
        ("SPPD", "Saint Paul Police Department", "local", "SAINT_PAUL", "", ""),
        (
            "OLA",
            "Office of the Legislative Auditor",
            "state",
            "MN",
            "",
            "https://www.auditor.leg.state.mn.us",
        ),
        (
            "ERO-SPM",
            "ICE Enforcement and Removal Operations — St. Paul Field Office",
            "federal",
            "US",
            "ICE",
            "",
        ),
        ("HSI-SPM", "Homeland Security Investigations — St. Paul", "federal", "US", "ICE", ""),
        (
            "CBP-OFO-MSP",
            "CBP Office of Field Operations — Minneapolis",
            "federal",
            "US",
            "CBP",
            "",
        ),
    ],
    "WI": [
        (
            "WI-DOJ",
            "Wisconsin Department of Justice",
            "state",
            "WI",
            "",
            "https://www.doj.state.wi.us",
        ),
        ("DCI", "Division of Criminal Investigation", "state", "WI", "WI-DOJ", ""),
        ("WSP", "Wisconsin State Patrol", "state", "WI", "", ""),
        ("WSIC", "Wisconsin Statewide Intelligence Center", "state", "WI", "DCI", ""),
        ("MCSO", "Milwaukee County Sheriff's Office", "local", "MILWAUKEE_COUNTY", "", ""),
        ("DCSO", "Dane County Sheriff's Office", "local", "DANE", "", ""),
        ("MPD-WI", "Milwaukee Police Department", "local", "MILWAUKEE", "", ""),
        (
            "STAC",
            "Southeastern Wisconsin Threat Analysis Center",
            "local",
            "MILWAUKEE_COUNTY",
            "",
            "",
        ),
        ("LAB", "Legislative Audit Bureau", "state", "WI", "", "https://legis.wisconsin.gov/lab"),
        (
            "ERO-CHI",
            "ICE Enforcement and Removal Operations — Chicago Field Office",
            "federal",
            "US",
            "ICE",
            "",
        ),
        ("HSI-MKE", "Homeland Security Investigations — Milwaukee", "federal", "US", "ICE", ""),
    ],
}


@dataclass(frozen=True)
class TaskForcePlan:
    name: str
    lead: str
    members: tuple[str, ...]
    purpose: str
    area: str


TASK_FORCES: dict[str, list[TaskForcePlan]] = {
    "MN": [
        TaskForcePlan(
            "HSI St. Paul Transnational Crime Task Force",
            "HSI-SPM",
            ("BCA", "MSP", "HCSO"),
            "Investigate transnational criminal organizations: drug and weapons smuggling, "
            "financial crime and human smuggling.",
            "Twin Cities metropolitan area",
        ),
        TaskForcePlan(
            "Minnesota Northern Border Task Force",
            "CBP",
            ("MSP", "BCA"),
            "Coordinate state support to border security along Minnesota's northern border.",
            "Northern border counties and ports of entry",
        ),
        TaskForcePlan(
            "Twin Cities Human Trafficking Task Force",
            "BCA",
            ("HSI-SPM", "RCSO", "SPPD", "MPD"),
            "Identify and assist trafficking victims and investigate trafficking networks.",
            "Hennepin and Ramsey counties",
        ),
    ],
    "WI": [
        TaskForcePlan(
            "HSI Milwaukee Transnational Crime Task Force",
            "HSI-MKE",
            ("DCI", "WSP", "MCSO"),
            "Investigate transnational criminal organizations: drug and weapons smuggling, "
            "financial crime and human smuggling.",
            "Southeastern Wisconsin",
        ),
        TaskForcePlan(
            "Wisconsin Great Lakes Border Task Force",
            "CBP",
            ("WSP", "DCI"),
            "Coordinate state support to border security at Great Lakes ports and airports.",
            "Lake Michigan and Lake Superior shores",
        ),
        TaskForcePlan(
            "Southeastern Wisconsin Human Trafficking Task Force",
            "DCI",
            ("HSI-MKE", "MCSO", "MPD-WI"),
            "Identify and assist trafficking victims and investigate trafficking networks.",
            "Milwaukee, Waukesha and Racine counties",
        ),
    ],
}

GIVEN_NAMES = [
    "Amina", "Anders", "Ana", "Bao", "Carlos", "Chue", "Deqa", "Erik", "Fatima", "Greta",
    "Hodan", "Ingrid", "Jamal", "Kao", "Kari", "Luis", "Mai", "Mohamed", "Nadia", "Nils",
    "Pa", "Rosa", "Sofia", "Tou", "Yusuf", "Zoe", "Brian", "Keisha", "Dylan", "Leah",
]  # fmt: skip
FAMILY_NAMES = [
    "Abdi", "Andersen", "Beaulieu", "Christensen", "Diaz", "Ellison", "Farah", "Garcia",
    "Hansen", "Her", "Isaksen", "Jama", "Kowalczyk", "Lee", "Lor", "Moua", "Nguyen",
    "Olson", "Peterson", "Quam", "Rivera", "Schmidt", "Thao", "Vang", "Wojcik", "Xiong",
    "Yang", "Zimmerman", "Johnson", "Morales",
]  # fmt: skip
TITLES = {
    "federal": ["Special Agent", "Deportation Officer", "CBP Officer", "Intelligence Analyst"],
    "state": ["Special Agent", "Trooper", "Intelligence Analyst", "Sergeant", "Lieutenant"],
    "local": ["Deputy", "Officer", "Sergeant", "Detective", "Lieutenant"],
}
TF_ROLES = ["Task Force Officer", "Case Agent", "Analyst", "Group Supervisor"]
CONTACT_PURPOSES = [
    ("Duty desk", "24/7", "Urgent coordination and deconfliction"),
    ("Records unit", "Mon–Fri 8:00–16:30", "Data-sharing and records requests"),
    ("Public information office", "Mon–Fri 8:00–17:00", "Media and community questions"),
    ("Legal counsel", "Mon–Fri 8:00–16:30", "Agreements and legal review"),
]
PEOPLE_AT_SCALE_1 = 36
PEOPLE_PER_SCALE = 100  # each unit of scale above 1; with the agreements' 100, --scale 1001
CONTACTS_PER_SCALE = 12  # reaches 100,000 people and 100,000 agreements
IN_CHUNK = 5000  # values per IN (…) query: SQLite allows at most 32,766 parameters


def _chunks(values: list[str]) -> list[list[str]]:
    return [values[i : i + IN_CHUNK] for i in range(0, len(values), IN_CHUNK)]


def _phone(rng: random.Random) -> str:
    # 555-01xx numbers are reserved for fiction.
    return f"({rng.choice(['612', '651', '414', '608', '763'])}) 555-01{rng.randrange(100):02d}"


LEDGER_BATCH = 1000


def _ledger_bulk(objects: list[M], action: str) -> None:
    """One ledger entry per batch of up to 1,000 records, naming their id range and
    committing to each record's fields (as the generated agreements are recorded)."""
    for i in range(0, len(objects), LEDGER_BATCH):
        batch = objects[i : i + LEDGER_BATCH]
        ledger_append(
            actor=None,
            action=action,
            object_type=batch[0]._meta.label_lower,
            object_id=f"{batch[0].pk}-{batch[-1].pk}",
            reason="demo data",
            change={"records": [services.change_of(obj) for obj in batch]},
        )


def _bulk_new(model: type[M], objects: list[M], action: str) -> int:
    for obj in objects:
        obj.full_clean(validate_unique=False)
    created = model._default_manager.bulk_create(objects, batch_size=500)
    _ledger_bulk(created, action)
    return len(created)


def _jurisdictions(state: str) -> dict[str, Jurisdiction]:
    by_key: dict[str, Jurisdiction] = {}
    rows = [("US", "United States", "federal", "", "", ""), *JURISDICTIONS[state]]
    for key, name, kind, st, fips, parent in rows:
        found = Jurisdiction.objects.filter(kind=kind, state=st, name=name).first()
        by_key[key] = found or services.jurisdiction_create(
            actor=None,
            name=name,
            kind=kind,
            state=st,
            fips=fips,
            parent=by_key.get(parent),
            reason="demo data",
        )
    return by_key


def _agencies(state: str, places: dict[str, Jurisdiction]) -> dict[str, Agency]:
    by_abbr: dict[str, Agency] = {}
    for abbr, name, level, place, parent, website in [*FEDERAL_AGENCIES, *AGENCIES[state]]:
        found = Agency.objects.filter(name=name).first()
        by_abbr[abbr] = found or services.agency_create(
            actor=None,
            name=name,
            abbreviation=abbr,
            level=level,
            jurisdiction=places[place],
            parent=by_abbr.get(parent),
            website=website,
            reason="demo data",
        )
    return by_abbr


def _task_forces(plans: list[TaskForcePlan], agencies: dict[str, Agency]) -> list[TaskForce]:
    task_forces = []
    for number, plan in enumerate(plans):
        tf = TaskForce.objects.filter(name=plan.name).first()
        if tf is None:
            tf = services.task_force_create(
                actor=None,
                name=plan.name,
                lead_agency=agencies[plan.lead],
                purpose=plan.purpose,
                area=plan.area,
                start_date=EPOCH + timedelta(days=30 * (number % 12)),
                reason="demo data",
            )
        present = set(tf.memberships.values_list("agency_id", flat=True))
        for member in plan.members:
            if agencies[member].pk not in present:
                services.task_force_membership_add(
                    actor=None,
                    task_force=tf,
                    agency=agencies[member],
                    joined_on=tf.start_date,
                    reason="demo data",
                )
        task_forces.append(tf)
    return task_forces


def _extra_plans(
    state: str, scale: int, agencies: dict[str, Agency], rng: random.Random
) -> list[TaskForcePlan]:
    """One more task force per unit of scale above 1, led by a state or local agency."""
    leads = [a for a in AGENCIES[state] if a[2] != "federal"]
    federal = [a[0] for a in AGENCIES[state] if a[2] == "federal"]
    plans = []
    for n in range(2, scale + 1):
        lead = leads[n % len(leads)][0]
        others = [a[0] for a in leads if a[0] != lead]
        members = (*rng.sample(others, 2), federal[n % len(federal)])
        plans.append(
            TaskForcePlan(
                f"{state} Regional Joint Task Force {n}",
                lead,
                members,
                "Regional coordination of joint investigations.",
                f"Region {n}",
            )
        )
    return plans


def _people(
    state: str, scale: int, agencies: dict[str, Agency], rng: random.Random
) -> tuple[int, list[Person]]:
    staffed = [agencies[a[0]] for a in [*FEDERAL_AGENCIES, *AGENCIES[state]]]
    wanted: list[Person] = []
    for i in range(PEOPLE_AT_SCALE_1 + PEOPLE_PER_SCALE * (scale - 1)):
        agency = staffed[i % len(staffed)]
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        title = rng.choice(TITLES[agency.level])
        phone = _phone(rng)
        start = EPOCH - timedelta(days=rng.randrange(3650))
        badge = f"{agency.abbreviation}-{i:06d}"
        wanted.append(
            Person(
                agency=agency,
                given_name=given,
                family_name=family,
                title=title,
                badge_number=badge,
                email=f"{given}.{family}.{i}@{agency.abbreviation.lower()}.example.gov".lower(),
                phone=phone,
                active_from=start,
            )
        )
    badges = _chunks([p.badge_number for p in wanted])
    existing = {
        (a, b)
        for chunk in badges
        for a, b in Person.objects.filter(badge_number__in=chunk).values_list(
            "agency_id", "badge_number"
        )
    }
    missing = [p for p in wanted if (p.agency_id, p.badge_number) not in existing]
    created = _bulk_new(Person, missing, "person.create")
    people = [
        person
        for chunk in badges
        for person in Person.objects.filter(badge_number__in=chunk).select_related("agency")
    ]
    return created, people


def _assignments(people: list[Person], task_forces: list[TaskForce], rng: random.Random) -> int:
    participants: dict[int, list[TaskForce]] = {}
    for tf in task_forces:
        for agency_id in {tf.lead_agency_id, *tf.memberships.values_list("agency_id", flat=True)}:
            participants.setdefault(agency_id, []).append(tf)
    existing = set(
        TaskForceAssignment.objects.filter(task_force__in=task_forces).values_list(
            "person_id", "task_force_id"
        )
    )
    new = []
    for person in sorted(people, key=lambda p: p.badge_number):
        options = participants.get(person.agency_id, [])
        draw = rng.random()
        if not options or draw < 0.3:
            continue
        tf = options[int(draw * 1000) % len(options)]
        if (person.pk, tf.pk) in existing:
            continue
        new.append(
            TaskForceAssignment(
                person=person,
                task_force=tf,
                role=TF_ROLES[int(draw * 100) % len(TF_ROLES)],
                start_date=max(tf.start_date, person.active_from),
            )
        )
    return _bulk_new(TaskForceAssignment, new, "task_force_assignment.create")


def _designations(state: str, people: list[Person], agencies: dict[str, Agency], scale: int) -> int:
    """Liaisons between the state and local agencies and the federal agencies they work with."""
    pairs = {
        "MN": [
            ("BCA", "HSI-SPM"),
            ("MSP", "CBP"),
            ("HCSO", "ERO-SPM"),
            ("MNFC", "HSI-SPM"),
            ("HSI-SPM", "BCA"),
        ],
        "WI": [
            ("DCI", "HSI-MKE"),
            ("WSP", "CBP"),
            ("MCSO", "ERO-CHI"),
            ("WSIC", "HSI-MKE"),
            ("HSI-MKE", "DCI"),
        ],
    }[state]
    staff: dict[int, list[Person]] = {}
    for person in sorted(people, key=lambda p: p.badge_number):
        staff.setdefault(person.agency_id, []).append(person)
    created = 0
    for n in range(scale):
        for from_abbr, to_abbr in pairs:
            from_agency, to_agency = agencies[from_abbr], agencies[to_abbr]
            candidates = staff.get(from_agency.pk, [])
            if n >= len(candidates):
                continue
            person = candidates[n]
            start = EPOCH + timedelta(days=7 * n)
            if LiaisonDesignation.objects.filter(
                person=person, from_agency=from_agency, to_agency=to_agency, start_date=start
            ).exists():
                continue
            services.liaison_designation_create(
                actor=None,
                person=person,
                from_agency=from_agency,
                to_agency=to_agency,
                start_date=start,
                notes=f"Primary liaison of {from_abbr} to {to_abbr}.",
                reason="demo data",
            )
            created += 1
    return created


def _contacts(state: str, scale: int, agencies: dict[str, Agency], rng: random.Random) -> int:
    """Each agency of the state, and each federal office in it, keeps contacts of others."""
    keepers = [agencies[a[0]] for a in AGENCIES[state]]
    everyone = [agencies[a[0]] for a in [*FEDERAL_AGENCIES, *AGENCIES[state]]]
    wanted = []
    for i in range(CONTACTS_PER_SCALE * scale):
        owner = keepers[i % len(keepers)]
        agency = everyone[(i * 7 + 3) % len(everyone)]
        desk, hours, purpose = CONTACT_PURPOSES[i % len(CONTACT_PURPOSES)]
        phone = _phone(rng)
        wanted.append(
            Contact(
                agency=agency,
                owner_agency=owner,
                name=f"{agency.abbreviation} {desk} #{i + 1}",
                purpose=purpose,
                hours=hours,
                phone=phone,
                email=f"desk{i + 1}@{agency.abbreviation.lower()}.example.gov",
            )
        )
    existing = {
        row
        for chunk in _chunks([c.name for c in wanted])
        for row in Contact.objects.filter(name__in=chunk).values_list(
            "agency_id", "owner_agency_id", "name"
        )
    }
    missing = [c for c in wanted if (c.agency_id, c.owner_agency_id, c.name) not in existing]
    return _bulk_new(Contact, missing, "contact.create")


def load(*, state: str, scale: int, rng: random.Random) -> list[str]:
    """Create the directory of ``state`` (``MN`` or ``WI``) once; return one summary line."""
    # One generator per stage, so the number of draws in one stage (which grows with
    # scale) does not change what the next stage draws.
    stage = [random.Random(rng.getrandbits(64)) for _ in range(4)]
    places = _jurisdictions(state)
    agencies = _agencies(state, places)
    plans = TASK_FORCES[state] + _extra_plans(state, scale, agencies, stage[0])
    task_forces = _task_forces(plans, agencies)
    new_people, people = _people(state, scale, agencies, stage[1])
    new_assignments = _assignments(people, task_forces, stage[2])
    new_designations = _designations(state, people, agencies, scale)
    new_contacts = _contacts(state, scale, agencies, stage[3])
    return [
        f"directory: {Jurisdiction.objects.count()} jurisdictions, {Agency.objects.count()} "
        f"agencies, {TaskForce.objects.count()} task forces, {Person.objects.count()} people "
        f"({new_people} new), {new_assignments} new assignments, {new_designations} new "
        f"designations, {new_contacts} new contacts ({Contact.objects.count()} in all)"
    ]
