"""Scans of issued residence documents: sealed in the identity vault, shown only to who may see documents.

A scan shows a person's face, name and birth date: it is identity, kept like the identity vault's
fields (``DocumentScan.content``, encrypted) and shown only through ``show_scan``, which writes one
access-log row each time. Only the organisation that issued the document or the one that owns the
case attaches a scan, and only while it sees the case's ``documents`` part. Rules, no HTTP.
"""

import base64

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from haven.access.context import context_for
from haven.access.scope import OWNER_ONLY, case_model, parts_of, seats
from haven.cases.models import ResidenceDocument
from haven.core.actor import Actor
from haven.core.errors import Forbidden, Invalid, NotFound
from haven.core.trail import Action, Purpose, record_access

from .models import DocumentScan

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# What a scan may be, told by its first bytes (never by the name or the type the browser claims).
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
EXTENSIONS = {content_type: extension for _magic, content_type, extension in SIGNATURES}
PART = "documents"


def max_bytes() -> int:
    return int(getattr(settings, "HAVEN_SCAN_MAX_BYTES", DEFAULT_MAX_BYTES))


def file_type(head: bytes) -> str | None:
    """The content type of a PDF, JPEG or PNG file from its first bytes; ``None`` for anything else."""
    return next((content_type for magic, content_type, _ext in SIGNATURES if head.startswith(magic)), None)


def documents_visible_to(user) -> QuerySet:
    """The residence documents ``user`` may see (the ``documents`` part of their cases)."""
    return ResidenceDocument.objects.visible_to(user, PART)


def document_for(user, pk: int) -> ResidenceDocument:
    document = documents_visible_to(user).select_related("case", "case__jurisdiction", "issued_by").filter(
        pk=pk).first()
    if document is None:
        raise NotFound()
    return document


def scans_of(document: ResidenceDocument) -> QuerySet:
    """The scans of a document the caller may see, without their sealed bytes."""
    return DocumentScan.objects.filter(document=document).defer("content").select_related("organisation",
                                                                                           "uploaded_by")


def organisation_parts(user, case, organisation_id: int) -> frozenset[str]:
    """What ``user`` sees of ``case`` through one of their organisations (owning it or through its shares)."""
    mine = frozenset().union(*(s.parts for s in seats(user) if s.organisation_id == organisation_id))
    if not mine:
        return frozenset()
    if case.owner_id == organisation_id:
        return mine
    masks = case_model("share").objects.filter(case_id=case.pk, organisation_id=organisation_id,
                                               revoked_at__isnull=True).values_list("parts_mask", flat=True)
    shared = frozenset().union(*(parts_of(mask) for mask in masks))
    return mine & shared - OWNER_ONLY


def attaching_organisation(user, document: ResidenceDocument, preferred=None):
    """The organisation through which ``user`` may attach a scan to ``document``: its issuer or the case's
    owner, seeing the case's documents; ``None`` when neither."""
    candidates = [pk for pk in (getattr(preferred, "pk", preferred), document.issued_by_id, document.case.owner_id)
                  if pk is not None and pk in {document.issued_by_id, document.case.owner_id}]
    for organisation_id in dict.fromkeys(candidates):
        if PART in organisation_parts(user, document.case, organisation_id):
            return context_for(user).organisation(organisation_id)
    return None


def may_attach(user, document: ResidenceDocument) -> bool:
    return attaching_organisation(user, document) is not None


@transaction.atomic
def attach_scan(actor: Actor, document: ResidenceDocument, uploaded_file) -> DocumentScan:
    """Seal a scan of ``document`` (a PDF, JPEG or PNG file up to ``HAVEN_SCAN_MAX_BYTES``) in the vault."""
    user = actor.user
    document = document_for(user, document.pk)  # out of scope looks like absent
    organisation = attaching_organisation(user, document, actor.organisation)
    if organisation is None:
        raise Forbidden(_("Only the authority that issued this document or the organisation that owns the case may "
                          "attach a scan of it."), code="scan_not_allowed")
    limit = max_bytes()
    too_large = Invalid(code="scan_too_large", field_errors={"file": [
        _("The file is too large: a scan may hold at most %(size)s.") % {"size": filesizeformat(limit)}]})
    if (getattr(uploaded_file, "size", None) or 0) > limit:
        raise too_large  # before reading it
    data = uploaded_file.read(limit + 1)
    if not data:
        raise Invalid(code="scan_empty", field_errors={"file": [_("The file is empty.")]})
    if len(data) > limit:
        raise too_large
    content_type = file_type(data[:16])
    if content_type is None:
        raise Invalid(code="scan_type", field_errors={"file": [_("A scan must be a PDF, JPEG or PNG file.")]})
    return DocumentScan.objects.create(document=document, content_type=content_type, size=len(data),
                                       content=base64.b64encode(data).decode("ascii"), uploaded_by=user,
                                       organisation=organisation)


def scan_for(user, document: ResidenceDocument, pk: int) -> DocumentScan:
    scan = scans_of(document).filter(pk=pk).first()
    if scan is None:
        raise NotFound()
    return scan


def show_scan(actor: Actor, scan: DocumentScan, *, path: str = "") -> bytes:
    """The scan's bytes, for someone who may see the document's case documents; one access-log row each time."""
    document = document_for(actor.user, scan.document_id)
    # the sealed bytes are read here only, after the scope said yes
    content = DocumentScan.objects.filter(pk=scan.pk, document=document).values_list("content", flat=True).first()
    if content is None:
        raise NotFound()
    record_access(actor, Action.VIEW_IDENTITY, Purpose.DOCUMENTS, case=document.case,
                  target=f"residence.documentscan:{scan.pk}", path=path)
    return base64.b64decode(content)


def file_name(scan: DocumentScan) -> str:
    """A download's name: the scan's number and type, never the person's name nor the document's number."""
    return f"scan-{scan.pk}.{EXTENSIONS.get(scan.content_type, 'bin')}"
