from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "haven.justice"
    verbose_name = _("Justice chain")

    def ready(self):
        from . import access_rules  # noqa: F401 - registers who sees what (haven.access.scope)
