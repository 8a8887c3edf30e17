"""The deconfliction index gets a row per location and cell, carrying the location's
bounding box and circle, so the check reads places from the index alone. The old rows
are dropped and the live operations indexed again from their stored locations."""

import math

import django.db.models.deletion
from django.db import migrations, models

LIVE = ("planned", "submitted", "in_review", "approved", "active")
CELL_DEGREES = 0.25
COLUMNS = round(360 / CELL_DEGREES) + 1
MAX_SPAN = 9


def _span(start, end):
    hours = max(0.0, (end - start).total_seconds() / 3600)
    return next((k for k in range(MAX_SPAN) if hours <= 4**k), MAX_SPAN)


def _cells(location):
    """The grid cells the location's stored bounding box meets (the grid of 0001)."""
    rows = range(
        math.floor((location.min_lat + 90.0) / CELL_DEGREES),
        math.floor((location.max_lat + 90.0) / CELL_DEGREES) + 1,
    )
    first = math.floor((location.min_lon + 180.0) / CELL_DEGREES)
    last = math.floor((location.max_lon + 180.0) / CELL_DEGREES)
    return [row * COLUMNS + column for row in rows for column in range(first, last + 1)]


def index_again(apps, schema_editor):
    Location = apps.get_model("operations", "Location")
    OperationCell = apps.get_model("operations", "OperationCell")
    rows = []
    places = Location.objects.filter(operation__status__in=LIVE).select_related("operation")
    for location in places.iterator(chunk_size=2_000):
        operation = location.operation
        circle = location.shape == "circle"
        for cell in _cells(location):
            rows.append(
                OperationCell(
                    operation_id=operation.pk,
                    location_id=location.pk,
                    cell=cell,
                    span=_span(operation.window_start, operation.window_end),
                    window_start=operation.window_start,
                    window_end=operation.window_end,
                    min_lat=location.min_lat,
                    max_lat=location.max_lat,
                    min_lon=location.min_lon,
                    max_lon=location.max_lon,
                    lat=location.lat if circle else None,
                    lon=location.lon if circle else None,
                    radius_m=location.radius_m if circle else 0.0,
                )
            )
        if len(rows) >= 5_000:
            OperationCell.objects.bulk_create(rows)
            rows = []
    OperationCell.objects.bulk_create(rows)


def drop_rows(apps, schema_editor):
    apps.get_model("operations", "OperationCell").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("operations", "0002_review_and_after_action")]

    operations = [
        migrations.RunPython(drop_rows, drop_rows),
        migrations.RemoveIndex(model_name="operationcell", name="operation_cell_lookup"),
        migrations.AddField(
            model_name="operationcell",
            name="location",
            field=models.ForeignKey(
                default=0,
                help_text="The operation's location whose bounding box meets the cell.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="cells",
                to="operations.location",
            ),
            preserve_default=False,
        ),
        *(
            migrations.AddField(
                model_name="operationcell",
                name=name,
                field=models.FloatField(default=0, help_text=text),
                preserve_default=False,
            )
            for name, text in (
                ("min_lat", "The location's southern edge (degrees)."),
                ("max_lat", "The location's northern edge (degrees)."),
                ("min_lon", "The location's western edge (degrees)."),
                ("max_lon", "The location's eastern edge (degrees)."),
            )
        ),
        migrations.AddField(
            model_name="operationcell",
            name="lat",
            field=models.FloatField(
                help_text="The circle's centre latitude; empty for a polygon.", null=True
            ),
        ),
        migrations.AddField(
            model_name="operationcell",
            name="lon",
            field=models.FloatField(
                help_text="The circle's centre longitude; empty for a polygon.", null=True
            ),
        ),
        migrations.AddField(
            model_name="operationcell",
            name="radius_m",
            field=models.FloatField(default=0, help_text="The circle's radius in metres."),
        ),
        migrations.AddIndex(
            model_name="operationcell",
            index=models.Index(
                fields=[
                    "span",
                    "cell",
                    "window_start",
                    "window_end",
                    "min_lat",
                    "max_lat",
                    "min_lon",
                    "max_lon",
                    "operation",
                    "location",
                    "lat",
                    "lon",
                    "radius_m",
                ],
                name="operation_cell_check",
            ),
        ),
        migrations.RunPython(index_again, drop_rows),
    ]
