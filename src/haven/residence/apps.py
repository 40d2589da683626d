from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidenceConfig(AppConfig):
    name = "haven.residence"
    verbose_name = _("Residence procedure requests")

    def ready(self):
        from haven.cases.views import register_case_section

        from . import access_rules, notices, panels, timeline  # noqa: F401 - scoping rules, the timeline's sentence
        from .views import requests_section

        notices.register()
        panels.register()
        register_case_section("residence/_case_requests.html", requests_section)
