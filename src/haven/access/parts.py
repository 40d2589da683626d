"""The parts of a case and who may see which: data, not ``if``s (DESIGN.md §3).

What a member sees of a case is ``KIND_PARTS[organisation kind] ∩ ROLE_PARTS[role]`` (∩ the share's
parts for a shared case; ``OWNER_ONLY`` parts never travel through a share). Change these tables,
not views, to change who sees what. ``haven.access.scope`` applies them.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Lookup
from django.utils.translation import gettext_lazy as _

from haven.organisations.roles import OrganisationKind as Kind
from haven.organisations.roles import Role

# --- the parts of a case ---------------------------------------------------------------------

PARTS = {
    "summary": _("Case summary (reference, state, dates, owner)"),
    "identity": _("Identity (identity vault: names, birth date, citizenships, contact, identity documents)"),
    "documents": _("Residence documents and the victim-status procedure"),
    "facts": _("Facts: signal, forms of exploitation, screening"),
    "statements": _("Statements and hearings"),
    "psychosocial": _("Psychosocial guidance notes and services"),
    "shelter": _("Shelter address"),
    "justice": _("Justice chain: investigations, prosecutions, judgments"),
}
ALL = frozenset(PARTS)

# A share stores its parts as a bit mask (``CaseShare.parts_mask``), one bit per part in this order.
# Stored masks depend on it: never reorder or remove an entry; a new part goes at the end.
PART_BITS_ORDER = ("summary", "identity", "documents", "facts", "statements", "psychosocial", "shelter", "justice")
PART_BIT: dict[str, int] = {part: 1 << position for position, part in enumerate(PART_BITS_ORDER)}
assert set(PART_BITS_ORDER) == set(PARTS), "every part needs its bit in PART_BITS_ORDER"

# What an organisation of each kind may ever see of a case it takes part in.
KIND_PARTS: dict[str, frozenset[str]] = {
    Kind.RECEPTION_CENTRE: ALL,
    Kind.CHILD_CENTRE: ALL,
    Kind.GUARDIANSHIP: frozenset({"summary", "identity", "documents", "facts", "psychosocial", "justice"}),
    Kind.POLICE: frozenset({"summary", "identity", "facts", "statements", "justice"}),
    Kind.SOCIAL_INSPECTION: frozenset({"summary", "identity", "facts", "statements"}),
    Kind.PROSECUTION: frozenset({"summary", "identity", "documents", "facts", "statements", "justice"}),
    Kind.IMMIGRATION_OFFICE: frozenset({"summary", "identity", "documents"}),
    Kind.OTHER_NGO: frozenset({"summary", "identity", "facts"}),
    Kind.NATIONAL_RAPPORTEUR: frozenset(),  # aggregated statistics only, nothing row-level
    Kind.COORDINATION: frozenset(),
    Kind.LIBRARY_EDITORS: frozenset(),
}

# What a member holding each role may see of their organisation's cases.
CASEWORK = ALL
ROLE_PARTS: dict[str, frozenset[str]] = {
    Role.CASEWORKER: CASEWORK,
    Role.CASE_MANAGER: CASEWORK,
    Role.OFFICER: CASEWORK,
    Role.INSPECTOR: CASEWORK,
    Role.MAGISTRATE: CASEWORK,
    Role.IMMIGRATION_OFFICER: CASEWORK,
    Role.GUARDIAN: CASEWORK,
    Role.ANALYST: frozenset(),  # statistics only
    Role.EDITOR: frozenset(),  # the library only
    Role.ORG_ADMIN: frozenset(),  # members and the access log, not the cases
    Role.DPO: frozenset(),  # the access log, not the cases
}

# Parts that only the owning organisation sees, whatever a share says (DESIGN.md §3).
OWNER_ONLY = frozenset({"shelter"})

# Roles whose access log reading covers every organisation (the system's data-protection officer).
LOG_READERS_EVERYWHERE = frozenset({Role.DPO})
LOG_READERS_OWN_ORGANISATION = frozenset({Role.ORG_ADMIN, Role.DPO})


def allowed_parts(kind: str, role: str) -> frozenset[str]:
    return KIND_PARTS.get(kind, frozenset()) & ROLE_PARTS.get(role, frozenset())


def role_sees_identities(kind: str, role: str) -> bool:
    return "identity" in allowed_parts(kind, role)


# --- share parts as a bit mask -------------------------------------------------------------------


def mask_of(parts) -> int:
    """The bit mask of ``parts``; ``ValueError`` for a name that is not a part."""
    unknown = set(parts) - set(PART_BIT)
    if unknown:
        raise ValueError(f"unknown part(s): {', '.join(sorted(unknown))}")
    mask = 0
    for part in parts:
        mask |= PART_BIT[part]
    return mask


def parts_of(mask: int) -> frozenset[str]:
    return frozenset(part for part, bit in PART_BIT.items() if mask & bit)


class PartsMaskField(models.PositiveIntegerField):
    """Parts of a case as a bit mask (``PART_BIT``); ``field__hasbit=PART_BIT[part]`` finds the rows granting it."""

    description = "Parts of a case (bit mask)"


@PartsMaskField.register_lookup
class HasBit(Lookup):
    """``column__hasbit=n`` → ``(column & n) <> 0``: a bit test instead of a ``LIKE`` on a text column
    (PostgreSQL and SQLite both have ``&`` on integers)."""

    lookup_name = "hasbit"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"({lhs} & {rhs}) <> 0", (*lhs_params, *rhs_params)


@dataclass(frozen=True)
class Seat:
    """One membership as the rules see it."""

    organisation_id: int
    kind: str
    role: str

    @property
    def parts(self) -> frozenset[str]:
        return allowed_parts(self.kind, self.role)
