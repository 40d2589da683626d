"""Every page string exists in French, Dutch and German, and the committed .mo files are current."""

from pathlib import Path

import polib
import pytest

HAVEN = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(HAVEN.glob("*/locale/*/LC_MESSAGES/django.po"))


def test_every_app_with_strings_has_its_catalogues():
    languages = {(po.parents[3].name, po.parents[1].name) for po in CATALOGUES}
    apps = {app for app, _ in languages}
    assert {"core", "organisations", "jurisdictions", "directory"} <= apps
    assert all((app, lang) in languages for app in apps for lang in ("fr", "nl", "de"))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parents[3].name}-{p.parents[1].name}")
def test_catalogue_is_complete_and_compiled(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path.name}: {untranslated[:5]}"
    assert not fuzzy, f"fuzzy in {path.name}: {fuzzy[:5]}"
    mo = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(path.with_suffix(".mo")))}
    stale = [e.msgid for e in po.translated_entries() if mo.get((e.msgctxt, e.msgid)) != e.msgstr]
    assert not stale, f"{path.with_suffix('.mo').name} is older than its .po: {stale[:5]} (run make messages)"
