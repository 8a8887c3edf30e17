from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "liaison.policy"
    label = "policy"
    verbose_name = "Policy"
