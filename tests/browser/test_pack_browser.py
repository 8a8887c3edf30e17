"""Counsel reads the rule packs in a real browser: the list, a pack's policies with their
citations, and one policy's Cedar source — every page accessible, also at phone width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_counsel_reads_a_pack_and_a_policy_with_its_citation_and_source(
    page: Any, make_user: Any, login: Any, axe_violations: Any, console_errors: list[str]
) -> None:
    login(page, make_user("legal_counsel").username)
    page.get_by_role("link", name="Rule packs").first.click()
    expect(page.get_by_role("heading", name="Rule packs", level=1)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Minnesota", exact=True).click()
    expect(page.get_by_text("Esparza v. Nobles County").first).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="mn.detainer-hold-admin-warrant").click()
    expect(page.locator("pre code")).to_contain_text(
        'forbid (principal, action == Liaison::Action::"hold_past_release"'
    )
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    assert axe_violations(page) == []
    assert console_errors == []
