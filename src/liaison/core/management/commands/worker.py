"""``liaison worker``: run queued tasks and the periodic job scheduler in one process.

The loop is django-tasks-db's worker (claim the next ready task with a row lock,
run it, record the result) with a scheduler tick before each claim, and task leases
(:mod:`liaison.core.leases`): each claim is leased to this worker, which renews it while
the task runs, and every worker puts back in the queue the tasks whose lease expired
because their worker died. Any number of workers may run against PostgreSQL; on SQLite
run one. SIGINT/SIGTERM finish the task in hand and exit; a second signal stops at once.
"""

from __future__ import annotations

import logging
import random
import signal
import sys
import threading
import time
from argparse import ArgumentTypeError
from types import FrameType
from typing import Any

from django.core.management.base import CommandParser
from django.db import close_old_connections
from django.db.utils import OperationalError
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from liaison.core.leases import (
    Claim,
    LeaseHeartbeat,
    lease_release,
    lease_seconds,
    task_claim,
    task_leases_expire,
)
from liaison.core.management.base import LiaisonCommand
from liaison.core.schedule import Scheduler

logger = logging.getLogger("liaison.worker")


class Worker(DatabaseWorker):
    """django-tasks-db's worker with the periodic scheduler interleaved, leased claims
    and a sleep that a shutdown signal interrupts."""

    def __init__(self, *, scheduler: Scheduler | None, burst: bool, **kwargs: Any) -> None:
        super().__init__(batch=burst, startup_delay=not burst, max_tasks=None, **kwargs)
        self.scheduler = scheduler
        self._wake = threading.Event()
        self._claim: Claim | None = None
        self._next_expiry_check = 0.0

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running:
            logger.warning("Received %s again: stopping now.", signal.strsignal(signum))
            self.reset_signals()
            sys.exit(1)
        logger.warning(
            "Received %s: finishing the current task, then stopping.", signal.strsignal(signum)
        )
        self.running = False
        self._wake.set()

    def claim_next(self) -> tuple[DBTaskResult[Any, Any] | None, bool]:
        """Claim and lease the next ready task (row-locked, skipping rows other workers
        hold). Returns the task, or None, and whether the queue could be read at all."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            claimed = task_claim(tasks, worker_id=self.worker_id)
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None, False
            raise
        if claimed is None:
            return None, True
        task_result, self._claim = claimed
        return task_result, True

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        """Run the task while a heartbeat renews its lease; release the lease after."""
        claim, self._claim = self._claim, None
        if claim is None:  # pragma: no cover - claim_next always sets it
            super().run_task(db_task_result)
            return
        with LeaseHeartbeat(claim):
            super().run_task(db_task_result)
        lease_release(claim)

    def expire_leases(self) -> None:
        """Every quarter lease period: requeue (or give up on) tasks whose worker died."""
        if time.monotonic() < self._next_expiry_check:
            return
        self._next_expiry_check = time.monotonic() + max(lease_seconds() / 4, 1)
        try:
            task_leases_expire()
        except OperationalError:
            # A busy or unreachable database: look again on a later turn.
            logger.warning("Could not check task leases; will retry", exc_info=True)

    def run(self) -> None:
        logger.info("Worker %s started (queues %s)", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            self._wake.wait(random.random() * self.interval)  # spread a fleet's first queries
        while self.running:
            close_old_connections()
            if self.scheduler is not None:
                self.scheduler.tick()
            self.expire_leases()
            task_result, read = self.claim_next()
            if task_result is not None:
                self.run_task(task_result)
            close_old_connections()
            if task_result is None and read and self.batch:
                logger.info("Worker %s: nothing left to do, exiting.", self.worker_id)
                return
            if task_result is None and self.running:
                self._wake.wait(self.interval)
        logger.info("Worker %s stopped.", self.worker_id)


def _worker_id(value: str) -> str:
    if len(value) > 64:
        raise ArgumentTypeError("A worker id has at most 64 characters.")
    return value


class Command(LiaisonCommand):
    help = "Run the background worker: queued tasks and the periodic job scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--burst",
            "--once",
            action="store_true",
            help="Enqueue the periodic jobs that are due, run every ready task, then exit.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the queue is empty before looking again (default 1).",
        )
        parser.add_argument(
            "--queue-name",
            default="*",
            help="Queues to take tasks from, comma-separated; * for all (default).",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Only run queued tasks; leave periodic jobs to other workers.",
        )
        parser.add_argument(
            "--worker-id",
            default="",
            type=_worker_id,
            help="Name of this worker in task results (default: random). Must be unique.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._configure_logging(options["verbosity"])
        if options["interval"] < 0:
            options["interval"] = 0.0
        worker_id = options["worker_id"] or get_random_string(32)
        scheduler = None if options["no_scheduler"] else Scheduler(worker_id=worker_id)
        worker = Worker(
            scheduler=scheduler,
            burst=options["burst"],
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        # Restore the caller's handlers afterwards (call_command in tests, an embedding shell).
        previous = {
            sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
        }
        worker.configure_signals()
        try:
            worker.run()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _configure_logging(self, verbosity: int) -> None:
        level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("liaison.worker", "liaison.core.schedule", "django_tasks", "django_tasks_db"):
            logging.getLogger(name).setLevel(level)
