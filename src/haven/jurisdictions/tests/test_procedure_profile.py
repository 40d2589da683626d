"""The procedure section parsed into typed records: refusals that name the record, the per-process
cache of ``spec_for``, facts declared only in YAML, the audit event of a load, and the conversion
of stored procedures by migration ``cases.0003_case_facts``."""

import copy
import datetime
import importlib
from pathlib import Path

import pytest
import yaml

from haven.audit.models import AuditEvent, Verb
from haven.cases.actions.procedure import apply_transition, spec_for
from haven.cases.actions.profile_section import parse
from haven.cases.actions.signals import record_signal
from haven.cases.models import CaseFact, Procedure
from haven.core.actor import Actor
from haven.core.errors import Refused
from haven.jurisdictions import profile
from haven.jurisdictions.models import Jurisdiction
from haven.organisations.models import Organisation
from haven.organisations.roles import Role


def bundled(name: str) -> dict:
    return yaml.safe_load((profile.PROFILES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict, name: str = "changed.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def transition(data: dict, action: str) -> dict:
    return next(t for t in data["procedure"]["transitions"] if t["action"] == action)


def _sets_unknown_fact(data):
    transition(data, "file_complaint")["sets"] = ["complaint_lodged"]


def _clears_unknown_fact(data):
    transition(data, "extend_provisional_stay")["clears"] = ["magistrate_confirmd"]


def _requires_unknown_fact(data):
    transition(data, "magistrate_confirms")["requires"] = ["not confirmed_by_judge"]


def _unknown_state(data):
    transition(data, "presume")["to"] = "suspected"


def _unknown_source_state(data):
    transition(data, "disappear")["from"].append("vanished")


def _unknown_document(data):
    transition(data, "start_reflection")["issue"] = "annex_14"


def _misspelt_key(data):
    transition(data, "intake")["require"] = ["minor"]


def _fact_named_like_a_predicate(data):
    data["procedure"]["facts"]["minor"] = {"name": {"en": "a minor"}}


def _fact_without_a_name(data):
    data["procedure"]["facts"]["complaint_filed"] = {}


def _request_of_an_unknown_action(data):
    data["procedure"]["requests"]["reflection"]["action"] = "start_reflexion"


def _request_of_a_step_anyone_may_take(data):
    data["procedure"]["requests"]["reflection"]["action"] = "file_complaint"


def _request_without_the_days_of_a_stage(data):
    del data["procedure"]["requests"]["provisional_stay"]["answer_days"]["confirm"]


def _request_decided_by_an_unknown_kind(data):
    data["procedure"]["requests"]["reflection"]["decide_by"] = ["immigration"]


def _requested_step_no_request_leads_to(data):
    del data["procedure"]["requests"]["unlimited_residence"]


def _shelter_through_a_request(data):
    data["procedure"]["request_shares"]["confirm"]["open"].append("shelter")


def _unknown_status(data):
    transition(data, "presume")["status"] = "suspected"


@pytest.mark.parametrize(("mutate", "message"), [
    (_request_of_an_unknown_action, "procedure request 'reflection': unknown action 'start_reflexion'"),
    (_request_of_a_step_anyone_may_take,
     "procedure request 'reflection': action 'file_complaint' must be marked 'requested: true'"),
    (_request_without_the_days_of_a_stage,
     "procedure request 'provisional_stay': answer_days needs the stage(s): confirm"),
    (_request_decided_by_an_unknown_kind,
     "procedure request 'reflection' decide_by: unknown organisation kind(s): immigration"),
    (_requested_step_no_request_leads_to,
     "procedure transition 'grant_unlimited_residence': is applied only through a request"),
    (_shelter_through_a_request, "procedure request_shares 'confirm': the shelter part never travels"),
    (_unknown_status, "procedure transition 'presume': unknown trafficking status 'suspected'"),
    (_sets_unknown_fact, "procedure transition 'file_complaint': unknown fact 'complaint_lodged' in 'sets'"),
    (_clears_unknown_fact, "procedure transition 'extend_provisional_stay': unknown fact 'magistrate_confirmd'"),
    (_requires_unknown_fact, "procedure transition 'magistrate_confirms': unknown condition 'not confirmed_by_judge'"),
    (_unknown_state, "procedure transition 'presume': unknown state 'suspected'"),
    (_unknown_source_state, "procedure transition 'disappear': unknown state 'vanished'"),
    (_unknown_document, "procedure transition 'start_reflection': unknown document 'annex_14'"),
    (_misspelt_key, "procedure transition 'intake': unknown field(s): require"),
    (_fact_named_like_a_predicate, "procedure fact 'minor': is the name of a built-in condition"),
    (_fact_without_a_name, "procedure fact 'complaint_filed': missing field 'name'"),
])
def test_a_bad_procedure_is_refused_naming_the_record(db, tmp_path, mutate, message):
    data = bundled("be")
    mutate(data)
    with pytest.raises(profile.ProfileError) as error:
        parse(data["procedure"])
    assert message in str(error.value)
    with pytest.raises(profile.ProfileError, match="procedure"):
        profile.load(write(tmp_path, data))
    assert not Jurisdiction.objects.exists() and not Procedure.objects.exists()


def test_the_bundled_procedures_parse_into_typed_records():
    spec = parse(bundled("be")["procedure"])
    grant = spec.named("grant_temporary_residence")[0]
    assert grant.document.op == "issue" and grant.document.document == "a_card"
    assert grant.clears == ("magistrate_confirmed",) and grant.to == "temporary_residence"
    assert [str(c) for c in spec.named("start_reflection")[0].requires] == ["not minor", "not complaint_filed"]
    assert spec.documents["annex_15"].valid_until(datetime.date(2025, 1, 31)) == datetime.date(2025, 3, 17)
    assert spec.states["closed"].closes and not spec.states["intake"].closes
    with pytest.raises(AttributeError):
        spec.initial = "closed"  # frozen: the cached spec cannot be changed by a reader
    assert set(parse(bundled("nl")["procedure"]).facts) == {"complaint_filed", "magistrate_confirmed"}
    # what requests exist, and who answers them, is the profile's too
    provisional = spec.requests["provisional_stay"]
    assert (provisional.action, provisional.confirm, provisional.by) == (
        "grant_provisional_stay", "magistrate_confirms", {"reception_centre", "child_centre"})
    assert provisional.decide_by == {"immigration_office"} and [str(c) for c in provisional.cosign_when] == [
        "unaccompanied"]
    assert spec.requests["reflection"].confirm is None and dict(spec.requests["reflection"].answer_days) == {
        "cosign": 5, "decide": 15}
    assert spec.requested("grant_provisional_stay") and not spec.requested("file_complaint")
    assert spec.request_shares["confirm"].after == {"summary"} and spec.status_deciders["identified"] == {
        "prosecution"}
    assert [str(c) for c in spec.identified_when] == ["justice_grounds"]
    assert spec.named("presume")[0].status == "presumed"


def test_spec_for_reads_the_database_once(belgium, django_assert_num_queries):
    first = spec_for(belgium)
    with django_assert_num_queries(0):
        again = spec_for(belgium)
    assert again is first


def test_loading_a_profile_again_is_seen_by_spec_for(belgium, tmp_path, django_assert_num_queries):
    stale = Jurisdiction.objects.get(pk=belgium.pk)
    assert spec_for(stale).name_of("state", "signal") == "Signal"
    data = bundled("be")
    data["procedure"]["states"]["signal"]["name"]["en"] = "Report"
    profile.load(write(tmp_path, data))
    fresh = Jurisdiction.objects.get(pk=belgium.pk)
    assert fresh.profile_digest != stale.profile_digest
    assert spec_for(fresh).name_of("state", "signal") == "Report"
    assert spec_for(stale).name_of("state", "signal") == "Report"  # the load bumped the generation
    with django_assert_num_queries(0):
        spec_for(fresh)


SMALL = {
    "jurisdiction": {"code": "XQ", "version": "1", "name": {"en": "Testland"}, "legal_test": "act_purpose",
                     "phone_region": "BE", "languages": ["en"]},
    "regions": [{"code": "national", "national": True, "name": {"en": "All of Testland"}}],
    "organisations": [{"slug": "shelter", "name": "Shelter", "kind": "reception_centre", "region": "national",
                       "languages": ["en"]}],
    "procedure": {
        "initial": "signal",
        "states": {"signal": {"name": {"en": "Signal"}}, "assessed": {"name": {"en": "Assessed"}},
                   "closed": {"closes": True, "name": {"en": "Closed"}}},
        "facts": {"interview_held": {"name": {"en": "the person was interviewed", "fr": "la personne a été entendue",
                                              "nl": "de persoon werd gehoord", "de": "die Person wurde angehört"}}},
        "transitions": [
            # a single name for ``sets``, as older profiles wrote it
            {"action": "interview", "from": ["signal"], "by": ["reception_centre"],
             "requires": ["not interview_held"], "sets": "interview_held"},
            {"action": "assess", "from": ["signal"], "to": "assessed", "by": ["reception_centre"],
             "requires": ["interview_held"], "clears": ["interview_held"]},
            {"action": "close", "from": ["signal", "assessed"], "to": "closed", "by": ["reception_centre"]},
        ],
    },
}


def test_a_fact_declared_only_in_the_profile_is_set_tested_and_cleared(db, tmp_path, member):
    profile.load(write(tmp_path, copy.deepcopy(SMALL), "small.yaml"))
    shelter = Organisation.objects.get(slug="shelter", jurisdiction__code="XQ")
    worker = member(shelter, Role.CASEWORKER)
    case = record_signal(worker, shelter, detected_on=datetime.date(2025, 3, 1), region="national")

    with pytest.raises(Refused, match="the person was interviewed") as refused:
        apply_transition(worker, case, "assess", on=datetime.date(2025, 3, 2))
    assert refused.value.code == "condition"

    apply_transition(worker, case, "interview", on=datetime.date(2025, 3, 3))
    fact = CaseFact.objects.get(case=case)
    assert (fact.name, fact.on, fact.organisation) == ("interview_held", datetime.date(2025, 3, 3), shelter)
    assert case.fact("interview_held") == datetime.date(2025, 3, 3)
    with pytest.raises(Refused, match="not: the person was interviewed"):
        apply_transition(worker, case, "interview", on=datetime.date(2025, 3, 4))

    apply_transition(worker, case, "assess", on=datetime.date(2025, 3, 5))
    assert case.state == "assessed"
    assert case.fact("interview_held") is None and not CaseFact.objects.filter(case=case).exists()
    history = CaseFact.history.filter(case_id=case.pk).order_by("history_id")
    assert [h.history_type for h in history] == ["+", "-"]  # the cleared fact stays in the history


def test_loading_through_the_action_writes_one_audit_event(db, tmp_path):
    operator = Actor.command()
    report = profile.do_load(operator, "nl")
    netherlands = Jurisdiction.objects.get(code="NL")
    event = AuditEvent.objects.get()
    target = f"jurisdictions.jurisdiction:{netherlands.pk}"
    assert (event.verb, event.target, event.via) == (Verb.PROFILE_LOADED, target, "command")
    assert event.after["profile_version"] == "2026.1" and event.after["profile_digest"] == netherlands.profile_digest
    assert event.after["report"] == report and event.before == {}

    profile.do_load(operator, "nl")
    assert AuditEvent.objects.count() == 2

    data = bundled("nl")
    data["procedure"]["states"]["signal"]["name"]["en"] = "Report"
    profile.do_load(operator, write(tmp_path, data))
    changed = AuditEvent.objects.order_by("-pk").first()
    assert changed.before == {"profile_digest": netherlands.profile_digest}

    transition(data, "file_complaint")["sets"] = ["aangifte"]
    with pytest.raises(profile.ProfileError):
        profile.do_load(operator, write(tmp_path, data))
    assert AuditEvent.objects.count() == 3  # a refused load leaves no event


def test_the_migration_converts_stored_procedures_both_ways():
    migration = importlib.import_module("haven.cases.migrations.0003_case_facts")
    for name in ("be", "nl"):
        current = bundled(name)["procedure"]
        old = migration.spec_to_columns(current)
        assert "facts" not in old
        assert transition({"procedure": old}, "file_complaint")["sets"] == "complaint_filed_on"
        assert all("clears" not in t for t in old["transitions"])
        assert migration.spec_to_facts(old) == current
