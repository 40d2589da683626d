from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "haven.library"
    label = "library"
    verbose_name = _("Evidence library")

    def ready(self):
        from haven.organisations.home import register_panel_source

        from .panels import claims_to_review

        register_panel_source("library", claims_to_review)
