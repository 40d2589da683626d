"""Importing the seeds: counts, idempotence, merging shared sources, helplines, malformed input."""

from pathlib import Path

import pytest
from django.apps import apps
from django.test import override_settings

from haven.library import services
from haven.library.models import Appearance, Claim, Excerpt, Helpline, Merge, MergeKind, Page, Source

SHARED = {
    "Squalid road that leads to Belgium - Children are being lured from poverty to horror in the heart of Europe",
    "Concluding Observations of the Committee on the Rights of the Child (CRC)",
    "Sex Trafficking In Belgium, April 2003",
    "The Protection Project - Belgium",
    "2005 Country Reports on Human Rights Practices",
}


def snapshot():
    """Every row of every library and statistics table."""
    rows = {}
    for model in [*apps.get_app_config("library").get_models(), *apps.get_app_config("statistics").get_models()]:
        rows[model.__name__] = sorted(model.objects.values_list(flat=False))
    return rows


def test_importing_the_five_seeds_reports_the_counts(library):
    counts = library.as_json()
    assert {key: counts[key] for key in services.REPORT_KEYS} == {
        "pages": 5, "entries": 11 + 1 + 14 + 1 + 1, "sources": 28 - 5, "merged": 5, "claims": 13, "helplines": 3}
    assert counts["imported"] == 5 and counts["failed"] == 0
    assert counts["new"]["pages"] == 5


def test_importing_again_reports_the_same_counts_and_changes_nothing(library, seed_paths):
    before = snapshot()
    again = services.import_paths(seed_paths).as_json()
    first = library.as_json()
    assert {k: again[k] for k in services.REPORT_KEYS} == {k: first[k] for k in services.REPORT_KEYS}
    assert again["unchanged"] == 5 and again["imported"] == 0
    assert set(again["new"].values()) == {0}
    assert snapshot() == before


def test_the_entries_of_seeds_000_and_002(library, seed):
    for prefix, count in (("000", 11), ("002", 14)):
        page = Page.objects.get(name=seed(prefix).name)
        assert page.appearances.count() == count
        assert page.kind == "curated"


def test_sources_shared_by_the_two_pages_are_merged(library, seed):
    pages = [Page.objects.get(name=seed(p).name) for p in ("000", "002")]
    shared = Source.objects.filter(appearances__page=pages[0]).filter(appearances__page=pages[1]).distinct()
    assert set(shared.values_list("title", flat=True)) == SHARED
    for source in shared:
        places = list(source.appearances.order_by("page__imported_at").values_list("page__name", "position"))
        assert [name for name, _ in places] == [seed("000").name, seed("002").name]
    merges = Merge.objects.filter(kind=MergeKind.SOURCE)
    assert set(merges.values_list("source__title", flat=True)) == SHARED
    # Different reports of the same series are not merged.
    assert Source.objects.filter(title__contains="Country Reports on Human Rights Practices").count() == 4


def test_every_place_keeps_the_excerpt_as_that_page_quoted_it(library, seed):
    observer = Source.objects.get(title__startswith="Squalid road")
    first, second = observer.appearances.order_by("page__imported_at")
    quoted_000 = first.excerpts.get().text
    quoted_002 = second.excerpts.get().text
    assert "European centre for the trade" in quoted_000
    assert "European center for the trade" in quoted_002
    # "centre"/"center", and a longer and a shorter quote: recognised as the same passage.
    assert second.excerpts.get().duplicate_of == first.excerpts.get()
    merge = Merge.objects.get(kind=MergeKind.EXCERPT, excerpt=second.excerpts.get())
    assert merge.containment >= 0.6
    sex = Source.objects.get(title="Sex Trafficking In Belgium, April 2003")
    later = sex.appearances.order_by("page__imported_at").last()
    assert [e.duplicate_of is not None for e in later.excerpts.all()] == [True, True]
    # The 2005 reports quote different passages: nothing is merged between them.
    report = Source.objects.get(title="2005 Country Reports on Human Rights Practices")
    assert not Excerpt.objects.filter(appearance__source=report, duplicate_of__isnull=False).exists()


def test_topics_are_the_union_of_both_pages(library):
    protection = Source.objects.get(title="The Protection Project - Belgium")
    assert {"sexual_exploitation", "begging", "domestic_servitude", "forced_labour"} <= set(protection.topic_codes())
    report = Source.objects.get(title="2005 Country Reports on Human Rights Practices")
    # 000 quotes its trafficking section, 002 its section on children
    assert {"sexual_exploitation", "child_sexual_exploitation"} <= set(report.topic_codes())


def test_claims_are_stored_with_quote_position_and_source(library):
    claim = Claim.objects.get(value=451)
    assert claim.excerpt.text[claim.quote_start:claim.quote_end] == claim.quote
    assert claim.excerpt.text[claim.value_start:claim.value_end] == "451"
    assert claim.source.title == "Country Narrative on Belgium (Tier 1)"
    assert (claim.period_start.isoformat(), claim.period_end.isoformat()) == ("2006-01-01", "2006-12-31")
    assert Claim.objects.get(value=780).jurisdiction.code == "NL"
    assert Claim.objects.filter(source__title__startswith="Registered cases").count() == 4


def test_the_three_helplines_of_seed_000_go_to_the_directory(belgium, seed):
    services.import_paths([seed("000")])
    helplines = Helpline.objects.order_by("position")
    assert [(h.label, h.phone_uri) for h in helplines] == [
        ("Bruxelles", "tel:+3225116464"), ("Wallonie", "tel:+3242324030"), ("Flandre", "tel:+3232011690")]
    assert [h.service.slug for h in helplines] == ["pag-asa", "surya", "payoke"]
    assert all(h.page.name == seed("000").name for h in helplines)


def test_helplines_imported_before_the_directory_are_linked_later(db, seed):
    services.import_paths([seed("000")])
    assert not Helpline.objects.filter(service__isnull=False).exists()
    from haven.jurisdictions import profile

    profile.load("be")
    assert services.link_helplines() == 3


@pytest.fixture
def bad_files(tmp_path) -> dict[str, Path]:
    files = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 64,
        "report.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 8,
        "broken.html": b"<html><head><title>x</title></head><body><div <p <<<>>></",
        "unknown-encoding.html": ('<html><head><meta charset="x-klingon-8"></head><body><p>Victimes identifi\xe9es '
                                  'en Belgique, accompagn\xe9es par un centre.</p></body></html>').encode("latin-1"),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        line = b"Trafficking in human beings, a page that never ends.\n"
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))
    paths["huge.txt"] = big
    return paths


def test_malformed_input_fails_per_file_and_the_rest_imports(db, bad_files, seed):
    report = services.import_paths([*bad_files.values(), seed("001")])
    errors = {f.name: f.error for f in report.files if f.status == "failed"}
    assert set(errors) == set(bad_files)
    assert errors["empty.txt"] == "the file is empty"
    assert "binary" in errors["binary.txt"]
    assert "PDF" in errors["report.pdf"]
    assert "broken" in errors["broken.html"]
    assert "too large" in errors["huge.txt"] and "50.0 MB" in errors["huge.txt"]
    assert "x-klingon-8" in errors["unknown-encoding.html"] and "unknown" in errors["unknown-encoding.html"]
    assert [f.status for f in report.files if f.name == seed("001").name] == ["imported"]
    assert report.as_json()["claims"] == 6
    assert not report.all_failed


def test_a_batch_where_every_file_fails(db, bad_files):
    report = services.import_paths([bad_files["empty.txt"], bad_files["binary.txt"]])
    assert report.all_failed and report.counts["pages"] == 0
    assert Page.objects.count() == 0


def test_undeclared_legacy_encodings_are_detected(db):
    text = ("Traite des êtres humains en Belgique\n\nEn 2021, 1 234 victimes ont été identifiées par les centres "
            "spécialisés. Les victimes reçoivent une aide juridique et médicale.\n")
    report = services.import_files([("page-latin1.txt", text.encode("cp1252"))])
    assert report.files[0].status == "imported", report.files[0].error
    page = Page.objects.get()
    assert "êtres humains" in page.text
    assert Claim.objects.get().value == 1234


@override_settings(HAVEN_LIBRARY_MAX_BYTES=1000)
def test_the_size_limit_is_a_setting(db):
    report = services.import_files([("big.txt", b"Trafficking report. " * 100)])
    assert "too large" in report.files[0].error


def test_scripts_in_imported_html_are_dropped(db):
    html = (b"<html><head><title>Trafficking report</title><script>alert('head')</script></head><body>"
            b"<h1>Trafficking report</h1><p>In 2020, 42 victims were identified in Belgium.</p>"
            b"<script>document.write('x')</script><p>&lt;script&gt;alert(1)&lt;/script&gt; stays text.</p>"
            b"</body></html>")
    services.import_files([("page.html", html)])
    page = Page.objects.get()
    assert "alert('head')" not in page.text and "document.write" not in page.text
    assert "<script>alert(1)</script> stays text." in page.text  # decoded, kept as text, escaped on output
    assert Claim.objects.get().value == 42
    assert Appearance.objects.get().source.title == "Trafficking report"
