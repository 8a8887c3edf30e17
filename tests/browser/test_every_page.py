"""Every page the navigation and the dashboard lead to opens, is accessible, and runs
without script or Content-Security-Policy errors, for a staff role and for a partner."""

from __future__ import annotations

from typing import Any

import pytest

PHONE = {"width": 390, "height": 844}


def linked_pages(page: Any) -> list[str]:
    hrefs: list[str] = page.evaluate(
        """() => [...document.querySelectorAll(
            'nav[aria-label="Primary navigation"] a[href], [data-testid="dashboard-modules"] a[href]'
        )].map(a => a.getAttribute('href'))"""
    )
    return sorted({href for href in hrefs if href.startswith("/")})


@pytest.mark.parametrize("role", ["admin", "coordinator", "partner", "privacy_officer"])
def test_every_page_in_the_navigation_opens_cleanly_and_accessibly(
    page: Any,
    make_user: Any,
    login: Any,
    axe_violations: Any,
    console_errors: list[str],
    role: str,
) -> None:
    login(page, make_user(role).username)
    paths = linked_pages(page)
    assert "/directory/" in paths
    problems: dict[str, Any] = {}
    for path in paths:
        response = page.goto(path)
        if response.status >= 400:
            problems[path] = f"HTTP {response.status}"
            continue
        violations = axe_violations(page)
        if violations:
            problems[path] = violations
    assert problems == {}
    assert console_errors == []


def first_record_link(page: Any) -> str | None:
    href: str | None = page.evaluate(
        """() => {
            const a = document.querySelector('main table a[href^="/"], main .usa-card a[href^="/"]');
            return a ? a.getAttribute('href') : null;
        }"""
    )
    return href


def test_with_the_demo_data_every_list_and_its_first_record_open_cleanly(
    browser: Any, live_server: Any, login: Any, axe_violations: Any, console_errors: list[str]
) -> None:
    from liaison.core.demo import load_all

    load_all(state="MN")
    problems: dict[str, Any] = {}
    for username in ["admin", "coordinator", "partner"]:
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        login(page, username)
        for path in linked_pages(page):
            for target in [path, None]:
                if target is None:
                    target = first_record_link(page)
                    if target is None or target == path:
                        break
                response = page.goto(target)
                if response.status >= 400:
                    problems[f"{username} {target}"] = f"HTTP {response.status}"
                    break
                violations = axe_violations(page)
                if violations:
                    problems[f"{username} {target}"] = violations
        context.close()
    assert problems == {}
    assert console_errors == []


FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
PUBLIC_PAGES = ["/accounts/login/", "/ledger/", "/ledger/checkpoints/", "/ledger/proofs/"]


def test_at_phone_width_no_page_is_wider_than_the_screen(
    browser: Any, live_server: Any, login: Any
) -> None:
    """Every page in the navigation, its first record, the public pages, and a record
    with a 300-character value without spaces fit a 390 px screen."""
    from liaison.agreements.models import Agreement
    from liaison.core.demo import load_all

    load_all(state="MN")
    long_one = Agreement.objects.order_by("pk").first()
    assert long_one is not None
    Agreement.objects.filter(pk=long_one.pk).update(title="Memorandum" * 30)
    too_wide: dict[str, int] = {}

    def check(page: Any, who: str, target: str) -> None:
        response = page.goto(target)
        assert response.status < 400, f"{who} {target}: HTTP {response.status}"
        if not page.evaluate(FITS):
            too_wide[f"{who} {target}"] = page.evaluate("document.documentElement.scrollWidth")

    context = browser.new_context(base_url=live_server.url, viewport=PHONE, has_touch=True)
    page = context.new_page()
    for path in PUBLIC_PAGES:
        check(page, "public", path)
    context.close()
    for username in ["admin", "coordinator", "partner", "oversight"]:
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, has_touch=True)
        page = context.new_page()
        login(page, username)
        for path in linked_pages(page):
            check(page, username, path)
            record = first_record_link(page)
            if record is not None and record != path:
                check(page, username, record)
        if username == "admin":
            check(page, username, f"/agreements/{long_one.pk}/")
        context.close()
    assert too_wide == {}
