from pathlib import Path

import pytest
import yaml

from haven.directory.models import SupportService
from haven.jurisdictions import profile
from haven.jurisdictions.models import CentreRoute, JudicialDistrict, Jurisdiction, MagistrateRoute, Region
from haven.jurisdictions.routing import NoRoute, competent_magistrate, route
from haven.organisations.models import Organisation

MODELS = [Jurisdiction, Region, JudicialDistrict, Organisation, CentreRoute, MagistrateRoute, SupportService]


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loading_twice_duplicates_nothing(db):
    first = profile.load("be")
    counts = row_counts()
    second = profile.load("be")
    assert row_counts() == counts
    assert first["organisations"] == {"created": counts["Organisation"]}
    assert all(set(report) == {"unchanged"} for report in second.values()), second
    assert counts["Region"] == 4 and counts["SupportService"] == 7


def test_the_profile_has_the_organisations_of_the_design(belgium):
    slugs = set(Organisation.objects.filter(jurisdiction=belgium).values_list("slug", flat=True))
    assert {"payoke", "pag-asa", "surya", "esperanto", "myria", "immigration-office-thb", "police-central-thb",
            "icp", "social-law-inspection", "guardianship-service"} <= slugs
    prosecutors = Organisation.objects.filter(jurisdiction=belgium, kind="prosecution")
    assert prosecutors.count() >= 3
    assert belgium.legal_test == "act_purpose"


@pytest.mark.parametrize(("region", "centre"), [("flanders", "payoke"), ("brussels", "pag-asa"),
                                                ("wallonia", "surya")])
def test_a_region_routes_adults_to_its_centre(belgium, region, centre):
    routing = route(belgium.regions.get(code=region), minor=False)
    assert routing.centre.slug == centre
    assert routing.guardianship is None


@pytest.mark.parametrize("region", ["flanders", "brussels", "wallonia"])
def test_minors_go_to_the_child_centre_and_the_guardianship_service(belgium, region):
    routing = route(belgium.regions.get(code=region), minor=True)
    assert routing.centre.slug == "esperanto"
    assert routing.guardianship.slug == "guardianship-service"


def test_the_dutch_profile_routes_through_its_own_data(netherlands):
    routing = route(netherlands.regions.get(code="national"), minor=False)
    assert routing.centre.slug == "cosm"
    assert netherlands.legal_test == "act_means_purpose"


def test_a_region_without_routes_falls_back_to_national(belgium):
    extra = Region.objects.create(jurisdiction=belgium, code="ostbelgien", name={"en": "East Belgium"})
    assert route(extra, minor=False).centre.slug == "pag-asa"


def test_every_district_routes_to_its_magistrate_and_labour_to_the_labour_auditor(belgium, netherlands):
    for district in JudicialDistrict.objects.filter(jurisdiction=belgium):
        prosecutor = competent_magistrate(district, {"sexual"})
        auditor = competent_magistrate(district, {"sexual", "labour"})
        assert prosecutor.kind == auditor.kind == "prosecution" and prosecutor != auditor, district.code
        assert prosecutor.slug.startswith("prosecutor-") and auditor.slug.startswith("labour-auditor-")
        assert competent_magistrate(district, ()) == prosecutor
    antwerp = belgium.districts.get(code="antwerpen")
    assert competent_magistrate(antwerp, {"labour"}).slug == "labour-auditor-antwerpen"
    assert competent_magistrate(belgium.districts.get(code="namur"), {"labour"}).slug == "labour-auditor-liege"
    for district in JudicialDistrict.objects.filter(jurisdiction=netherlands):
        assert competent_magistrate(district, {"labour"}).slug == "om"  # the OM for every form
    MagistrateRoute.objects.filter(district=antwerp).delete()
    with pytest.raises(NoRoute, match="antwerpen"):
        competent_magistrate(antwerp, {"labour"})


def test_no_route_is_an_error_not_a_guess(db):
    jurisdiction = Jurisdiction.objects.create(code="XX", name={"en": "Nowhere"}, legal_test="act_purpose",
                                               phone_region="BE", profile_version="1")
    lonely = Region.objects.create(jurisdiction=jurisdiction, code="lonely", name={"en": "Lonely"})
    with pytest.raises(NoRoute, match="lonely"):
        route(lonely, minor=False)


def broken_profile(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load((profile.PROFILES_DIR / "be.yaml").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _unknown_region(data):
    data["organisations"][1]["region"] = "atlantis"


def _bad_phone(data):
    data["support_services"][2]["phone"] = "02/511.64"


def _unknown_kind(data):
    data["organisations"][0]["kind"] = "vigilantes"


def _address(data):
    data["support_services"][1]["address"] = "Rue Secrète 1, 1000 Bruxelles"


def _magistrate_of_an_unknown_district(data):
    data["magistrates"][0]["district"] = "atlantis"


def _magistrate_who_is_not_a_prosecutor(data):
    data["magistrates"][0]["organisation"] = "payoke"


def _two_default_magistrates(data):
    data["magistrates"].append({"district": "antwerpen", "organisation": "prosecutor-brussels"})


def _misspelt_form(data):
    data["magistrates"][1]["forms"] = ["labor"]


@pytest.mark.parametrize(("mutate", "message"), [
    (_unknown_region, "organisation 'pag-asa': unknown region 'atlantis'"),
    (_bad_phone, "support service 'surya': malformed phone number '02/511.64'"),
    (_unknown_kind, "organisation 'payoke': unknown kind 'vigilantes'"),
    (_address, "support service 'pag-asa': the public directory never holds an address"),
    (_magistrate_of_an_unknown_district, "magistrates[0]: unknown district 'atlantis'"),
    (_magistrate_who_is_not_a_prosecutor, "magistrates[0]: organisation 'payoke' is not a prosecution office"),
    (_two_default_magistrates, "magistrates[20]: repeats the route of magistrates[0] for district 'antwerpen'"),
    (_misspelt_form, "magistrates (district 'antwerpen'): unknown form(s) of exploitation: labor"),
])
def test_bad_input_names_the_record_and_changes_nothing(db, tmp_path, mutate, message):
    path = broken_profile(tmp_path, mutate)
    with pytest.raises(profile.ProfileError) as error:
        profile.load(path)
    assert message in str(error.value)
    assert set(row_counts().values()) == {0}


def test_bad_input_leaves_a_loaded_profile_as_it_was(belgium, tmp_path):
    before = row_counts()
    names = dict(Organisation.objects.values_list("slug", "name"))

    def rename_then_break(data):
        data["organisations"][0]["name"] = "Renamed"
        _bad_phone(data)

    with pytest.raises(profile.ProfileError):
        profile.load(broken_profile(tmp_path, rename_then_break))
    assert row_counts() == before
    assert dict(Organisation.objects.values_list("slug", "name")) == names


def test_unknown_sections_and_files_are_refused(db, tmp_path):
    with pytest.raises(profile.ProfileError, match="unknown section"):
        profile.load(broken_profile(tmp_path, lambda data: data.update(hacks=[])))
    with pytest.raises(profile.ProfileError, match="no such profile"):
        profile.load(tmp_path / "missing.yaml")
    garbage = tmp_path / "garbage.yaml"
    garbage.write_text("- just\n- a list\n")
    with pytest.raises(profile.ProfileError, match="mapping"):
        profile.load(garbage)
