from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "haven.organisations"
    verbose_name = _("Organisations and access")

    def ready(self):
        from .home import MEMBERSHIP_REQUESTS, register_panel_source
        from .panels import membership_requests

        register_panel_source(MEMBERSHIP_REQUESTS.key, membership_requests)
