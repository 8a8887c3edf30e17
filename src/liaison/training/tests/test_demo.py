from __future__ import annotations

import pytest
from django.utils import timezone

from liaison.core.demo import load_all
from liaison.core.guards import Refused
from liaison.directory import services as directory
from liaison.directory.demo import TASK_FORCES
from liaison.directory.models import TaskForce
from liaison.training import readiness
from liaison.training.demo import cast
from liaison.training.models import Completion, Course


@pytest.mark.parametrize("state", ["MN", "WI"])
def test_the_demo_shows_every_readiness_state_and_a_gap_that_blocks_an_assignment(db, state):
    lines = load_all(state=state)
    assert any(line.startswith("training:") for line in lines)
    counts = (Course.objects.count(), Completion.objects.count())
    load_all(state=state)
    assert (Course.objects.count(), Completion.objects.count()) == counts
    task_force = TaskForce.objects.get(name=TASK_FORCES[state][0].name)
    people, gap = cast(state, task_force)
    overall = [{s.state for s in readiness.person_readiness(person=p)} for p in people[:6]]
    assert overall[0] == {"current"}
    assert "expiring" in overall[1]
    assert "expired" in overall[2]
    assert "missing" in overall[3]
    assert "missing" in overall[4]
    assert "overridden" in overall[5]
    with pytest.raises(Refused):
        directory.task_force_assignment_create(
            actor=None,
            person=gap,
            task_force=task_force,
            role="Task Force Officer",
            start_date=timezone.localdate(),
        )
