from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_tables(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Make the database cache's table (rate-limit counters) after ``migrate``: Django
    keeps it outside migrations. Does nothing when it exists or no cache is in the DB."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "liaison.core"
    label = "core"
    verbose_name = "Liaison kernel"

    def ready(self) -> None:
        from liaison.core import checks  # noqa: F401  (registers the deploy checks)

        post_migrate.connect(_create_cache_tables, sender=self, dispatch_uid="core-cache-tables")
