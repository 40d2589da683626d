"""Shares that follow other records (justice links, requests): one place that keeps them in step."""

from django.utils import timezone

from haven.access.scope import KIND_PARTS, OWNER_ONLY
from haven.organisations.models import Organisation

from ..models import CaseShare


def sync_shares(case, reason: str, desired: dict[int, set], user, *, note: str = "") -> None:
    """Make the case's active shares of ``reason`` exactly ``desired`` ({organisation id: parts}), each clipped
    to what the organisation's kind may see, never an owner-only part, and none for the owner (it needs no
    share). A share whose parts change is revoked and granted anew, so the history keeps both; the caller
    holds the case's lock."""
    kinds = dict(Organisation.objects.filter(pk__in=list(desired)).values_list("pk", "kind"))
    wanted = {pk: frozenset(parts) & KIND_PARTS.get(kinds.get(pk), frozenset()) - OWNER_ONLY
              for pk, parts in desired.items() if pk != case.owner_id}
    wanted = {pk: parts for pk, parts in wanted.items() if parts}
    now = timezone.now()
    for share in CaseShare.objects.select_for_update().filter(case=case, reason=reason, revoked_at__isnull=True):
        if wanted.get(share.organisation_id) == share.part_set:
            del wanted[share.organisation_id]
        else:
            share.revoked_at, share.revoked_by = now, user
            share.save()
    for organisation_id, parts in wanted.items():
        share = CaseShare(case=case, organisation_id=organisation_id, reason=reason, granted_by=user, note=note)
        share.part_set = parts
        share.save()
