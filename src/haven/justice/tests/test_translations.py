"""The justice catalogues are complete in fr/nl/de, compiled, and hold every string of the app."""

import re
from pathlib import Path

import polib
import pytest

APP = Path(__file__).resolve().parents[1]
LANGUAGES = ("fr", "nl", "de")


def _source_strings() -> set[str]:
    """Single-line literals passed to _() / gettext_lazy in the Python sources and {% translate %} in templates."""
    found = set()
    for path in APP.glob("*.py"):
        for match in re.finditer(r'\b_\(\s*"((?:[^"\\]|\\.)*)"\s*\)', path.read_text()):
            found.add(match.group(1).replace('\\"', '"'))
    for path in APP.glob("templates/**/*.html"):
        found |= set(re.findall(r'{% translate "([^"]+)" %}', path.read_text()))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_current_and_compiled(language):
    po = polib.pofile(str(APP / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert not po.untranslated_entries() and not po.fuzzy_entries()
    assert not [e for e in po if e.obsolete]
    missing = _source_strings() - {e.msgid for e in po}
    assert not missing, f"run makemessages: {sorted(missing)[:5]}"
    mo = {e.msgid: e.msgstr for e in polib.mofile(str(APP / "locale" / language / "LC_MESSAGES" / "django.mo"))}
    assert all(mo.get(e.msgid) == e.msgstr for e in po.translated_entries()), "run compilemessages"


def test_pages_are_translated(client, django_user_model):
    from django.utils import translation

    from haven.justice.models import Outcome

    with translation.override("nl"):
        assert str(Outcome.ACQUITTAL.label) == "Vrijspraak"
    with translation.override("de"):
        assert str(Outcome.CONVICTION.label) == "Verurteilung"
