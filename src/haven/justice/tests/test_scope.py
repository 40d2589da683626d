import pytest

from haven.access.scope import get_visible_or_404, scope
from haven.justice import services
from haven.justice.models import Appeal, CaseLink, Decision, Investigation, Prosecution, SuspectCount
from haven.organisations.roles import Role

from .helpers import Chain, D


@pytest.fixture
def chain(org, member):
    return Chain(org, member)


def visible(model, user):
    return set(scope(model.objects.all(), user))


@pytest.fixture
def full(chain, org, case_of):
    investigation = chain.investigation()
    services.record_suspects(chain.officer, investigation, [{"sex": "male", "count": 2}])
    case = case_of(chain.police_org)
    services.link_case(chain.officer, investigation, case)
    decision = chain.decision(chain.prosecution(investigation))
    services.record_appeal(chain.magistrate, decision, appellant="defence", lodged=D(2024, 6, 1))
    return investigation, case


def test_the_chain_is_visible_to_its_organisations_only(chain, full, org, member):
    investigation, _ = full
    for user in (chain.officer, chain.magistrate):
        assert visible(Investigation, user) == {investigation}
        assert len(visible(Decision, user)) == len(visible(Appeal, user)) == len(visible(SuspectCount, user)) == 1
        assert len(visible(Investigation.history.model, user)) == 1
        assert len(visible(Decision.history.model, user)) == 1
    outsiders = [member(org("police-antwerpen"), Role.OFFICER), member(org("prosecutor-liege"), Role.MAGISTRATE),
                 member(org("pag-asa"), Role.CASEWORKER), member(chain.police_org, Role.ANALYST),
                 member(org("myria"), Role.ANALYST), member(org("myria"), Role.ORG_ADMIN, username="myria-admin")]
    for user in outsiders:
        for model in (Investigation, Prosecution, Decision, Appeal, SuspectCount, CaseLink,
                      Investigation.history.model, Appeal.history.model, Decision.history.model):
            assert visible(model, user) == set(), (user, model)


def test_a_justice_link_share_of_a_linked_case_admits_another_investigation(chain, full, org, member):
    investigation, case = full
    antwerp = org("police-antwerpen")
    officer = member(antwerp, Role.OFFICER)
    from haven.cases.tests.factories import share
    share(case, antwerp, {"summary", "justice"})  # e.g. seen through a referral
    other = services.open_investigation(officer, file_number="AN.1", district=chain.district, opened=D(2024, 1, 1))
    assert visible(Investigation, officer) == {other}
    services.link_case(officer, other, case)
    # The Brussels prosecutor holds a justice_link share of the case (through the first investigation):
    # it now sees Antwerp's investigation too, and so does the case's owner.
    assert get_visible_or_404(Investigation, chain.magistrate, pk=other.pk) == other
    assert visible(Investigation, chain.officer) == {investigation, other}


def test_the_centre_owning_a_linked_case_sees_the_investigation(chain, org, member, case_of):
    centre = org("pag-asa")
    caseworker = member(centre, Role.CASEWORKER)
    investigation = chain.investigation()
    case = case_of(centre)
    from haven.cases.tests.factories import share
    share(case, chain.police_org, {"summary", "facts", "justice"})  # the centre brought the complaint
    services.link_case(chain.officer, investigation, case)
    assert visible(Investigation, caseworker) == {investigation}
    assert visible(Investigation, member(org("payoke"), Role.CASEWORKER)) == set()
    services.unlink_case(chain.officer, CaseLink.objects.get(case=case))
    assert visible(Investigation, caseworker) == set()
