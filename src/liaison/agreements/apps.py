from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "liaison.agreements"
    label = "agreements"
    verbose_name = "Agreements"
