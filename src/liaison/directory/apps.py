from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "liaison.directory"
    label = "directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        from liaison.directory import rules  # noqa: F401  (declares who may do what)
