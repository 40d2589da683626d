"""Requests between organisations in the victim-status procedure (Aliens Act arts. 61/2–61/5).

A centre *requests* a residence document (or its extension, renewal, unlimited residence); the
competent reference magistrate *confirms* that the person is still treated as a victim; the
Immigration Office *decides and issues* it. Which requests exist, who may make, co-sign, confirm
and decide them, and how long each may wait, is the profile's (``procedure.requests``); the
rules are in ``services``. A request is answered by rows of ``RequestAnswer``, never edited.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from haven.access.fields import EncryptedTextField


class Stage(models.TextChoices):
    """Where a request is: waiting for someone (``holder``) or answered for good."""

    COSIGN = "cosign", _("Waiting for the guardian's co-signature")
    CONFIRM = "confirm", _("Waiting for the magistrate's confirmation")
    DECIDE = "decide", _("Waiting for the Immigration Office's decision")
    ISSUED = "issued", pgettext_lazy("request", "Issued")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STAGES = (Stage.COSIGN, Stage.CONFIRM, Stage.DECIDE)


class DocumentRequest(models.Model):
    """One request for a residence document, from the organisation that may ask for it."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="document_requests")
    kind = models.CharField(_("request"), max_length=40, help_text=_("A request of the profile's procedure."))
    action = models.CharField(_("procedure action"), max_length=40,
                              help_text=_("What the procedure does when the document is issued."))
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, db_index=True)
    holder = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="held_requests", verbose_name=_("held by"),
                               help_text=_("The organisation that must act now; empty once answered for good."))
    due_on = models.DateField(_("answer due"), null=True, blank=True, db_index=True)
    grounds = models.TextField(_("what it rests on"), blank=True)
    requested_by = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=pgettext_lazy("request", "requested by"))
    requested_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    magistrate_office = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="+", verbose_name=_("magistrate's office"))
    immigration_office = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+", verbose_name=_("deciding office"))
    document = models.ForeignKey("cases.ResidenceDocument", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="requests", verbose_name=_("document issued"))
    closed_on = models.DateField(_("answered on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document request")
        verbose_name_plural = _("document requests")
        ordering = ["requested_on", "pk"]
        indexes = [models.Index(fields=["holder", "stage", "due_on"], name="request_queue")]

    def __str__(self):
        return f"{self.kind} for {self.case_id} ({self.stage})"

    @property
    def open(self) -> bool:
        return self.stage in OPEN_STAGES


class RequestAnswer(models.Model):
    """One organisation's answer at one stage: co-signed, confirmed, refused, issued, withdrawn."""

    class Outcome(models.TextChoices):
        COSIGNED = "cosigned", _("Co-signed")
        CONFIRMED = "confirmed", pgettext_lazy("request", "Confirmed")
        REFUSED = "refused", _("Refused")
        ISSUED = "issued", pgettext_lazy("request", "Issued")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = models.ForeignKey(DocumentRequest, on_delete=models.CASCADE, related_name="answers")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("on"))
    reason = models.TextField(_("reason"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("answer to a request")
        verbose_name_plural = _("answers to requests")
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.outcome} at {self.stage} of request {self.request_id}"


class DocumentScan(models.Model):
    """A scan of an issued document, sealed in the identity vault (``content``: the bytes as base64,
    encrypted); shown only to who may see documents, and every showing is logged."""

    document = models.ForeignKey("cases.ResidenceDocument", on_delete=models.CASCADE, related_name="scans")
    content_type = models.CharField(_("file type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content = EncryptedTextField(_("scan"))  # the file's bytes as base64, sealed by the identity vault
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("document scan")
        verbose_name_plural = _("document scans")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return f"scan {self.pk} of document {self.document_id}"
