"""The client's address, as every log and audit row records it."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address; X-Forwarded-For is believed only behind HAVEN_PROXY_COUNT proxies."""
    count = getattr(settings, "HAVEN_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")
