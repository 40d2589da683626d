"""What each role sees first when they sign in. Later parts of Haven add their panels here."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .roles import Role


@dataclass(frozen=True)
class Panel:
    title: str
    empty: str
    # dotted path of ``rows(user, organisation) -> list[{"url", "text", "overdue"}]`` (the template tag
    # ``panel_rows`` of haven.cases calls it); empty: a placeholder panel
    source: str = ""


CASES = Panel(_("Cases of your organisation"), _("Your organisation has no cases yet."), "haven.cases.panels.cases")
DEADLINES = Panel(_("Deadlines in the next 14 days and overdue"), _("Nothing falls due in the next 14 days."),
                  "haven.cases.panels.deadlines")
REFERRALS = Panel(_("Referrals waiting for an answer"), _("No referral is waiting for your organisation."),
                  "haven.cases.panels.referrals")
SIGNALS = Panel(_("Signals you recorded"), _("You have not recorded a signal yet."), "haven.cases.panels.signals")
INVESTIGATIONS = Panel(_("Investigations"), _("No investigation is linked to your organisation yet."))
DOCUMENTS = Panel(_("Residence documents to issue or renew"), _("No residence document is waiting."),
                  "haven.cases.panels.documents")
STATISTICS = Panel(_("Statistics releases"), _("No statistics release has been prepared yet."))
LIBRARY = Panel(_("Library imports and claims to review"), _("Nothing in the library is waiting for review."))
MINORS = Panel(_("Minors under your guardianship"), _("No minor is assigned to you."), "haven.cases.panels.minors")

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


def panels_for(role: str) -> list[Panel]:
    return PANELS.get(role, [])
