from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.vary import vary_on_headers

from haven.core.generic import PublicView
from haven.jurisdictions.models import Jurisdiction

from .services import find_services, jurisdiction_or_default

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "nl": "Nederlands", "de": "Deutsch"}


@method_decorator(vary_on_headers("Accept-Language", "Cookie"), name="get")
class HelpPage(PublicView, View):
    """Where to get help, without login. Never shows an address (DESIGN.md §3)."""

    http_method_names = ["get"]

    def get(self, request):
        return render(request, "directory/help.html", help_context(request))


def help_context(request) -> dict:
    jurisdiction = jurisdiction_or_default(request.GET.get("country"))
    regions = list(jurisdiction.regions.all()) if jurisdiction else []
    region = next((r for r in regions if r.code == request.GET.get("region")), None)
    language = request.GET.get("language") if request.GET.get("language") in LANGUAGE_NAMES else None
    services = find_services(jurisdiction, region=region, language=language) if jurisdiction else []
    return {
        "jurisdiction": jurisdiction,
        "jurisdictions": Jurisdiction.objects.all(),
        "regions": regions,
        "region": region,
        "language": language,
        "language_names": LANGUAGE_NAMES,
        "emergency": [s for s in services if s.kind == "emergency"],
        "services": [s for s in services if s.kind != "emergency"],
    }


help_page = HelpPage.as_view()
