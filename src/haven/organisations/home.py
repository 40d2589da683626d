"""What each role sees first when they sign in.

The panels and which role sees which are decided here; their rows come from the apps that own
the data, which plug a source in from ``AppConfig.ready()`` with ``register_panel_source``
(cases, justice, library, access; organisations itself for the membership requests). A source is
``rows(user, organisation) -> [{"url", "text", "overdue"}]`` and scopes its own querysets. A panel
whose source is not installed stays empty. A work queue shows how many items wait in all, not only
the first rows: its source returns ``PanelRows(rows, total=…)``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .roles import Role


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    empty: str
    alert: bool = False


class PanelRows(list):
    """The first rows of a panel and how many there are in all (``total``; ``None``: not counted)."""

    def __init__(self, rows=(), total: int | None = None):
        super().__init__(rows)
        self.total = total


CASES = Panel("cases", _("Cases of your organisation"), _("Your organisation has no cases yet."))
DEADLINES = Panel("deadlines", _("Deadlines in the next 14 days and overdue"),
                  _("Nothing falls due in the next 14 days."))
REFERRALS = Panel("referrals", _("Referrals waiting for an answer"), _("No referral is waiting for your organisation."))
SIGNALS = Panel("signals", _("Signals you recorded"), _("You have not recorded a signal yet."))
INVESTIGATIONS = Panel("investigations", _("Investigations"), _("No investigation is linked to your organisation yet."))
STATISTICS = Panel("statistics", _("Statistics releases"), _("No statistics release has been prepared yet."))
LIBRARY = Panel("library", _("Library imports and claims to review"),
                _("Nothing in the library is waiting for review."))
WARDS = Panel("wards", _("Children under your guardianship"), _("No child is under your guardianship."))
AWAITING_GUARDIAN = Panel("awaiting_guardian", _("Children waiting for a guardian"),
                          _("No child is waiting for a guardian."))
AGE_ASSESSMENTS = Panel("age_assessments", _("Doubts about age to settle"), _("No doubt about age is waiting."))
CONFIRMATIONS = Panel("confirmations", _("Confirmations waiting"),
                      _("No request is waiting for your confirmation."))
DECISIONS = Panel("decisions", _("Requests to decide"), _("No request is waiting for your decision."))
REQUESTS_IN_PROGRESS = Panel("requests_in_progress", _("Requests in progress"),
                             _("Your organisation has no request in progress."))
BREAK_GLASS = Panel("break_glass", _("Emergency accesses to your cases (30 days)"), _("No emergency access."),
                    alert=True)

PANELS = {
    Role.CASEWORKER: [DEADLINES, REQUESTS_IN_PROGRESS, CASES, REFERRALS],
    Role.CASE_MANAGER: [DEADLINES, REFERRALS, REQUESTS_IN_PROGRESS, CASES],
    Role.OFFICER: [SIGNALS, INVESTIGATIONS],
    Role.INSPECTOR: [SIGNALS],
    Role.MAGISTRATE: [CONFIRMATIONS, INVESTIGATIONS, DEADLINES],
    Role.IMMIGRATION_OFFICER: [DECISIONS, DEADLINES],
    Role.GUARDIAN: [WARDS, AWAITING_GUARDIAN, AGE_ASSESSMENTS, REFERRALS, DEADLINES],
    Role.ANALYST: [STATISTICS],
    Role.EDITOR: [LIBRARY],
    Role.ORG_ADMIN: [],
}
MEMBERSHIP_REQUESTS = Panel("membership_requests", _("Membership requests waiting for your answer"),
                            _("No other organisation is asking to take in one of your members."), alert=True)
# What every admin of an organisation sees above their role's panels.
ADMIN_PANELS = [BREAK_GLASS, MEMBERSHIP_REQUESTS]

Rows = Callable[[object, object], list[dict]]
_SOURCES: dict[str, Rows] = {}


def register_panel_source(key: str, rows: Rows) -> None:
    """Plug in the rows of the panel ``key`` (called from the owning app's ``ready()``)."""
    if key in _SOURCES and _SOURCES[key] is not rows:
        raise ValueError(f"the home panel {key!r} already has a source")
    _SOURCES[key] = rows


def panels_for(role: str) -> list[Panel]:
    return PANELS.get(role, [])


def panel_rows(panel: Panel, user, organisation) -> PanelRows:
    source = _SOURCES.get(panel.key)
    rows = source(user, organisation) if source is not None else []
    return rows if isinstance(rows, PanelRows) else PanelRows(rows)
