"""Filters of the request list, shared by the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from haven.access.scope import seats

from .models import OPEN_STAGES, DocumentRequest, Stage


def _my_organisations(request) -> list[int]:
    return [s.organisation_id for s in seats(request.user) if "summary" in s.parts] if request else []


class RequestFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)
    open = django_filters.BooleanFilter(label=_("Open"), method="by_open")
    waiting = django_filters.BooleanFilter(label=_("Waiting for my organisation"), method="by_waiting")
    mine = django_filters.BooleanFilter(label=_("Made by my organisation"), method="by_mine")
    holder = django_filters.CharFilter(label=_("Held by (short name)"), field_name="holder__slug")
    kind = django_filters.CharFilter(label=_("Request"))
    case = django_filters.NumberFilter(label=_("Case"), field_name="case_id")

    class Meta:
        model = DocumentRequest
        fields = []

    def by_open(self, queryset, name, value):
        return queryset.filter(stage__in=OPEN_STAGES) if value else queryset.exclude(stage__in=OPEN_STAGES)

    def by_waiting(self, queryset, name, value):
        mine = _my_organisations(self.request)
        return queryset.filter(holder_id__in=mine) if value else queryset.exclude(holder_id__in=mine)

    def by_mine(self, queryset, name, value):
        mine = _my_organisations(self.request)
        return queryset.filter(requested_by_id__in=mine) if value else queryset.exclude(requested_by_id__in=mine)
