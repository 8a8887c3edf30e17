from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "liaison.sharing"
    label = "sharing"
    verbose_name = "Information sharing"

    def ready(self) -> None:
        from liaison.sharing import rules, rules_subjects  # noqa: F401 - declares the rules
