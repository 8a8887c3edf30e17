"""The scheduler's slot table belongs to ``core``, and a database made before the move
keeps its slots."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor

from liaison.core import schedule
from liaison.core.models import ScheduledSlot


def test_the_scheduler_imports_no_notifications_module() -> None:
    tree = ast.parse(Path(schedule.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }

    assert not {name for name in imported if name and name.startswith("liaison.notifications")}
    assert ScheduledSlot._meta.app_label == "core"
    assert ScheduledSlot._meta.db_table == "core_scheduledslot"


@pytest.mark.django_db(transaction=True)
def test_slots_claimed_before_the_move_are_kept() -> None:
    executor = MigrationExecutor(connection)
    # The database as it was before the move: the slots table still in notifications.
    executor.migrate([("core", None)])
    executor.loader.build_graph()
    old_apps = executor.loader.project_state(
        [("notifications", "0002_notification_link_validation")]
    ).apps
    slot_start = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    old_apps.get_model("notifications", "ScheduledSlot").objects.create(
        job="liaison.notifications.tasks.send_pending_emails",
        slot_start=slot_start,
        interval_seconds=300,
        claimed_by="worker-1",
    )
    assert "notifications_scheduledslot" in connection.introspection.table_names()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    tables = connection.introspection.table_names()
    assert "notifications_scheduledslot" not in tables
    slot = ScheduledSlot.objects.get()
    assert (slot.job, slot.slot_start, slot.claimed_by) == (
        "liaison.notifications.tasks.send_pending_emails",
        slot_start,
        "worker-1",
    )
    # The unique constraint came along: a second claim of the slot fails.
    with pytest.raises(IntegrityError):
        ScheduledSlot.objects.create(
            job=slot.job, slot_start=slot_start, interval_seconds=300, claimed_by="worker-2"
        )
