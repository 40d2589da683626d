from django import forms
from django.utils.translation import gettext_lazy as _

from .services import STATED_PURPOSES


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Why do you open this identity?"),
                                choices=[(p.value, p.label) for p in STATED_PURPOSES])
    reason = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class SearchForm(forms.Form):
    name = forms.CharField(label=_("Name or alias"), max_length=200)
