"""The layout every page shares: header, navigation, mobile menu, skip link, footer."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

USWDS_PRIMARY = "rgb(0, 94, 162)"


def test_the_uswds_styles_and_scripts_are_loaded(page: Any) -> None:
    page.goto("/accounts/login/")
    # USWDS colours its buttons; unstyled HTML would leave them grey.
    colour = page.get_by_role("button", name="Sign in").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert colour == USWDS_PRIMARY
    assert page.evaluate("() => document.body.classList.contains('usa-js-loading')") is False
    assert page.evaluate("() => typeof window.htmx") == "object"


def test_a_coordinator_sees_their_name_role_and_agency_in_the_header(
    page: Any, make_user: Any, login: Any
) -> None:
    user = make_user("coordinator", "BCA", first_name="Ana", last_name="Lindqvist")
    login(page, user.username)
    expect(page.get_by_test_id("current-user-name")).to_have_text("Ana Lindqvist")
    expect(page.get_by_test_id("current-user-role")).to_have_text("Coordinator")
    expect(page.get_by_test_id("current-user-agency")).to_have_text(user.agency.name)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ana Lindqvist")


def test_a_federal_partner_sees_their_own_agency_and_role(
    page: Any, make_user: Any, login: Any
) -> None:
    user = make_user("partner", "HSI", first_name="Sam", last_name="Okafor")
    login(page, user.username)
    expect(page.get_by_test_id("current-user-role")).to_have_text("Federal partner")
    expect(page.get_by_test_id("current-user-agency")).to_have_text(user.agency.name)


def test_the_navigation_leads_to_the_directory_and_marks_it_current(
    page: Any, make_user: Any, login: Any
) -> None:
    user = make_user("supervisor")
    login(page, user.username)
    nav = page.get_by_role("navigation", name="Primary navigation")
    nav.get_by_role("link", name="Directory").click()
    expect(page).to_have_url(f"{page.context._impl_obj._options['baseURL']}/directory/")
    expect(nav.get_by_role("link", name="Directory")).to_have_class("usa-nav-link usa-current")
    nav.get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_the_menu_opens_and_closes_on_a_phone(phone_page: Any, make_user: Any, login: Any) -> None:
    user = make_user("officer", first_name="Lee", last_name="Vang")
    login(phone_page, user.username)
    nav = phone_page.get_by_role("navigation", name="Primary navigation")
    expect(nav).to_be_hidden()
    phone_page.get_by_role("button", name="Menu").click()
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Directory")).to_be_visible()
    expect(nav.get_by_test_id("current-user-name")).to_have_text("Lee Vang")
    nav.get_by_role("button", name="Close the menu").click()
    expect(nav).to_be_hidden()


def test_the_skip_link_moves_focus_to_the_main_content(page: Any) -> None:
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main-content"


def test_every_page_warns_that_mfa_is_off_in_demo_mode(page: Any, settings: Any) -> None:
    settings.LIAISON_REQUIRE_MFA = False
    page.goto("/accounts/login/")
    expect(page.get_by_test_id("mfa-off")).to_contain_text("multi-factor sign-in is switched off")
    expect(page.get_by_role("contentinfo")).to_contain_text("tamper-evident ledger")


def test_the_home_page_offers_the_modules_of_the_role(
    page: Any, make_user: Any, login: Any
) -> None:
    user = make_user("oversight")
    login(page, user.username)
    modules = page.get_by_test_id("dashboard-modules")
    expect(modules.get_by_role("link", name="Directory")).to_be_visible()
    modules.get_by_role("link", name="Directory").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_missing_page_says_so_in_plain_language(page: Any, make_user: Any, login: Any) -> None:
    login(page, make_user("coordinator").username)
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We can’t find that page")
    expect(page.get_by_test_id("current-user")).to_be_attached()


def test_pages_run_without_content_security_policy_errors(
    page: Any, make_user: Any, login: Any, console_errors: list[str]
) -> None:
    login(page, make_user("admin").username)
    page.goto("/directory/")
    page.goto("/no-such-page/")
    assert [e for e in console_errors if "404 (Not Found)" not in e] == []


@pytest.mark.parametrize("path", ["/accounts/login/", "/no-such-page/"])
def test_public_pages_have_no_serious_accessibility_violations(
    page: Any, axe_violations: Any, path: str
) -> None:
    page.goto(path)
    assert axe_violations(page) == []


@pytest.mark.parametrize("role", ["coordinator", "partner"])
def test_the_signed_in_home_page_has_no_serious_accessibility_violations(
    page: Any, make_user: Any, login: Any, axe_violations: Any, role: str
) -> None:
    login(page, make_user(role).username)
    assert axe_violations(page) == []
    page.goto("/no-such-page/")
    assert axe_violations(page) == []


def test_the_home_page_has_no_serious_accessibility_violations_on_a_phone(
    phone_page: Any, make_user: Any, login: Any, axe_violations: Any
) -> None:
    login(phone_page, make_user("officer").username)
    phone_page.get_by_role("button", name="Menu").click()
    assert axe_violations(phone_page) == []


def test_the_api_documentation_renders_from_local_files(
    page: Any, make_user: Any, login: Any, console_errors: list[str]
) -> None:
    login(page, make_user("admin").username)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", name="Liaison API")).to_be_visible()
    assert [url for url in requested if not url.startswith(page.url.split("/api/")[0])] == []
    assert console_errors == []
