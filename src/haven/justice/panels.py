"""The home panel ``investigations``: the investigations the member's organisation takes part in."""

from django.urls import reverse

from .models import Investigation

LIMIT = 20


def investigations(user, organisation) -> list[dict]:
    rows = (Investigation.objects.visible_to(user).select_related("district").order_by("-opened", "-pk")[:LIMIT])
    return [{"url": reverse("justice:investigation", args=[i.pk]), "overdue": False,
             "text": f"{i.file_number} · {i.district} · {i.opened.isoformat()}"} for i in rows]
