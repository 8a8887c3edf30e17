from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_list_order_indexes")]

    operations = [
        migrations.AddConstraint(
            model_name="liaisondesignation",
            constraint=models.UniqueConstraint(
                fields=("person", "from_agency", "to_agency", "start_date"),
                name="designation_unique_start",
                violation_error_code="duplicate_designation",
                violation_error_message=(
                    "This person is already designated liaison between these agencies "
                    "from that day."
                ),
            ),
        ),
    ]
