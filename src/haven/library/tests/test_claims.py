"""Dated statistics: every one of seeds 001, 003 and 004, with value, period and quote."""

from decimal import Decimal

import pytest

from haven.library import claims, parsing, textio
from haven.library.numbers import parse_number


def claims_of(path):
    document = textio.read_bytes(path.name, path.read_bytes())
    page = parsing.parse(document.text, name=path.name)
    found = []
    for entry in page.entries:
        for excerpt in entry.excerpts:
            for claim in claims.extract_claims(excerpt.text, language=page.language, jurisdiction=page.country,
                                               scope=page.scope):
                assert excerpt.text[claim.quote_start:claim.quote_end] == claim.quote
                assert excerpt.text[claim.value_start:claim.value_end] == claim.value_text
                found.append(claim)
    return found


def summary(found):
    return [(c.measure, c.value, c.value_max, c.qualifier, c.unit, c.period.label, c.jurisdiction) for c in found]


def test_every_dated_statistic_of_the_tip_narrative(seed):
    found = claims_of(seed("001"))
    assert summary(found) == [
        ("trafficking investigations", Decimal(500), None, "more_than", "investigations", "2007", "BE"),
        ("trafficking cases prosecuted", Decimal(451), None, "exact", "cases", "2006", "BE"),
        ("traffickers convicted", Decimal(282), None, "exact", "traffickers", "2005", "BE"),
        ("victims registered", Decimal(619), None, "exact", "victims", "2007", "BE"),
        ("victims accepted assistance", Decimal(176), None, "exact", "victims", "2007", "BE"),
        ("share of trafficking victims ultimately qualifying for victim status", Decimal("2.2"), None, "exact",
         "percent", "1999–2005", "BE"),
    ]
    assert found[1].quote == ("In 2006, the most recent year for which comprehensive prosecution statistics are "
                              "available, the government prosecuted 451 trafficking cases.")
    assert found[3].quote == found[4].quote == (
        "During 2007, the three specialized shelter centers registered 619 victims; however the government "
        "reported that only 176 accepted assistance.")
    assert found[5].value_text == "2.2 percent"
    assert found[5].quote.endswith("with only 2.2 percent ultimately qualifying for victim status.")
    assert (found[5].period.start.isoformat(), found[5].period.end.isoformat()) == ("1999-01-01", "2005-12-31")


def test_every_dated_statistic_of_the_country_profile(seed):
    found = claims_of(seed("003"))
    assert summary(found) == [
        ("trafficking victims identified", Decimal(130), None, "average", "victims", "2009–2012", "BE"),
        ("share of victims trafficked for the purpose of labour exploitation", Decimal(50), None, "more_than",
         "percent", "2009–2012", "BE"),
        ("share of victims trafficked for sexual exploitation", Decimal(40), None, "about", "percent", "2009–2012",
         "BE"),
    ]
    assert found[0].quote == "On average, 130 trafficking victims were identified each year between 2009 and 2012."
    assert found[0].per_year
    assert found[1].value_text == "half"
    assert found[2].quote == "Around 40% of the victims were trafficked for sexual exploitation."


def test_every_dated_statistic_of_the_statistics_page(seed):
    found = claims_of(seed("004"))
    assert summary(found) == [
        ("cases reported", Decimal(300), Decimal(400), "about", "cases", "2008–2022", "BE"),
        ("human trafficking cases registered", Decimal(350), None, "exact", "cases", "2022", "BE"),
        ("economic trafficking cases registered", Decimal(126), None, "exact", "cases", "2020", "BE"),
        ("human trafficking cases registered", Decimal(780), None, "exact", "cases", "2021", "NL"),
    ]
    assert found[0].value_text == "three to four hundred"
    assert found[0].period.inferred and found[0].per_year
    assert found[1].quote == ("In 2022, 350 human trafficking cases were registered, and 126 economic trafficking "
                              "cases were registered in Belgium in 2020.")
    assert found[3].quote == ("In comparison, the neighboring country of the Netherlands registered 780 human "
                              "trafficking cases in 2021.")


@pytest.mark.parametrize("prefix", ["000", "002"])
def test_curated_pages_hold_no_dated_statistic(seed, prefix):
    # Their numbers are undated ("88 had been forced into prostitution", "6 per cent"), ages, sentences
    # or events ("police rescued 12 migrants"): none is a dated count of victims, cases …
    assert claims_of(seed(prefix)) == []


@pytest.mark.parametrize(("text", "language", "value"), [
    ("1,234", "en", "1234"), ("1,234.5", "en", "1234.5"), ("2.2", "en", "2.2"),
    ("1 234", "fr", "1234"), ("1 234,5", "fr", "1234.5"), ("2,2", "fr", "2.2"),
    ("1.234", "nl", "1234"), ("1.234,5", "nl", "1234.5"), ("1.234.567", "de", "1234567"), ("2,5", "de", "2.5"),
    ("three hundred and fifty", "en", "350"), ("twenty-one", "en", "21"), ("four thousand", "en", "4000"),
    ("trois cent cinquante", "fr", "350"), ("quatre-vingt-dix", "fr", "90"), ("soixante-quinze", "fr", "75"),
    ("vingt et un", "fr", "21"), ("deux mille", "fr", "2000"),
    ("driehonderdvijftig", "nl", "350"), ("eenentwintig", "nl", "21"), ("tweeduizend", "nl", "2000"),
    ("dreihundertfünfzig", "de", "350"), ("einundzwanzig", "de", "21"), ("zweitausend", "de", "2000"),
])
def test_numbers_in_four_languages(text, language, value):
    assert parse_number(text, language) == Decimal(value)


@pytest.mark.parametrize(("sentence", "language", "value", "value_max", "period"), [
    ("En 2021, 1 234 victimes ont été identifiées.", "fr", "1234", None, "2021"),
    ("Entre 2015 et 2019, environ trois cents dossiers ont été ouverts.", "fr", "300", None, "2015–2019"),
    ("In 2020 werden 1.250 slachtoffers geregistreerd.", "nl", "1250", None, "2020"),
    ("Tussen 2010 en 2012 werden driehonderdvijftig zaken vervolgd.", "nl", "350", None, "2010–2012"),
    ("Im Jahr 2019 wurden 1.234 Opfer ermittelt.", "de", "1234", None, "2019"),
    ("Zwischen 2015 und 2019 wurden dreihundertfünfzig Menschenhandelsfälle erfasst.", "de", "350", None,
     "2015–2019"),
    ("In 2022, 12.5% of the victims were minors.", "en", "12.5", None, "2022"),
    ("En 2022, 12,5 % des victimes étaient mineures.", "fr", "12.5", None, "2022"),
])
def test_claims_in_french_dutch_and_german(sentence, language, value, value_max, period):
    found = claims.extract_claims(sentence, language=language, jurisdiction="BE")
    assert [(c.value, c.value_max, c.period.label) for c in found] == [
        (Decimal(value), Decimal(value_max) if value_max else None, period)]
    assert found[0].quote == sentence


@pytest.mark.parametrize("sentence", [
    "The penalties range up to 15 years' imprisonment.",
    "Most are young women between the ages of 21 and 30.",
    "Belgium prohibits all forms of trafficking through a 2005 amendment to its 1995 Act.",
    "Out of about 150 who testified, 88 had been forced into prostitution.",  # no period
    "In 2019, police rescued 12 migrants in the back of a truck.",  # not something the library counts
])
def test_numbers_that_are_not_claims(sentence):
    assert claims.extract_claims(sentence, language="en", jurisdiction="BE") == []
