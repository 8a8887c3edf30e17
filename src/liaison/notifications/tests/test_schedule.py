"""The periodic job scheduler: one enqueue per (job, slot), however many schedulers run."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django_tasks_db.models import DBTaskResult

from liaison.core.models import ScheduledSlot
from liaison.core.schedule import PeriodicJob, Scheduler, periodic_jobs, slot_claim
from liaison.notifications.tests import jobs

NOTHING = "liaison.notifications.tests.jobs.nothing"


@pytest.fixture
def one_job(settings) -> None:
    settings.LIAISON_PERIODIC_TASKS = [(NOTHING, 300)]


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, second, tzinfo=UTC)


def enqueued() -> int:
    return DBTaskResult.objects.filter(task_path=NOTHING).count()


def test_slots_are_aligned_on_the_epoch() -> None:
    job = PeriodicJob(path=NOTHING, interval=300, task=jobs.nothing)
    daily = PeriodicJob(path=NOTHING, interval=86400, task=jobs.nothing)

    assert job.slot_start(at(10, 7, 31)) == at(10, 5)
    assert job.next_slot_start(at(10, 7, 31)) == at(10, 10)
    assert daily.slot_start(at(23, 59, 59)) == at(0, 0)


def test_a_slot_is_enqueued_once_however_often_schedulers_tick(db: None, one_job: None) -> None:
    first, second = Scheduler(worker_id="a"), Scheduler(worker_id="b")

    assert first.tick(at(10, 1)) == [NOTHING]
    assert first.tick(at(10, 2)) == []
    assert second.tick(at(10, 4, 59)) == []

    assert enqueued() == 1
    slot = ScheduledSlot.objects.get()
    assert slot.slot_start == at(10, 0)
    assert slot.claimed_by == "a"
    assert slot.task_result is not None
    assert slot.task_result.task_path == NOTHING


def test_the_next_slot_is_enqueued_again(db: None, one_job: None) -> None:
    scheduler = Scheduler()
    scheduler.tick(at(10, 1))
    scheduler.tick(at(10, 5))
    scheduler.tick(at(10, 9))

    assert enqueued() == 2


def test_missed_slots_are_not_replayed_one_by_one(db: None, one_job: None) -> None:
    scheduler = Scheduler()
    scheduler.tick(at(10, 0))
    scheduler.tick(at(14, 0))  # four hours without a worker

    assert enqueued() == 2


def test_claiming_a_slot_twice_enqueues_once(db: None) -> None:
    job = PeriodicJob(path=NOTHING, interval=60, task=jobs.nothing)

    assert slot_claim(job=job, slot_start=at(9, 0)) is True
    assert slot_claim(job=job, slot_start=at(9, 0)) is False
    assert enqueued() == 1


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([("liaison.notifications.tests.jobs.not_a_task", 60)], "is not a task"),
        ([(NOTHING, 0)], "positive interval"),
        ([(NOTHING, 60), (NOTHING, 120)], "twice"),
    ],
)
def test_a_wrong_configuration_stops_the_scheduler(settings, entries, message) -> None:
    settings.LIAISON_PERIODIC_TASKS = entries
    with pytest.raises(ImproperlyConfigured, match=message):
        periodic_jobs()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_schedulers_enqueue_a_slot_once(one_job: None) -> None:
    schedulers = [Scheduler(worker_id=f"w{i}") for i in range(4)]
    start = threading.Barrier(len(schedulers))
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def run(scheduler: Scheduler) -> None:
        try:
            start.wait()
            results.append(scheduler.tick(at(12, 0)))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(s,)) for s in schedulers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]
    assert enqueued() == 1
    assert ScheduledSlot.objects.filter(job=NOTHING, slot_start=at(12, 0)).count() == 1


def test_a_failing_database_is_retried_on_the_next_tick(
    db: None, one_job: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    scheduler = Scheduler()
    calls: list[datetime] = []

    def broken(**kwargs: object) -> bool:
        calls.append(kwargs["slot_start"])  # type: ignore[arg-type]
        raise RuntimeError("database is locked")

    monkeypatch.setattr("liaison.core.schedule.slot_claim", broken)
    assert scheduler.tick(at(10, 0)) == []
    monkeypatch.undo()

    assert scheduler.tick(at(10, 0) + timedelta(seconds=1)) == [NOTHING]
    assert len(calls) == 1
