from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "haven.access"
    verbose_name = _("Access control")

    def ready(self):
        from haven.organisations.home import register_panel_source

        from . import checks, schema  # noqa: F401 - the vault's system check, the OpenAPI bearer scheme
        from .services import break_glass_rows

        register_panel_source("break_glass", break_glass_rows)
