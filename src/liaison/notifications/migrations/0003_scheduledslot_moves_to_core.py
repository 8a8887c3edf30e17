"""The scheduler's slots now belong to ``core`` (whose first migration renamed the
table and kept its rows); only the model leaves this app's state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_notification_link_validation"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ScheduledSlot")],
            database_operations=[],
        ),
    ]
