from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from haven.access.scope import LOG_READERS_OWN_ORGANISATION, scope, seats

from . import services
from .models import AccessLog, Action, AuditEvent, Purpose, Verb


def readable_log(user):
    """The access log rows ``user`` may read; 404 for anyone who reads none."""
    if not any(seat.role in LOG_READERS_OWN_ORGANISATION for seat in seats(user)):
        raise Http404
    return scope(AccessLog.objects.all(), user)


def readable_events(user):
    """The audit events ``user`` may read (admins: their organisation's; the DPO: all); 404 for others."""
    if not any(seat.role in LOG_READERS_OWN_ORGANISATION for seat in seats(user)):
        raise Http404
    return scope(AuditEvent.objects.all(), user)


def filtered_events(request, queryset):
    verb = request.GET.get("verb")
    return queryset.filter(verb=verb) if verb in Verb.values else queryset


def reader_organisation_id(user) -> int | None:
    return next((s.organisation_id for s in seats(user) if s.role in LOG_READERS_OWN_ORGANISATION), None)


def filtered(request, queryset):
    action = request.GET.get("action")
    if action in Action.values:
        queryset = queryset.filter(action=action)
    if request.GET.get("case", "").isdigit():
        queryset = queryset.filter(case_id=int(request.GET["case"]))
    return queryset


@never_cache
@require_GET
def log(request):
    """The access log of your organisation's records and members (admins and the DPO)."""
    queryset = filtered(request, readable_log(request.user)).select_related("organisation", "owner_organisation")
    page = Paginator(queryset, 100).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "actions": Action.choices,
                                              "action": request.GET.get("action", "")})


@never_cache
@require_GET
def export(request):
    """The same rows as CSV (``?format=csv``) or JSON (``?format=json``); the export is logged."""
    fmt = "json" if request.GET.get("format") == "json" else "csv"
    queryset = filtered(request, readable_log(request.user))
    body = services.export(queryset, fmt)
    services.record(request, Action.LOG_EXPORT, Purpose.OVERSIGHT, target="audit.accesslog:export",
                    organisation_id=reader_organisation_id(request.user))
    response = HttpResponse(body, content_type="application/json" if fmt == "json" else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-log-{timezone.now():%Y%m%d-%H%M}.{fmt}"'
    return response


@never_cache
@require_GET
def events(request):
    """Who changed a membership, an organisation or a library record (admins of it and the DPO)."""
    queryset = filtered_events(request, readable_events(request.user)).select_related(
        "organisation", "target_organisation")
    page = Paginator(queryset, 100).get_page(request.GET.get("page"))
    return render(request, "audit/events.html", {"page": page, "verbs": Verb.choices,
                                                 "verb": request.GET.get("verb", "")})
