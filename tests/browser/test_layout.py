"""The layout every page shares: header, navigation, mobile menu, skip link, footer."""

from __future__ import annotations

from typing import Any


def test_the_login_page_loads_the_uswds_styles(page: Any) -> None:
    page.goto("/accounts/login/")
    # USWDS sets its own font stack and button colour; unstyled HTML would not have them.
    button_colour = page.get_by_role("button", name="Sign in").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert button_colour == "rgb(0, 94, 162)"


def test_a_coordinator_sees_their_name_role_and_agency_in_the_header(
    page: Any, make_user: Any, login: Any
) -> None:
    user = make_user("coordinator", "BCA")
    login(page, user.username)
    header = page.get_by_test_id("current-user")
    assert user.get_full_name() in header.inner_text()
    assert "Coordinator" in header.inner_text()
    assert user.agency.name in header.inner_text()


def test_the_login_page_has_no_serious_accessibility_violations(
    page: Any, axe_violations: Any
) -> None:
    page.goto("/accounts/login/")
    violations = axe_violations(page)
    assert violations == []
