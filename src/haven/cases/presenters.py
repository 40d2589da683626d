"""How the case chain shows itself to a reader: timeline lines in the reader's language."""

from django.utils.translation import gettext as _

from haven.access.scope import scope
from haven.jurisdictions.models import localized

from .actions.procedure import name_of, spec_for


def _line(spec, entry) -> str:
    d = entry.data
    event = entry.event
    if event == "signal":
        return _("Signal recorded.")
    if event == "screening":
        text = _("Screening: %(reading)s (indicator set %(set)s, version %(version)s).") % {
            "reading": reading_label(d.get("reading")), "set": d.get("indicator_set"), "version": d.get("set_version")}
        return text + (" " + _("Labour set used: no verified sexual-exploitation set.") if d.get("fallback") else "")
    if event == "transition":
        text = _("%(action)s: %(from)s → %(to)s.") % {
            "action": name_of(spec, "action", d.get("action")), "from": name_of(spec, "state", d.get("from_state")),
            "to": name_of(spec, "state", d.get("to_state"))}
        if d.get("reason"):
            text += " " + _("Reason: %(reason)s.") % {"reason": name_of(spec, "label", d["reason"])}
        return text
    if event == "document":
        doc = name_of(spec, "document", d.get("document"))
        if d.get("valid_until"):
            return _("%(document)s valid until %(date)s.") % {"document": doc, "date": d["valid_until"]}
        return _("%(document)s issued.") % {"document": doc}
    if event == "referral":
        return _("Referred to %(organisation)s.") % {"organisation": d.get("to")}
    if event == "referral_accepted":
        return _("Referral accepted.")
    if event == "referral_declined":
        return _("Referral declined: %(reason)s") % {"reason": d.get("reason", "")}
    if event == "referral_revoked":
        return _("Referral revoked.")
    if event == "status":
        return _("Trafficking status set: %(status)s.") % {"status": status_label(d.get("status"))}
    if event in ("service", "service_updated"):
        from .models import SupportService

        return _("Support plan: %(service)s.") % {"service": dict(SupportService.Kind.choices).get(d.get("kind"))}
    if event == "reopened":
        return _("Case reopened in the state %(state)s.") % {"state": name_of(spec, "state", d.get("to_state"))}
    return event


def reading_label(reading) -> str:
    return {"likely": _("likely victim"), "possible": _("possible victim"),
            "insufficient": _("insufficient indications")}.get(reading, reading or "")


def status_label(status) -> str:
    return {"presumed": _("presumed victim"), "identified": _("identified victim")}.get(status, status or "")


def timeline_lines(user, case) -> list[dict]:
    """The timeline lines of ``case`` that ``user`` may see (each line is scoped by its part)."""
    spec = spec_for(case.jurisdiction)
    rows = scope(case.timeline.select_related("organisation"), user).order_by("on", "at", "pk")
    return [{"on": e.on, "event": e.event, "text": _line(spec, e),
             "organisation": e.organisation.name if e.organisation else ""} for e in rows]


__all__ = ["timeline_lines", "reading_label", "status_label", "localized"]
