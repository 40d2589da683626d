"""The kinds of organisation and the roles people hold in them (DESIGN.md §1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    POLICE = "police", _("Police")
    SOCIAL_INSPECTION = "social_inspection", _("Social inspection")
    RECEPTION_CENTRE = "reception_centre", _("Specialised reception centre")
    CHILD_CENTRE = "child_centre", _("Child centre")
    GUARDIANSHIP = "guardianship", _("Guardianship service")
    PROSECUTION = "prosecution", _("Prosecution")
    IMMIGRATION_OFFICE = "immigration_office", _("Immigration office")
    NATIONAL_RAPPORTEUR = "national_rapporteur", _("National rapporteur")
    COORDINATION = "coordination", _("Coordination")
    LIBRARY_EDITORS = "library_editors", _("Library editors")
    OTHER_NGO = "other_ngo", _("Other NGO")


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    CASE_MANAGER = "case_manager", _("Case manager")
    OFFICER = "officer", _("Police officer")
    INSPECTOR = "inspector", _("Inspector")
    MAGISTRATE = "magistrate", _("Magistrate")
    IMMIGRATION_OFFICER = "immigration_officer", _("Immigration officer")
    GUARDIAN = "guardian", _("Guardian")
    ANALYST = "analyst", _("Analyst")
    EDITOR = "editor", _("Editor")
    ORG_ADMIN = "org_admin", _("Organisation admin")
    DPO = "dpo", _("Data-protection officer")


# Roles whose reach goes beyond their own organisation: the data-protection officer reads every
# organisation's access log. Only a system administrator grants or withdraws them (the Django admin,
# where each grant is an audit event); an organisation's admin never can.
SYSTEM_ROLES = frozenset({Role.DPO})


def grantable_by_organisation_admins() -> list[tuple[str, str]]:
    return [(value, label) for value, label in Role.choices if value not in SYSTEM_ROLES]
