"""The notices of requests (``haven.notifications``): one sentence per kind, the request named in the
reader's language."""

from django.utils.translation import gettext_lazy as _

from haven.cases.actions.procedure import spec_for
from haven.jurisdictions.models import Jurisdiction
from haven.notifications.services import register_kind

from .services import ARRIVED, ISSUED, REFUSED, WITHDRAWN

SENTENCES = {
    ARRIVED: _("A request about case %(case)s (%(request)s) waits for your organisation's answer by %(date)s."),
    REFUSED: _("Your organisation's request about case %(case)s (%(request)s) was refused."),
    ISSUED: _("Your organisation's request about case %(case)s (%(request)s) was granted: the document was "
              "issued."),
    WITHDRAWN: _("The request about case %(case)s (%(request)s) was withdrawn: it needs no answer any more."),
}


def request_label(value) -> str:
    """``"BE/provisional_stay"`` (as a notice stores it) → the request's name in the active language."""
    code, _sep, kind = str(value).partition("/")
    jurisdiction = Jurisdiction.objects.filter(code=code).first()
    if jurisdiction is None:
        return kind
    try:
        return spec_for(jurisdiction).name_of("request", kind)
    except Exception:  # noqa: BLE001 - a notice's words must never fail because a profile changed
        return kind


def register() -> None:
    for kind, sentence in SENTENCES.items():
        register_kind(kind, sentence, labels={"request": request_label})
