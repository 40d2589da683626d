from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "haven.cases"
    verbose_name = _("Cases")

    def ready(self):
        from . import access_rules  # noqa: F401 - registers who sees what (haven.access.scope)
        from .actions import profile_section  # noqa: F401 - the profile section ``procedure``
