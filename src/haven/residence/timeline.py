"""The sentence of the case timeline's request lines (``TimelineEvent.REQUEST``), in the reader's language."""

from django.utils.translation import gettext as _

from haven.cases.models import TimelineEvent
from haven.cases.timeline import renders

STEPS = {
    "requested": lambda: _("Requested: %(request)s; it waits for %(to)s."),
    "cosigned": lambda: _("The guardian co-signed the request (%(request)s); it waits for %(to)s."),
    "confirmed": lambda: _("The magistrate confirmed the request (%(request)s); it waits for %(to)s."),
    "refused": lambda: _("Request refused (%(request)s): %(reason)s"),
    "issued": lambda: _("Request granted (%(request)s): the document was issued."),
    "withdrawn": lambda: _("Request withdrawn (%(request)s): %(reason)s"),
}


@renders(TimelineEvent.REQUEST)
def request_line(spec, data) -> str:
    request = spec.name_of("request", data.get("kind") or "") or _("a document")
    sentence = STEPS.get(data.get("step"), lambda: _("Request (%(request)s)."))()
    return sentence % {"request": request, "to": data.get("to") or "—", "reason": data.get("reason") or "—"}
