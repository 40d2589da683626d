"""Each organisation does its own part, in a real browser (ADR 0036): the magistrate, the Immigration
Office officer and the guardian sign in with their second factor, find what waits for them on their
home page, answer it, and the centres see the result.

A screenshot of every step is saved to ``$HAVEN_SCREENSHOTS`` (default: the test's ``tmp_path``).
"""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from haven.access.testing import TOTPDevice, totp_now
from haven.cases.actions import procedure, referrals, signals
from haven.guardianship import services as guardianship
from haven.organisations.models import Organisation
from haven.organisations.roles import Role
from haven.residence import services
from haven.residence.models import DocumentRequest, Stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


class Journey:
    """Signs people in, one browser context each, and saves a numbered screenshot of every step."""

    def __init__(self, browser, base_url: str, shots: Path):
        self.browser, self.base_url, self.shots = browser, base_url, shots
        self.count = 0
        self.errors: list[str] = []

    def sign_in(self, user):
        """Password, then the one-time code of the user's authenticator, through the pages; ends on home."""
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        context = self.browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        page.goto(self.base_url + reverse("login"))
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(re.escape(reverse("mfa-verify"))))
        page.fill("input[name=code]", totp_now(device))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(self.base_url + reverse("home"))
        return page

    def shot(self, page, name: str) -> None:
        self.count += 1
        page.screenshot(path=str(self.shots / f"{self.count:02d}-{name}.png"), full_page=True)


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("HAVEN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def panel(page, title: str):
    return page.locator("article.panel", has=page.locator("h3", has_text=title))


def test_the_magistrate_the_immigration_office_and_the_guardian_each_answer_what_waits_for_them(
        live_server, browser, belgium, member, shots):
    def org(slug):
        return Organisation.objects.get(jurisdiction=belgium, slug=slug)

    police, centre = member(org("police-brussels-capital"), Role.OFFICER), member(org("pag-asa"), Role.CASEWORKER)
    child_centre = member(org("esperanto"), Role.CASEWORKER)
    service = org("guardianship-service")
    coordinator, guardian = member(service, Role.GUARDIAN, "gs-coordinator"), member(service, Role.GUARDIAN)
    magistrate = member(org("prosecutor-brussels"), Role.MAGISTRATE)
    immigration = member(org("immigration-office-thb"), Role.IMMIGRATION_OFFICER)

    # An adult found in Brussels: the police refer her to PAG-ASA, she files a complaint, and the centre
    # asks for the attestation d'immatriculation; the Brussels prosecutor must confirm first.
    adult = signals.record_signal(police, org("police-brussels-capital"), region="brussels",
                                  exploitation_forms={"sexual"}, person={"given_names": "Ana", "family_name": "Test"})
    procedure.apply_transition(police, adult, "presume")
    for referral in referrals.route_case(police, adult):
        referrals.accept_referral(centre, referral)
    procedure.apply_transition(centre, adult, "file_complaint")
    attestation = services.request_document(centre, adult, "provisional_stay", district="brussels",
                                            grounds="She made statements and cooperates with the investigation.")
    assert attestation.holder == org("prosecutor-brussels")

    # An unaccompanied child: Esperanto takes her in, the Guardianship Service appoints her guardian, and
    # Esperanto's request waits for the guardian's co-signature.
    child = signals.record_signal(police, org("police-brussels-capital"), region="brussels", minor=True,
                                  unaccompanied=True, exploitation_forms={"begging"},
                                  person={"given_names": "Mira", "family_name": "Test"})
    for referral in referrals.route_case(police, child, consent="overridden", override_reason="a child"):
        referrals.accept_referral(child_centre if referral.to_organisation.slug == "esperanto" else coordinator,
                                  referral)
    child.refresh_from_db()
    guardianship.appoint_guardian(coordinator, child, guardian)
    childs_request = services.request_document(child_centre, child, "provisional_stay", district="brussels",
                                               grounds="A child: she needs the attestation to stay in care.")
    assert childs_request.stage == Stage.COSIGN
    next_child = signals.record_signal(police, org("police-brussels-capital"), region="brussels", minor=True,
                                       exploitation_forms={"sexual"},
                                       person={"given_names": "Lea", "family_name": "Test"})
    referrals.route_case(police, next_child, consent="overridden", override_reason="a child")

    journey = Journey(browser, live_server.url, shots)

    # 1. The magistrate finds the confirmation waiting on her home page, opens it and confirms.
    page = journey.sign_in(magistrate)
    waiting = panel(page, "Confirmations waiting").get_by_role("link", name=re.compile(adult.reference))
    assert waiting.is_visible()
    journey.shot(page, "magistrate-home")
    waiting.click()
    assert "She made statements" in page.locator(".grounds").inner_text()
    journey.shot(page, "magistrate-request")
    page.locator("#answer-confirm").get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    assert "Confirmed" in page.locator("ul.messages").inner_text()
    journey.shot(page, "magistrate-confirmed")
    attestation.refresh_from_db()
    assert attestation.stage == Stage.DECIDE and attestation.holder == org("immigration-office-thb")
    page.context.close()

    # 2. The Immigration Office officer finds it among the requests to decide and issues the document.
    page = journey.sign_in(immigration)
    waiting = panel(page, "Requests to decide").get_by_role("link", name=re.compile(adult.reference))
    assert waiting.is_visible()
    journey.shot(page, "immigration-home")
    waiting.click()
    form = page.locator("#answer-issue")
    form.get_by_label("Document number").fill("B 1234567 89")
    form.get_by_label("Issuing commune").fill("Ixelles")
    journey.shot(page, "immigration-issue")
    form.get_by_role("button", name="Issue the document").click()
    page.wait_for_load_state()
    assert "Issued" in page.locator("ul.messages").inner_text()
    journey.shot(page, "immigration-issued")
    attestation.refresh_from_db()
    assert attestation.stage == Stage.ISSUED and attestation.document.number == "B 1234567 89"
    page.context.close()

    # 3. The guardian finds her ward (and the service's next child, whose referral waits) on her home page,
    #    goes from her ward's page to the request and co-signs it.
    page = journey.sign_in(guardian)
    ward = page.get_by_role("link", name=re.compile(child.reference)).first
    assert ward.is_visible()
    assert panel(page, "Referrals waiting").get_by_role("link", name=re.compile(next_child.reference)).is_visible()
    journey.shot(page, "guardian-home")
    ward.click()
    on_the_way = [reverse("residence-request", args=[childs_request.pk]), reverse("case-page", args=[child.pk])]
    for _ in on_the_way:  # the ward's page, the case page and the request page each lead on to the answer
        if page.get_by_role("button", name="Co-sign").count():
            break
        page.locator(", ".join(f"main a[href='{url}']" for url in on_the_way)).first.click()
    journey.shot(page, "guardian-request")
    page.get_by_role("button", name="Co-sign").first.click()
    page.wait_for_load_state()
    assert "Co-signed" in page.locator("ul.messages").inner_text()
    journey.shot(page, "guardian-cosigned")
    childs_request.refresh_from_db()
    assert childs_request.stage == Stage.CONFIRM and childs_request.holder == org("prosecutor-brussels")
    page.context.close()

    # 4. The centres see the result: PAG-ASA is told the document was issued and finds it on the case,
    #    Esperanto sees its request gone on to the magistrate.
    page = journey.sign_in(centre)
    journey.shot(page, "centre-home")
    page.goto(live_server.url + reverse("notifications"))
    notice = page.locator("main").get_by_text(re.compile(f"{adult.reference}.*was granted"))
    assert notice.is_visible()
    journey.shot(page, "centre-notice")
    page.goto(live_server.url + reverse("home"))
    panel(page, "Cases of your organisation").get_by_role("link", name=re.compile(adult.reference)).click()
    documents = page.locator("section", has=page.locator("h2", has_text="Documents"))
    assert "B 1234567 89" in documents.inner_text() and "Ixelles" in documents.inner_text()
    assert "Provisional stay" in page.locator("main").inner_text()
    journey.shot(page, "centre-case")
    page.context.close()

    page = journey.sign_in(child_centre)
    in_progress = panel(page, "Requests in progress").get_by_role("link", name=re.compile(child.reference))
    assert "Waiting for the magistrate" in in_progress.inner_text()
    journey.shot(page, "child-centre-home")
    page.context.close()

    assert DocumentRequest.objects.get(pk=attestation.pk).answers.count() == 2
    assert journey.errors == []  # the CSP blocked nothing the pages needed
