from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "haven.audit"
    verbose_name = _("Access log")

    def ready(self):
        from haven.core import trail

        from . import access_rules, events, services, signals  # noqa: F401 - scope rule and sign-in lockout logging

        trail.plug(event=events.record_event, access=services.record)
