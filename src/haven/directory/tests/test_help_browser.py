"""The help page as a person on a phone uses it, in a real browser."""

import os

import pytest

from haven.jurisdictions import profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_help_on_a_phone(live_server, browser, tmp_path):
    profile.load("be")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-BE", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/help/")
    assert page.get_attribute("html", "lang") == "fr"
    assert page.locator("h1").inner_text() == "Où trouver de l’aide"
    call = page.locator("a.call[href='tel:+3225116464']")
    assert call.is_visible()
    box = call.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 390  # a thumb can hit it, nothing overflows
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.select_option("#region", "wallonia")
    page.click("form.filters button")
    assert page.locator("a[href='tel:+3242324030']").is_visible()
    assert page.locator("a[href='tel:+3225116464']").count() == 0

    page.select_option("#language-select", "nl")
    page.click("form.language button")
    assert page.get_attribute("html", "lang") == "nl"
    assert page.locator("h1").inner_text() == "Waar vindt u hulp"
    assert "region=wallonia" in page.url  # switching language keeps the person's choice
    page.screenshot(path=str(os.environ.get("HAVEN_SCREENSHOT_DIR", tmp_path)) + "/help-phone.png", full_page=True)
    assert errors == []  # the CSP blocked nothing the page needed
    context.close()
