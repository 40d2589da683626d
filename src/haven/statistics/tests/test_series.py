"""Published series: a confirmed claim becomes a point that links back to its quote."""

import pytest
from django.urls import reverse

from haven.library import services
from haven.library.models import Claim
from haven.statistics.models import Series, SeriesPoint
from haven.statistics.services import publish_claim, withdraw_claim


@pytest.fixture
def claims(db, tmp_path):
    page = ("Trafficking statistics\n\nIn 2021, 300 trafficking cases were registered in Belgium. "
            "In 2022, 350 trafficking cases were registered in Belgium.\n")
    services.import_files([("stats.txt", page.encode())])
    return list(Claim.objects.order_by("value"))


def test_points_of_one_series(claims):
    first, second = (publish_claim(c) for c in claims)
    assert first.series == second.series
    series = first.series
    assert (series.measure, series.unit, series.jurisdiction.code) == ("trafficking cases registered", "cases", "BE")
    assert [p.period_label for p in series.points.all()] == ["2021", "2022"]
    assert publish_claim(claims[0]).pk == first.pk  # publishing twice changes nothing
    assert SeriesPoint.objects.count() == 2


def test_withdrawing_the_last_point_removes_the_series(claims):
    for claim in claims:
        publish_claim(claim)
    withdraw_claim(claims[0])
    assert Series.objects.get().points.count() == 1
    withdraw_claim(claims[1])
    assert not Series.objects.exists()


def test_public_pages_and_api_link_back_to_the_quote(client, claims):
    point = publish_claim(claims[1])
    html = client.get(reverse("statistics-series-detail", args=[point.series.slug])).content.decode()
    assert f"/library/sources/{claims[1].source_id}/#claim-{claims[1].pk}" in html
    assert "In 2022, 350 trafficking cases were registered in Belgium." in html
    data = client.get(f"/api/v1/statistics/series/{point.series.slug}/").json()
    assert data["points"][0]["value"] == "350.0000"
    assert data["points"][0]["quote"] == claims[1].quote
    assert client.get("/api/v1/statistics/series/?jurisdiction=NL").json()["count"] == 0
