"""Reading the seeds: kinds, entries, page-level facts (written from reading the seeds)."""

import pytest

from haven.library import parsing, textio


def parse(path):
    document = textio.read_bytes(path.name, path.read_bytes())
    return parsing.parse(document.text, name=path.name)


@pytest.fixture(scope="module")
def pages(seed):
    return {prefix: parse(seed(prefix)) for prefix in ("000", "001", "002", "003", "004")}


def test_each_seed_is_recognised_as_its_kind(pages):
    assert {k: p.kind for k, p in pages.items()} == {
        "000": "curated", "001": "narrative", "002": "curated", "003": "profile", "004": "statistics"}


def test_seed_000_has_eleven_entries(pages):
    titles = [e.title for e in pages["000"].entries]
    assert titles == [
        "Squalid road that leads to Belgium - Children are being lured from poverty to horror in the heart of Europe",
        "2020 Country Reports on Human Rights Practices: Belgium",
        "Freedom House Country Report",
        "Research based on case studies of victims of trafficking in human beings in 3 EU Member States, "
        "i.e. Belgium, Italy and The Netherlands",
        "National Projects - Studies",
        "Sex Trafficking In Belgium, April 2003",
        "Concluding Observations of the Committee on the Rights of the Child (CRC)",
        "Human Rights Overview by Human Rights Watch – Defending Human Rights Worldwide",
        "The Protection Project - Belgium",
        "2017 Country Reports on Human Rights Practices",
        "2005 Country Reports on Human Rights Practices",
    ]


def test_seed_002_has_fourteen_entries(pages):
    entries = pages["002"].entries
    assert len(entries) == 14
    assert entries[6].title == "Five Years After Stockholm"
    assert entries[6].alt_titles == ["ECPAT: Fifth Report on implementation of the Agenda for Action"]
    assert entries[6].medium == ["PDF", "DOC"]
    assert entries[11].title == "Trafficking in Children for Sexual Purposes"
    assert entries[11].notes == [
        "At one time this article had been archived and may possibly still be accessible [here]"]
    assert entries[11].issue == "33" and entries[11].issued.iso() == "2000-12-01"


def test_entry_fields_as_precise_as_stated(pages):
    entries = pages["000"].entries
    observer = entries[0]
    assert observer.creators == [{"family": "Osborne", "given": "Andrew"}]
    assert observer.container == "The Observer"
    assert observer.issued.iso() == "2001-06-24"
    assert observer.section == "current"
    research = entries[3]
    assert research.medium == ["PDF"] and research.page_ref == "397"
    assert [a["date"] for a in research.accessed] == ["2011-01-22", "2017-05-28"]
    assert [c["family"] for c in research.creators] == ["Moens", "Orfano", "Hopkins", "Nijboer"]
    assert research.section == "archives"
    assert research.excerpts[0].text.startswith("EXECUTIVE SUMMARY")
    assert entries[4].accessed == [{"text": "access date unavailable", "date": None}]
    assert entries[8].accessed == [{"text": "accessed 2009", "date": "2009"}]
    assert entries[8].medium == ["DOC"]
    assert entries[2].edition == "2020 Edition" and entries[2].issued.year == 2020
    assert entries[5].issued.iso() == "2003-04"  # "Sex Trafficking In Belgium, April 2003"
    assert entries[10].issued.iso() == "2006-03-08"  # "March 8, 2006"
    assert entries[7].excerpts == []  # Human Rights Watch: listed without an excerpt
    amnesty = pages["002"].entries[10]
    assert [a["date"] for a in amnesty.accessed] == ["2011-04-05", "2016-10-30"]
    assert amnesty.issued.iso() == "2004-05-26" and amnesty.publisher == "Amnesty International"


def test_page_level_facts_are_kept_apart(pages):
    page = pages["000"]
    assert page.title == "Human Trafficking & Modern-day Slavery - Belgium"
    assert page.citation_author == "Patt, Prof. Martin"
    assert page.caution.startswith("CAUTION:  The following links") or page.caution.startswith("CAUTION: The following")
    assert page.country == "BE"
    attributions = [q.attribution for q in page.quotes]
    assert attributions == ["The World Factbook, U.S.C.I.A. 2009"] * 3 + [
        "U.S. State Dept Trafficking in Persons Report, June, 2009"]
    assert not any("Description" in q.text for q in page.quotes)
    assert pages["002"].title == "Child Prostitution - Belgium"


def test_the_three_regional_helplines_of_seed_000(pages):
    helplines = [(h.label, h.phone, h.calling_code) for h in pages["000"].helplines]
    assert helplines == [("Bruxelles", "02/511.64.64", "32"), ("Wallonie", "04/232.40.30", "32"),
                         ("Flandre", "03/201.16.90", "32")]
    # The helplines are page facts, not an entry.
    assert not any("HELP" in e.title for e in pages["000"].entries)
    assert pages["002"].helplines == []


def test_tip_narrative_is_one_source_with_its_sections(pages):
    page = pages["001"]
    assert len(page.entries) == 1
    entry = page.entries[0]
    assert entry.title == "Country Narrative on Belgium (Tier 1)"
    assert entry.container == "Trafficking in Persons Report 2008" and entry.issued.year == 2008
    assert entry.url == "http://www.state.gov/g/tip/rls/tiprpt/2008/"
    headings = list(dict.fromkeys(e.heading for e in entry.excerpts))
    assert headings == ["", "Recommendations for Belgium", "Prosecution", "Protection", "Prevention"]
    # The PDF's hard wrapping is undone: a sentence runs across the original line breaks.
    assert any("the government prosecuted 451 trafficking cases." in e.text for e in entry.excerpts)


def test_statistics_page_citation_forms_are_parsed_not_excerpts(pages):
    page = pages["004"]
    styles = [form["style"] for form in page.citation_forms]
    assert styles == ["apa", "chicago", "harvard", "mla", "bluebook", "ieee"]
    entry = page.entries[0]
    assert entry.title == "Registered cases of human trafficking in Belgium from 2008 to 2022"
    assert entry.creators == [{"literal": "Federal Police Belgium"}]
    assert entry.container == "Statista" and entry.issued.iso() == "2023-09-29"
    assert entry.accessed == [{"text": "November 10, 2024", "date": "2024-11-10"}]
    assert entry.url == "https://www.statista.com/statistics/535216/human-trafficicking-in-belgium/"
    texts = " ".join(e.text for e in entry.excerpts)
    assert "Retrieved" not in texts and "shared account" not in texts and "http" not in texts
    assert page.scope == (2008, 2022)


def test_country_profile(pages):
    entry = pages["003"].entries[0]
    assert pages["003"].country == "BE"
    assert [e.heading for e in entry.excerpts][:1] == ["Trends in human trafficking"]
    assert any(e.text.startswith("• The Service for Criminal Policy") for e in entry.excerpts)


def test_spelling_variants_fold_together():
    assert parsing.title_key("European centre of labour") == parsing.title_key("European center of labor")
    assert parsing.unproxy("https://www-statista-com.ezproxy.example.edu/x") == "https://www.statista.com/x"
