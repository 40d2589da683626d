from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonsConfig(AppConfig):
    """Persons and their identities. Depends on nothing in ``haven.cases``: who may see a person is
    decided by the cases that name them, so that scoping rule is registered by the cases app."""

    name = "haven.persons"
    verbose_name = _("Persons")

    def ready(self):
        from haven.access.rotation import register_reindexer

        from .services import reindex_names

        register_reindexer("blind index", reindex_names)
