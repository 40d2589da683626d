from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo: generated users, cases and seed pages. The top layer: it may use every other app."""

    name = "haven.demo"
    verbose_name = _("Demo")
