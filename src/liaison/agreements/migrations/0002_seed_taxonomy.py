"""Seed the fixed, extendable lists of activities, data categories and purposes.

Adding a code later is a new data migration; existing codes are never renamed
because rule packs and other modules refer to them.
"""

from django.db import migrations

ACTIVITIES = [
    ("joint_investigation", "Joint criminal investigation", "Investigating crimes together with the other parties."),
    ("surveillance_support", "Surveillance support", "Physical or technical surveillance in support of an investigation."),
    ("warrant_service", "Criminal warrant service", "Serving judicial criminal warrants."),
    ("administrative_warrant_service", "Administrative warrant service (I-200/I-205)", "Serving immigration administrative warrants; 287(g) warrant service officers only."),
    ("jail_screening", "Jail screening", "Interviewing and screening people in custody for immigration status (287(g) jail model)."),
    ("detainer_processing", "Detainer processing", "Preparing or acting on immigration detainers (Form I-247A)."),
    ("civil_immigration_arrest", "Civil immigration arrest", "Arrest for a civil immigration violation; needs delegated 287(g) authority."),
    ("information_sharing", "Information sharing", "Exchanging records and information under the agreement."),
    ("deconfliction", "Deconfliction", "Checking planned operations against each other's to avoid conflicts."),
    ("transport", "Prisoner transport", "Transporting people in custody."),
    ("training", "Training", "Giving or receiving training."),
    ("equipment_loan", "Equipment loan", "Lending or borrowing equipment."),
    ("mutual_aid_response", "Mutual aid response", "Responding to another agency's request for assistance."),
    ("task_force_operations", "Task-force operations", "Taking part in task-force enforcement operations."),
]

DATA_CATEGORIES = [
    ("criminal_history", "Criminal history record information", "Records of arrests, charges and dispositions."),
    ("arrest_data", "Arrest data", "Data on arrests (public in Minnesota under Minn. Stat. § 13.82, subd. 2)."),
    ("booking_data", "Booking data", "Jail booking records."),
    ("release_date", "Release date and custody status", "When a person in custody will be released; not covered by 8 U.S.C. § 1373."),
    ("immigration_status", "Citizenship or immigration status", "Information on citizenship or immigration status (8 U.S.C. §§ 1373, 1644)."),
    ("dvs_immigration_status_data", "Driver and vehicle services immigration status data", "Immigration status data held for noncompliant licenses (Minn. Stat. § 171.12, subd. 11): not shared."),
    ("investigative_data", "Criminal investigative data", "Data collected for an active criminal investigation."),
    ("intelligence", "Criminal intelligence", "Criminal intelligence information (28 C.F.R. Part 23)."),
    ("location_data", "Location data", "Addresses, vehicle locations, license plate reader reads."),
    ("incident_data", "Incident and request-for-service data", "Calls for service and incident reports."),
    ("personnel_data", "Personnel data", "Data about the parties' own personnel."),
    ("biometric_data", "Biometric data", "Fingerprints, photographs and other biometric identifiers."),
]

PURPOSES = [
    ("criminal_investigation", "Criminal investigation", "Investigating or prosecuting a crime."),
    ("officer_safety", "Officer safety", "Protecting officers and the public during operations."),
    ("civil_immigration_enforcement", "Civil immigration enforcement", "Enforcing civil immigration law."),
    ("criminal_immigration_enforcement", "Criminal immigration enforcement", "Investigating federal immigration crimes."),
    ("deconfliction", "Deconfliction", "Avoiding conflicts between operations."),
    ("emergency_response", "Emergency response", "Responding to an emergency or disaster."),
    ("counterterrorism", "Counterterrorism", "Preventing and investigating terrorism."),
    ("human_trafficking", "Human trafficking investigation", "Investigating trafficking in persons."),
    ("narcotics", "Narcotics investigation", "Investigating drug trafficking."),
    ("audit_and_oversight", "Audit and oversight", "Audits, inspections and reviews of the agreement."),
    ("training", "Training", "Training personnel."),
]


def seed(apps, schema_editor):
    for model_name, rows in (
        ("Activity", ACTIVITIES),
        ("DataCategory", DATA_CATEGORIES),
        ("Purpose", PURPOSES),
    ):
        model = apps.get_model("agreements", model_name)
        for code, name, description in rows:
            model.objects.update_or_create(
                code=code, defaults={"name": name, "description": description}
            )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
