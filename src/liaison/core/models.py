"""Small shared model pieces."""

from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(
        auto_now_add=True, help_text="When the record was created (UTC)."
    )
    updated_at = models.DateTimeField(
        auto_now=True, help_text="When the record last changed (UTC)."
    )

    class Meta:
        abstract = True
