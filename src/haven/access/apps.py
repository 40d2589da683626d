from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "haven.access"
    verbose_name = _("Access control")

    def ready(self):
        from . import checks  # noqa: F401 - registers the vault's system check
