"""The officer's work queue: the investigations of their organisation, on the home page."""

from django.urls import reverse

from .test_web import chain, investigation, signed_in  # noqa: F401  (fixtures)


def test_the_officers_home_page_links_their_investigations(chain, investigation):  # noqa: F811
    page = signed_in(chain.officer).get("/")
    assert page.status_code == 200
    assert reverse("justice:investigation", args=[investigation.pk]).encode() in page.content
    assert investigation.file_number.encode() in page.content
