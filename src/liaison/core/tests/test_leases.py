"""Task leases: a claim lapses unless its worker renews it, and an expired claim puts the
task back in the queue, until it has been tried LIAISON_TASK_MAX_ATTEMPTS times."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from liaison.core.leases import (
    LeaseHeartbeat,
    WorkerLost,
    lease_renew,
    task_claim,
    task_leases_expire,
)
from liaison.core.models import TaskLease
from liaison.core.tests import jobs


@pytest.fixture(autouse=True)
def short_leases(settings: Any) -> None:
    settings.LIAISON_TASK_LEASE_SECONDS = 60
    settings.LIAISON_TASK_MAX_ATTEMPTS = 3


def ready() -> Any:
    return DBTaskResult.objects.ready()


def later(seconds: float) -> time_machine.travel:
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds))


def test_a_claim_is_leased_to_its_worker(db: None) -> None:
    queued = jobs.nothing.enqueue()

    claimed = task_claim(ready(), worker_id="w1")

    assert claimed is not None
    task_result, claim = claimed
    assert str(task_result.pk) == queued.id
    assert (claim.worker_id, claim.attempt) == ("w1", 1)
    lease = TaskLease.objects.get(task_result_id=task_result.pk)
    assert task_result.started_at is not None
    assert lease.expires_at == task_result.started_at + timedelta(seconds=60)
    assert task_claim(ready(), worker_id="w2") is None  # nothing else is ready


def test_a_task_whose_worker_died_goes_back_to_the_queue_and_counts_the_attempt(
    db: None,
) -> None:
    queued = jobs.nothing.enqueue()
    task_claim(ready(), worker_id="w1")  # ... and w1 is killed

    assert task_leases_expire().requeued == []  # the lease still runs
    with later(61):
        assert task_leases_expire().requeued == [queued.id]
        row = DBTaskResult.objects.get(id=queued.id)
        assert row.status == TaskResultStatus.READY
        claimed = task_claim(ready(), worker_id="w2")

    assert claimed is not None
    assert claimed[1].attempt == 2
    assert DBTaskResult.objects.get(id=queued.id).worker_ids == ["w1", "w2"]


def test_a_renewed_lease_keeps_the_task_with_its_worker(db: None) -> None:
    queued = jobs.nothing.enqueue()
    claimed = task_claim(ready(), worker_id="w1")
    assert claimed is not None

    with later(50):
        assert lease_renew(claimed[1])
    with later(100):
        assert task_leases_expire().requeued == []
    assert DBTaskResult.objects.get(id=queued.id).status == TaskResultStatus.RUNNING


def test_a_renewal_after_the_lease_expired_is_refused(db: None) -> None:
    jobs.nothing.enqueue()
    claimed = task_claim(ready(), worker_id="w1")
    assert claimed is not None

    with later(61):
        task_leases_expire()
        assert not lease_renew(claimed[1])


def test_after_the_last_attempt_the_task_is_given_up(db: None, settings: Any) -> None:
    settings.LIAISON_TASK_MAX_ATTEMPTS = 2
    queued = jobs.nothing.enqueue()
    for worker, wait in (("w1", 61), ("w2", 122)):
        with later(wait - 61):
            assert task_claim(ready(), worker_id=worker) is not None
        with later(wait):
            outcome = task_leases_expire()

    assert outcome.given_up == [queued.id]
    row = DBTaskResult.objects.get(id=queued.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == f"{WorkerLost.__module__}.WorkerLost"
    assert "gave up after 2 attempts" in row.traceback
    assert TaskLease.objects.get(task_result_id=row.pk).gave_up_at is not None
    with later(500):
        assert task_claim(ready(), worker_id="w3") is None


def test_a_task_running_without_a_lease_is_expired_too(db: None) -> None:
    queued = jobs.nothing.enqueue()
    # Claimed the way the queue library alone does it: RUNNING, no lease.
    row = DBTaskResult.objects.get(id=queued.id)
    row.claim("old-worker")

    with later(61):
        assert task_leases_expire().requeued == [queued.id]
    assert TaskLease.objects.get(task_result_id=row.pk).attempts == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_finishes_a_task_whose_worker_died() -> None:
    queued = jobs.nothing.enqueue()
    task_claim(ready(), worker_id="killed")

    with later(61):
        call_command("worker", "--burst", "--no-scheduler", verbosity=0)

    row = DBTaskResult.objects.get(id=queued.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == "done"
    assert len(row.worker_ids) == 2
    lease = TaskLease.objects.get(task_result_id=row.pk)
    assert (lease.attempts, lease.expires_at) == (2, None)  # released when it finished


@pytest.mark.django_db(transaction=True)
def test_a_live_worker_keeps_renewing_its_lease(settings: Any) -> None:
    settings.LIAISON_TASK_LEASE_SECONDS = 1
    queued = jobs.nothing.enqueue()
    claimed = task_claim(ready(), worker_id="w1")
    assert claimed is not None

    with LeaseHeartbeat(claimed[1], every=0.2) as heartbeat:
        time.sleep(2)
        assert task_leases_expire().requeued == []
    assert not heartbeat.lost

    time.sleep(1.2)  # the heartbeat stopped: nobody renews the lease any more
    assert task_leases_expire().requeued == [queued.id]


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_claim_each_task_exactly_once() -> None:
    queued = {jobs.nothing.enqueue().id for _ in range(30)}
    claims: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(5)

    def work(worker_id: str) -> None:
        try:
            start.wait()
            while (claimed := task_claim(ready(), worker_id=worker_id)) is not None:
                claims.append(str(claimed[0].pk))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert Counter(claims) == Counter(queued)
    assert set(TaskLease.objects.values_list("attempts", flat=True)) == {1}
