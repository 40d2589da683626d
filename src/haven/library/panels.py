"""The home panel ``library`` of the library's editors: claims waiting for review."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Claim, ClaimStatus

LIMIT = 20


def claims_to_review(user, organisation) -> list[dict]:
    pending = Claim.objects.filter(status=ClaimStatus.PENDING).select_related("source").order_by("-pk")
    total = pending.count()
    if not total:
        return []
    url = reverse("library-claims") + f"?status={ClaimStatus.PENDING}"
    rows = [{"url": url, "overdue": False, "text": _("%(count)d claims to review") % {"count": total}}]
    return rows + [{"url": url, "overdue": False, "text": f"{c.value_text} {c.measure} · {c.source.title[:80]}"}
                   for c in pending[:LIMIT]]
