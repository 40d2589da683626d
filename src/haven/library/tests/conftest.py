"""Fixtures of the library's tests: the five seed pages (../shared/seeds beside the repository,
or HAVEN_SEEDS_DIR) and small pages in French, Dutch and German written for the tests."""

from pathlib import Path

import pytest

from haven.library.tests.seeds import find_seeds
from haven.library.tests.seeds import seed_paths as paths_in


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    found = find_seeds()
    if found is None:
        pytest.fail("The seeds are missing: expected ../shared/seeds beside the repository (or set HAVEN_SEEDS_DIR)")
    return found


@pytest.fixture(scope="session")
def seed(seeds_dir):
    """``seed("000")`` → the path of that seed."""

    def find(prefix: str) -> Path:
        return next(seeds_dir.glob(f"{prefix}_*"))

    return find


@pytest.fixture(scope="session")
def seed_paths(seeds_dir) -> list[Path]:
    paths = paths_in(seeds_dir)
    assert len(paths) == 5
    return paths


@pytest.fixture
def library(db, request, seed_paths, preloaded):
    """The five seeds, imported once per test database into the empty database (haven/conftest.py);
    returns that import's report."""
    from haven.library.services import link_helplines

    if {"belgium", "netherlands"} & set(request.fixturenames):
        link_helplines()  # as when the profile was loaded before the seeds: the directory knows the numbers
    return preloaded["library"].result


FRENCH_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>La traite des êtres humains en Belgique</title></head>
<body>
<h1>La traite des êtres humains en Belgique</h1>
<p>En 2021, 1 234 victimes de la traite ont été identifiées par les centres spécialisés.</p>
<p>Chaque victime est accompagnée par un centre d'accueil et reçoit une aide juridique.</p>
<p>La mendicité forcée et l'exploitation économique restent des formes fréquentes de la traite.</p>
</body></html>
"""

DUTCH_PAGE = """Mensenhandel in Nederland

In 2020 werden 1.250 slachtoffers van mensenhandel geregistreerd door het Coördinatiecentrum.

De meeste meldingen betreffen seksuele uitbuitingen en arbeidsuitbuiting in de landbouw en de bouw.

Ongeveer driehonderd zaken werden vervolgd door het Openbaar Ministerie.
"""

GERMAN_PAGE = """Menschenhandel in Deutschland

Im Jahr 2019 wurden 1.234 Opfer von Menschenhandel von der Polizei ermittelt.

Die Opfer wurden vor allem zur sexuellen Ausbeutung und zur Zwangsarbeit gezwungen.

Zwischen 2015 und 2019 wurden durchschnittlich dreihundertfünfzig Verfahren pro Jahr eingeleitet.
"""
