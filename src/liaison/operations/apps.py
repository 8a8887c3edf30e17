from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "liaison.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from liaison.operations import rules  # noqa: F401 - declares the rules
