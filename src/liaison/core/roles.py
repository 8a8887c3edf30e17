"""The roles of DESIGN.md. A user has exactly one role, tied to one agency."""

from django.db import models


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    OFFICER = "officer", "Officer"
    SUPERVISOR = "supervisor", "Supervisor"
    PRIVACY_OFFICER = "privacy_officer", "Privacy officer"
    LEGAL_COUNSEL = "legal_counsel", "Legal counsel"
    INVESTIGATOR = "investigator", "Investigator"
    OVERSIGHT = "oversight", "Oversight"
    PARTNER = "partner", "Federal partner"
    ADMIN = "admin", "Administrator"


STAFF_ROLES = frozenset(Role) - {Role.PARTNER}
# Roles that read every record they are entitled to across agencies.
READ_ALL_ROLES = frozenset({Role.OVERSIGHT, Role.ADMIN})
