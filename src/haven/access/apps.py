from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "haven.access"
    verbose_name = _("Access control")

    def ready(self):
        from . import checks, schema  # noqa: F401 - the vault's system check, the OpenAPI bearer scheme
