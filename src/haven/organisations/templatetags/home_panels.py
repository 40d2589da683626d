"""``{% panel_rows panel organisation as rows %}``: the rows of a home-page panel (``haven.organisations.home``)."""

from django import template

from haven.organisations import home

register = template.Library()


@register.simple_tag(takes_context=True)
def panel_rows(context, panel, organisation):
    return home.panel_rows(panel, context["request"].user, organisation)
