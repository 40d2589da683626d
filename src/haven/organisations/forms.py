from django import forms
from django.utils.translation import gettext_lazy as _

from .roles import grantable_by_organisation_admins


class AddMemberForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=grantable_by_organisation_admins)


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=grantable_by_organisation_admins)


class AnswerRequestForm(forms.Form):
    """Accept or decline another organisation's request to take in one of our members."""

    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    reason = forms.CharField(label=_("Reason (if you decline)"), max_length=500, required=False)
