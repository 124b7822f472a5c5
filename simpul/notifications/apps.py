from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "simpul.notifications"
    label = "notifications"
