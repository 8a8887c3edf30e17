"""The shipped legal library and the demo agreements load once and keep their flags."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.agreements import demo, services
from liaison.agreements.authorities_data import AUTHORITIES
from liaison.agreements.coverage import coverage
from liaison.agreements.models import Activity, Agreement, LegalAuthority
from liaison.core.errors import PermissionDenied
from liaison.directory import demo as directory_demo
from liaison.ledger.models import Head


def test_the_library_loads_once_with_real_citations_and_uncertain_items_flagged(db):
    assert services.legal_authorities_load() == len(AUTHORITIES)
    assert services.legal_authorities_load() == 0
    citations = set(LegalAuthority.objects.values_list("citation", flat=True))
    assert {
        "Minn. Stat. § 13.04, subd. 2",
        "8 U.S.C. § 1357(g)",
        "Esparza v. Nobles County, No. A18-2011 (Minn. Ct. App. 2019)",
        "Minn. Stat. § 171.12, subd. 11",
        "Wis. Stat. § 19.35(1)(am)",
        "28 C.F.R. Part 23",
    } <= citations
    flagged = set(
        LegalAuthority.objects.filter(verify_with_counsel=True).values_list("citation", flat=True)
    )
    # Items the legal digest marks uncertain keep the flag.
    assert {
        "8 U.S.C. § 1373",
        "8 U.S.C. § 1225(d)",
        "Minneapolis Code of Ordinances ch. 19, § 19.30",
        "Hennepin County Sheriff's Office detainer practice (2014)",
        "2025 Wis. Assembly Bill 24 / Senate Bill 57",
    } <= flagged
    assert set(LegalAuthority.objects.values_list("jurisdiction_code", flat=True)) == {
        "MN",
        "WI",
        "US",
    }


def test_only_counsel_and_admins_change_the_library(world):
    fields = services.AuthorityFields(
        citation="Wis. Stat. § 165.8287",
        title="Body cameras",
        jurisdiction_code="WI",
        kind="statute",
        summary="Body camera data.",
    )
    with pytest.raises(PermissionDenied):
        services.legal_authority_create(actor=world.users["coordinator"], fields=fields)
    authority = services.legal_authority_create(actor=world.users["counsel"], fields=fields)
    services.legal_authority_update(
        actor=world.users["admin"],
        authority=authority,
        fields=services.AuthorityFields(**{**fields.__dict__, "verify_with_counsel": True}),
    )
    authority.refresh_from_db()
    assert authority.verify_with_counsel


@pytest.mark.parametrize("state", ["MN", "WI"])
def test_the_demo_agreements_load_once_and_tell_a_story(db, state):
    directory_demo.load(state=state, scale=1, rng=random.Random(1))
    first = demo.load(state=state, scale=1, rng=random.Random(2))
    size = Head.objects.get().size
    second = demo.load(state=state, scale=1, rng=random.Random(2))
    assert Head.objects.get().size == size
    assert "(0 new, 0 generated)" in second[0]
    assert "(5 new" in first[0]
    statuses = set(Agreement.objects.values_list("status", flat=True))
    assert {"active", "expired"} <= statuses
    assert statuses & {"suspended", "terminated"}
    today = timezone.localdate()
    assert Agreement.objects.filter(
        status="active", expires_on__gt=today, expires_on__lte=today + timedelta(days=60)
    ).exists()
    assert Agreement.objects.filter(amendments__isnull=False).exists()
    kinds = set(Agreement.objects.values_list("kind", flat=True))
    if state == "WI":
        assert {"287g_jail", "287g_warrant_service"} <= kinds
        assert all(
            "fictional" in a.notes.lower()
            for a in Agreement.objects.filter(kind__startswith="287g")
        )
    else:
        assert {"task_force_mou", "information_sharing"} <= kinds


def test_the_demo_scale_adds_generated_agreements_that_coverage_can_answer(db):
    directory_demo.load(state="MN", scale=1, rng=random.Random(1))
    demo.load(state="MN", scale=3, rng=random.Random(2))
    assert Agreement.objects.filter(reference__startswith="GEN-").count() == 200
    demo.load(state="MN", scale=3, rng=random.Random(2))
    assert Agreement.objects.filter(reference__startswith="GEN-").count() == 200
    generated = Agreement.objects.filter(reference__startswith="GEN-", status="active").first()
    party = generated.parties.first().agency
    grant = generated.grants.filter(activity__isnull=False, valid_until__isnull=True).first()
    answer = coverage(
        agency=party,
        activity=Activity.objects.get(pk=grant.activity_id),
        on=max(generated.effective_date, grant.valid_from or generated.effective_date),
    )
    assert answer.covered


@pytest.mark.parametrize(
    ("state", "told"), [("MN", ["coordinator"]), ("WI", ["coordinator", "legal_counsel"])]
)
def test_the_demos_lifecycle_steps_notify_the_demo_logins(
    db, state, told, django_capture_on_commit_callbacks
):
    from liaison.core.demo import load_all
    from liaison.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        load_all(state=state)
    notified = Notification.objects.filter(key__contains=":agreement.")
    assert sorted(set(notified.values_list("recipient__username", flat=True))) == told
    coordinator = notified.filter(recipient__username="coordinator")
    assert coordinator.filter(subject__endswith="is in force").exists()
    assert coordinator.filter(subject__endswith="approved by counsel").exists()
