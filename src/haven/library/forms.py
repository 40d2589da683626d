from django import forms
from django.utils.translation import gettext_lazy as _

from .vocab import LANGUAGES, SourceType, Topic

LANGUAGE_LABELS = {"en": _("English"), "fr": _("French"), "nl": _("Dutch"), "de": _("German")}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    country = forms.CharField(label=_("Country"), max_length=2, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1800, max_value=2100, required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("Any topic")), *Topic.choices], required=False)
    type = forms.ChoiceField(label=_("Type of source"), choices=[("", _("Any type")), *SourceType.choices],
                             required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("Any language")),
                                                               *[(c, LANGUAGE_LABELS[c]) for c in LANGUAGES]],
                                 required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.html,.htm,text/plain,text/html"}))
        kwargs.setdefault("allow_empty_file", True)  # the importer reports an empty file itself
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(label=_("Text or HTML files"),
                              help_text=_("One page per file. A file that cannot be read is reported; the others "
                                          "are imported."))


class SourceTagsForm(forms.Form):
    topics = forms.MultipleChoiceField(label=_("Topics"), choices=Topic.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    countries = forms.CharField(label=_("Countries (ISO codes, separated by spaces)"), max_length=300, required=False)
    source_type = forms.ChoiceField(label=_("Type of source"), choices=SourceType.choices)

    def clean_countries(self):
        return [c.upper() for c in self.cleaned_data["countries"].replace(",", " ").split() if c]
