"""``{% panel_rows panel organisation as rows %}``: the rows of a home-page panel (``haven.organisations.home``)."""

from django import template
from django.utils.module_loading import import_string

register = template.Library()


@register.simple_tag(takes_context=True)
def panel_rows(context, panel, organisation):
    if not getattr(panel, "source", ""):
        return []
    return import_string(panel.source)(context["request"].user, organisation)
