"""Library pages. Public: search, sources, countries, imported pages, claims, merges.
Editors: upload, review claims, correct topics/countries/type, undo merges. The rules are in
``services``; these views only read the request and render. Published reports are not case data:
reading is ``PublicView``, editing ``UnscopedView`` (``EditorView``)."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from haven.core.actor import Actor
from haven.core.generic import PublicView, ServiceFormMixin, UnscopedView

from . import citations, services
from .forms import SearchForm, SourceTagsForm, UploadForm
from .models import Claim, ClaimStatus, Excerpt, Merge, Page, Source
from .search import search
from .vocab import Topic


def _editor(request) -> bool:
    return services.is_editor(request.user)


class LibraryPage(PublicView, View):
    """A public page of the library (published reports, readable without signing in)."""

    http_method_names = ["get"]


class EditorView(UnscopedView, View):
    """An editor's change to the library (the service refuses anyone else)."""

    reason = "the library holds published reports, not case data"
    http_method_names = ["post"]


class SearchPage(LibraryPage):
    def get(self, request):
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


class SourcePage(LibraryPage):
    def get(self, request, pk):
        source = get_object_or_404(Source, pk=pk)
        return render(request, "library/source.html", _source_context(request, source))


def _download(content: str, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=f"{citations.EXPORTS[fmt]}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{citations.EXTENSIONS[fmt]}"'
    return response


class SourceExport(LibraryPage):
    def get(self, request, pk, fmt):
        if fmt not in citations.EXPORTS:
            raise Http404
        source = get_object_or_404(Source, pk=pk)
        return _download(citations.export([source], fmt), fmt, f"haven-source-{source.pk}")


class SelectionExport(LibraryPage):
    """Several sources at once: ?ids=1&ids=2&format=bibtex (or ris, csl-json, or a style: apa …)."""

    def get(self, request):
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


class CountryPage(LibraryPage):
    def get(self, request, code):
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


class ImportedPage(LibraryPage):
    def get(self, request, pk):
        page = get_object_or_404(Page.objects.prefetch_related("quotes", "helplines__service"), pk=pk)
        appearances = page.appearances.select_related("source").prefetch_related("excerpts")
        return render(request, "library/page.html", {"page": page, "appearances": appearances})


class ClaimsPage(LibraryPage):
    def get(self, request):
        status = request.GET.get("status")
        claims = services.claims_queryset()
        if status in ClaimStatus.values:
            claims = claims.filter(status=status)
        return render(request, "library/claims.html", {"claims": claims, "status": status,
                                                       "statuses": ClaimStatus.choices, "is_editor": _editor(request)})


class MergesPage(LibraryPage):
    def get(self, request):
        merges = Merge.objects.select_related("source", "appearance__page", "excerpt", "into_excerpt__appearance__page",
                                              "split_into", "undone_by")
        return render(request, "library/merges.html", {"merges": merges, "is_editor": _editor(request)})


class UploadView(EditorView):
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        services.require_editor(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.show(UploadForm())

    def post(self, request):
        form = UploadForm(request.POST or None, request.FILES or None)
        report = None
        if form.is_valid():
            files = request.FILES.getlist("files")
            report = services.do_upload_pages(Actor.from_request(request), [(f.name, f) for f in files])
            if report.all_failed:
                messages.error(request, _("No file could be imported."))
            else:
                messages.success(request, _("Import finished."))
        return self.show(form, report)

    def show(self, form, report=None):
        return render(self.request, "library/upload.html", {"form": form, "report": report},
                      status=400 if form.errors else 200)


class ClaimReviewView(EditorView):
    def post(self, request, pk):
        claim = get_object_or_404(Claim, pk=pk)
        claim = services.do_review_claim(Actor.from_request(request), claim, request.POST.get("status", ""))
        messages.success(request, _("The claim is now: %(status)s.") % {"status": claim.get_status_display()})
        return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/library/")
                        else "library-claims")


class SourceTagsView(ServiceFormMixin, EditorView):
    """Correct a source's topics, countries and type; a refused correction shows the source page again."""

    form_class = SourceTagsForm
    template_name = "library/source.html"

    def post(self, request, pk):
        self.source = get_object_or_404(Source, pk=pk)
        services.require_editor(request.user)
        return super().post(request, pk)

    def form_valid(self, form):
        services.do_correct_source(Actor.from_request(self.request), self.source, **form.cleaned_data)
        messages.success(self.request, _("Topics, countries and type were saved."))
        return redirect("library-source", pk=self.source.pk)

    def render_form(self, form):
        messages.error(self.request, _("Please correct the topics, countries or type."))
        context = _source_context(self.request, self.source)
        context["tags_form"] = form
        return render(self.request, "library/source.html", context, status=400)


class MergeUndoView(EditorView):
    def post(self, request, pk):
        merge = get_object_or_404(Merge, pk=pk)
        services.do_undo_merge(Actor.from_request(request), merge)
        messages.success(request, _("The merge was undone."))
        return redirect("library-merges")
