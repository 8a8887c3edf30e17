from __future__ import annotations

import pytest

from liaison.core.demo import load_all
from liaison.sharing.models import (
    DataSubjectRequest,
    Disclosure,
    Override,
    Review,
    SharingRequest,
)
from liaison.sharing.selectors_subjects import subject_report


@pytest.mark.parametrize("state", ["MN", "WI"])
def test_the_demo_files_requests_in_every_outcome_once(db, state) -> None:
    lines = load_all(state=state)
    filed = {"MN": 6, "WI": 5}[state]
    assert any(line.startswith(f"sharing: {filed} requests in {state}") for line in lines), lines
    assert SharingRequest.objects.count() == filed
    requests = SharingRequest.objects.filter(state=state)
    machine = set(requests.values_list("items__machine_decision", flat=True))
    assert machine == {"permit", "deny", "needs_review"}
    assert requests.filter(status=SharingRequest.Status.AWAITING_REVIEW, urgent=True).exists()
    assert Review.objects.filter(action="narrow").count() == 1
    assert Override.objects.count() == 1
    assert Disclosure.objects.count() == 2
    denied = (
        requests.filter(items__machine_decision="deny", items__override__isnull=True)
        .order_by("pk")
        .first()
    )
    assert denied is not None
    assert denied.decision["items"][0]["paths"]
    subjects = DataSubjectRequest.objects.filter(state=state)
    assert sorted(subjects.values_list("status", flat=True)) == [
        "answered",
        "in_progress",
        "received",
    ]
    received = subjects.get(status="received")
    assert subject_report(user=received.recorded_by, request=received)  # the demo disclosure
    if state == "MN":  # the city's code decides, and nothing would make it lawful
        [item] = requests.get(custodian_agency__abbreviation="SPPD").decision["items"]
        assert item["decision"] == "deny"
        assert "st_paul.no-status-inquiry" in {r["policy"] for r in item["reasons"]}
        assert item["paths"] == []
    counts = SharingRequest.objects.count(), subjects.count()
    load_all(state=state)
    assert (SharingRequest.objects.count(), subjects.count()) == counts
