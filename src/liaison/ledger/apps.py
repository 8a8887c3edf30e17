from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "liaison.ledger"
    label = "ledger"
    verbose_name = "Ledger"
