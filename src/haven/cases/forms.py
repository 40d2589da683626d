"""Forms of the case pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.persons.services import STATED_PURPOSES

from .models import ExploitationForm, IsicSection, Referral, SupportService


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Why do you open this identity?"),
                                choices=[(p.value, p.label) for p in STATED_PURPOSES])
    reason = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class SearchForm(forms.Form):
    name = forms.CharField(label=_("Name or alias"), max_length=200)


class SignalForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Recorded for"))
    detected_on = forms.DateField(label=_("Detected on"), widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ChoiceField(label=_("Region"))
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    observations = forms.CharField(label=_("What was seen"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    exploitation_forms = forms.MultipleChoiceField(label=_("Forms of exploitation"), choices=ExploitationForm.choices,
                                                   widget=forms.CheckboxSelectMultiple, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *IsicSection.choices], required=False)
    minor = forms.BooleanField(label=_("The person may be a minor"), required=False)
    unaccompanied = forms.BooleanField(label=_("Unaccompanied"), required=False)
    family_name = forms.CharField(label=_("Family name (if known)"), required=False, max_length=200)
    given_names = forms.CharField(label=_("Given names (if known)"), required=False, max_length=200)
    birth_date = forms.DateField(label=_("Birth date (if known)"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, organisations, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["region"].choices = regions


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), required=False)


class ScreeningForm(forms.Form):
    form = forms.ChoiceField(label=_("Form of exploitation"), choices=ExploitationForm.choices)
    indicators = forms.MultipleChoiceField(label=_("Indicators present"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    act = forms.BooleanField(label=_("Act (recruitment, transport, transfer, harbouring, receipt)"), required=False)
    means = forms.BooleanField(label=_("Means (coercion, deceit, abuse of vulnerability…)"), required=False)
    purpose = forms.BooleanField(label=_("Purpose of exploitation"), required=False)

    def __init__(self, *args, indicator_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = indicator_choices


class ReferForm(forms.Form):
    to = forms.ModelChoiceField(queryset=None, required=False, label=_("Refer to"),
                                empty_label=_("The competent centre (route by region)"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Referral.Kind.choices)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Referral.Purpose.choices)
    consent = forms.ChoiceField(label=_("Consent"), choices=Referral.Consent.choices, widget=forms.RadioSelect)
    override_reason = forms.CharField(label=_("Why without consent"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = organisations


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=SupportService.Kind.choices)
    provider = forms.CharField(label=_("Provider"), required=False, max_length=200)
    planned_start = forms.DateField(label=_("Planned start"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    planned_end = forms.DateField(label=_("Planned end"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    actual_start = forms.DateField(label=_("Actual start"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    actual_end = forms.DateField(label=_("Actual end"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    shelter_address = forms.CharField(label=_("Shelter address (secret: only your centre sees it)"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
