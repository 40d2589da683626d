"""What one user may see, loaded once: their seats, and the shares and break-glass grants of the cases asked about.

``context_for(user)`` keeps one ``AccessContext`` on the user object, which lives as long as the
request (``request.user``) or the command that loaded it. ``parts_for_many(cases)`` answers for a
whole page of cases with one query for the shares and one for the grants, whatever their number.

What it knows of cases (shares, grants, stored owners) is dropped whenever a share, a grant or a
case is saved or deleted in this process, so a rule that just changed is seen at once; seats stay
until ``forget(user)`` (after a role change in the same request), as before.
"""

import itertools
from dataclasses import dataclass, field

from django.db.models.signals import post_delete, post_save

from .case_models import case_model
from .models import BreakGlass
from .parts import OWNER_ONLY, Seat, parts_of

_changes = itertools.count(1)
_generation = 0


def _changed(**_kwargs) -> None:
    global _generation
    _generation = next(_changes)


for _sender in ("cases.CaseShare", "cases.Case", "access.BreakGlass"):
    for _signal in (post_save, post_delete):
        _signal.connect(_changed, sender=_sender, weak=False, dispatch_uid=f"haven.access.context:{_sender}")


@dataclass
class CaseAccess:
    """What the user's organisations hold of one case besides owning it."""

    shares: dict[int, frozenset[str]] = field(default_factory=dict)  # organisation → parts, oldest share first
    grants: list[int] = field(default_factory=list)  # organisations of active break-glass grants, newest first


class AccessContext:
    """The access of one user (see the module's text)."""

    def __init__(self, user):
        self.user = user
        self._seats: list[Seat] | None = None
        self._organisations: dict = {}
        self._cases: dict[int, CaseAccess] = {}
        self._owners: dict[int, int] = {}
        self._generation = _generation

    # --- the user ---

    @property
    def seats(self) -> list[Seat]:
        user = self.user
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return []  # asked each time: a user deactivated in this request sees nothing from then on
        if self._seats is None:
            self._seats = []
            for membership in user.memberships.filter(organisation__active=True).select_related("organisation"):
                organisation = membership.organisation
                self._organisations[organisation.pk] = organisation
                self._seats.append(Seat(organisation.pk, organisation.kind, membership.role))
        return self._seats

    def organisation(self, organisation_id: int):
        """One of the user's organisations (loaded with the seats; no query)."""
        self.seats  # noqa: B018  (loads them)
        return self._organisations[organisation_id]

    def parts_by_organisation(self) -> dict[int, frozenset[str]]:
        by_org: dict[int, frozenset[str]] = {}
        for seat in self.seats:
            by_org[seat.organisation_id] = by_org.get(seat.organisation_id, frozenset()) | seat.parts
        return by_org

    # --- the cases ---

    def _current(self) -> None:
        if self._generation != _generation:
            self._cases.clear()
            self._owners.clear()
            self._generation = _generation

    def _needs_more_than_ownership(self, case, by_org) -> bool:
        """Whether shares or grants could add anything to what owning ``case`` already gives."""
        owned = by_org.get(case.owner_id)
        return owned is None or any(not parts <= owned for parts in by_org.values())

    def load(self, cases, *, all_cases: bool = False) -> None:
        """Read the shares and grants of those ``cases`` not known yet: two queries in all.

        Cases that the user's organisations own need nothing more, unless ``all_cases``."""
        self._current()
        by_org = self.parts_by_organisation()
        if not by_org:
            return
        wanted = {case.pk for case in cases if case.pk not in self._cases
                  and (all_cases or self._needs_more_than_ownership(case, by_org))}
        if not wanted:
            return
        found = {pk: CaseAccess() for pk in wanted}
        shares = case_model("share").objects.filter(case_id__in=wanted, organisation_id__in=list(by_org),
                                          revoked_at__isnull=True).order_by("pk")
        for case_id, organisation_id, mask in shares.values_list("case_id", "organisation_id", "parts_mask"):
            held = found[case_id].shares
            held[organisation_id] = held.get(organisation_id, frozenset()) | parts_of(mask)
        grants = BreakGlass.objects.active().granted_to(self.user, list(by_org)).filter(case_id__in=wanted)
        for case_id, organisation_id in grants.values_list("case_id", "organisation_id"):
            found[case_id].grants.append(organisation_id)
        self._cases.update(found)

    def _access(self, case, *, all_cases: bool = False) -> CaseAccess:
        self.load([case], all_cases=all_cases)
        return self._cases.get(case.pk, CaseAccess())

    def parts_for(self, case) -> frozenset[str]:
        return self.parts_for_many([case])[case.pk]

    def parts_for_many(self, cases) -> dict[int, frozenset[str]]:
        """``{case id: parts the user may see}`` for ``cases`` (at most two queries, whatever their number)."""
        cases = list(cases)
        self.load(cases)
        by_org = self.parts_by_organisation()
        result = {}
        for case in cases:
            parts = set(by_org.get(case.owner_id, ()))
            access = self._cases.get(case.pk)
            if access is not None:
                for organisation_id, granted in access.shares.items():
                    parts |= by_org[organisation_id] & granted - OWNER_ONLY
                for organisation_id in access.grants:
                    parts |= by_org[organisation_id] - OWNER_ONLY
            result[case.pk] = frozenset(parts)
        return result

    def shared_with(self, case) -> list[int]:
        """The user's organisations holding an active share of ``case``, oldest share first."""
        return list(self._access(case, all_cases=True).shares)

    def acting_organisation_id(self, case) -> int | None:
        """The organisation through which the user sees ``case``: the owner, a share, a break-glass grant."""
        mine = [s.organisation_id for s in self.seats if s.parts]
        if case.owner_id in mine:
            return case.owner_id
        access = self._access(case, all_cases=True)
        for organisation_id in access.shares:
            if organisation_id in mine:
                return organisation_id
        return next((organisation_id for organisation_id in access.grants if organisation_id in mine), None)

    def owner_id(self, case) -> int:
        """The owner of ``case`` as stored now (a copy read before a transfer may name the old one)."""
        self._current()
        if case.pk not in self._owners:
            self._owners[case.pk] = type(case)._default_manager.filter(pk=case.pk).values_list(
                "owner_id", flat=True).get()
        return self._owners[case.pk]


_ATTRIBUTE = "_haven_access"


def context_for(user) -> AccessContext:
    """The user's ``AccessContext``, made once and kept on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return AccessContext(user)
    context = getattr(user, _ATTRIBUTE, None)
    if context is None:
        context = AccessContext(user)
        setattr(user, _ATTRIBUTE, context)
    return context


def forget(user) -> None:
    """Drop the user's context (after a role change in the same request)."""
    if user is not None and hasattr(user, _ATTRIBUTE):
        delattr(user, _ATTRIBUTE)
