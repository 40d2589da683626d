"""How the case chain shows itself to a reader: timeline lines in the reader's language."""

from haven.access.scope import scope
from haven.jurisdictions.models import localized

from .actions.procedure import spec_for
from .timeline import RENDERERS, reading_label, render, status_label


def timeline_lines(user, case) -> list[dict]:
    """The timeline lines of ``case`` that ``user`` may see (each line is scoped by its part)."""
    spec = spec_for(case.jurisdiction)
    rows = scope(case.timeline.select_related("organisation"), user).order_by("on", "at", "pk")
    return [{"on": e.on, "event": e.event, "text": render(spec, e.event, e.data),
             "organisation": e.organisation.name if e.organisation else ""} for e in rows]


__all__ = ["timeline_lines", "reading_label", "status_label", "localized", "RENDERERS"]
