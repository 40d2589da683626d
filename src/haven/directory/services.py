"""Finding help: which services serve a region and a language."""

from django.conf import settings
from django.db.models import Q

from haven.jurisdictions.models import Jurisdiction, Region

from .models import SupportService


def default_jurisdiction_code() -> str:
    return getattr(settings, "HAVEN_DEFAULT_JURISDICTION", "BE")


def jurisdiction_or_default(code: str | None) -> Jurisdiction | None:
    code = (code or default_jurisdiction_code()).upper()
    return Jurisdiction.objects.filter(code=code).first() or Jurisdiction.objects.filter(
        code=default_jurisdiction_code()).first()


def find_services(jurisdiction: Jurisdiction, *, region: Region | None = None, language: str | None = None):
    """Services for ``region`` (those covering the whole country included) speaking ``language``."""
    services = SupportService.objects.filter(jurisdiction=jurisdiction).prefetch_related("regions")
    if region is not None:
        services = services.filter(Q(regions=region) | Q(regions__is_national=True)).distinct()
    if language:
        # JSON "contains" is not available on SQLite; the lists are short, filter in Python.
        return [s for s in services if language in s.languages]
    return list(services)
