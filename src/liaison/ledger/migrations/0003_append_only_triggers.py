"""Make the ledger tables append-only in the database itself (SQLite and PostgreSQL)."""

from django.db import migrations

from liaison.ledger import guards


class RunSQLFor(migrations.RunSQL):
    """RunSQL that only runs on one database vendor."""

    def __init__(self, vendor):
        super().__init__(guards.install_sql(vendor), guards.remove_sql(vendor))
        self.vendor = vendor

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_rows(apps, schema_editor):
    apps.get_model("ledger", "Head").objects.get_or_create(id=1)
    apps.get_model("ledger", "Tree").objects.get_or_create(id=1)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_tree_and_checkpoints")]

    operations = [
        migrations.RunPython(create_rows, migrations.RunPython.noop),
        RunSQLFor("sqlite"),
        RunSQLFor("postgresql"),
    ]
