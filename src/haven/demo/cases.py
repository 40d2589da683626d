"""Generate realistic demo cases through the same service functions people use.

Who the victims are (sex and age band by form of exploitation) follows the CTDC data
(``ctdc_distributions.json``); everything else follows the jurisdiction's scenario in
``scenarios.yaml`` (figures from the Belgian seeds). The path through the victim-status
procedure is a walk over the actions the jurisdiction's profile allows at each state, weighted
by the scenario's ``walk`` table: the generator knows no Belgian or Dutch rule, so a case can
only ever do what the profile permits. Every step is dated; a case whose next step would fall
after today stays where it is, which gives the demo open deadlines and overdue work.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction

from haven.cases.actions import Refused, closure, procedure, referrals, screening, signals, support
from haven.cases.actions.common import today
from haven.jurisdictions.models import JudicialDistrict, Jurisdiction
from haven.justice import services as justice
from haven.justice.models import Outcome
from haven.organisations.models import Membership, Organisation
from haven.organisations.roles import OrganisationKind, Role

from . import ctdc

SCENARIOS = Path(__file__).resolve().parent / "scenarios.yaml"

# The role a generated staff member holds in each kind of organisation.
STAFF_ROLE = {
    OrganisationKind.RECEPTION_CENTRE: Role.CASEWORKER,
    OrganisationKind.CHILD_CENTRE: Role.CASEWORKER,
    OrganisationKind.GUARDIANSHIP: Role.GUARDIAN,
    OrganisationKind.POLICE: Role.OFFICER,
    OrganisationKind.SOCIAL_INSPECTION: Role.INSPECTOR,
    OrganisationKind.PROSECUTION: Role.MAGISTRATE,
    OrganisationKind.IMMIGRATION_OFFICE: Role.IMMIGRATION_OFFICER,
    OrganisationKind.OTHER_NGO: Role.CASEWORKER,
    OrganisationKind.COORDINATION: Role.CASEWORKER,
}
# Synthetic names in the script people of that citizenship would give.
NAME_LOCALES = {"NG": "en_NG", "RO": "ro_RO", "BG": "bg_BG", "CN": "zh_CN", "RU": "ru_RU", "MA": "fr_FR",
                "IN": "en_IN", "BR": "pt_BR", "VN": "vi_VN", "UA": "uk_UA", "BE": "nl_BE", "NL": "nl_NL",
                "PL": "pl_PL", "HU": "hu_HU"}
AGE_YEARS = {"0--8": (4, 8), "9--17": (13, 17), "18--20": (18, 20), "21--23": (21, 23), "24--26": (24, 26),
             "27--29": (27, 29), "30--38": (30, 38), "39--47": (39, 47), "48+": (48, 60)}
SUSPECT_AGE = {"0--29": ["18-24", "25-34"], "30--38": ["25-34", "35-44"], "39--47": ["35-44", "45-54"],
               "48+": ["45-54", "55+"]}


def scenarios() -> dict:
    return yaml.safe_load(SCENARIOS.read_text(encoding="utf-8"))


def _pick(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


@dataclass
class Generator:
    jurisdiction: Jurisdiction
    scenario: dict
    rng: random.Random
    today: datetime.date = field(default_factory=today)
    counts: Counter = field(default_factory=Counter)
    _staff: dict = field(default_factory=dict)
    _tried_justice: set = field(default_factory=set)
    _supported: set = field(default_factory=set)  # cases whose support plan was made

    def __post_init__(self):
        from faker import Faker

        self.fakers = {}
        self.Faker = Faker
        data = ctdc.bundled()
        self.victims = {}
        for form, sex, age, count in data["victims"]:
            self.victims.setdefault(form, []).append(((sex, age), count))
        self.perpetrators = [((sex, age), count) for sex, age, count in data["perpetrators"]]
        self.organisations = list(Organisation.objects.filter(jurisdiction=self.jurisdiction, active=True)
                                  .select_related("region"))

    # --- people and organisations -----------------------------------------------------------

    def staff(self, organisation):
        """A generated staff member of ``organisation`` (no usable password: nobody signs in as it)."""
        if organisation.pk not in self._staff:
            user, created = get_user_model().objects.get_or_create(
                username=f"demo-staff-{self.jurisdiction.code}-{organisation.slug}".lower(),
                defaults={"first_name": "Staff", "last_name": organisation.name[:150]})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(user=user, organisation=organisation,
                                             defaults={"role": STAFF_ROLE.get(organisation.kind, Role.CASEWORKER)})
            self._staff[organisation.pk] = user
        return self._staff[organisation.pk]

    def organisation(self, kind: str, region=None):
        of_kind = [o for o in self.organisations if o.kind == kind]
        local = [o for o in of_kind if region is not None and o.region_id == region.pk]
        return self.rng.choice(local or of_kind) if of_kind else None

    def person(self, citizenship: str, sex: str, age_band: str, detected_on: datetime.date) -> dict:
        locale = NAME_LOCALES.get(citizenship, "en_US")
        fake = self.fakers.setdefault(locale, self.Faker(locale))
        fake.seed_instance(self.rng.random())
        given = fake.first_name_female() if sex == "female" else fake.first_name_male()
        low, high = AGE_YEARS[age_band]
        birth = detected_on - datetime.timedelta(days=self.rng.randint(low * 365, high * 365 + 364))
        return {"given_names": given, "family_name": fake.last_name(), "sex": sex, "birth_date": birth,
                "citizenships": [citizenship]}

    def victim(self, form: str):
        rows = self.victims.get(form) or self.victims["labour"]  # begging, crime…: as labour in CTDC
        return self.rng.choices([r[0] for r in rows], weights=[r[1] for r in rows])[0]

    # --- one case ---------------------------------------------------------------------------

    def later(self, day: datetime.date, action: str) -> datetime.date:
        low, high = (self.scenario.get("delays") or {}).get(action, [3, 30])
        return day + datetime.timedelta(days=self.rng.randint(low, high))

    def create_case(self):
        s, rng = self.scenario, self.rng
        first = datetime.date(s["first_year"], 1, 1)
        span = max((self.today - first).days - 7, 1)
        detected = first + datetime.timedelta(days=rng.randrange(span))
        form = _pick(rng, s["forms"])
        sector = ""
        if form == "domestic_servitude":
            form, sector = "labour", "T"  # households as employers
        elif form == "labour":
            sector = _pick(rng, s["labour_sectors"])
        sex, age_band = self.victim(form)
        minor = age_band in ("0--8", "9--17")
        region = self.jurisdiction.regions.get(code=_pick(rng, s["regions"]))
        detector = self.organisation(_pick(rng, s["detected_by"]), region)
        actor = self.staff(detector)
        case = signals.record_signal(
            actor, detector, detected_on=detected, region=region, exploitation_forms={form}, sector=sector,
            minor=minor, unaccompanied=minor and rng.random() < s["unaccompanied_share_of_minors"],
            person=self.person(_pick(rng, s["citizenships"]), sex, age_band, detected), on=detected)
        self.counts["cases"] += 1
        self.screen(actor, case, form, detected)
        day = detected
        crew = [actor]
        for action in s.get("first_actions") or []:
            day = self.step(crew, case, action, day) or day
        day = self.refer(actor, case, crew, day)
        if day is not None:
            self.walk(crew, case, day)
        case.refresh_from_db()
        self.counts[f"state:{case.state}"] += 1
        return case

    def screen(self, actor, case, form, day):
        the_set = screening.indicator_set(form, case.minor)
        chosen = self.rng.sample([i.id for i in the_set.indicators], k=self.rng.randint(3, 10))
        screening.screen(actor, case, chosen, form=form, on=day,
                         legal_elements={"act": True, "purpose": True, "means": self.rng.random() < 0.7})
        self.counts["screenings"] += 1

    def refer(self, actor, case, crew, day):
        """Refer to the competent centre; the person accepts assistance or not (seed 001: 176 of 619)."""
        day = self.later(day, "refer")
        if day > self.today:
            return None
        made = referrals.route_case(actor, case, consent="overridden" if case.minor else "given",
                                    override_reason="child: referral in the child's best interest"
                                    if case.minor else "", on=day)
        self.counts["referrals"] += len(made)
        if not made:  # detected by the competent centre itself: it takes the person in directly
            intake = procedure.spec_for(case.jurisdiction).intake_action
            return self.step(crew, case, intake, day) if intake else day
        accepted = case.minor or self.rng.random() < self.scenario["accepts_assistance"]
        for referral in made:
            answer = self.later(day, "answer_referral")
            if answer > self.today:
                return None  # still waiting for an answer: an open referral deadline
            staff = self.staff(referral.to_organisation)
            if accepted:
                referrals.accept_referral(staff, referral, on=answer)
                crew.append(staff)
            else:
                referrals.decline_referral(staff, referral, "The person declined assistance.", on=answer)
                self.counts["declined"] += 1
                closed = self.later(answer, "close")
                if self.rng.random() < self.scenario["closed_after_decline"] and closed <= self.today:
                    closure.close_case(actor, case, "no_contact", on=closed)
                return None
            day = answer
        return day

    def step(self, crew, case, action, day, **params):
        """Apply ``action`` as the first crew member allowed to; the step's date, or None."""
        on = self.later(day, action)
        if on > self.today:
            return None
        for actor in crew:
            try:
                procedure.apply_transition(actor, case, action, on=on, **params)
            except Refused:
                continue
            case.refresh_from_db()
            self.counts["steps"] += 1
            return on
        return None

    def walk(self, crew, case, day):
        weights_by_state = self.scenario["walk"]
        for _ in range(40):  # renewals can repeat; a case has at most this many steps
            case.refresh_from_db()
            weights = dict(weights_by_state.get(case.state) or {})
            if not weights:
                return
            names = {o.action: o for actor in crew for o in procedure.options(actor, case) if o.allowed}
            if "justice_grounds" in weights and case.pk not in self._tried_justice:
                self._tried_justice.add(case.pk)
                if self.rng.random() < self.scenario["conviction_share"]:
                    day = self.convict(crew, case, day) or day
                    names = {o.action: o for actor in crew for o in procedure.options(actor, case) if o.allowed}
            weights.pop("justice_grounds", None)
            choices = {a: w for a, w in weights.items() if a == "stay" or a in names}
            action = _pick(self.rng, choices) if choices else "stay"
            if action == "stay":
                return
            option = names[action]
            params = {name: self.rng.choice(values) for name, values in (option.params or {}).items()}
            if action == "close":
                next_day = self.later(day, action)
                if next_day > self.today:
                    return
                closure.close_case(crew[-1], case, params.get("reason", "other"), on=next_day)
                self.counts["steps"] += 1
                return
            next_day = self.step(crew, case, action, day, **params)
            if next_day is None:
                return
            day = next_day
            if action in (self.scenario.get("services_after") or []) and case.pk not in self._supported:
                self._supported.add(case.pk)
                self.services(crew[-1], case, day)

    def services(self, actor, case, day):
        for kind in ("shelter", "psychological", "legal", "administrative"):
            if kind != "shelter" and self.rng.random() < 0.4:
                continue
            try:
                support.add_service(actor, case, kind, planned_start=day, actual_start=day, on=day,
                                    shelter_address="(secret address, generated)" if kind == "shelter" else "")
                self.counts["services"] += 1
            except Refused:
                return

    def convict(self, crew, case, day):
        """Open and link an investigation, prosecute and convict, so that the profile's justice
        condition holds; returns the decision's date."""
        decided = self.later(day, "conviction")
        if decided > self.today:
            return None
        police = next((m.organisation for actor in crew for m in actor.memberships.all()
                       if m.organisation.kind == OrganisationKind.POLICE), None)
        if police is None:  # the centre brings the complaint to the police, which then sees the case
            police = self.organisation(OrganisationKind.POLICE, case.region)
            referral = referrals.refer(crew[-1], case, police, kind="assignment", purpose="other", on=day)
            referrals.accept_referral(self.staff(police), referral, on=day)
        office = self.organisation(OrganisationKind.PROSECUTION, case.region)
        district = (JudicialDistrict.objects.filter(region=case.region).first()
                    or JudicialDistrict.objects.filter(jurisdiction=self.jurisdiction).first())
        if not (police and office and district):
            return None
        officer, magistrate = self.staff(police), self.staff(office)
        opened = case.detected_on
        with transaction.atomic():
            investigation = justice.open_investigation(
                officer, file_number=f"{district.code.upper()[:3]}.{opened:%y}.{case.pk:06d}", district=district,
                opened=opened, police_unit=police, prosecution_office=office, forms=case.form_set)
            justice.record_suspects(officer, investigation, self.suspects())
            justice.link_case(officer, investigation, case)
            prosecution = justice.open_prosecution(magistrate, investigation, opened=day, charges=["thb"])
            months = self.rng.choice([12, 18, 24, 30, 36, 48, 60])
            justice.record_decision(magistrate, prosecution, court=f"Criminal court, {district}", date=decided,
                                    outcome=Outcome.CONVICTION, thb_convicted=True, sentence_months=months,
                                    suspended_months=self.rng.choice([0, 0, months // 2]))
        self.counts["convictions"] += 1
        return decided

    def suspects(self) -> list[dict]:
        rows = []
        for _ in range(self.rng.randint(1, 3)):
            (sex, age), = self.rng.choices([p[0] for p in self.perpetrators],
                                           weights=[p[1] for p in self.perpetrators])
            rows.append({"sex": sex, "age_band": self.rng.choice(SUSPECT_AGE[age]), "count": 1,
                         "role": self.rng.choice(["recruiter", "exploiter", "organiser", "transporter"])})
        return rows


def generate(*, cases: dict[str, int] | None = None, seed: int = 20261124) -> dict:
    """Generate demo cases per jurisdiction (``{"BE": 240, "NL": 60}``; default: the scenarios' numbers).

    The same seed on the same day gives the same cases. Returns counts of what was made.
    """
    rng = random.Random(seed)
    totals: Counter = Counter()
    for code, scenario in scenarios().items():
        number = (cases or {}).get(code, scenario["cases"]) if cases is not None else scenario["cases"]
        jurisdiction = Jurisdiction.objects.filter(code=code).first()
        if jurisdiction is None or not number:
            continue
        generator = Generator(jurisdiction, scenario, rng)
        for _ in range(number):
            generator.create_case()
        totals.update({f"{code}:{key}": value for key, value in generator.counts.items()})
    return dict(sorted(totals.items()))
