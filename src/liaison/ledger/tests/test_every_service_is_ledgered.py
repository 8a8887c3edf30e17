"""Every write in the product appends a ledger entry: a test walks all services and proves it.

Every public function of every ``liaison.<app>.services`` module (or package, with
its public submodules) — the ledger's own excepted — must appear either in
``EXAMPLES``, with a call that must make the ledger grow, or in ``EXEMPT``, with the
reason it is not a consequential write. A new service with neither fails
``test_every_service_has_an_example``; so does a registry line for a function that
is gone. Keep the registry explicit: one line per service.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import date, timedelta
from functools import cached_property, partial
from types import ModuleType
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from liaison.accounts.models import User
from liaison.accounts.tests.factories import PASSWORD, make_agency, make_user
from liaison.core.roles import Role
from liaison.ledger.tree import appended_size


def _service_modules() -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("liaison.") or config.label == "ledger":
            continue
        try:
            module = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.services":
                raise
            continue
        modules.append(module)
        if hasattr(module, "__path__"):  # a package: its public submodules too
            for info in pkgutil.iter_modules(module.__path__):
                if not info.name.startswith("_"):
                    modules.append(importlib.import_module(f"{module.__name__}.{info.name}"))
    return modules


def discover_services() -> dict[str, Callable[..., Any]]:
    """``{"liaison.app.services.name": function}`` for every public service function.

    A function exported by a services package is named by the package path; one
    defined in a public submodule and not exported, by the submodule path.
    """
    found: dict[str, Callable[..., Any]] = {}
    seen: set[int] = set()
    for module in _service_modules():
        package = module.__name__.rsplit(".services", 1)[0] + ".services"
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or not fn.__module__.startswith(package):
                continue
            if id(fn) in seen:
                continue
            seen.add(id(fn))
            found[f"{module.__name__}.{name}"] = fn
    return found


Example = Callable[["World"], Callable[[], object]]
"""Given the world, do any set-up and return the call of the service itself."""


class World:
    """The records examples act on, made on first use (through services where they exist)."""

    @cached_property
    def agency(self) -> Any:
        return make_agency("DPS", "Department of Public Safety")

    @cached_property
    def admin(self) -> User:
        return make_user(Role.ADMIN, agency=self.agency, username="world-admin")

    @cached_property
    def officer(self) -> User:
        return make_user(Role.OFFICER, agency=self.agency, username="world-officer")

    @cached_property
    def jurisdiction(self) -> Any:
        return self.agency.jurisdiction

    @cached_property
    def federal(self) -> Any:
        return make_agency("HSI", "Homeland Security Investigations", level="federal")

    @cached_property
    def task_force(self) -> Any:
        from liaison.directory.services import task_force_create

        return task_force_create(
            actor=None,
            name="Example Task Force",
            lead_agency=self.federal,
            purpose="Example",
            start_date=date(2026, 1, 1),
        )

    @cached_property
    def membership(self) -> Any:
        from liaison.directory.services import task_force_membership_add

        return task_force_membership_add(
            actor=None, task_force=self.task_force, agency=self.agency, joined_on=date(2026, 1, 2)
        )

    @cached_property
    def person(self) -> Any:
        from liaison.directory.services import person_create

        return person_create(
            actor=None,
            agency=self.agency,
            given_name="Pat",
            family_name="Example",
            active_from=date(2026, 1, 1),
        )

    @cached_property
    def assignment(self) -> Any:
        from liaison.directory.services import task_force_assignment_create

        self.membership  # noqa: B018 - only personnel of member agencies are assigned
        return task_force_assignment_create(
            actor=None,
            person=self.person,
            task_force=self.task_force,
            role="Task Force Officer",
            start_date=date(2026, 1, 3),
        )

    @cached_property
    def designation(self) -> Any:
        from liaison.directory.services import liaison_designation_create

        return liaison_designation_create(
            actor=None,
            person=self.person,
            from_agency=self.agency,
            to_agency=self.federal,
            start_date=date(2026, 1, 3),
        )

    @cached_property
    def contact(self) -> Any:
        from liaison.directory.services import contact_create

        return contact_create(
            actor=None, agency=self.agency, owner_agency=self.agency, name="Duty desk"
        )

    def locked_user(self) -> User:
        user = make_user(Role.OFFICER, agency=self.agency)
        User.objects.filter(pk=user.pk).update(locked_at=timezone.now())
        user.refresh_from_db()
        return user

    def inactive_user(self) -> User:
        user = make_user(Role.OFFICER, agency=self.agency)
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.refresh_from_db()
        return user

    def totp_code(self, user: User) -> str:
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user).latest("pk")
        return f"{totp(device.bin_key):06d}"

    def enrolled(self, user: User) -> User:
        from liaison.accounts import services

        services.mfa_enrolment_start(actor=user)
        services.mfa_enrolment_confirm(actor=user, token=self.totp_code(user))
        return user


def _accounts() -> dict[str, Example]:
    from liaison.accounts import services as s

    def disable_inactive(w: World) -> Callable[[], object]:
        user = make_user(Role.OFFICER, agency=w.agency)
        User.objects.filter(pk=user.pk).update(
            last_activity_at=timezone.now() - timedelta(days=200),
            last_login=None,
            date_joined=timezone.now() - timedelta(days=300),
        )
        return partial(s.users_disable_inactive)

    def mfa_confirm(w: World) -> Callable[[], object]:
        s.mfa_enrolment_start(actor=w.officer)
        return partial(s.mfa_enrolment_confirm, actor=w.officer, token=w.totp_code(w.officer))

    def token_revoke(w: World) -> Callable[[], object]:
        row, _ = s.token_create(actor=w.admin, user=w.officer, name="x")
        return partial(s.token_revoke, actor=w.admin, token=row)

    def mfa_verify(w: World) -> Callable[[], object]:
        user = w.enrolled(make_user(Role.OFFICER, agency=w.agency))

        def verify() -> object:
            # The enrolment used the current code; a code is accepted once.
            with time_machine.travel(timezone.now() + timedelta(seconds=90)):
                return s.mfa_verify(actor=user, token=w.totp_code(user))

        return verify

    return {
        "liaison.accounts.services.user_create": lambda w: partial(
            s.user_create,
            actor=w.admin,
            username="new-user",
            email="a@example.gov",
            role="officer",
            agency=w.agency,
        ),
        "liaison.accounts.services.user_update": lambda w: partial(
            s.user_update, actor=w.admin, user=w.officer, first_name="Renamed"
        ),
        "liaison.accounts.services.user_unlock": lambda w: partial(
            s.user_unlock, actor=w.admin, user=w.locked_user()
        ),
        "liaison.accounts.services.user_deactivate": lambda w: partial(
            s.user_deactivate, actor=w.admin, user=w.officer
        ),
        "liaison.accounts.services.user_activate": lambda w: partial(
            s.user_activate, actor=w.admin, user=w.inactive_user()
        ),
        "liaison.accounts.services.users_disable_inactive": disable_inactive,
        "liaison.accounts.services.user_password_change": lambda w: partial(
            s.user_password_change,
            actor=w.officer,
            user=w.officer,
            old_password=PASSWORD,
            new_password="a new long passphrase 7",
        ),
        "liaison.accounts.services.user_password_set": lambda w: partial(
            s.user_password_set, actor=w.admin, user=w.officer, password="a new long passphrase 7"
        ),
        "liaison.accounts.services.login_authenticate": lambda w: partial(
            s.login_authenticate, request=None, username=w.officer.username, password=PASSWORD
        ),
        "liaison.accounts.services.mfa_enrolment_confirm": mfa_confirm,
        "liaison.accounts.services.mfa_verify": mfa_verify,
        "liaison.accounts.services.mfa_reset": lambda w: partial(
            s.mfa_reset, actor=w.admin, user=w.enrolled(w.officer)
        ),
        "liaison.accounts.services.token_create": lambda w: partial(
            s.token_create, actor=w.admin, user=w.officer, name="example"
        ),
        "liaison.accounts.services.token_revoke": token_revoke,
    }


def _directory() -> dict[str, Example]:
    from liaison.directory import services as s

    def assign(w: World) -> Callable[[], object]:
        w.membership  # noqa: B018 - only personnel of member agencies are assigned
        return partial(
            s.task_force_assignment_create,
            actor=None,
            person=w.person,
            task_force=w.task_force,
            role="Task Force Officer",
            start_date=date(2026, 1, 3),
        )

    d = "liaison.directory.services."
    return {
        d + "jurisdiction_create": lambda w: partial(
            s.jurisdiction_create,
            actor=None,
            name="Ramsey County",
            kind="county",
            state="MN",
            parent=w.jurisdiction,
        ),
        d + "jurisdiction_update": lambda w: partial(
            s.jurisdiction_update,
            actor=None,
            jurisdiction=w.jurisdiction,
            data={"fips": "27"},
            reason="fix",
        ),
        d + "agency_create": lambda w: partial(
            s.agency_create,
            actor=None,
            name="Example Police",
            level="local",
            jurisdiction=w.jurisdiction,
        ),
        d + "agency_update": lambda w: partial(
            s.agency_update, actor=None, agency=w.agency, data={"phone": "651-555-0100"}
        ),
        d + "agency_deactivate": lambda w: partial(
            s.agency_deactivate, actor=None, agency=w.federal
        ),
        d + "task_force_create": lambda w: partial(
            s.task_force_create,
            actor=None,
            name="Another Task Force",
            lead_agency=w.federal,
            purpose="Example",
            start_date=date(2026, 1, 1),
        ),
        d + "task_force_update": lambda w: partial(
            s.task_force_update, actor=None, task_force=w.task_force, data={"area": "Twin Cities"}
        ),
        d + "task_force_end": lambda w: partial(
            s.task_force_end, actor=None, task_force=w.task_force, end_date=date(2026, 12, 31)
        ),
        d + "task_force_membership_add": lambda w: partial(
            s.task_force_membership_add,
            actor=None,
            task_force=w.task_force,
            agency=w.agency,
            joined_on=date(2026, 1, 2),
        ),
        d + "task_force_membership_update": lambda w: partial(
            s.task_force_membership_update,
            actor=None,
            membership=w.membership,
            data={"joined_on": date(2026, 1, 5)},
        ),
        d + "task_force_membership_end": lambda w: partial(
            s.task_force_membership_end,
            actor=None,
            membership=w.membership,
            left_on=date(2026, 6, 1),
        ),
        d + "person_create": lambda w: partial(
            s.person_create,
            actor=None,
            agency=w.agency,
            given_name="Sam",
            family_name="Example",
            active_from=date(2026, 1, 1),
        ),
        d + "person_update": lambda w: partial(
            s.person_update, actor=None, person=w.person, data={"title": "Sergeant"}
        ),
        d + "person_end": lambda w: partial(
            s.person_end, actor=None, person=w.person, active_until=date(2026, 12, 31)
        ),
        d + "task_force_assignment_create": assign,
        d + "task_force_assignment_update": lambda w: partial(
            s.task_force_assignment_update,
            actor=None,
            assignment=w.assignment,
            data={"start_date": date(2026, 1, 4)},
        ),
        d + "task_force_assignment_end": lambda w: partial(
            s.task_force_assignment_end,
            actor=None,
            assignment=w.assignment,
            end_date=date(2026, 6, 1),
        ),
        d + "liaison_designation_create": lambda w: partial(
            s.liaison_designation_create,
            actor=None,
            person=w.person,
            from_agency=w.agency,
            to_agency=w.federal,
            start_date=date(2026, 1, 3),
        ),
        d + "liaison_designation_update": lambda w: partial(
            s.liaison_designation_update,
            actor=None,
            designation=w.designation,
            data={"notes": "updated"},
        ),
        d + "liaison_designation_end": lambda w: partial(
            s.liaison_designation_end,
            actor=None,
            designation=w.designation,
            end_date=date(2026, 6, 1),
        ),
        d + "contact_create": lambda w: partial(
            s.contact_create, actor=None, agency=w.agency, owner_agency=w.agency, name="Front desk"
        ),
        d + "contact_update": lambda w: partial(
            s.contact_update, actor=None, contact=w.contact, data={"hours": "24/7"}
        ),
        d + "contact_deactivate": lambda w: partial(
            s.contact_deactivate, actor=None, contact=w.contact
        ),
    }


def _notifications() -> dict[str, Example]:
    from liaison.notifications import services as s

    return {
        "liaison.notifications.services.notification_send": lambda w: partial(
            s.notification_send,
            recipients=[w.officer],
            key="example:1",
            subject="Example",
            body="Example",
        ),
    }


def _agreements() -> dict[str, Example]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from liaison.agreements import services as s
    from liaison.agreements.tests.conftest import World as Agreements

    def world(w: World) -> Any:
        aw = Agreements()
        aw.agencies["HSI"] = w.federal
        aw.agencies["BCA"] = w.agency
        return aw

    def suspended(w: World) -> Any:
        agreement = world(w).active()
        s.agreement_suspend(actor=None, agreement=agreement, reason="audit")
        return agreement

    def nomination(w: World) -> Any:
        agreement = world(w).active()
        return s.agreement_nominate_person(
            actor=None,
            agreement=agreement,
            person=w.person,
            function="Task Force Officer",
            nominated_on=date(2025, 2, 1),
        )

    def reminded(w: World) -> Any:
        make_user(Role.COORDINATOR, agency=w.agency)
        return world(w).active()

    def obligation(w: World) -> Any:
        agreement = reminded(w)
        return s.agreement_reporting_obligation_add(
            actor=None,
            agreement=agreement,
            description="Quarterly activity report",
            frequency="quarterly",
            recipient=w.federal,
            first_due_on=date(2025, 3, 31),
        )

    def expire(w: World) -> Callable[[], object]:
        world(w).active()  # its last day is 2027-12-31
        return partial(s.agreements_expire, today=date(2028, 6, 1))

    def expiry_reminders(w: World) -> Callable[[], object]:
        reminded(w)
        return partial(s.agreement_expiry_reminders_send, today=date(2027, 10, 2))

    def reporting_reminders(w: World) -> Callable[[], object]:
        obligation(w)
        return partial(s.agreement_reporting_reminders_send, today=date(2025, 3, 20))

    def authority(**changes: Any) -> Any:
        values: dict[str, Any] = {
            "citation": "Example Stat. § 1",
            "title": "Example",
            "jurisdiction_code": "MN",
            "kind": "statute",
            "summary": "Example.",
        }
        return s.AuthorityFields(**{**values, **changes})

    def pdf() -> Any:
        return SimpleUploadedFile("mou.pdf", b"%PDF-1.4 example", content_type="application/pdf")

    a = "liaison.agreements.services."
    return {
        a + "agreement_create": lambda w: partial(
            s.agreement_create, actor=None, owner_agency=w.agency, fields=world(w).fields()
        ),
        a + "agreement_update_draft": lambda w: partial(
            s.agreement_update_draft,
            actor=None,
            agreement=world(w).draft(),
            fields=world(w).fields(title="Renamed"),
        ),
        a + "agreement_submit_for_review": lambda w: partial(
            s.agreement_submit_for_review, actor=None, agreement=world(w).draft()
        ),
        a + "agreement_review": lambda w: partial(
            s.agreement_review, actor=None, agreement=_submitted(world(w)), approve=True
        ),
        a + "agreement_record_signature": lambda w: partial(
            s.agreement_record_signature,
            actor=None,
            agreement=world(w).approved(),
            agency=w.agency,
            name="Signing Official",
            title="Director",
            signed_on=date(2024, 12, 15),
        ),
        a + "agreement_activate": lambda w: partial(
            s.agreement_activate, actor=None, agreement=world(w).signed()
        ),
        a + "agreement_suspend": lambda w: partial(
            s.agreement_suspend, actor=None, agreement=world(w).active(), reason="audit"
        ),
        a + "agreement_reinstate": lambda w: partial(
            s.agreement_reinstate, actor=None, agreement=suspended(w), reason="cleared"
        ),
        a + "agreement_terminate": lambda w: partial(
            s.agreement_terminate,
            actor=None,
            agreement=world(w).active(),
            reason="ended",
            notice_date=date(2025, 1, 2),
        ),
        a + "agreements_expire": expire,
        a + "amendment_create": lambda w: partial(
            s.amendment_create,
            actor=None,
            agreement=world(w).active(),
            title="Extension",
            effective_date=date(2025, 6, 1),
            new_expiry_date=date(2028, 12, 31),
        ),
        a + "agreement_nominate_person": lambda w: partial(
            s.agreement_nominate_person,
            actor=None,
            agreement=world(w).active(),
            person=w.person,
            function="Task Force Officer",
            nominated_on=date(2025, 2, 1),
        ),
        a + "agreement_nomination_end": lambda w: partial(
            s.agreement_nomination_end,
            actor=None,
            nomination=nomination(w),
            removed_on=date(2025, 3, 1),
        ),
        a + "agreement_training_requirement_add": lambda w: partial(
            s.agreement_training_requirement_add,
            actor=None,
            agreement=world(w).active(),
            function="Task Force Officer",
            course_name="Immigration law basics",
            hours=8,
        ),
        a + "agreement_reporting_obligation_add": lambda w: partial(
            s.agreement_reporting_obligation_add,
            actor=None,
            agreement=world(w).active(),
            description="Quarterly activity report",
            frequency="quarterly",
            recipient=w.federal,
            first_due_on=date(2025, 3, 31),
        ),
        a + "agreement_document_upload": lambda w: partial(
            s.agreement_document_upload,
            actor=None,
            agreement=world(w).active(),
            upload=pdf(),
            title="Signed MOU",
        ),
        a + "agreement_expiry_reminders_send": expiry_reminders,
        a + "agreement_reporting_reminders_send": reporting_reminders,
        a + "legal_authority_create": lambda w: partial(
            s.legal_authority_create, actor=None, fields=authority()
        ),
        a + "legal_authority_update": lambda w: partial(
            s.legal_authority_update,
            actor=None,
            authority=s.legal_authority_create(actor=None, fields=authority()),
            fields=authority(verify_with_counsel=True),
        ),
        a + "legal_authorities_load": lambda w: partial(s.legal_authorities_load, actor=None),
    }


def _submitted(aw: Any) -> Any:
    from liaison.agreements import services as s

    agreement = aw.draft()
    s.agreement_submit_for_review(actor=None, agreement=agreement)
    return agreement


def examples() -> dict[str, Example]:
    return {**_accounts(), **_directory(), **_agreements(), **_notifications()}


EXEMPT: dict[str, str] = {
    # Not writes: pure helpers and permission predicates.
    "liaison.accounts.services.username_hash": "keyed hash of a username; writes nothing",
    "liaison.directory.services.change_of": "builds the change dict a service hashes",
    "liaison.agreements.services.agreement_actions": "lists what an actor may do; a read",
    "liaison.agreements.services.can_manage": "permission predicate",
    "liaison.agreements.services.can_counsel": "permission predicate",
    "liaison.agreements.services.can_create_agreements": "permission predicate",
    "liaison.agreements.services.can_edit_authorities": "permission predicate",
    "liaison.agreements.services.reminders.add_months": "date arithmetic",
    "liaison.agreements.services.reminders.due_dates": "date arithmetic",
    # Writes of derived or housekeeping state, not actions on records.
    "liaison.accounts.services.token_authenticate": (
        "authenticates a request; only stamps last-used times (failures are refused requests)"
    ),
    "liaison.accounts.services.user_record_activity": "stamps last activity for the 90-day rule",
    "liaison.accounts.services.login_attempts_prune": (
        "forgets day-old logon attempts; each attempt is already a ledger entry"
    ),
    "liaison.accounts.services.mfa_enrolment_start": (
        "makes an unconfirmed authenticator that cannot sign in; confirming it is ledgered"
    ),
    "liaison.notifications.services.notification_emails_deliver": (
        "sends mail for notifications already ledgered when created"
    ),
    "liaison.notifications.services.notification_mark_read": "inbox state of the recipient",
    "liaison.notifications.services.notifications_mark_all_read": "inbox state of the recipient",
}


def test_every_service_has_an_example_or_a_reason():
    services = set(discover_services())
    registered = set(examples()) | set(EXEMPT)
    missing = sorted(services - registered)
    assert not missing, (
        "These services have no example in test_every_service_is_ledgered.py (add one "
        f"that makes the ledger grow, or an exemption with its reason): {missing}"
    )
    stale = sorted(registered - services)
    assert not stale, f"Registry lines for services that no longer exist: {stale}"


def test_the_walk_finds_the_services():
    services = discover_services()
    assert "liaison.accounts.services.user_create" in services
    assert not any(name.startswith("liaison.ledger.") for name in services)


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_directory(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(examples()))
def test_the_service_appends_to_the_ledger(name):
    if name not in discover_services():
        pytest.fail(f"{name} is in the registry but is not a service any more")
    call = examples()[name](World())  # set-up (its own entries are not counted)
    before = appended_size()
    call()
    assert appended_size() > before, f"{name} wrote without appending a ledger entry"
