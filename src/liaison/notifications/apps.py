from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "liaison.notifications"
    label = "notifications"
    verbose_name = "Notifications and jobs"
