"""``{% unread_notices as count %}``: the signed-in user's unread notices, for the header (one query)."""

from django import template

from haven.notifications.services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notices(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)
