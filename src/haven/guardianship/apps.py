from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuardianshipConfig(AppConfig):
    name = "haven.guardianship"
    verbose_name = _("Guardianship")

    def ready(self):
        # who sees what (haven.access.scope), the profile section ``guardianship``, the timeline's sentences
        from haven.cases.views import register_case_section

        from . import access_rules, panels, profile_sections, services, timeline, views  # noqa: F401

        panels.register()
        services.register_notices()
        register_case_section("guardianship/_case_page.html", views.case_page_section)
