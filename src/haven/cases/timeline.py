"""One sentence per timeline event, in the reader's language.

Every ``TimelineEvent`` has exactly one renderer here, registered with ``@renders``; a test checks
that none is missing. A renderer takes the procedure's spec (``spec_for``, to name states, actions
and documents as the profile does) and the line's ``data``, and returns a translated sentence.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from .actions.procedure import name_of
from .models import Reading, SupportService, TimelineEvent

Renderer = Callable[[Any, dict], str]  # (the procedure's spec, the line's data) -> sentence
RENDERERS: dict[TimelineEvent, Renderer] = {}


def renders(*events: TimelineEvent):
    """Register the decorated function as the sentence of ``events``; an event renders one way only."""

    def register(function: Renderer) -> Renderer:
        for event in events:
            if event in RENDERERS:
                raise ValueError(f"timeline event {event!r} already has a renderer")
            RENDERERS[TimelineEvent(event)] = function
        return function

    return register


def render(spec, event: str, data: dict) -> str:
    """The sentence of one timeline line; a value no renderer knows is shown as stored."""
    try:
        renderer = RENDERERS[TimelineEvent(event)]
    except ValueError:
        return event
    return renderer(spec, data)


def reading_label(reading) -> str:
    return str(Reading(reading).label) if reading in Reading.values else (reading or "")


def status_label(status) -> str:
    return {"presumed": _("presumed victim"), "identified": _("identified victim")}.get(status, status or "")


@renders(TimelineEvent.SIGNAL)
def _signal(spec, data) -> str:
    return _("Signal recorded.")


@renders(TimelineEvent.SCREENING)
def _screening(spec, data) -> str:
    text = _("Screening: %(reading)s (indicator set %(set)s, version %(version)s).") % {
        "reading": reading_label(data.get("reading")), "set": data.get("indicator_set"),
        "version": data.get("set_version")}
    return text + (" " + _("Labour set used: no verified sexual-exploitation set.") if data.get("fallback") else "")


@renders(TimelineEvent.TRANSITION)
def _transition(spec, data) -> str:
    text = _("%(action)s: %(from)s → %(to)s.") % {
        "action": name_of(spec, "action", data.get("action")), "from": name_of(spec, "state", data.get("from_state")),
        "to": name_of(spec, "state", data.get("to_state"))}
    if data.get("reason"):
        text += " " + _("Reason: %(reason)s.") % {"reason": name_of(spec, "label", data["reason"])}
    return text


@renders(TimelineEvent.DOCUMENT)
def _document(spec, data) -> str:
    document = name_of(spec, "document", data.get("document"))
    if data.get("valid_until"):
        return _("%(document)s valid until %(date)s.") % {"document": document, "date": data["valid_until"]}
    return _("%(document)s issued.") % {"document": document}


@renders(TimelineEvent.REFERRAL)
def _referral(spec, data) -> str:
    return _("Referred to %(organisation)s.") % {"organisation": data.get("to")}


@renders(TimelineEvent.REFERRAL_ACCEPTED)
def _referral_accepted(spec, data) -> str:
    return _("Referral accepted.")


@renders(TimelineEvent.REFERRAL_DECLINED)
def _referral_declined(spec, data) -> str:
    return _("Referral declined: %(reason)s") % {"reason": data.get("reason", "")}


@renders(TimelineEvent.REFERRAL_REVOKED)
def _referral_revoked(spec, data) -> str:
    return _("Referral revoked.")


@renders(TimelineEvent.STATUS)
def _status(spec, data) -> str:
    return _("Trafficking status set: %(status)s.") % {"status": status_label(data.get("status"))}


def _support_plan(data) -> str:
    return _("Support plan: %(service)s.") % {"service": dict(SupportService.Kind.choices).get(data.get("kind"))}


@renders(TimelineEvent.SERVICE)
def _service(spec, data) -> str:
    return _support_plan(data)


@renders(TimelineEvent.SERVICE_UPDATED)
def _service_updated(spec, data) -> str:
    return _support_plan(data)


@renders(TimelineEvent.REOPENED)
def _reopened(spec, data) -> str:
    return _("Case reopened in the state %(state)s.") % {"state": name_of(spec, "state", data.get("to_state"))}
