from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "liaison.agreements"
    label = "agreements"
    verbose_name = "Agreements"

    def ready(self) -> None:
        from liaison.agreements import rules  # noqa: F401  (declares who may do what)
