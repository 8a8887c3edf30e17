from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "liaison.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self) -> None:
        from liaison.core.access import on_refusal
        from liaison.ledger.denials import record_refusal

        on_refusal(record_refusal)
