import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Count


def copy_caps_and_drop_second_signatures(apps, schema_editor):
    """The cap as signed is the current cap unless an amendment changed it (then the
    original is unknown; the amended value is kept). A party that signed twice keeps its
    first signature."""
    Agreement = apps.get_model("agreements", "Agreement")
    Signatory = apps.get_model("agreements", "Signatory")
    Agreement.objects.update(signed_personnel_cap=models.F("personnel_cap"))
    twice = (
        Signatory.objects.values("agreement_id", "agency_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    for row in twice:
        keep = (
            Signatory.objects.filter(agreement_id=row["agreement_id"], agency_id=row["agency_id"])
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        Signatory.objects.filter(
            agreement_id=row["agreement_id"], agency_id=row["agency_id"]
        ).exclude(id=keep).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0003_name_validation"),
        ("directory", "0003_name_validation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="agreement",
            name="signed_personnel_cap",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Personnel cap as originally signed, before any amendment; empty: no cap.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="signatory",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Who recorded it; empty for the system (imports, demo loading).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="signatory",
            name="signed_copy",
            field=models.ForeignKey(
                blank=True,
                help_text="The signed document, required when it is recorded on the party's behalf.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agreements.documentversion",
            ),
        ),
        migrations.AlterField(
            model_name="signatory",
            name="agreement",
            field=models.ForeignKey(
                help_text="Agreement signed.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="signatories",
                to="agreements.agreement",
            ),
        ),
        migrations.RunPython(copy_caps_and_drop_second_signatures, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="signatory",
            constraint=models.UniqueConstraint(
                fields=("agreement", "agency"),
                name="signatory_one_per_party",
                violation_error_code="already_signed",
                violation_error_message="This party has already signed the agreement.",
            ),
        ),
        migrations.AddConstraint(
            model_name="legalauthority",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("repealed_on__isnull", True),
                    ("effective_date__isnull", True),
                    ("repealed_on__gte", models.F("effective_date")),
                    _connector="OR",
                ),
                name="authority_repealed_after_effective",
                violation_error_code="repealed_before_effective",
                violation_error_message=(
                    "An authority cannot be repealed before it takes effect: "
                    "give a repeal date on or after its effective date."
                ),
            ),
        ),
    ]
