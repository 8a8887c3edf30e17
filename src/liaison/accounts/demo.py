"""Demo accounts: one per role, all with the password ``liaison-demo-2026``.

Runs after the directory's demo loader, which creates the agencies looked up here
by abbreviation. Idempotent: existing accounts are left as they are. Passwords are
set (hashed) by ``user_create``, and each creation is ledgered as by the command line.
"""

from __future__ import annotations

import random

from liaison.accounts import services
from liaison.accounts.models import User
from liaison.core.roles import Role
from liaison.directory.models import Agency

PASSWORD = "liaison-demo-2026"  # noqa: S105 - the published demo password

# role -> (agency abbreviation, first name, last name), per state.
ACCOUNTS: dict[str, dict[Role, tuple[str, str, str]]] = {
    "MN": {
        Role.COORDINATOR: ("DPS", "Dana", "Lindqvist"),
        Role.OFFICER: ("MSP", "Marcus", "Olsen"),
        Role.SUPERVISOR: ("BCA", "Teresa", "Halvorsen"),
        Role.PRIVACY_OFFICER: ("DPS", "Priya", "Raman"),
        Role.LEGAL_COUNSEL: ("AGO", "Lauren", "Bergstrom"),
        Role.INVESTIGATOR: ("MPD", "Isaac", "Warsame"),
        Role.OVERSIGHT: ("OLA", "Olivia", "Nygaard"),
        Role.PARTNER: ("HSI-SPM", "Patrick", "Delgado"),
        Role.ADMIN: ("DPS", "Alex", "Vang"),
    },
    "WI": {
        Role.COORDINATOR: ("WI-DOJ", "Dana", "Kowalski"),
        Role.OFFICER: ("WSP", "Marcus", "Schultz"),
        Role.SUPERVISOR: ("DCI", "Teresa", "Brandt"),
        Role.PRIVACY_OFFICER: ("WI-DOJ", "Priya", "Mehta"),
        Role.LEGAL_COUNSEL: ("WI-DOJ", "Lauren", "Jorgensen"),
        Role.INVESTIGATOR: ("MPD-WI", "Isaac", "Thao"),
        Role.OVERSIGHT: ("LAB", "Olivia", "Krueger"),
        Role.PARTNER: ("HSI-MKE", "Patrick", "Ramirez"),
        Role.ADMIN: ("WI-DOJ", "Alex", "Her"),
    },
}


def load(*, state: str, scale: int, rng: random.Random) -> list[str]:
    """Create (once) the demo login of every role and return the lines to print."""
    lines = ["Demo logins (MFA is off in the demo):"]
    for role, (abbreviation, first_name, last_name) in ACCOUNTS[state].items():
        agency = Agency.objects.get(abbreviation=abbreviation)
        user = User.objects.select_related("agency").filter(username=role.value).first()
        if user is None:
            # Through the service, so the demo accounts are in the ledger like any other.
            user = services.user_create(
                actor=None,
                username=role.value,
                email=f"{role.value.replace('_', '.')}@demo.liaison.invalid",
                role=role.value,
                agency=agency,
                first_name=first_name,
                last_name=last_name,
                password=PASSWORD,
            )
        lines.append(
            f"  {user.username:<16} password {PASSWORD}   ({role.label}, {user.agency.name})"
        )
    return lines
