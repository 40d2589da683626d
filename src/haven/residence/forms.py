"""Forms of the request pages: a new request, and each answer (co-sign, confirm, refuse, issue, withdraw)."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"})


class NewRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request"))
    grounds = forms.CharField(label=_("What the request rests on"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("The complaint or statements, the cooperation, the file: what the "
                                          "magistrate and the Immigration Office need to answer."))
    district = forms.ChoiceField(label=_("Judicial district"), required=False,
                                 help_text=_("Where the facts are prosecuted: it routes the request to the "
                                             "competent magistrate."))
    on = forms.DateField(label=_("Date"), required=False, widget=DATE)

    def __init__(self, *args, kinds, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        if districts is None:
            del self.fields["district"]
        else:
            self.fields["district"].choices = [("", "—"), *districts]


class AnswerForm(forms.Form):
    """An answer to a request at the version the user read (two answers at once: the second is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Date"), required=False, widget=DATE)


class ConfirmForm(AnswerForm):
    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(AnswerForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class IssueForm(AnswerForm):
    number = forms.CharField(label=_("Document number"), max_length=40)
    commune = forms.CharField(label=_("Issuing commune"), max_length=100)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE,
                                 help_text=_("Empty: the date of the decision."))
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE,
                                  help_text=_("Empty: the duration the procedure sets."))
