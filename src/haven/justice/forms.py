from django import forms
from django.utils.translation import gettext_lazy as _

from haven.jurisdictions.models import JudicialDistrict
from haven.organisations.models import Organisation
from haven.persons.models import Sex

from .models import AgeBand, Appeal, Appellant, Charge, Decision, ExploitationForm, Outcome, SuspectRole


class DateInput(forms.DateInput):
    input_type = "date"


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput


class InvestigationForm(forms.Form):
    file_number = forms.CharField(label=_("Police file number"), max_length=64)
    district = forms.ModelChoiceField(label=_("Judicial district"), queryset=JudicialDistrict.objects.none())
    opened = forms.DateField(label=_("Opened"), widget=DateInput)
    police_unit = forms.ModelChoiceField(label=_("Police unit"), queryset=Organisation.objects.none(), required=False,
                                         help_text=_("Empty: your own organisation."))
    prosecution_office = forms.ModelChoiceField(label=_("Prosecution office seized"), required=False,
                                                queryset=Organisation.objects.none())
    forms = forms.MultipleChoiceField(label=_("Forms of exploitation"), choices=ExploitationForm.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple)
    version = VersionField(required=False)

    def __init__(self, *args, jurisdiction_ids=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = JudicialDistrict.objects.filter(jurisdiction_id__in=jurisdiction_ids)
        organisations = Organisation.objects.filter(jurisdiction_id__in=jurisdiction_ids, active=True)
        self.fields["police_unit"].queryset = organisations.filter(kind="police")
        self.fields["prosecution_office"].queryset = organisations.filter(kind="prosecution")
        if editing:
            del self.fields["police_unit"]
            self.fields["version"].required = True


class SuspectForm(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    age_band = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices, initial=AgeBand.UNKNOWN)
    citizenship = forms.CharField(label=_("Citizenship"), max_length=2, required=False,
                                  help_text=_("ISO 3166-1 alpha-2, e.g. RO; empty when unknown"))
    role = forms.ChoiceField(label=_("Role"), choices=SuspectRole.choices, initial=SuspectRole.UNKNOWN)
    count = forms.IntegerField(label=_("Number of persons"), min_value=1, initial=1)


class LinkForm(forms.Form):
    case = forms.CharField(label=_("Case reference"), max_length=32)


class ProsecutionForm(forms.Form):
    opened = forms.DateField(label=_("Opened"), widget=DateInput)
    charges = forms.MultipleChoiceField(label=_("Charges"), choices=Charge.choices, widget=forms.CheckboxSelectMultiple)
    prosecuted = forms.IntegerField(label=_("Number of persons prosecuted"), min_value=0, required=False)


class RequisitionsForm(forms.Form):
    kept = forms.BooleanField(label=_("THB kept in the requisitions"), required=False, initial=True)
    date = forms.DateField(label=_("Date of the requisitions"), widget=DateInput)
    version = VersionField()


class DecisionForm(forms.ModelForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    convicted = forms.IntegerField(label=_("Persons convicted"), min_value=0, required=False)
    acquitted = forms.IntegerField(label=_("Persons acquitted"), min_value=0, required=False)

    class Meta:
        model = Decision
        fields = ["court", "date", "outcome", "thb_convicted", "sentence_months", "suspended_months",
                  "confiscation_euro", "fines_euro"]
        widgets = {"date": DateInput}


class AppealForm(forms.ModelForm):
    appellant = forms.ChoiceField(label=_("Appellant"), choices=Appellant.choices)
    version = VersionField(required=False)

    class Meta:
        model = Appeal
        fields = ["appellant", "lodged", "decided", "outcome", "thb_convicted", "sentence_months", "suspended_months"]
        widgets = {"lodged": DateInput, "decided": DateInput}
