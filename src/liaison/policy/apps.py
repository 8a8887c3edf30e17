from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "liaison.policy"
    label = "policy"
    verbose_name = "Policy"

    def ready(self) -> None:
        from liaison.policy import checks, rules  # noqa: F401  (the rule-pack check, the rules)
