"""The forms of the guardianship section of a child's case (pages); the rules are in ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgeAssessment

VERSION_HELP = _("The version you read; if someone saved in between, nothing is saved.")


class _Dated(forms.Form):
    """The section shows several forms on one page: each names its inputs' ids after itself."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", type(self).__name__.lower() + "-%s")
        super().__init__(*args, **kwargs)

    on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                         help_text=_("Default: today."))


class AppointForm(_Dated):
    guardian = forms.ModelChoiceField(label=_("Guardian"), queryset=None, empty_label=None)
    version = forms.IntegerField(widget=forms.HiddenInput, help_text=VERSION_HELP)
    field_order = ["guardian", "on", "version"]

    def __init__(self, *args, guardians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = guardians
        self.fields["guardian"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class EndForm(_Dated):
    reason = forms.CharField(label=_("Why the guardianship ends"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, help_text=VERSION_HELP)
    field_order = ["reason", "on", "version"]


class DoubtForm(_Dated):
    doubt = forms.CharField(label=_("Why the age is in doubt"), max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["doubt", "on"]


class DecideForm(_Dated):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[
        (value, label) for value, label in AgeAssessment.Outcome.choices if value != AgeAssessment.Outcome.PENDING])
    estimated_birth_year = forms.IntegerField(label=_("Estimated year of birth"), required=False, min_value=1900,
                                              max_value=2200)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, help_text=VERSION_HELP)
    field_order = ["outcome", "estimated_birth_year", "note", "on", "version"]
