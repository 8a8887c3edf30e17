"""The pack browser: every pack, policy and case, for counsel, every staff role and partners."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.core.roles import Role
from liaison.policy.packs import shipped

MN = shipped().versions["mn"][-1]
ESPARZA = "mn.detainer-hold-admin-warrant"


def test_counsel_sees_every_pack_with_its_version_effective_date_and_jurisdiction(
    client_as: Any,
) -> None:
    page = client_as(Role.LEGAL_COUNSEL).get("/policy/")
    assert page.status_code == 200
    text = page.content.decode()
    for versions in shipped().versions.values():
        for pack in versions:
            assert f"/policy/packs/{pack.name}/{pack.version}/" in text
    assert "State: MN; City: Minneapolis" in text
    assert "State: MN; County: Hennepin; City: none (county and state agencies only)" in text
    assert "Every custodian" in text  # the federal baseline
    assert '<time datetime="2026-11-01">' in text


def test_a_pack_page_lists_every_policy_with_effect_citation_explanation_and_its_cases(
    client_as: Any,
) -> None:
    page = client_as(Role.LEGAL_COUNSEL).get(f"/policy/packs/mn/{MN.version}/")
    assert page.status_code == 200
    text = page.content.decode()
    for policy in MN.policies:
        assert policy.id in text
        assert policy.citation.replace("'", "&#x27;") in text
    assert "Esparza v. Nobles County" in text
    assert '<td data-label="Effect">forbid</td>' in text
    assert '<td data-label="Effect">permit</td>' in text
    assert "cases/detainer-hold-admin-warrant.json" in text


def test_a_policy_page_shows_the_cedar_source_and_the_cases_that_test_it(
    client_as: Any,
) -> None:
    page = client_as(Role.LEGAL_COUNSEL).get(f"/policy/packs/mn/{MN.version}/policies/{ESPARZA}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "forbid (principal, action == Liaison::Action::&quot;hold_past_release&quot;" in text
    assert "Esparza v. Nobles County" in text
    assert "A hold past release on an administrative detainer" in text


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_packs_including_partners(client_as: Any, role: Role) -> None:
    assert client_as(role).get(f"/policy/packs/mn/{MN.version}/").status_code == 200


def test_an_unknown_pack_or_policy_answers_404_and_anonymous_visitors_sign_in(
    client_as: Any, client: Any
) -> None:
    counsel = client_as(Role.LEGAL_COUNSEL)
    assert counsel.get("/policy/packs/mn/1999.1/").status_code == 404
    assert counsel.get(f"/policy/packs/mn/{MN.version}/policies/mn.nothing/").status_code == 404
    assert client.get("/policy/").status_code == 302
