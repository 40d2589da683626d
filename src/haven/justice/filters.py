"""The investigation list's filters, shared by the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from haven.jurisdictions.models import JudicialDistrict

from .models import ExploitationForm, Investigation, Outcome


class InvestigationFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(label=_("Judicial district"), queryset=JudicialDistrict.objects.all())
    opened_after = django_filters.DateFilter(label=_("Opened on or after"), field_name="opened", lookup_expr="gte")
    opened_before = django_filters.DateFilter(label=_("Opened on or before"), field_name="opened", lookup_expr="lte")
    exploitation_form = django_filters.ChoiceFilter(label=_("Form of exploitation"), choices=ExploitationForm.choices,
                                       method="filter_form")
    outcome = django_filters.ChoiceFilter(label=_("Decision outcome"), choices=Outcome.choices,
                                          method="filter_outcome")

    class Meta:
        model = Investigation
        fields = ["district", "opened_after", "opened_before", "exploitation_form", "outcome"]

    def filter_form(self, queryset, name, value):
        return queryset.filter(forms__contains=f",{value},")

    def filter_outcome(self, queryset, name, value):
        return queryset.filter(pk__in=Investigation.objects.filter(prosecutions__decisions__outcome=value)
                               .values("pk"))
