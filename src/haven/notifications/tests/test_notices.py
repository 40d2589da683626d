"""Notices: written in the recipient's language, once per key, e-mailed once the sender's transaction
committed; the page, the header count, the API and ``haven notify``."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy

from haven.cases.models import Deadline, ShareReason
from haven.cases.tests.factories import CaseFactory, share
from haven.notifications import services
from haven.notifications.models import Notification
from haven.organisations.models import Organisation
from haven.organisations.roles import Role
from haven.residence import panels
from haven.residence.models import DocumentRequest, Stage

# A sentence the catalogues already translate (the cases app's), so the recipient's language shows.
VALID = "test.valid_until"
DAY = datetime.date(2026, 12, 1)


@pytest.fixture
def kinds():
    services.register_kind(VALID, gettext_lazy("%(document)s valid until %(date)s."),
                           labels={"document": lambda key: key.replace("_", " ").upper()})
    panels.register()


@pytest.fixture
def pag_asa(belgium):
    return Organisation.objects.get(jurisdiction=belgium, slug="pag-asa")  # languages: fr, nl, en


def test_a_notice_is_written_in_its_recipients_language_once_per_key_and_mailed_on_commit(
        kinds, pag_asa, member, mailoutbox, django_capture_on_commit_callbacks):
    french = member(pag_asa, Role.CASEWORKER, "amelie")
    french.language, french.email = "fr", "amelie@example.org"
    dutch = member(pag_asa, Role.CASE_MANAGER, "joost")
    dutch.language, dutch.email = "nl", ""  # no address: in-page only
    unset = member(pag_asa, Role.CASEWORKER, "sam")
    unset.email = "sam@example.org"  # no language of their own: the organisation's first one (French)
    admin = member(pag_asa, Role.ORG_ADMIN, "root")
    for user in (french, dutch, unset):
        user.save()

    with django_capture_on_commit_callbacks(execute=False) as pending:
        notices = services.notify_organisation(pag_asa, VALID, params={"document": "annex_15", "date": DAY},
                                               url="/cases/1/", key="document:1",
                                               roles=[Role.CASEWORKER, Role.CASE_MANAGER])
    assert {n.recipient for n in notices} == {french, dutch, unset}  # not the admin: not one of the roles
    assert mailoutbox == [] and len(pending) == 1  # nothing leaves before the sender's transaction commits
    assert Notification.objects.get(recipient=french).params == {"document": "annex_15", "date": "2026-12-01"}

    with django_capture_on_commit_callbacks(execute=True):
        again = services.notify_organisation(pag_asa, VALID, params={"document": "annex_15", "date": DAY},
                                             url="/cases/1/", key="document:1")
    assert [n.recipient for n in again] == [admin]  # once per (recipient, kind, key): only the new one
    pending[0]()  # the first transaction's e-mails
    assert sorted(m.to[0] for m in mailoutbox) == ["amelie@example.org", "sam@example.org"]
    for mail in mailoutbox:
        assert "ANNEX 15 valable jusqu’au 1 décembre 2026." in mail.subject
        assert mail.body.splitlines()[2] == "/cases/1/"
    assert set(Notification.objects.filter(emailed_at__isnull=False).values_list("recipient__username", flat=True)) \
        == {"amelie", "sam"}

    by_user = {n.recipient.username: n for n in Notification.objects.select_related("recipient", "organisation")}
    assert services.render(by_user["amelie"]) == "ANNEX 15 valable jusqu’au 1 décembre 2026."
    assert services.render(by_user["joost"]) == "ANNEX 15 geldig tot 1 december 2026."
    assert services.render(by_user["sam"]).startswith("ANNEX 15 valable")
    assert services.render(by_user["amelie"], "de") == "ANNEX 15 gültig bis 1. Dezember 2026."

    payoke = Organisation.objects.get(jurisdiction=pag_asa.jurisdiction, slug="payoke")  # languages: nl, en, fr
    flemish = services.notify_user(member(payoke, Role.CASEWORKER, "piet"), VALID,
                                   params={"document": "a_card", "date": DAY})  # for no organisation: theirs
    assert services.render(flemish) == "A CARD geldig tot 1 december 2026."
    one = services.notify_user(dutch, VALID, params={"document": "a_card", "date": DAY}, key="document:2")
    assert one is not None and services.notify_user(dutch, VALID, key="document:2") is None
    with pytest.raises(ValueError, match="unknown notice kind"):
        services.notify_user(dutch, "test.never_registered")
    with pytest.raises(TypeError):
        services.notify_user(dutch, VALID, params={"document": pag_asa})  # an object is no parameter
    assert services.unread_count(dutch) == 2


def test_the_page_the_header_and_the_api_show_only_your_own_notices(kinds, pag_asa, member, client):
    reader = member(pag_asa, Role.CASEWORKER, "reader")
    other = member(pag_asa, Role.CASEWORKER, "other")
    first = services.notify_user(reader, VALID, params={"document": "annex_15", "date": DAY}, url="/cases/7/",
                                 key="a", organisation=pag_asa)
    services.notify_user(reader, VALID, params={"document": "a_card", "date": DAY}, key="b")
    theirs = services.notify_user(other, VALID, params={"document": "b_card", "date": DAY}, key="c")
    client.force_login(reader)

    page = client.get("/notifications/")
    text = page.content.decode()
    assert page.status_code == 200 and "Notices (2)" in text
    assert "ANNEX 15 valid until Dec. 1, 2026." in text and "A CARD valid until" in text and "B CARD" not in text
    assert text.count('class="unread"') == 2 and "Mark all read" in text
    with CaptureQueriesContext(connection) as queries:
        client.get("/help/")
    assert len([q for q in queries.captured_queries if "notifications_notification" in q["sql"]]) == 1

    opened = client.get(f"/notifications/{first.pk}/")
    assert opened.status_code == 302 and opened["Location"] == "/cases/7/"
    assert services.unread_count(reader) == 1
    assert client.get(f"/notifications/{theirs.pk}/").status_code == 404
    assert client.post("/notifications/").status_code == 302
    assert services.unread_count(reader) == 0 and services.unread_count(other) == 1

    listed = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert [n["text"] for n in listed["results"]] == ["A CARD valable jusqu’au 1 décembre 2026.",
                                                      "ANNEX 15 valable jusqu’au 1 décembre 2026."]
    assert listed["results"][1]["organisation"] == "PAG-ASA" and listed["results"][1]["unread"] is False
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    services.notify_user(reader, VALID, params={"document": "annex_15", "date": DAY}, key="d")
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 1
    marked = client.post("/api/v1/notifications/read/", {"ids": [theirs.pk, first.pk]}, content_type="application/json")
    assert marked.json() == {"marked": 0, "unread": 1}  # another's notice is not yours to mark
    assert client.post("/api/v1/notifications/read/", {}, content_type="application/json").json() == {
        "marked": 1, "unread": 0}
    assert client.post("/api/v1/notifications/read/", {"ids": ["x"]}, content_type="application/json"
                       ).status_code == 400


def test_haven_notify_tells_each_holder_what_falls_due_once(kinds, belgium, pag_asa, member, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    prosecutor = Organisation.objects.get(jurisdiction=belgium, slug="prosecutor-brussels")
    immigration = Organisation.objects.get(jurisdiction=belgium, slug="immigration-office-thb")
    magistrate = member(prosecutor, Role.MAGISTRATE, "magistrate")
    magistrate.email, magistrate.language = "magistrate@example.org", "fr"
    magistrate.save()
    officer = member(immigration, Role.IMMIGRATION_OFFICER, "officer")
    worker = member(pag_asa, Role.CASEWORKER, "worker")
    member(prosecutor, Role.ORG_ADMIN, "prosecutor-admin")  # sees no case: not told
    case = CaseFactory(owner=pag_asa)
    share(case, prosecutor, {"summary", "documents"}, reason=ShareReason.REQUEST)

    def request(holder, stage, due_on):
        return DocumentRequest.objects.create(case=case, kind="card", action="issue_card", stage=stage,
                                              holder=holder, due_on=due_on, requested_by=pag_asa,
                                              requested_by_user=worker)

    soon = request(prosecutor, Stage.CONFIRM, DAY + datetime.timedelta(days=3))
    late = request(immigration, Stage.DECIDE, DAY - datetime.timedelta(days=1))
    request(immigration, Stage.DECIDE, DAY + datetime.timedelta(days=30))  # not yet
    request(None, Stage.ISSUED, DAY)  # answered for good
    Deadline.objects.create(case=case, key="document:1", kind="reflection", part="documents", due_on=DAY,
                            organisation=pag_asa)

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify", "--date", DAY.isoformat(), stdout=out)
    assert out.getvalue().startswith("3 notice(s) for 2026-12-01 (")
    assert "deadlines: 1" in out.getvalue() and "requests: 2" in out.getvalue()
    assert set(Notification.objects.values_list("recipient__username", "kind")) == {
        ("magistrate", panels.REQUEST_DUE), ("officer", panels.REQUEST_OVERDUE), ("worker", panels.DEADLINE_DUE)}
    told = Notification.objects.get(recipient=magistrate)
    assert told.url == f"/residence/requests/{soon.pk}/"
    assert case.reference in services.render(told) and "4 décembre 2026" in services.render(told)  # French
    assert [m.to for m in mailoutbox] == [["magistrate@example.org"]]
    assert Notification.objects.get(recipient=officer).key == f"request:{late.pk}:decide:2026-11-30"

    out = io.StringIO()
    call_command("notify", "--date", DAY.isoformat(), stdout=out)
    assert out.getvalue().startswith("0 notice(s)")  # once per key
    with pytest.raises(Exception, match="not a date"):
        call_command("notify", "--date", "tomorrow")
