from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "liaison.core"
    label = "core"
    verbose_name = "Liaison kernel"

    def ready(self) -> None:
        from liaison.core import checks  # noqa: F401  (registers the deploy checks)
