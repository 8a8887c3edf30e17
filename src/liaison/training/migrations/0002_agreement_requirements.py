"""Agreements' training requirements become links to catalog courses.

Each ``agreements.TrainingRequirement`` row (a free-text ``course_name``) becomes a
contractual requirement of its agreement for the row's function, on the catalog
course of that title (any case); a name no course has becomes a new course marked
"to review". In force from the day of the migration, so nominations made before it
stand. The rows are linked once: a second run adds nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import migrations


def _code(Course: Any, name: str) -> str:
    base = "REVIEW-" + "".join(ch for ch in name.upper() if ch.isalnum())[:24]
    code, n = base, 1
    while Course.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def link(apps: Any, schema_editor: Any) -> None:
    TrainingRequirement = apps.get_model("agreements", "TrainingRequirement")
    Course = apps.get_model("training", "Course")
    Requirement = apps.get_model("training", "Requirement")
    today = datetime.date.today()
    for row in TrainingRequirement.objects.select_related("agreement").order_by("pk"):
        name = row.course_name.strip()
        course = Course.objects.filter(title__iexact=name).order_by("pk").first()
        if course is None:
            course = Course.objects.create(
                code=_code(Course, name),
                title=name[:200],
                hours=row.hours,
                to_review=True,
            )
        Requirement.objects.get_or_create(
            scope="agreement",
            agreement_id=row.agreement_id,
            course=course,
            role=row.function,
            defaults={
                "basis": "contractual",
                "renewal_months": row.renewal_months,
                "effective_from": today,
                "citation": "Agreement training requirement",
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("agreements", "0006_help_text_and_constraint_messages"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
