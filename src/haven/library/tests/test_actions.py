"""Editors' actions: one transaction each, with its audit event, or nothing at all."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from haven.audit.models import AuditEvent, Verb
from haven.core.actor import Actor
from haven.core.errors import Forbidden, Invalid
from haven.library import services
from haven.library.models import Claim, ClaimStatus, Merge, MergeKind, Page, Source
from haven.organisations.models import Organisation
from haven.organisations.roles import Role
from haven.statistics.models import SeriesPoint


@pytest.fixture
def editors(belgium):
    return Organisation.objects.get(slug="library-editors")


@pytest.fixture
def editor(editors, member):
    return member(editors, Role.EDITOR, username="editor")


class Boom(Exception):
    pass


def explode(*args, **kwargs):
    raise Boom


def test_an_upload_leaves_one_event_per_new_page(client, editor, editors, seed):
    client.force_login(editor)
    files = [SimpleUploadedFile(seed("003").name, seed("003").read_bytes()),
             SimpleUploadedFile("empty.txt", b"")]
    client.post(reverse("library-upload"), {"files": files})
    page = Page.objects.get()
    event = AuditEvent.objects.get()
    assert (event.verb, event.target, event.user, event.via) == (
        Verb.LIBRARY_PAGE_IMPORTED, f"library.page:{page.pk}", editor, "web")
    assert (event.organisation, event.target_organisation, event.after) == (editors, editors, {"kind": page.kind})
    again = client.post("/api/v1/library/imports/", {"files": [
        SimpleUploadedFile(seed("003").name, seed("003").read_bytes()),
        SimpleUploadedFile(seed("004").name, seed("004").read_bytes())]})
    assert again.json()["unchanged"] == 1 and again.json()["imported"] == 1
    assert list(AuditEvent.objects.order_by("pk").values_list("via", flat=True)) == ["web", "api"]


def test_a_command_imports_as_the_operator(editors, seed):
    report = services.do_import_paths(Actor.command(), [seed("003")])
    event = AuditEvent.objects.get()
    assert (event.user, event.username, event.via, event.target_organisation) == (None, "", "command", None)
    assert event.target == f"library.page:{report.files[0].page_id}"


def test_reviewing_a_claim_leaves_one_event(client, editor, editors, library):
    claim = Claim.objects.get(value=350)
    client.force_login(editor)
    client.post(reverse("library-claim-review", args=[claim.pk]), {"status": "confirmed"})
    client.post(f"/api/v1/library/claims/{claim.pk}/review/", {"status": "rejected"})
    client.post(f"/api/v1/library/claims/{claim.pk}/review/", {"status": "pending"})
    events = list(AuditEvent.objects.order_by("pk"))
    assert [(e.verb, e.before, e.after) for e in events] == [
        (Verb.LIBRARY_CLAIM_CONFIRMED, {"status": "pending"}, {"status": "confirmed"}),
        (Verb.LIBRARY_CLAIM_REJECTED, {"status": "confirmed"}, {"status": "rejected"}),
        (Verb.LIBRARY_CLAIM_REOPENED, {"status": "rejected"}, {"status": "pending"})]
    assert {e.target for e in events} == {f"library.claim:{claim.pk}"}
    assert {e.target_organisation_id for e in events} == {editors.pk}


def test_a_correction_of_topics_countries_and_type_is_one_action(client, editor, library):
    source = Source.objects.get(title="The Protection Project - Belgium")
    before = (source.topic_codes(), source.country_codes(), source.source_type)
    client.force_login(editor)
    response = client.post(reverse("library-source-tags", args=[source.pk]),
                           {"topics": ["begging"], "countries": "BE XX", "source_type": "research"})
    assert response.status_code == 400 and "Unknown countries: XX" in response.content.decode()
    source.refresh_from_db()
    assert (source.topic_codes(), source.country_codes(), source.source_type) == before  # none of the three
    assert not AuditEvent.objects.exists()
    response = client.post(reverse("library-source-tags", args=[source.pk]),
                           {"topics": ["begging"], "countries": "BE RO", "source_type": "research"})
    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert (event.verb, event.target) == (Verb.LIBRARY_SOURCE_CORRECTED, f"library.source:{source.pk}")
    assert event.after["source_type"] == "research" and event.after["countries"] == ["BE", "RO"]
    assert event.before["source_type"] == before[2]
    assert set(event.after) <= {"topics", "countries", "source_type"}


def test_undoing_a_merge_leaves_one_event(client, editor, library):
    merge = Merge.objects.get(kind=MergeKind.SOURCE, source__title="Sex Trafficking In Belgium, April 2003")
    client.force_login(editor)
    client.post(reverse("library-merge-undo", args=[merge.pk]))
    merge.refresh_from_db()
    event = AuditEvent.objects.get()
    assert (event.verb, event.target, event.before) == (Verb.LIBRARY_MERGE_UNDONE, f"library.merge:{merge.pk}",
                                                         {"undone": False})
    assert event.after["undone"] is True and event.after["split_into"] == merge.split_into_id


def test_a_failure_after_the_first_write_leaves_nothing(monkeypatch, editor, library, seed):
    monkeypatch.setattr(services, "record_event", explode)
    actor = Actor(user=editor)
    pages, sources = Page.objects.count(), Source.objects.count()
    claim = Claim.objects.get(value=350)
    source = Source.objects.get(title="The Protection Project - Belgium")
    topics = source.topic_codes()
    merge = Merge.objects.get(kind=MergeKind.SOURCE, source__title="Sex Trafficking In Belgium, April 2003")
    with pytest.raises(Boom):
        services.do_upload_pages(actor, [("new.txt", b"A new report\n\nIn 2020, 12 victims were identified.\n")])
    with pytest.raises(Boom):
        services.do_review_claim(actor, claim, ClaimStatus.CONFIRMED)
    with pytest.raises(Boom):
        services.do_correct_source(actor, source, topics=["begging"], countries=["RO"], source_type="research")
    with pytest.raises(Boom):
        services.do_undo_merge(actor, merge)
    assert (Page.objects.count(), Source.objects.count()) == (pages, sources)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING and not SeriesPoint.objects.exists()
    assert Source.objects.get(pk=source.pk).topic_codes() == topics
    merge.refresh_from_db()
    assert merge.undone_at is None and merge.split_into_id is None
    assert not AuditEvent.objects.exists()


def test_only_editors_act_and_refusals_leave_no_event(belgium, member, library):
    analyst = member(Organisation.objects.get(slug="myria"), Role.ANALYST)
    claim = Claim.objects.first()
    with pytest.raises(Forbidden):
        services.do_review_claim(Actor(user=analyst), claim, ClaimStatus.CONFIRMED)
    with pytest.raises(Forbidden):
        services.do_upload_pages(Actor(user=None, via="web"), [("x.txt", b"A page\n\nIn 2020, 3 victims.\n")])
    editor = member(Organisation.objects.get(slug="library-editors"), Role.EDITOR)
    with pytest.raises(Invalid):
        services.do_review_claim(Actor(user=editor), claim, "maybe")
    assert not AuditEvent.objects.exists()


def test_the_editors_admin_reads_the_library_events_and_others_do_not(client, editor, editors, member, library):
    services.do_review_claim(Actor(user=editor), Claim.objects.get(value=350), ClaimStatus.CONFIRMED)
    client.force_login(member(editors, Role.ORG_ADMIN))
    assert [r["verb"] for r in client.get("/api/v1/audit/events/").json()["results"]] == ["library.claim_confirmed"]
    client.force_login(member(Organisation.objects.get(slug="pag-asa"), Role.ORG_ADMIN))
    assert client.get("/api/v1/audit/events/").json()["results"] == []
    assert list(client.get("/audit/events/").context["object_list"]) == []
