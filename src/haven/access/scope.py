"""The one place that decides who sees which rows and which parts of a case (DESIGN.md §3).

Every page, API endpoint, export and command that reads case data goes through here:

    scope(Model.objects.all(), user)                    # list: only what the user may see
    get_visible_or_404(Model.objects.all(), user, pk=…)  # detail: 404 when not visible
    parts_for(user, case)                                # which parts of that case to show

A model is visible only if it is registered (``register`` / ``register_rule``); an
unregistered model yields nothing. A case is visible to a member of an organisation that owns
it, that holds an active ``CaseShare`` for it (accepted referral, justice link) or that took
the break-glass path for it. What each member sees of it is the intersection of the parts their
organisation's kind may see, the parts their role may see and, for a share, the parts the share
grants. Those three rules are data (below), not ``if``s scattered in views.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from haven.core.codes import contains
from haven.organisations.roles import OrganisationKind as Kind
from haven.organisations.roles import Role

logger = logging.getLogger(__name__)


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


# --- who the user is ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    """One membership as the rules see it."""

    organisation_id: int
    kind: str
    role: str

    @property
    def parts(self) -> frozenset[str]:
        return allowed_parts(self.kind, self.role)


def seats(user) -> list[Seat]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_haven_seats", None)
    if cached is None:
        cached = [
            Seat(org_id, kind, role)
            for org_id, kind, role in user.memberships.filter(organisation__active=True).values_list(
                "organisation_id", "organisation__kind", "role")
        ]
        user._haven_seats = cached
    return cached


def forget(user) -> None:
    """Drop the cached memberships (after a role change in the same request)."""
    if hasattr(user, "_haven_seats"):
        del user._haven_seats


# --- visible cases -----------------------------------------------------------------------------


def share_parts_lookup(part: str) -> str:
    return contains(part)


def visible_cases(user, part: str = "summary") -> QuerySet:
    """Cases in which ``user`` may see ``part``; meant as a subquery (``.values('pk')``)."""
    from haven.access.models import BreakGlass
    from haven.cases.models import Case

    mine = [s.organisation_id for s in seats(user) if part in s.parts]
    if not mine:
        return Case.objects.none()
    condition = Q(owner_id__in=mine)
    if part not in OWNER_ONLY:
        condition |= Q(
            shares__organisation_id__in=mine,
            shares__revoked_at__isnull=True,
            shares__parts__contains=share_parts_lookup(part),
        )
        condition |= Q(pk__in=BreakGlass.objects.active().filter(
            user=user, organisation_id__in=mine).values("case_id"))
    return Case.objects.filter(condition)


def parts_for(user, case) -> frozenset[str]:
    """The parts of ``case`` that ``user`` may see (empty: the case is invisible to them)."""
    from haven.access.models import BreakGlass

    result: set[str] = set()
    by_org = {}
    for seat in seats(user):
        by_org.setdefault(seat.organisation_id, set()).update(seat.parts)
    if not by_org:
        return frozenset()
    if case.owner_id in by_org:
        result |= by_org[case.owner_id]
    for share in case.shares.filter(organisation_id__in=list(by_org), revoked_at__isnull=True):
        result |= by_org[share.organisation_id] & share.part_set - OWNER_ONLY
    for grant in BreakGlass.objects.active().filter(user=user, case=case, organisation_id__in=list(by_org)):
        result |= by_org[grant.organisation_id] - OWNER_ONLY
    return frozenset(result)


def acting_organisation_id(user, case) -> int | None:
    """The organisation through which ``user`` sees ``case`` (for the access log)."""
    from haven.access.models import BreakGlass

    mine = [s.organisation_id for s in seats(user) if s.parts]
    if case.owner_id in mine:
        return case.owner_id
    shared = case.shares.filter(organisation_id__in=mine, revoked_at__isnull=True).values_list(
        "organisation_id", flat=True).first()
    if shared is not None:
        return shared
    return BreakGlass.objects.active().filter(user=user, case=case, organisation_id__in=mine).values_list(
        "organisation_id", flat=True).first()


# --- the registry ------------------------------------------------------------------------------

Rule = Callable[[QuerySet, object], QuerySet]
_RULES: dict[type[Model], tuple[str, Rule]] = {}


def register_rule(model: type[Model], rule: Rule, part: str = "") -> None:
    """Register a custom rule ``rule(queryset, user) -> queryset`` for ``model``."""
    _RULES[model] = (part, rule)


def register(model: type[Model], *, part: str, field: str = "case", case_field: str = "pk") -> None:
    """Rows of ``model`` are visible when ``model.<field>`` equals ``Case.<case_field>`` of a case
    whose ``part`` the user may see. ``field="pk"`` for Case itself, ``field="id"`` for its history.
    """
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}")

    def rule(queryset, user, *, _part=part):
        return queryset.filter(**{f"{field}__in": visible_cases(user, _part).values(case_field)})

    _RULES[model] = (part, rule)


def registered(model: type[Model]) -> bool:
    return model in _RULES


def part_of(model: type[Model]) -> str:
    return _RULES[model][0]


def scope(queryset: QuerySet, user, part: str | None = None) -> QuerySet:
    """``queryset`` narrowed to the rows ``user`` may see. Unregistered models: nothing.

    ``part`` overrides the model's registered part (e.g. ask for ``identity`` on Case).
    """
    model = queryset.model
    entry = _RULES.get(model)
    if entry is None:
        logger.warning("haven.access.scope: %s has no access rule; it shows nothing", model._meta.label)
        return queryset.none()
    registered_part, rule = entry
    if part is not None and part != registered_part and registered_part:
        from haven.cases.models import Case

        if model is not Case:
            raise ValueError("only Case may be scoped by another part than its registered one")
        return queryset.filter(pk__in=visible_cases(user, part).values("pk"))
    return rule(queryset, user)


def get_visible_or_404(queryset: QuerySet | type[Model], user, part: str | None = None, **lookup):
    """The object, if ``user`` may see it; otherwise 404 (never 403, which would confirm it exists)."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    obj = scope(queryset, user, part).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def can_see(user, obj: Model, part: str | None = None) -> bool:
    return scope(type(obj)._default_manager.filter(pk=obj.pk), user, part).exists()
