"""Every page the navigation and the dashboard lead to opens, is accessible, and runs
without script or Content-Security-Policy errors, for a staff role and for a partner."""

from __future__ import annotations

from typing import Any

import pytest


def linked_pages(page: Any) -> list[str]:
    hrefs: list[str] = page.evaluate(
        """() => [...document.querySelectorAll(
            'nav[aria-label="Primary navigation"] a[href], [data-testid="dashboard-modules"] a[href]'
        )].map(a => a.getAttribute('href'))"""
    )
    return sorted({href for href in hrefs if href.startswith("/")})


@pytest.mark.parametrize("role", ["admin", "coordinator", "partner"])
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
