"""Free text beside the ledger: leaf format 2, the text store, and bulk-read records.

Existing entries keep leaf format 1 (their reason is in their leaf) and stay valid
under every checkpoint already published. On SQLite Django would add the two
columns by rebuilding ``ledger_entry``, which drops its append-only triggers, so
there they are added in place with ``ALTER TABLE ... ADD COLUMN``.
"""

import django.db.models.deletion
from django.db import migrations, models


class AddEntryColumn(migrations.AddField):
    """AddField that adds the column in place on SQLite (no table rebuild)."""

    def __init__(self, *args, sqlite_sql, **kwargs):
        super().__init__(*args, **kwargs)
        self.sqlite_sql = sqlite_sql

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        kwargs["sqlite_sql"] = self.sqlite_sql
        return name, args, kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(self.sqlite_sql)
        else:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f'ALTER TABLE "ledger_entry" DROP COLUMN "{self.name}"')
        else:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0003_append_only_triggers'),
    ]

    operations = [
        migrations.CreateModel(
            name='EntryText',
            fields=[
                ('entry', models.OneToOneField(db_constraint=False, help_text='The entry whose reason this is.', on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='text', serialize=False, to='ledger.entry')),
                ('text', models.TextField(blank=True, help_text='The reason as given; empty once redacted.')),
                ('salt', models.CharField(blank=True, help_text='16 random bytes (hex) hashed with the text; emptied by a redaction.', max_length=32)),
                ('redacted_at', models.DateTimeField(blank=True, help_text='When the text was redacted (UTC).', null=True)),
                ('redacted_by_id', models.BigIntegerField(blank=True, help_text='The privacy officer who redacted it.', null=True)),
                ('redaction_authority', models.CharField(blank=True, choices=[('not_public_data', 'Not-public data entered as free text (Minn. Stat. § 13.05 subd. 5; Wis. Stat. § 19.36(6))'), ('subject_challenge', "Data subject's challenge upheld (Minn. Stat. § 13.04 subd. 4)"), ('court_order', 'Court order'), ('retention_schedule', 'Approved records retention schedule')], help_text='Under which authority it was redacted.', max_length=32)),
                ('redaction_seq', models.BigIntegerField(blank=True, help_text='The ledger entry recording the redaction.', null=True)),
            ],
        ),
        AddEntryColumn(
            sqlite_sql='ALTER TABLE "ledger_entry" ADD COLUMN "leaf_version" smallint unsigned '
            'NOT NULL DEFAULT 1 CHECK ("leaf_version" >= 0)',
            model_name='entry',
            name='leaf_version',
            field=models.PositiveSmallIntegerField(db_default=1, default=1, help_text='Leaf format: 1 (entries written before free text was kept apart: the reason is in the leaf in clear) or 2 (the leaf commits to reason_hash; the text itself is in EntryText).'),
        ),
        AddEntryColumn(
            sqlite_sql='ALTER TABLE "ledger_entry" ADD COLUMN "reason_hash" varchar(64) '
            "NOT NULL DEFAULT ''",
            model_name='entry',
            name='reason_hash',
            field=models.CharField(blank=True, db_default='', default='', help_text="Version 2: hex SHA-256 of the text's salt bytes followed by its UTF-8 text; empty when no reason was given.", max_length=64),
        ),
        migrations.CreateModel(
            name='EntryRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.CharField(help_text="Primary key of one record returned (of the entry's type).", max_length=64)),
                ('entry', models.ForeignKey(db_constraint=False, help_text='The access entry of the list or export.', on_delete=django.db.models.deletion.PROTECT, related_name='records', to='ledger.entry')),
            ],
            options={
                'indexes': [models.Index(fields=['object_id', 'entry'], name='ledger_entr_object__e953f8_idx')],
            },
        ),
    ]
