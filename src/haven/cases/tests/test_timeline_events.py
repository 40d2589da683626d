"""Timeline events are a code list: one renderer each, translated sentences, and ``log`` refuses the rest."""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.utils import translation

from haven.cases import timeline
from haven.cases.actions.common import log
from haven.cases.actions.procedure import spec_for
from haven.cases.models import TimelineEntry, TimelineEvent
from haven.core.codes import refuse_unknown_codes

# What each event's line holds, as the chain's actions write it (cases/actions/*.py).
DATA = {
    TimelineEvent.SIGNAL: {"region": "brussels"},
    TimelineEvent.SCREENING: {"reading": "likely", "indicator_set": "adult_labour", "set_version": "2009",
                              "fallback": True},
    TimelineEvent.TRANSITION: {"action": "presume", "from_state": "signal", "to_state": "presumed"},
    TimelineEvent.DOCUMENT: {"document": "annex_15", "valid_until": "2025-03-01"},
    TimelineEvent.REFERRAL: {"to": "Payoke"},
    TimelineEvent.REFERRAL_ACCEPTED: {"referral": 1},
    TimelineEvent.REFERRAL_DECLINED: {"referral": 1, "reason": "full"},
    TimelineEvent.REFERRAL_REVOKED: {"referral": 1, "reason": ""},
    TimelineEvent.STATUS: {"status": "presumed"},
    TimelineEvent.SERVICE: {"kind": "shelter"},
    TimelineEvent.SERVICE_UPDATED: {"kind": "medical"},
    TimelineEvent.REOPENED: {"from_state": "closed", "to_state": "reflection"},
    # written by the apps above cases (haven.residence, haven.guardianship), which register their sentences
    TimelineEvent.REQUEST: {"request": 1, "kind": "provisional_stay", "step": "refused", "stage": "confirm",
                            "reason": "no file open"},
    TimelineEvent.GUARDIAN: {"change": "appointed", "appointment": 1, "guardian": "A. Guardian",
                             "service": "Guardianship Service", "replaced": ""},
    TimelineEvent.AGE_ASSESSMENT: {"change": "decided", "assessment": 1, "outcome": "minor"},
}
# Lines whose sentence is fixed text or built from translated names: French must differ from English.
TRANSLATED = {TimelineEvent.SIGNAL, TimelineEvent.REFERRAL, TimelineEvent.REFERRAL_ACCEPTED,
              TimelineEvent.REFERRAL_REVOKED, TimelineEvent.STATUS, TimelineEvent.SERVICE,
              TimelineEvent.SERVICE_UPDATED, TimelineEvent.REOPENED, TimelineEvent.TRANSITION,
              TimelineEvent.REQUEST}


def test_every_event_has_exactly_one_renderer():
    assert set(timeline.RENDERERS) == set(TimelineEvent)
    assert set(DATA) == set(TimelineEvent)


def test_every_renderer_writes_a_sentence_in_the_readers_language(belgium):
    spec = spec_for(belgium)
    for event, renderer in timeline.RENDERERS.items():
        with translation.override("en"):
            english = renderer(spec, DATA[event])
        with translation.override("fr"):
            french = renderer(spec, DATA[event])
        for text in (english, french):
            assert isinstance(text, str) and text.strip(), event
            assert "%(" not in text and "None" not in text, (event, text)
        if event in TRANSLATED:
            assert french != english, (event, english)


def test_the_renderers_name_the_profiles_states_and_documents(belgium):
    spec = spec_for(belgium)
    with translation.override("fr"):
        assert "Victime présumée" in timeline.render(spec, "transition", DATA[TimelineEvent.TRANSITION])
        assert "annexe 15" in timeline.render(spec, "document", DATA[TimelineEvent.DOCUMENT])
        assert timeline.render(spec, "signal", {}) == "Signalement enregistré."
        # the request's name is the profile's, in the reader's language
        assert "séjour provisoire" in timeline.render(spec, "request", DATA[TimelineEvent.REQUEST])


def test_an_event_renders_one_way_only():
    with pytest.raises(ValueError, match="already has a renderer"):
        timeline.renders(TimelineEvent.SIGNAL)(lambda spec, data: "")
    assert timeline.RENDERERS[TimelineEvent.SIGNAL] is timeline._signal


def test_log_takes_a_timeline_event_and_refuses_an_unknown_one(org, case_of):
    case = case_of(org("pag-asa"))
    before = TimelineEntry.objects.filter(case=case).count()
    with pytest.raises(ValueError):
        log(case, "screened", on=datetime.date(2024, 5, 1))
    assert TimelineEntry.objects.filter(case=case).count() == before
    entry = log(case, TimelineEvent.REFERRAL_ACCEPTED, on=datetime.date(2024, 5, 1), referral=3)
    entry.refresh_from_db()
    assert entry.event == TimelineEvent.REFERRAL_ACCEPTED and entry.get_event_display() == "Referral accepted"


def test_the_migration_check_stops_on_a_value_outside_the_code_list(org, case_of):
    case = case_of(org("pag-asa"))
    entry = log(case, TimelineEvent.SIGNAL, on=datetime.date(2024, 5, 1))
    check = refuse_unknown_codes("cases", {("timelineentry", "event"): list(TimelineEvent.values),
                                           ("case", "exploitation_forms"): ["labour", "sexual"]},
                                 lists={("case", "exploitation_forms")})

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    check(apps, editor)  # every stored value is known: nothing to say

    TimelineEntry.objects.filter(pk=entry.pk).update(event="screened")
    type(case).objects.filter(pk=case.pk).update(exploitation_forms=",labour,slavery,")
    with pytest.raises(ValueError) as refused:
        check(apps, editor)
    assert "cases.timelineentry.event: 'screened'" in str(refused.value)
    assert "cases.case.exploitation_forms: 'slavery'" in str(refused.value)


def test_a_stored_unknown_event_is_shown_as_stored(belgium):
    assert timeline.render(spec_for(belgium), "screened", {}) == "screened"
