"""The periodic job scheduler's slots move from ``notifications`` to ``core``.

A database made before keeps its rows: the table ``notifications_scheduledslot`` is
renamed to ``core_scheduledslot`` (``notifications`` runs its first migration before
this one and drops the model from its own state after it). A database without that
table gets a new, empty one.
"""

import django.db.models.deletion
from django.db import migrations, models

OLD_TABLE = "notifications_scheduledslot"


def move_or_create(apps, schema_editor):
    model = apps.get_model("core", "ScheduledSlot")
    if OLD_TABLE in schema_editor.connection.introspection.table_names():
        schema_editor.alter_db_table(model, OLD_TABLE, model._meta.db_table)
    else:
        schema_editor.create_model(model)


def move_back(apps, schema_editor):
    model = apps.get_model("core", "ScheduledSlot")
    schema_editor.alter_db_table(model, model._meta.db_table, OLD_TABLE)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ScheduledSlot",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "job",
                            models.CharField(
                                help_text="Dotted path of the task, as in LIAISON_PERIODIC_TASKS.",
                                max_length=200,
                            ),
                        ),
                        (
                            "slot_start",
                            models.DateTimeField(
                                help_text="Start of the slot (UTC): a multiple of the interval "
                                "since the Unix epoch."
                            ),
                        ),
                        (
                            "interval_seconds",
                            models.PositiveIntegerField(help_text="The job's interval at the time."),
                        ),
                        (
                            "claimed_at",
                            models.DateTimeField(
                                auto_now_add=True,
                                help_text="When a scheduler enqueued the job for this slot.",
                            ),
                        ),
                        (
                            "claimed_by",
                            models.CharField(
                                blank=True,
                                help_text="Id of the worker whose scheduler claimed the slot.",
                                max_length=64,
                            ),
                        ),
                        (
                            "task_result",
                            models.ForeignKey(
                                blank=True,
                                help_text="The queued task; empty once old results are pruned.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="django_tasks_database.dbtaskresult",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-slot_start", "job"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("job", "slot_start"), name="scheduled_slot_unique"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_or_create, move_back),
    ]
