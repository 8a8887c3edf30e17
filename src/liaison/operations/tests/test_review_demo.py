"""The operations demo: every state of the lifecycle, a conflict between two agencies and
an approval that training blocks; loading it twice adds nothing."""

from __future__ import annotations

import pytest

from liaison.core.demo import load_all
from liaison.operations.checklist import checklist
from liaison.operations.models import Conflict, Operation
from liaison.operations.review import approval_problems


@pytest.mark.parametrize("state", ["MN", "WI"])
def test_the_demo_has_every_state_a_conflict_and_a_blocked_approval(db, state):
    load_all(state=state)
    count = Operation.objects.count()
    assert set(Operation.objects.values_list("status", flat=True)) == set(Operation.Status.values)
    conflict = Conflict.objects.get(cleared_at__isnull=True)
    assert conflict.operation_a.lead_agency_id != conflict.operation_b.lead_agency_id
    blocked = Operation.objects.get(name="Operation Blue Heron")
    assert blocked.status == "in_review"
    readiness = [i for i in checklist(blocked).blocking if i.section == "readiness"]
    assert readiness
    assert approval_problems(blocked)
    closed = Operation.objects.get(status="closed")
    assert closed.after_action_review.outcomes.count() == 3
    assert closed.log_entries.count() == 1
    load_all(state=state)
    assert Operation.objects.count() == count
