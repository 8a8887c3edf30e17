from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "liaison.sharing"
    label = "sharing"
    verbose_name = "Information sharing"

    def ready(self) -> None:
        from liaison.policy import replay
        from liaison.sharing import rules, rules_subjects  # noqa: F401 - declares the rules
        from liaison.sharing.selectors import stored_requests_for_replay

        # `liaison policy diff` replays the requests stored here.
        replay.register_source("sharing", stored_requests_for_replay)
