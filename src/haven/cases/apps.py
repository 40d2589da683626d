from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "haven.cases"
    verbose_name = _("Cases")

    def ready(self):
        from haven.organisations.home import register_panel_source

        from . import access_rules, panels  # noqa: F401 - registers who sees what (haven.access.scope)
        from .actions import profile_section  # noqa: F401 - the profile section ``procedure``

        for key in ("cases", "deadlines", "referrals", "signals", "documents", "minors"):
            register_panel_source(key, getattr(panels, key))
