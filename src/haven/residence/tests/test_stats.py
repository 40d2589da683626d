"""The counts the rapporteur gets of requests: answers by stage and outcome, days to the final answer."""

import datetime

from haven.cli import main as haven
from haven.residence import stats
from haven.residence.models import DocumentRequest, RequestAnswer, Stage


def _request(case, organisation, user, kind, stage, requested_on, closed_on=None):
    return DocumentRequest.objects.create(case=case, kind=kind, action=kind, stage=stage, requested_by=organisation,
                                          requested_by_user=user, requested_on=requested_on, closed_on=closed_on)


def _answer(request, stage, outcome, organisation, user, on):
    return RequestAnswer.objects.create(request=request, stage=stage, outcome=outcome, organisation=organisation,
                                        user=user, on=on)


def test_answers_are_counted_by_stage_and_outcome_and_days_by_rank(belgium, org, member, case_of, capsys):
    centre, prosecutor, office = org("pag-asa"), org("prosecutor-brussels"), org("immigration-office-thb")
    caseworker = member(centre, "caseworker")
    case = case_of(centre)
    day = datetime.date(2025, 2, 3)
    waits = [3, 10, 40]  # days to the answer of three requests for an A card
    for position, wait in enumerate(waits):
        issued = position < 2
        request = _request(case, centre, caseworker, "temporary_residence", Stage.ISSUED if issued else Stage.REFUSED,
                           day, day + datetime.timedelta(days=wait))
        _answer(request, Stage.CONFIRM, RequestAnswer.Outcome.CONFIRMED, prosecutor, caseworker, day)
        _answer(request, Stage.DECIDE, RequestAnswer.Outcome.ISSUED if issued else RequestAnswer.Outcome.REFUSED,
                office, caseworker, day + datetime.timedelta(days=wait))
    _request(case, centre, caseworker, "reflection", Stage.DECIDE, day)  # still open: no days yet

    rows = {(r["stage"], r["outcome"]): r["count"] for r in stats.aggregate(by=("stage", "outcome"))}
    assert rows == {("confirm", "confirmed"): 3, ("decide", "issued"): 2, ("decide", "refused"): 1}
    days = {(r["kind"], r["outcome"]): r for r in stats.timeliness()}
    assert days[("temporary_residence", "issued")]["median"] == 6.5
    assert days[("temporary_residence", "refused")] == {"kind": "temporary_residence", "outcome": "refused",
                                                        "requests": 1, "median": 40, "p90": 40}
    assert ("reflection", "decide") not in days

    assert haven(["requests", "stats", "--by", "stage,outcome"]) == 0
    out = capsys.readouterr().out
    assert "decide\trefused\t1" in out and "temporary_residence\tissued\t2\t6.5\t10" in out
    assert haven(["requests", "stats", "--by", "colour"]) == 2
