"""The token page offers a scope and shows it; the 429 page is a plain, accessible page."""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.test import override_settings


def test_a_new_token_is_read_only_unless_chosen_and_says_so(
    page: Any, make_user: Any, login: Any, axe_violations: Any, console_errors: list[str]
) -> None:
    login(page, make_user("coordinator").username)
    page.goto("/accounts/me/tokens/")
    assert page.get_by_label("Read only").is_checked()
    assert axe_violations(page) == []
    page.get_by_label("Name").fill("case system sync")
    page.get_by_text("Read, and change agreements only").click()
    page.get_by_role("button", name="Create token").click()
    assert "Read, and change agreements only" in page.get_by_test_id("token-scope").inner_text()
    assert axe_violations(page) == []
    assert console_errors == []


def test_the_too_many_requests_page_is_plain_and_accessible(page: Any, axe_violations: Any) -> None:
    limits = {"public": {"paths": [r"/ledger/(?!entries/|texts/)"], "rate": "2/m"}}
    with override_settings(RATELIMIT_ENABLE=True, LIAISON_RATE_LIMITS=limits):
        caches["ratelimit"].clear()
        statuses = [page.goto("/ledger/").status for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert page.get_by_role("heading", level=1).inner_text() == "Too many requests"
        assert axe_violations(page) == []
        caches["ratelimit"].clear()
