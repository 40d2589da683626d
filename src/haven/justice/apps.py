from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "haven.justice"
    verbose_name = _("Justice chain")

    def ready(self):
        from haven.cases.actions.predicates import register_predicate
        from haven.organisations.home import register_panel_source

        from . import access_rules  # noqa: F401 - registers who sees what (haven.access.scope)
        from .panels import investigations
        from .services import grounds_for_unlimited_residence

        register_predicate("justice_grounds", grounds_for_unlimited_residence,
                           _("a conviction, or trafficking kept in the prosecutor's requisitions"))
        register_panel_source("investigations", investigations)
