"""What each role sees first when they sign in.

The panels and which role sees which are decided here; their rows come from the apps that own
the data, which plug a source in from ``AppConfig.ready()`` with ``register_panel_source``
(cases, justice, library, access; organisations itself for the membership requests). A source is
``rows(user, organisation) -> [{"url", "text", "overdue"}]`` and scopes its own querysets. A panel
whose source is not installed stays empty.
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


CASES = Panel("cases", _("Cases of your organisation"), _("Your organisation has no cases yet."))
DEADLINES = Panel("deadlines", _("Deadlines in the next 14 days and overdue"),
                  _("Nothing falls due in the next 14 days."))
REFERRALS = Panel("referrals", _("Referrals waiting for an answer"), _("No referral is waiting for your organisation."))
SIGNALS = Panel("signals", _("Signals you recorded"), _("You have not recorded a signal yet."))
INVESTIGATIONS = Panel("investigations", _("Investigations"), _("No investigation is linked to your organisation yet."))
DOCUMENTS = Panel("documents", _("Residence documents to issue or renew"), _("No residence document is waiting."))
STATISTICS = Panel("statistics", _("Statistics releases"), _("No statistics release has been prepared yet."))
LIBRARY = Panel("library", _("Library imports and claims to review"),
                _("Nothing in the library is waiting for review."))
MINORS = Panel("minors", _("Minors under your guardianship"), _("No minor is assigned to you."))
BREAK_GLASS = Panel("break_glass", _("Emergency accesses to your cases (30 days)"), _("No emergency access."),
                    alert=True)

PANELS = {
    Role.CASEWORKER: [DEADLINES, CASES, REFERRALS],
    Role.CASE_MANAGER: [DEADLINES, REFERRALS, CASES],
    Role.OFFICER: [SIGNALS, INVESTIGATIONS],
    Role.INSPECTOR: [SIGNALS],
    Role.MAGISTRATE: [INVESTIGATIONS, DEADLINES],
    Role.IMMIGRATION_OFFICER: [DOCUMENTS, DEADLINES],
    Role.GUARDIAN: [MINORS, DEADLINES],
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


def panel_rows(panel: Panel, user, organisation) -> list[dict]:
    source = _SOURCES.get(panel.key)
    return source(user, organisation) if source is not None else []
