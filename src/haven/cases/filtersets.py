"""Filters of the case list, shared by the page and the API."""

import django_filters
from django.utils import timezone

from haven.access.scope import visible_cases

from .actions import deadlines
from .models import Case, ExploitationForm


class CaseFilter(django_filters.FilterSet):
    state = django_filters.CharFilter()
    exploitation_form = django_filters.ChoiceFilter(choices=ExploitationForm.choices, method="by_form")
    region = django_filters.CharFilter(field_name="region__code")
    minor = django_filters.BooleanFilter()
    owner = django_filters.CharFilter(field_name="owner__slug")
    detected_after = django_filters.DateFilter(field_name="detected_on", lookup_expr="gte")
    detected_before = django_filters.DateFilter(field_name="detected_on", lookup_expr="lte")
    overdue = django_filters.BooleanFilter(method="by_overdue")
    closed = django_filters.BooleanFilter(field_name="closed_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Case
        fields = []

    def by_form(self, queryset, name, value):
        # only among the cases whose facts the user may see: the filter must not reveal facts
        user = self.request.user
        return queryset.filter(exploitation_forms__contains=f",{value},",
                               pk__in=visible_cases(user, "facts").values("pk"))

    def by_overdue(self, queryset, name, value):
        late = deadlines.overdue_cases(timezone.localdate())
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)
