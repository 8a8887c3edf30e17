"""Account administration: admins manage every agency's accounts; anyone else gets 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from liaison.accounts import services
from liaison.accounts.models import User
from liaison.accounts.tests.factories import make_agency, make_user
from liaison.core.errors import Conflict, PermissionDenied
from liaison.core.roles import Role
from liaison.directory.models import Agency
from liaison.ledger.models import Entry, EntryKind, Head

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/accounts/users/",
    "/accounts/users/new/",
    "/accounts/users/{pk}/",
    "/accounts/users/{pk}/edit/",
    "/accounts/users/{pk}/password/",
    "/accounts/users/{pk}/unlock/",
    "/accounts/users/{pk}/deactivate/",
    "/accounts/users/{pk}/activate/",
    "/accounts/users/{pk}/mfa-reset/",
]


def ledger_size() -> int:
    return Head.objects.get_or_create(id=1)[0].size


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_non_admins_get_404_on_every_account_admin_page(role: Role, agency: Agency) -> None:
    target = make_user(Role.OFFICER, agency=agency)
    client = Client()
    client.force_login(make_user(role, agency=agency))
    for page in ADMIN_PAGES:
        url = page.format(pk=target.pk)
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"username": "x"}).status_code == 404, url
    assert User.objects.get(pk=target.pk).is_active


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/accounts/users/")
    assert response["Location"].startswith("/accounts/login/")


def test_an_admin_lists_accounts_of_every_agency_with_search_and_filters(
    admin_client: Client, agency: Agency
) -> None:
    other = make_agency("HSI-SPM", "Homeland Security Investigations St. Paul", level="federal")
    make_user(Role.PARTNER, agency=other, username="fed-partner")
    make_user(Role.SUPERVISOR, agency=agency, username="sup-one")
    page = admin_client.get("/accounts/users/").content.decode()
    assert "fed-partner" in page
    assert "sup-one" in page
    page = admin_client.get("/accounts/users/", {"role": "partner"}).content.decode()
    assert "fed-partner" in page
    assert "sup-one" not in page
    page = admin_client.get("/accounts/users/", {"agency": agency.pk}).content.decode()
    assert "fed-partner" not in page
    assert "sup-one" in page
    page = admin_client.get("/accounts/users/", {"q": "sup-"}).content.decode()
    assert "fed-partner" not in page
    assert "sup-one" in page


def test_the_account_list_query_count_does_not_grow_with_rows(
    admin_client: Client, agency: Agency, django_assert_max_num_queries: object
) -> None:
    for _ in range(3):
        make_user(Role.OFFICER, agency=make_agency())
    admin_client.get("/accounts/users/")  # warm the session and the activity write
    with django_assert_max_num_queries(12) as few:  # type: ignore[operator]
        admin_client.get("/accounts/users/")
    for _ in range(40):
        make_user(Role.OFFICER, agency=make_agency())
    with django_assert_max_num_queries(len(few.captured_queries)):  # type: ignore[operator]
        response = admin_client.get("/accounts/users/", {"page": 2})
    assert response.status_code == 200


def test_an_admin_creates_an_account_and_it_is_ledgered(
    admin_client: Client, admin: User, agency: Agency
) -> None:
    size = ledger_size()
    response = admin_client.post(
        "/accounts/users/new/",
        {
            "username": "new-officer",
            "first_name": "Nia",
            "last_name": "Okafor",
            "email": "nia@example.gov",
            "role": "officer",
            "agency": agency.pk,
            "password": "long-enough-passphrase",
        },
    )
    user = User.objects.get(username="new-officer")
    assert response["Location"] == f"/accounts/users/{user.pk}/"
    assert user.check_password("long-enough-passphrase")
    entry = Entry.objects.get(seq=size)
    assert (entry.action, entry.kind, entry.actor_id, entry.object_id) == (
        "user.create",
        EntryKind.SECURITY,
        admin.pk,
        str(user.pk),
    )
    assert "new-officer" not in entry.reason + entry.object_id
    detail = admin_client.get(response["Location"]).content.decode()
    assert 'data-testid="history"' in detail
    assert "user.create" in detail


def test_the_create_form_shows_errors_beside_the_fields(
    admin_client: Client, agency: Agency, officer: User
) -> None:
    response = admin_client.post(
        "/accounts/users/new/",
        {"username": "ofc", "email": "x@example.gov", "role": "officer", "agency": agency.pk},
    )
    assert response.status_code == 200
    assert b'id="username-error"' in response.content
    response = admin_client.post(
        "/accounts/users/new/",
        {"username": "n2", "email": "bad", "role": "boss", "agency": agency.pk, "password": "123"},
    )
    page = response.content.decode()
    assert 'id="email-error"' in page
    assert 'id="role-error"' in page


def test_a_weak_initial_password_is_refused(admin_client: Client, agency: Agency) -> None:
    response = admin_client.post(
        "/accounts/users/new/",
        {
            "username": "n3",
            "email": "n3@example.gov",
            "role": "officer",
            "agency": agency.pk,
            "password": "password",
        },
    )
    assert b'id="password-error"' in response.content
    assert not User.objects.filter(username="n3").exists()


def test_changing_role_or_agency_is_a_ledgered_permission_change(
    admin_client: Client, admin: User, officer: User
) -> None:
    other = make_agency("BCA", "Bureau of Criminal Apprehension")
    size = ledger_size()
    form = {
        "username": "ofc",
        "first_name": "Test",
        "last_name": "Person",
        "email": "someone@example.gov",
        "role": "supervisor",
        "agency": other.pk,
    }
    response = admin_client.post(f"/accounts/users/{officer.pk}/edit/", form)
    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.role, officer.agency_id) == ("supervisor", other.pk)
    entry = Entry.objects.get(seq=size)
    assert (entry.action, entry.kind, entry.actor_id) == (
        "user.permissions_change",
        EntryKind.SECURITY,
        admin.pk,
    )
    admin_client.post(f"/accounts/users/{officer.pk}/edit/", {**form, "first_name": "Tess"})
    assert Entry.objects.get(seq=size + 1).action == "user.update"
    admin_client.post(f"/accounts/users/{officer.pk}/edit/", {**form, "first_name": "Tess"})
    assert ledger_size() == size + 2  # saving without changes records nothing


def test_deactivate_and_reactivate_are_confirmed_posts_and_ledgered(
    admin_client: Client, officer: User
) -> None:
    page = admin_client.get(f"/accounts/users/{officer.pk}/deactivate/")
    assert b"Deactivate the account of" in page.content
    assert User.objects.get(pk=officer.pk).is_active
    size = ledger_size()
    admin_client.post(f"/accounts/users/{officer.pk}/deactivate/")
    assert not User.objects.get(pk=officer.pk).is_active
    admin_client.post(f"/accounts/users/{officer.pk}/activate/")
    assert User.objects.get(pk=officer.pk).is_active
    assert [e.action for e in Entry.objects.filter(seq__gte=size)] == [
        "user.deactivate",
        "user.activate",
    ]


def test_an_admin_cannot_lock_themselves_out(admin: User) -> None:
    with pytest.raises(Conflict):
        services.user_deactivate(actor=admin, user=admin)
    with pytest.raises(Conflict):
        services.user_update(actor=admin, user=admin, role=Role.OFFICER)


def test_unlocking_an_account_that_is_not_locked_is_refused(admin: User, officer: User) -> None:
    with pytest.raises(Conflict):
        services.user_unlock(actor=admin, user=officer)


def test_only_admins_can_call_the_account_services(officer: User, agency: Agency) -> None:
    target = make_user(Role.OFFICER, agency=agency)
    for call in (
        lambda: services.user_unlock(actor=officer, user=target),
        lambda: services.user_deactivate(actor=officer, user=target),
        lambda: services.user_update(actor=officer, user=target, role=Role.ADMIN),
        lambda: services.user_password_set(actor=officer, user=target, password="x" * 20),
        lambda: services.user_create(
            actor=officer, username="x", email="x@example.gov", role="admin", agency=agency
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_an_admin_sets_a_new_password(admin_client: Client, officer: User) -> None:
    response = admin_client.post(
        f"/accounts/users/{officer.pk}/password/", {"password": "fresh-long-passphrase"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=officer.pk).check_password("fresh-long-passphrase")
    assert Entry.objects.filter(action="user.password_change", object_id=str(officer.pk)).exists()


def test_my_account_shows_role_agency_and_mfa_status(officer_client: Client) -> None:
    page = officer_client.get("/accounts/me/").content.decode()
    assert "Officer" in page
    assert "Minnesota Department of Public Safety" in page
    assert "Not set up" in page


def test_the_account_page_shows_lock_status_tokens_and_actions(
    admin_client: Client, admin: User, officer: User
) -> None:
    services.token_create(actor=officer, user=officer, name="officer sync")
    User.objects.filter(pk=officer.pk).update(locked_at=timezone.now())
    page = admin_client.get(f"/accounts/users/{officer.pk}/").content.decode()
    assert 'data-testid="locked"' in page
    assert "officer sync" in page
    assert f"/accounts/users/{officer.pk}/unlock/" in page
    assert f"/accounts/users/{officer.pk}/deactivate/" in page
    listing = admin_client.get("/accounts/users/").content.decode()
    assert "Locked" in listing


def test_a_deactivated_users_open_session_ends(
    admin: User, officer: User, officer_client: Client
) -> None:
    assert officer_client.get("/").status_code == 200
    services.user_deactivate(actor=admin, user=officer)
    assert officer_client.get("/").status_code == 302


def test_a_new_account_starts_with_no_role_and_refuses_one_not_chosen(
    admin_client: Client, agency: Agency
) -> None:
    page = admin_client.get("/accounts/users/new/").content.decode()
    assert '<option value="" selected>Choose a role</option>' in page
    response = admin_client.post(
        "/accounts/users/new/",
        {"username": "no-role", "email": "no-role@example.gov", "agency": agency.pk},
    )
    assert "Choose the user&#x27;s role." in response.content.decode()
    assert not User.objects.filter(username="no-role").exists()
