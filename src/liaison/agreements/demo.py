"""Demo agreements and the legal library, created idempotently through the services.

Per state: a federal task-force MOU (amended), an information-sharing agreement ending
within 60 days, an expired mutual-aid agreement, a terminated or suspended one, and a
draft in legal review; in Wisconsin also 287(g) jail-enforcement and warrant-service
agreements with a *fictional* county sheriff. Dates are relative to the day of loading.
``scale`` > 1 adds generated agreements in bulk (for benchmarks).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from liaison.agreements import services
from liaison.agreements.bulk import bulk_generate
from liaison.agreements.models import (
    Activity,
    Agreement,
    DataCategory,
    LegalAuthority,
    Purpose,
)
from liaison.directory.models import Agency, Jurisdiction, Person

P = "federal_party"
ST = "state_party"
LO = "local_party"
LEAD = "lead_agency"

TF_COMPLAINTS = (
    "Complaints about task-force officers go to the employing agency's internal affairs "
    "unit, which informs the other parties within 5 business days; the public may also "
    "file through the state complaint portal."
)
TERMINATION = "Either party may end the agreement by written notice to the other."


@dataclass(frozen=True)
class Plan:
    title: str
    kind: str
    parties: list[tuple[str, str]]
    start_days_ago: int
    length_days: int | None
    activities: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    authorities: list[str] = field(default_factory=list)
    end: str = "active"  # active, expired, suspended, terminated, legal_review, draft
    amend: bool = False
    cap: int | None = None
    clause: str = "Agreement"
    notes: str = ""
    training: list[tuple[str, str, str, int | None]] = field(default_factory=list)
    reports: list[tuple[str, str, str]] = field(default_factory=list)


MN_PLANS = [
    Plan(
        title="HSI St. Paul Financial and Trafficking Task Force MOU",
        kind="task_force_mou",
        parties=[("HSI-SPM", LEAD), ("BCA", ST), ("MSP", ST)],
        start_days_ago=700,
        length_days=1095,
        activities=["joint_investigation", "surveillance_support", "warrant_service", "training"],
        data=["criminal_history", "investigative_data", "arrest_data"],
        purposes=["criminal_investigation", "officer_safety", "human_trafficking", "narcotics"],
        authorities=["Minn. Stat. § 13.82, subd. 24", "Minn. Stat. § 13.05, subd. 9"],
        amend=True,
        cap=10,
        clause="Art. III (Scope)",
        training=[("Task Force Officer", "HSI task force officer orientation", "40", None)],
        reports=[("Quarterly task-force activity report", "quarterly", "DPS")],
    ),
    Plan(
        title="Minnesota Fusion Center – HSI St. Paul information-sharing agreement",
        kind="information_sharing",
        parties=[("MNFC", ST), ("HSI-SPM", P)],
        start_days_ago=1050,
        length_days=1095,
        activities=["information_sharing", "deconfliction"],
        data=["criminal_history", "intelligence", "incident_data"],
        purposes=["criminal_investigation", "counterterrorism", "deconfliction"],
        authorities=[
            "28 C.F.R. Part 23",
            "Minn. Stat. § 13.05, subd. 9",
            "Minn. Stat. § 299C.055",
            "Minn. Stat. § 171.12, subd. 11",
        ],
        clause="§ 4 (Information exchanged)",
        notes="Excludes immigration status data of noncompliant-license applicants.",
        reports=[("Annual dissemination log summary", "annual", "MNFC")],
    ),
    Plan(
        title="Hennepin–Ramsey sheriffs' mutual aid agreement",
        kind="mutual_aid",
        parties=[("HCSO", LO), ("RCSO", LO)],
        start_days_ago=1500,
        length_days=1300,
        activities=["mutual_aid_response", "transport", "equipment_loan"],
        purposes=["emergency_response"],
        end="expired",
    ),
    Plan(
        title="CBP Minneapolis – State Patrol equipment loan agreement",
        kind="other",
        parties=[("CBP-OFO-MSP", P), ("MSP", ST)],
        start_days_ago=400,
        length_days=730,
        activities=["equipment_loan", "training"],
        purposes=["training"],
        end="terminated",
    ),
    Plan(
        title="DPS – ERO St. Paul custody notification proposal",
        kind="other",
        parties=[("DPS", ST), ("ERO-SPM", P)],
        start_days_ago=-30,
        length_days=365,
        activities=["information_sharing"],
        data=["booking_data"],
        purposes=["criminal_investigation"],
        authorities=["Esparza v. Nobles County, No. A18-2011 (Minn. Ct. App. 2019)"],
        end="legal_review",
        notes="Proposal: criminal custody notifications only; no detainer holds (Esparza).",
    ),
]

WI_PLANS = [
    Plan(
        title="HSI Milwaukee Gang and Narcotics Task Force MOU",
        kind="task_force_mou",
        parties=[("HSI-MKE", LEAD), ("DCI", ST), ("WSP", ST)],
        start_days_ago=600,
        length_days=1095,
        activities=["joint_investigation", "surveillance_support", "warrant_service"],
        data=["criminal_history", "investigative_data"],
        purposes=["criminal_investigation", "narcotics", "officer_safety"],
        amend=True,
        cap=8,
        clause="Art. III (Scope)",
        training=[("Task Force Officer", "HSI task force officer orientation", "40", None)],
        reports=[("Quarterly task-force activity report", "quarterly", "WI-DOJ")],
    ),
    Plan(
        title="WSIC – HSI Milwaukee information-sharing agreement",
        kind="information_sharing",
        parties=[("WSIC", ST), ("HSI-MKE", P)],
        start_days_ago=1050,
        length_days=1095,
        activities=["information_sharing", "deconfliction"],
        data=["criminal_history", "intelligence", "incident_data"],
        purposes=["criminal_investigation", "counterterrorism"],
        authorities=["28 C.F.R. Part 23", "Wis. Stat. §§ 19.31–19.39"],
        clause="§ 4 (Information exchanged)",
    ),
    Plan(
        title="287(g) jail enforcement model MOA — Lakeshore County Sheriff's Office",
        kind="287g_jail",
        parties=[("ICE", P), ("LCSO", LO)],
        start_days_ago=300,
        length_days=1095,
        activities=["jail_screening", "detainer_processing", "information_sharing"],
        data=["booking_data", "immigration_status", "release_date", "biometric_data"],
        purposes=["civil_immigration_enforcement"],
        authorities=["8 U.S.C. § 1357(g)", "8 C.F.R. § 287.7"],
        cap=6,
        clause="Art. IV (Designated functions)",
        notes="Fictional county and sheriff's office, for the demo only.",
        training=[
            ("Designated immigration officer", "ICE 287(g) jail enforcement basic", "160", None),
            ("Designated immigration officer", "287(g) refresher", "8", 12),
        ],
        reports=[("Monthly 287(g) encounter statistics", "monthly", "ICE")],
    ),
    Plan(
        title="287(g) warrant service officer agreement — Lakeshore County Sheriff's Office",
        kind="287g_warrant_service",
        parties=[("ERO-CHI", P), ("LCSO", LO)],
        start_days_ago=200,
        length_days=1095,
        activities=["administrative_warrant_service"],
        data=["booking_data", "release_date"],
        purposes=["civil_immigration_enforcement"],
        authorities=["8 U.S.C. § 1357(g)", "DHS Forms I-200 and I-205"],
        end="suspended",
        cap=4,
        clause="Art. IV (Designated functions)",
        notes="Fictional county and sheriff's office, for the demo only.",
        training=[("Warrant service officer", "ICE warrant service officer course", "8", 12)],
    ),
    Plan(
        title="Milwaukee Police – STAC mutual aid agreement",
        kind="mutual_aid",
        parties=[("MPD-WI", LO), ("STAC", LO)],
        start_days_ago=1600,
        length_days=1400,
        activities=["mutual_aid_response", "information_sharing"],
        purposes=["emergency_response"],
        end="expired",
    ),
]

# The information-sharing agreement of each state ends within 60 days of loading.
ENDING_SOON_DAYS = 45


def _fictional_sheriff() -> Agency:
    from liaison.directory import services as directory_services

    agency = Agency.objects.filter(abbreviation="LCSO").first()
    if agency is not None:
        return agency
    wisconsin = Jurisdiction.objects.get(kind="state", state="WI")
    county = Jurisdiction.objects.filter(name="Lakeshore County (fictional)").first()
    if county is None:
        county = directory_services.jurisdiction_create(
            actor=None,
            name="Lakeshore County (fictional)",
            kind="county",
            state="WI",
            parent=wisconsin,
        )
    return directory_services.agency_create(
        actor=None,
        name="Lakeshore County Sheriff's Office (fictional)",
        abbreviation="LCSO",
        level="local",
        jurisdiction=county,
        reason="Fictional agency for the demo agreements.",
    )


def _agency(abbr: str) -> Agency:
    if abbr == "LCSO":
        return _fictional_sheriff()
    return Agency.objects.filter(abbreviation=abbr).order_by("pk").first() or _missing(abbr)


def _missing(abbr: str) -> Agency:
    raise LookupError(f"Demo agency {abbr} is missing: load the directory demo first.")


def _create(plan: Plan, today: date, rng: random.Random) -> Agreement:
    start = today - timedelta(days=plan.start_days_ago)
    length = plan.length_days
    if "information-sharing" in plan.title:
        length = plan.start_days_ago + ENDING_SOON_DAYS
    expiry = start + timedelta(days=length) if length else None
    parties = [(_agency(abbr), role) for abbr, role in plan.parties]
    owner = next((a for a, _ in parties if not a.is_federal), parties[0][0])
    agreement = services.agreement_create(
        actor=None,
        owner_agency=owner,
        fields=services.AgreementFields(
            title=plan.title,
            kind=plan.kind,
            summary=plan.notes,
            effective_date=start,
            expiry_date=expiry,
            personnel_cap=plan.cap,
            grant_clause=plan.clause,
            complaint_procedure=TF_COMPLAINTS,
            termination_terms=TERMINATION,
            termination_notice_days=30 if plan.kind != "mutual_aid" else 90,
            notes=plan.notes,
            parties=parties,
            activities=list(Activity.objects.filter(code__in=plan.activities)),
            data_categories=list(DataCategory.objects.filter(code__in=plan.data)),
            purposes=list(Purpose.objects.filter(code__in=plan.purposes)),
            authority_ids=list(
                LegalAuthority.objects.filter(citation__in=plan.authorities).values_list(
                    "pk", flat=True
                )
            ),
        ),
    )
    for function, course, hours, renewal in plan.training:
        services.agreement_training_requirement_add(
            actor=None,
            agreement=agreement,
            function=function,
            course_name=course,
            hours=Decimal(hours),
            renewal_months=renewal,
        )
    for description, frequency, recipient in plan.reports:
        services.agreement_reporting_obligation_add(
            actor=None,
            agreement=agreement,
            description=description,
            frequency=frequency,
            recipient=_agency(recipient),
            first_due_on=start + timedelta(days=90),
        )
    if plan.end == "draft":
        return agreement
    services.agreement_submit_for_review(actor=None, agreement=agreement)
    if plan.end == "legal_review":
        return agreement
    services.agreement_review(actor=None, agreement=agreement, approve=True, notes="Approved.")
    signed_on = min(today, start - timedelta(days=7))
    for agency, _ in parties:
        services.agreement_record_signature(
            actor=None,
            agreement=agreement,
            agency=agency,
            name=f"Authorized official of {agency.abbreviation or agency.name}",
            title="Agency head",
            signed_on=signed_on,
        )
    services.agreement_activate(actor=None, agreement=agreement)
    _nominate(agreement, parties, plan, start, rng)
    if plan.amend:
        services.amendment_create(
            actor=None,
            agreement=agreement,
            title="Adds equipment loans and raises the personnel cap",
            summary="Ends surveillance support; adds equipment loans; cap raised.",
            section="§ 2",
            effective_date=start + timedelta(days=365),
            new_personnel_cap=(plan.cap or 0) + 4,
            add_activities=list(Activity.objects.filter(code="equipment_loan")),
            remove_activities=list(Activity.objects.filter(code="surveillance_support")),
        )
    if plan.end == "expired":
        services.agreements_expire(today=today)
    elif plan.end == "suspended":
        services.agreement_suspend(
            actor=None, agreement=agreement, reason="Pending review of training records."
        )
    elif plan.end == "terminated":
        services.agreement_terminate(
            actor=None,
            agreement=agreement,
            reason="Equipment returned; program ended.",
            notice_date=today - timedelta(days=20),
        )
    return agreement


def _nominate(
    agreement: Agreement,
    parties: list[tuple[Agency, str]],
    plan: Plan,
    start: date,
    rng: random.Random,
) -> None:
    if not plan.cap:
        return
    local = [a for a, _ in parties if not a.is_federal]
    people = list(
        Person.objects.filter(agency__in=local, active_until__isnull=True).order_by("pk")[
            : plan.cap
        ]
    )
    for person in people[: max(1, plan.cap // 2)]:
        services.agreement_nominate_person(
            actor=None,
            agreement=agreement,
            person=person,
            function=plan.training[0][0] if plan.training else "Designated officer",
            nominated_on=start,
        )


def load(*, state: str, scale: int, rng: random.Random) -> list[str]:
    """Create the legal library and the demo agreements of ``state`` once."""
    added = services.legal_authorities_load()
    today = timezone.localdate()
    created = 0
    for plan in MN_PLANS if state == "MN" else WI_PLANS:
        if Agreement.objects.filter(title=plan.title).exists():
            continue
        with transaction.atomic():
            _create(plan, today, rng)
        created += 1
    generated = 0
    if scale > 1:
        wanted = (scale - 1) * 100
        have = Agreement.objects.filter(reference__startswith="GEN-").count()
        if have < wanted:
            agencies = list(Agency.objects.filter(active=True))
            generated = bulk_generate(
                count=wanted - have, agencies=agencies, today=today, rng=rng, start_index=have
            )
    return [
        f"agreements: {LegalAuthority.objects.count()} legal authorities ({added} new), "
        f"{Agreement.objects.count()} agreements ({created} new, {generated} generated)"
    ]
