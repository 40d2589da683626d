import re

import pytest
from django.urls import reverse

from haven.directory.models import SupportService
from haven.directory.phones import InvalidPhone, parse_phone

E164 = re.compile(r'href="tel:(\+\d{8,15}|\d{3,6})"')
# What a street address looks like on a Belgian or Dutch page: a street word with a house
# number, or a four-digit postcode followed by a town.
STREET = re.compile(
    r"\b(rue|avenue|chaussée|boulevard|place|quai)\s+[\w'\- ]{0,40}\d+"
    r"|\b\w*(straat|laan|steenweg|weg|plein|lei|dreef|gasse)\s+\d+"
    r"|\b\d{4}\s+(bruxelles|brussel|antwerpen|anvers|liège|luik|gent|amsterdam)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize(("accept", "lang", "title"), [
    ("en", "en", "Where to get help"),
    ("fr-BE,fr;q=0.9", "fr", "Où trouver de l’aide"),
    ("nl-BE,nl;q=0.9", "nl", "Waar vindt u hulp"),
    ("de-DE,de;q=0.9", "de", "Wo Sie Hilfe finden"),
])
def test_the_help_page_speaks_the_browsers_language(client, belgium, accept, lang, title):
    response = client.get(reverse("help"), HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert title in html


def test_the_language_switcher_sets_the_language(client, belgium):
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/help/"})
    assert response.status_code == 302
    html = client.get("/help/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="nl">' in html
    assert "Noodgevallen" in html


def test_phone_numbers_are_tel_links_in_e164(client, belgium):
    html = client.get(reverse("help")).content.decode()
    links = set(E164.findall(html))
    assert {"+3225116464", "+3242324030", "+3232011690", "+3278151413", "+3278055800", "116000", "112"} <= links
    assert "tel:0" not in html  # never a national-only form a foreign phone cannot dial


def test_region_and_language_filters(client, belgium):
    html = client.get(reverse("help"), {"region": "wallonia"}).content.decode()
    assert "tel:+3242324030" in html  # Sürya
    assert "tel:+3225116464" not in html and "tel:+3232011690" not in html
    assert "tel:116000" in html  # national services stay
    html = client.get(reverse("help"), {"language": "de"}).content.decode()
    assert "tel:+3232011690" not in html  # Payoke does not list German
    assert "tel:112" in html


def test_the_help_page_never_reveals_a_shelter_address(client, belgium):
    field_names = {field.name for field in SupportService._meta.get_fields()}
    assert not field_names & {"address", "street", "postcode", "location"}
    for language in ["en", "fr", "nl", "de"]:
        for query in [{}, {"region": "brussels"}, {"region": "flanders"}, {"region": "wallonia"}]:
            html = client.get(reverse("help"), query, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            assert not STREET.search(html), STREET.search(html)


def test_the_address_detector_would_catch_one():
    assert STREET.search("Rue de la Loi 16, 1000 Bruxelles")
    assert STREET.search("Zwartezustersstraat 12")
    assert STREET.search("Leopoldstraat 2, 2000 Antwerpen")


def test_the_help_page_works_before_any_profile_is_loaded(client, db):
    response = client.get(reverse("help"))
    assert response.status_code == 200
    assert "No service matches" in response.content.decode()


def test_the_dutch_directory_is_separate(client, belgium, netherlands):
    html = client.get(reverse("help"), {"country": "NL"}).content.decode()
    assert "tel:+318007000" in html
    assert "tel:+3225116464" not in html


def test_the_public_api_lists_services(client, belgium):
    response = client.get("/api/v1/directory/services/", {"region": "brussels", "language": "fr"},
                          HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    rows = {row["slug"]: row for row in response.json()}
    assert rows["pag-asa"]["phone_uri"] == "tel:+3225116464"
    assert "surya" not in rows
    assert rows["emergency"]["name"].startswith("Urgences")
    assert "address" not in rows["pag-asa"]


@pytest.mark.parametrize(("raw", "uri"), [
    ("02/511.64.64", "tel:+3225116464"),
    ("078/15 14 13", "tel:+3278151413"),
    ("+32 3 201 16 90", "tel:+3232011690"),
    ("116 000", "tel:116000"),
])
def test_parse_phone(raw, uri):
    assert parse_phone(raw, "BE").uri == uri


@pytest.mark.parametrize("raw", ["02/511.64", "call us", "", "999999999999999999"])
def test_parse_phone_refuses_malformed_numbers(raw):
    with pytest.raises(InvalidPhone):
        parse_phone(raw, "BE")
