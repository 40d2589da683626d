from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "haven.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import access_rules  # noqa: F401 - a notice is its recipient's alone (haven.access.scope)
