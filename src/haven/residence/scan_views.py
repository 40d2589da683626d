"""Pages of a residence document's scans: the document with its scans and the upload form, and the download.

Both are scoped through the document (the ``documents`` part of its case): anyone else gets 404.
A download is logged (one access-log row) by ``scans.show_scan``, never cached, and always an
attachment, so the browser does not open it inside Haven's pages."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from haven.cases.actions.procedure import name_of, spec_for
from haven.cases.models import ResidenceDocument
from haven.core.actor import Actor
from haven.core.errors import Forbidden, Invalid
from haven.core.generic import ScopedActionView, ScopedObjectView

from . import scans


class ScanForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Scan of the document (PDF, JPEG or PNG)"))


def document_name(document: ResidenceDocument) -> str:
    try:
        return name_of(spec_for(document.case.jurisdiction), "document", document.kind)
    except Exception:  # noqa: BLE001 - a name must never hide the document
        return document.kind


@method_decorator(never_cache, name="dispatch")
class DocumentScansView(ScopedActionView):
    """A document (number, issuing authority and commune, validity), its scans, and the upload form for
    the organisations that may attach one."""

    queryset = ResidenceDocument.objects.select_related("case", "case__jurisdiction", "issued_by")
    part = scans.PART
    form_class = ScanForm
    template_name = "residence/scan_document.html"
    form_errors = (Invalid, Forbidden)

    def get_form(self):
        return self.form_class(self.request.POST or None, self.request.FILES or None)

    def get_context_data(self, **context) -> dict:
        document = self.get_object()
        return {**context, "document": document, "case": document.case, "name": document_name(document),
                "scans": scans.scans_of(document), "may_attach": scans.may_attach(self.request.user, document)}

    def form_valid(self, form):
        document = self.get_object()
        scans.attach_scan(Actor.from_request(self.request), document, form.cleaned_data["file"])
        messages.success(self.request, _("The scan is sealed and attached to the document."))
        return redirect("residence-document-scans", pk=document.pk)


@method_decorator(never_cache, name="dispatch")
class ScanDownloadView(ScopedObjectView):
    """The scan's file, as an attachment; each download writes one access-log row."""

    model = ResidenceDocument
    part = scans.PART

    def get(self, request, pk, scan):
        document = self.get_object()
        found = scans.scan_for(request.user, document, scan)
        content = scans.show_scan(Actor.from_request(request), found, path=request.path)
        return attachment(content, found)


def attachment(content: bytes, scan) -> HttpResponse:
    response = HttpResponse(content, content_type=scan.content_type)
    response["Content-Disposition"] = f'attachment; filename="{scans.file_name(scan)}"'
    response["Content-Length"] = str(len(content))
    response["X-Content-Type-Options"] = "nosniff"
    return response
