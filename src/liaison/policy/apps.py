from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "liaison.policy"
    label = "policy"
    verbose_name = "Policy"

    def ready(self) -> None:
        from liaison.policy import checks  # noqa: F401  (registers the rule-pack check)
