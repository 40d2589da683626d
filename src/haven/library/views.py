"""Library pages. Public: search, sources, countries, imported pages, claims, merges.
Editors: upload, review claims, correct topics/countries/type, undo merges. The rules are in
``services``; these views only read the request and render."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.core.access import public
from haven.core.actor import Actor
from haven.core.errors import Invalid

from . import citations, services
from .forms import SearchForm, SourceTagsForm, UploadForm
from .models import Claim, ClaimStatus, Excerpt, Merge, Page, Source
from .search import search
from .vocab import Topic


def _editor(request) -> bool:
    return services.is_editor(request.user)


@public
@require_GET
def search_page(request):
    form = SearchForm(request.GET or None)
    hits = None
    if form.is_valid() and form.cleaned_data.get("q"):
        data = form.cleaned_data
        hits = search(data["q"], country=data.get("country") or None, year=data.get("year"),
                      topic=data.get("topic") or None, source_type=data.get("type") or None,
                      language=data.get("language") or None)
    countries = sorted({p.country for p in Page.objects.exclude(country="")}, key=lambda c: str(c.name))
    return render(request, "library/search.html", {
        "form": form, "hits": hits, "countries": countries, "is_editor": _editor(request),
        "recent": Source.objects.order_by("-created")[:10] if hits is None else None,
    }, status=400 if form.errors else 200)


def _source_context(request, source: Source) -> dict:
    appearances = (source.appearances.select_related("page")
                   .prefetch_related(Prefetch("excerpts", queryset=Excerpt.objects.select_related(
                       "duplicate_of__appearance__page").prefetch_related("claims")))
                   .order_by("page__imported_at", "position"))
    style = request.GET.get("style") if request.GET.get("style") in citations.STYLES else "apa"
    references = [(key, label, citations.formatted([source], key, html=True)[0])
                  for key, (label, _path) in citations.STYLES.items()]
    return {
        "source": source, "appearances": appearances, "style": style, "references": references,
        "exports": list(citations.EXPORTS), "countries": source.country_codes(),
        "topics": [(code, dict(Topic.choices)[code]) for code in source.topic_codes()],
        "merges": source.merges.select_related("appearance__page", "excerpt"),
        "claims": source.claims.select_related("excerpt__appearance__page"), "is_editor": _editor(request),
        "tags_form": SourceTagsForm(initial={"topics": source.topic_codes(), "countries": " ".join(
            source.country_codes()), "source_type": source.source_type}),
    }


@public
@require_GET
def source_detail(request, pk):
    source = get_object_or_404(Source, pk=pk)
    return render(request, "library/source.html", _source_context(request, source))


def _download(content: str, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=f"{citations.EXPORTS[fmt]}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{citations.EXTENSIONS[fmt]}"'
    return response


@public
@require_GET
def source_export(request, pk, fmt):
    if fmt not in citations.EXPORTS:
        raise Http404
    source = get_object_or_404(Source, pk=pk)
    return _download(citations.export([source], fmt), fmt, f"haven-source-{source.pk}")


@public
@require_GET
def selection_export(request):
    """Several sources at once: ?ids=1&ids=2&format=bibtex (or ris, csl-json, or a style: apa …)."""
    ids = [int(i) for i in request.GET.getlist("ids") if i.isdigit()][:500]
    fmt = request.GET.get("format", "csl-json")
    sources = list(Source.objects.filter(pk__in=ids).prefetch_related("appearances"))
    sources.sort(key=lambda s: ids.index(s.pk))
    if fmt in citations.EXPORTS:
        return _download(citations.export(sources, fmt), fmt, "haven-selection")
    if fmt in citations.STYLES:
        text = "\n".join(citations.formatted(sources, fmt)) + "\n"
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    return HttpResponse(_("Unknown format."), status=400, content_type="text/plain; charset=utf-8")


@public
@require_GET
def country_page(request, code):
    from django_countries import countries

    code = code.upper()
    if code not in dict(countries):
        raise Http404
    pages = Page.objects.filter(country=code).prefetch_related("quotes", "helplines__service")
    sources = list(services.sources_for_country(code))
    current = [s for s in sources if any(a.section != "archives" for a in s.appearances.all())]
    archives = [s for s in sources if s not in current]
    cautions = list(dict.fromkeys(p.caution for p in pages if p.caution))
    quotes = []
    seen = set()
    for page in pages:
        for quote in page.quotes.all():
            if quote.text not in seen:
                seen.add(quote.text)
                quotes.append(quote)
    helplines = []
    seen_numbers = set()
    for page in pages:
        for helpline in page.helplines.all():
            if helpline.phone_uri not in seen_numbers:
                seen_numbers.add(helpline.phone_uri)
                helplines.append(helpline)
    claims = Claim.objects.filter(jurisdiction=code).exclude(status=ClaimStatus.REJECTED).select_related("source")
    return render(request, "library/country.html", {
        "code": code, "name": dict(countries)[code], "pages": pages, "current": current, "archives": archives,
        "cautions": cautions, "quotes": quotes, "helplines": helplines, "claims": claims,
        "topic_labels": dict(Topic.choices),
    })


@public
@require_GET
def page_detail(request, pk):
    page = get_object_or_404(Page.objects.prefetch_related("quotes", "helplines__service"), pk=pk)
    appearances = page.appearances.select_related("source").prefetch_related("excerpts")
    return render(request, "library/page.html", {"page": page, "appearances": appearances})


@public
@require_GET
def claims_page(request):
    status = request.GET.get("status")
    claims = services.claims_queryset()
    if status in ClaimStatus.values:
        claims = claims.filter(status=status)
    return render(request, "library/claims.html", {"claims": claims, "status": status,
                                                   "statuses": ClaimStatus.choices, "is_editor": _editor(request)})


@public
@require_GET
def merges_page(request):
    merges = Merge.objects.select_related("source", "appearance__page", "excerpt", "into_excerpt__appearance__page",
                                          "split_into", "undone_by")
    return render(request, "library/merges.html", {"merges": merges, "is_editor": _editor(request)})


@require_http_methods(["GET", "POST"])
def upload(request):
    services.require_editor(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        files = request.FILES.getlist("files")
        report = services.do_upload_pages(Actor.from_request(request), [(f.name, f) for f in files])
        if report.all_failed:
            messages.error(request, _("No file could be imported."))
        else:
            messages.success(request, _("Import finished."))
    return render(request, "library/upload.html", {"form": form, "report": report},
                  status=400 if form.errors else 200)


@require_POST
def claim_review(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    claim = services.do_review_claim(Actor.from_request(request), claim, request.POST.get("status", ""))
    messages.success(request, _("The claim is now: %(status)s.") % {"status": claim.get_status_display()})
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/library/")
                    else "library-claims")


@require_POST
def source_tags(request, pk):
    source = get_object_or_404(Source, pk=pk)
    services.require_editor(request.user)
    form = SourceTagsForm(request.POST)
    if form.is_valid():
        try:
            services.do_correct_source(Actor.from_request(request), source, **form.cleaned_data)
        except Invalid as exc:
            for field, errors in exc.field_errors.items():
                form.add_error(field if field in form.fields else None, errors)
            if not exc.field_errors:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Topics, countries and type were saved."))
            return redirect("library-source", pk=source.pk)
    messages.error(request, _("Please correct the topics, countries or type."))
    context = _source_context(request, source)
    context["tags_form"] = form
    return render(request, "library/source.html", context, status=400)


@require_POST
def merge_undo(request, pk):
    merge = get_object_or_404(Merge, pk=pk)
    services.do_undo_merge(Actor.from_request(request), merge)
    messages.success(request, _("The merge was undone."))
    return redirect("library-merges")

