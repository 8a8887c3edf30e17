"""The fixed vocabulary of ``liaison.sharing.request/1`` and ``liaison.sharing.decision/1``.

Other tools are built against these codes: they keep their names and values. A list may
grow (a new category, a new obligation); nothing is renamed. ``docs/sharing/README.md``
describes every code and the JSON Schemas in ``docs/sharing/`` are generated from here
(:mod:`liaison.policy.schemas`).
"""

from __future__ import annotations

from typing import NamedTuple

REQUEST_FORMAT = "liaison.sharing.request/1"
DECISION_FORMAT = "liaison.sharing.decision/1"

STATES = ("MN", "WI")
LEVELS = ("federal", "state", "local")
COMPONENTS = (
    "cbp",
    "ice_ero",
    "ice_hsi",
    "fbi",
    "dea",
    "atf",
    "usms",
    "other_federal",
    "state",
    "local",
)
PURPOSES = (
    "criminal_investigation",
    "civil_immigration_enforcement",
    "public_safety_emergency",
    "officer_safety",
    "statistical",
    "task_force_operations",
)
INSTRUMENTS = (
    "judicial_warrant",
    "court_order",
    "grand_jury_subpoena",
    "administrative_subpoena",
    "administrative_warrant",
    "detainer",
    "detainer_with_administrative_warrant",
    "agreement_clause",
    "written_consent",
    "none",
)
AGREEMENT_TYPES = (
    "287g_jail_enforcement",
    "287g_task_force",
    "287g_warrant_service_officer",
    "federal_task_force_mou",
    "information_sharing",
    "mutual_aid",
    "other",
)
AGREEMENT_STATUSES = (
    "draft",
    "legal_review",
    "signed",
    "active",
    "expired",
    "terminated",
    "suspended",
)
ACTIVITIES = (
    "joint_investigation",
    "surveillance_support",
    "warrant_service",
    "jail_screening",
    "civil_immigration_arrest",
    "information_sharing",
    "training",
    "equipment_loan",
)
CLASSIFICATIONS = ("public", "private", "confidential", "nonpublic", "protected_nonpublic")
SOURCES = (
    "driver_vehicle_services",
    "criminal_history",
    "jail_management",
    "records_management",
    "investigative_case_files",
    "intelligence_system",
    "other",
)
FLAGS = (
    "active_investigation",
    "political_religious_social_views",
    "tied_to_criminal_conduct",
    "reasonable_suspicion",
    "deidentified",
)
ACTIONS = ("hold_past_release", "status_inquiry", "civil_immigration_arrest", "facility_access")
DECISIONS = ("permit", "deny", "needs_review")
OBLIGATIONS = (
    "record_dissemination",
    "review_within_5_years",
    "notify_subject",
    "report_to_council",
    "document_assistance",
    "log_access",
)


class Category(NamedTuple):
    description: str
    fields: tuple[str, ...]
    """What may leave when an item of this category is permitted (before a policy's
    ``@fields`` narrows it further): the minimization list."""


CATEGORIES: dict[str, Category] = {
    "citizenship_immigration_status": Category(
        "Whether a person is a citizen, and their immigration status, as the custodian "
        "recorded it (8 U.S.C. §§ 1373, 1644).",
        ("name", "date_of_birth", "citizenship_status", "immigration_status"),
    ),
    "arrest": Category(
        "Arrest data: who was arrested, when, where and for what (public in Minnesota, "
        "Minn. Stat. § 13.82, subd. 2).",
        ("name", "date_of_birth", "arrest_date", "arrest_location", "charges", "arresting_agency"),
    ),
    "request_for_service": Category(
        "A call or request for police service and its response (Minn. Stat. § 13.82, subd. 3).",
        ("received_at", "nature_of_request", "location", "response"),
    ),
    "incident_response": Category(
        "What officers did in response to an incident (Minn. Stat. § 13.82, subd. 6).",
        ("occurred_at", "location", "nature_of_incident", "response", "agencies_involved"),
    ),
    "active_investigative": Category(
        "Data collected for an active criminal investigation (confidential or protected "
        "nonpublic in Minnesota, Minn. Stat. § 13.82, subd. 7).",
        ("case_number", "offense", "subjects", "summary", "investigating_agency", "contact"),
    ),
    "inactive_investigative": Category(
        "Investigative data of an investigation no longer active (generally public in "
        "Minnesota, with exceptions).",
        ("case_number", "offense", "summary", "disposition"),
    ),
    "criminal_history": Category(
        "Criminal history record information: arrests, charges and dispositions.",
        ("name", "date_of_birth", "arrests", "charges", "dispositions"),
    ),
    "criminal_intelligence": Category(
        "Criminal intelligence information in a system run under 28 C.F.R. Part 23.",
        (
            "subject",
            "criminal_activity",
            "basis_for_suspicion",
            "source_reliability",
            "submitted_by",
        ),
    ),
    "booking": Category(
        "A jail booking record: who was booked, when, on what charges.",
        ("name", "date_of_birth", "booking_number", "booking_date", "charges", "facility"),
    ),
    "release_date_custody_status": Category(
        "When a person in custody will be released and their custody status (not covered "
        "by 8 U.S.C. § 1373).",
        ("name", "date_of_birth", "booking_number", "custody_status", "release_date", "facility"),
    ),
    "address": Category("A person's home or other address.", ("name", "address", "address_as_of")),
    "contact_information": Category(
        "A person's telephone numbers and e-mail addresses.", ("name", "telephone", "email")
    ),
    "photo": Category("A photograph of a person (booking photo or licence photo).", ("photo",)),
    "employment": Category(
        "Where a person works or worked.", ("name", "employer", "employment_dates")
    ),
    "vehicle_registration": Category(
        "Vehicle registration records.", ("plate", "vin", "make_model_year", "registered_owner")
    ),
    "driver_license": Category(
        "Driver's licence records.", ("name", "date_of_birth", "license_number", "license_status")
    ),
    "summary_statistics": Category(
        "De-identified counts and summaries with no data on any individual (Minn. Stat. "
        "§ 13.05, subd. 7).",
        ("table",),
    ),
}

# Requester attributes in the GFIPM/NIEF vocabulary that the packs read; others may be sent.
REQUESTER_ATTRIBUTES = {
    "SwornLawEnforcementOfficerIndicator": "sworn",
    "28CFRCertificationIndicator": "certified_28cfr23",
}
