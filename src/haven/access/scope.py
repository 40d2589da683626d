"""The one place that decides who sees which rows and which parts of a case (DESIGN.md §3).

Every page, API endpoint, export and command that reads case data goes through here:

    scope(Model.objects.all(), user)                    # list: only what the user may see
    get_visible_or_404(Model.objects.all(), user, pk=…)  # detail: 404 when not visible
    parts_for(user, case)                                # which parts of that case to show
    Model.objects.visible_to(user, part=None)            # the same as scope(), on any registered model

A model is visible only if it is registered (``register`` / ``register_rule``); an
unregistered model yields nothing. A case is visible to a member of an organisation that owns
it, that holds an active ``CaseShare`` for it (accepted referral, justice link) or that took
the break-glass path for it. What each member sees of it is the intersection of the parts their
organisation's kind may see, the parts their role may see and, for a share, the parts the share
grants. Those three rules are data (below), not ``if``s scattered in views.

What one user may see is loaded once per request (``haven.access.context.AccessContext``): their
seats, and the shares and break-glass grants of the cases a page asks about, in two queries
whatever the number of cases.
"""

import logging
from collections.abc import Callable

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .case_models import case_model, register_case_models  # noqa: F401  (re-exported)
from .context import context_for
from .context import forget as forget_context
from .models import BreakGlass
from .parts import (  # noqa: F401  (the tables are read through this module too)
    ALL,
    CASEWORK,
    KIND_PARTS,
    LOG_READERS_EVERYWHERE,
    LOG_READERS_OWN_ORGANISATION,
    OWNER_ONLY,
    PART_BIT,
    PART_BITS_ORDER,
    PARTS,
    ROLE_PARTS,
    HasBit,
    PartsMaskField,
    Seat,
    allowed_parts,
    mask_of,
    parts_of,
    role_sees_identities,
)

logger = logging.getLogger(__name__)

def seats(user) -> list[Seat]:
    return context_for(user).seats


def forget(user) -> None:
    """Drop what is known of the user's access (after a role change in the same request)."""
    forget_context(user)


# --- visible cases -----------------------------------------------------------------------------


def share_parts_lookup(part: str) -> dict:
    """The filter on ``CaseShare`` for the shares granting ``part``: ``CaseShare.objects.filter(**…)``."""
    return {"parts_mask__hasbit": PART_BIT[part]}


def visible_cases(user, part: str = "summary") -> QuerySet:
    """Cases in which ``user`` may see ``part``; meant as a subquery (``.values('pk')``)."""
    Case = case_model()
    mine = [s.organisation_id for s in seats(user) if part in s.parts]
    if not mine:
        return Case.objects.none()
    condition = Q(owner_id__in=mine)
    if part not in OWNER_ONLY:
        condition |= Q(
            shares__organisation_id__in=mine,
            shares__revoked_at__isnull=True,
            shares__parts_mask__hasbit=PART_BIT[part],
        )
        condition |= Q(pk__in=BreakGlass.objects.active().granted_to(user, mine).values("case_id"))
    return Case.objects.filter(condition)


def parts_for(user, case) -> frozenset[str]:
    """The parts of ``case`` that ``user`` may see (empty: the case is invisible to them).

    For many cases at once: ``context_for(user).parts_for_many(cases)`` (two queries in all)."""
    return context_for(user).parts_for(case)


def acting_organisation_id(user, case) -> int | None:
    """The organisation through which ``user`` sees ``case`` (for the access log)."""
    return context_for(user).acting_organisation_id(case)


# --- the registry ------------------------------------------------------------------------------

Rule = Callable[[QuerySet, object], QuerySet]
_RULES: dict[type[Model], tuple[str, Rule]] = {}


class ScopedQuerySet(QuerySet):
    """What every registered model's managers and querysets offer: ``visible_to(user, part=None)``."""

    def visible_to(self, user, part: str | None = None) -> QuerySet:
        """The rows of this queryset that ``user`` may see (``scope``)."""
        return scope(self, user, part)


_SCOPED_MANAGERS: dict[type, type] = {}


def _scoped_manager_class(manager_class: type) -> type:
    """``manager_class`` with ``visible_to`` added to it and to its querysets (made once per class)."""
    if issubclass(manager_class._queryset_class, ScopedQuerySet):
        return manager_class
    if manager_class not in _SCOPED_MANAGERS:
        base = manager_class._queryset_class
        queryset_class = type(f"Scoped{base.__name__}", (ScopedQuerySet, base), {"__module__": base.__module__})
        _SCOPED_MANAGERS[manager_class] = manager_class.from_queryset(queryset_class, f"Scoped{manager_class.__name__}")
    return _SCOPED_MANAGERS[manager_class]


def _offer_visible_to(model: type[Model]) -> None:
    # The models declare their managers in their own apps; registering is what makes them scoped, so
    # ``visible_to`` is added here rather than in forty model declarations. Related managers
    # (``case.shares``) derive from the default manager's class and get it too.
    for manager in {id(m): m for m in (*model._meta.local_managers, *model._meta.managers)}.values():
        manager.__class__ = _scoped_manager_class(type(manager))


def register_rule(model: type[Model], rule: Rule, part: str = "") -> None:
    """Register a custom rule ``rule(queryset, user) -> queryset`` for ``model``."""
    _RULES[model] = (part, rule)
    _offer_visible_to(model)


def register(model: type[Model], *, part: str, field: str = "case", case_field: str = "pk") -> None:
    """Rows of ``model`` are visible when ``model.<field>`` equals ``Case.<case_field>`` of a case
    whose ``part`` the user may see. ``field="pk"`` for Case itself, ``field="id"`` for its history.
    """
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}")

    def rule(queryset, user, *, _part=part):
        return queryset.filter(**{f"{field}__in": visible_cases(user, _part).values(case_field)})

    _RULES[model] = (part, rule)
    _offer_visible_to(model)


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
        if model is not case_model():
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
