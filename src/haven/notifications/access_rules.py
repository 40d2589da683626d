"""Who sees which notices: only their recipient (registered with ``haven.access.scope``)."""

from haven.access.scope import register_rule

from .models import Notification


def _own(queryset, user):
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(recipient_id=user.pk)


register_rule(Notification, _own)
