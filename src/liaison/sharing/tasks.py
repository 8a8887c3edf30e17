"""Daily sharing job for the worker (registered in ``LIAISON_PERIODIC_TASKS``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from liaison.sharing import services_subjects


@task()
def flag_disclosure_reviews() -> int:
    """Flag disclosures whose 28 C.F.R. 23 review date has come and notify the custodian's
    privacy officers; idempotent, returns how many reviews were new."""
    return services_subjects.disclosure_reviews_flag(today=timezone.localdate())
