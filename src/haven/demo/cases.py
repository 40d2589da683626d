"""Generate realistic demo cases through the same service functions people use.

Who the victims are (sex and age band by form of exploitation) follows the CTDC data
(``ctdc_distributions.json``); everything else follows the jurisdiction's scenario in
``scenarios.yaml`` (figures from the Belgian seeds). The path through the victim-status
procedure is a walk over the actions the jurisdiction's profile allows at each state, weighted
by the scenario's ``walk`` table: the generator knows no Belgian or Dutch rule, so a case can
only ever do what the profile permits. Every step is dated; a case whose next step would fall
after today stays where it is, which gives the demo open deadlines and overdue work.

Each organisation does its own part (ADR 0036): a document is requested by the centre, confirmed by
the magistrate the profile routes the case's judicial district and forms to, co-signed by the
child's guardian, decided and issued by the Immigration Office, each through the service its
people use and as a member of that organisation: the demo user of that organisation and role where
``haven demo`` made one, so each demo user finds the work of the generated cases in their queues.
The scenario's ``waiting`` cases are recent ones left waiting for each of them on purpose.
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
from haven.core.errors import Invalid
from haven.guardianship import services as guardianship
from haven.jurisdictions.models import JudicialDistrict, Jurisdiction
from haven.jurisdictions.routing import NoRoute, competent_magistrate
from haven.justice import services as justice
from haven.justice.models import Outcome
from haven.organisations.models import Membership, Organisation
from haven.organisations.roles import OrganisationKind, Role
from haven.residence import services as residence
from haven.residence.models import OPEN_STAGES, Stage

from . import ctdc
from .users import DEMO_USERS

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
MINOR_BANDS = ("0--8", "9--17")
# The roles of the demo users who act on cases (the others administer, analyse or edit).
ACTING_ROLES = {Role.CASEWORKER, Role.CASE_MANAGER, Role.OFFICER, Role.INSPECTOR, Role.MAGISTRATE,
                Role.IMMIGRATION_OFFICER, Role.GUARDIAN}
# What the generated requests rest on, what a refusal or a withdrawal says (synthetic, no person).
GROUNDS = ("The person left the exploiters and accepts the centre's guidance.",
           "The person made statements to the police and cooperates with the investigation.",
           "The person keeps to the guidance and has no contact with the suspects.")
REFUSALS = {
    Stage.CONFIRM: ("The person is no longer treated as a victim: the file was dismissed.",
                    "The person stopped cooperating with the investigation."),
    Stage.DECIDE: ("The identity could not be established from the documents given.",
                   "The person is a danger to public order."),
}
WITHDRAWALS = ("The person left the centre's guidance.", "The person chose to return home.")
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
    _offices: dict = field(default_factory=dict)
    _tried_justice: set = field(default_factory=set)
    _supported: set = field(default_factory=set)  # cases whose support plan was made
    _districts: dict = field(default_factory=dict)  # case pk → the judicial district it belongs to

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
        self.districts = list(JudicialDistrict.objects.filter(jurisdiction=self.jurisdiction).order_by("code"))
        self.spec = procedure.spec_for(self.jurisdiction)
        self.requests = self.scenario.get("requests") or {}

    # --- people and organisations -----------------------------------------------------------

    def staff(self, organisation):
        """Who acts for ``organisation``: its demo user (``demo.users``) when ``haven demo`` made one, so
        that person finds the organisation's work in their queues; else a generated member."""
        if organisation.pk not in self._staff:
            names = [u.username for u in DEMO_USERS if u.role in ACTING_ROLES
                     and (u.jurisdiction, u.organisation) == (self.jurisdiction.code, organisation.slug)]
            demo = (get_user_model().objects.filter(username__in=names, memberships__organisation=organisation)
                    .order_by("username").first() if names else None)
            self._staff[organisation.pk] = demo or self.office(organisation)
        return self._staff[organisation.pk]

    def office(self, organisation):
        """A generated staff member of ``organisation`` (no usable password: nobody signs in as it); the
        guardianship service's office accepts the children and appoints their guardians."""
        if organisation.pk not in self._offices:
            user, created = get_user_model().objects.get_or_create(
                username=f"demo-staff-{self.jurisdiction.code}-{organisation.slug}".lower(),
                defaults={"first_name": "Staff", "last_name": organisation.name[:150]})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(user=user, organisation=organisation,
                                             defaults={"role": STAFF_ROLE.get(organisation.kind, Role.CASEWORKER)})
            self._offices[organisation.pk] = user
        return self._offices[organisation.pk]

    def organisation(self, kind: str, region=None):
        """One organisation of ``kind`` (of ``region`` where one is); ``kind`` may also name the organisation."""
        named = [o for o in self.organisations if o.slug == kind]
        if named:
            return named[0]
        of_kind = [o for o in self.organisations if o.kind == kind]
        local = [o for o in of_kind if region is not None and o.region_id == region.pk]
        return self.rng.choice(local or of_kind) if of_kind else None

    def person(self, citizenship: str, sex: str, age_band: str, detected_on: datetime.date) -> dict:
        locale = NAME_LOCALES.get(citizenship, "en_US")
        if locale not in self.fakers:  # one Faker per locale: making one costs more than a case
            self.fakers[locale] = self.Faker(locale)
        fake = self.fakers[locale]
        fake.seed_instance(self.rng.random())
        given = fake.first_name_female() if sex == "female" else fake.first_name_male()
        low, high = AGE_YEARS[age_band]
        birth = detected_on - datetime.timedelta(days=self.rng.randint(low * 365, high * 365 + 364))
        return {"given_names": given, "family_name": fake.last_name(), "sex": sex, "birth_date": birth,
                "citizenships": [citizenship]}

    def victim(self, form: str, minor: bool | None = None, age_band: str | None = None):
        """Sex and age band as CTDC counts them for ``form``; ``minor`` or ``age_band`` narrow the draw."""
        rows = self.victims.get(form) or self.victims["labour"]  # begging, crime…: as labour in CTDC
        if age_band is not None:
            rows = [r for r in rows if r[0][1] == age_band] or [((self.rng.choice(["female", "male"]), age_band), 1)]
        elif minor is not None:
            rows = [r for r in rows if (r[0][1] in MINOR_BANDS) == minor] or rows
        return self.rng.choices([r[0] for r in rows], weights=[r[1] for r in rows])[0]

    def district(self, case):
        """The judicial district of ``case``'s region (any of the jurisdiction's for a national region)."""
        if case.pk not in self._districts:
            local = [d for d in self.districts if d.region_id == case.region_id]
            self._districts[case.pk] = case.district or (self.rng.choice(local or self.districts)
                                                         if self.districts else None)
        return self._districts[case.pk]

    # --- one case ---------------------------------------------------------------------------

    def later(self, day: datetime.date, action: str) -> datetime.date:
        low, high = (self.scenario.get("delays") or {}).get(action, [3, 30])
        return day + datetime.timedelta(days=self.rng.randint(low, high))

    def create_case(self):
        s, rng = self.scenario, self.rng
        first = datetime.date(s["first_year"], 1, 1)
        span = max((self.today - first).days - 7, 1)
        detected = first + datetime.timedelta(days=rng.randrange(span))
        form, sector = self.form()
        sex, age_band = self.victim(form)
        minor = age_band in MINOR_BANDS
        region = self.jurisdiction.regions.get(code=_pick(rng, s["regions"]))
        case, crew, day = self.begin(detected, form, sector, sex, age_band, region, _pick(rng, s["detected_by"]),
                                     unaccompanied=minor and rng.random() < s["unaccompanied_share_of_minors"])
        day = self.refer(crew[0], case, crew, day)
        if day is not None:
            day = self.doubt_age(crew, case, age_band, day)
        if day is not None:
            self.walk(crew, case, day)
        case.refresh_from_db()
        self.counts[f"state:{case.state}"] += 1
        return case

    def form(self) -> tuple[str, str]:
        form = _pick(self.rng, self.scenario["forms"])
        if form == "domestic_servitude":
            return "labour", "T"  # households as employers
        return form, _pick(self.rng, self.scenario["labour_sectors"]) if form == "labour" else ""

    def begin(self, detected, form, sector, sex, age_band, region, detected_by, *, unaccompanied):
        """The signal, its screening and the scenario's first actions; returns (case, crew, day)."""
        minor = age_band in MINOR_BANDS
        detector = self.organisation(detected_by, region)
        actor = self.staff(detector)
        case = signals.record_signal(
            actor, detector, detected_on=detected, region=region, exploitation_forms={form}, sector=sector,
            minor=minor, unaccompanied=minor and unaccompanied,
            person=self.person(_pick(self.rng, self.scenario["citizenships"]), sex, age_band, detected), on=detected)
        self.counts["cases"] += 1
        self.screen(actor, case, form, detected)
        day = detected
        crew = [actor]
        for action in self.scenario.get("first_actions") or []:
            day = self.step(crew, case, action, day) or day
        return case, crew, day

    def screen(self, actor, case, form, day):
        the_set = screening.indicator_set(form, case.minor)
        chosen = self.rng.sample([i.id for i in the_set.indicators], k=self.rng.randint(3, 10))
        screening.screen(actor, case, chosen, form=form, on=day,
                         legal_elements={"act": True, "purpose": True, "means": self.rng.random() < 0.7})
        self.counts["screenings"] += 1

    def refer(self, actor, case, crew, day, *, directed=False):
        """Refer to the competent centre; the person accepts assistance or not (seed 001: 176 of 619).
        A child's guardianship service accepts too and appoints a guardian. ``directed``: everyone
        accepts the next day (the scenario's ``waiting`` cases)."""
        day = day if directed else self.later(day, "refer")
        if day > self.today:
            return None
        made = referrals.route_case(actor, case, consent="overridden" if case.minor else "given",
                                    override_reason="child: referral in the child's best interest"
                                    if case.minor else "", on=day)
        self.counts["referrals"] += len(made)
        if not made:  # detected by the competent centre itself: it takes the person in directly
            intake = self.spec.intake_action
            return self.step(crew, case, intake, day) if intake else day
        accepted = directed or case.minor or self.rng.random() < self.scenario["accepts_assistance"]
        for referral in made:
            answer = day + datetime.timedelta(days=1) if directed else self.later(day, "answer_referral")
            if answer > self.today:
                return None  # still waiting for an answer: an open referral deadline
            service = referral.to_organisation.kind == OrganisationKind.GUARDIANSHIP
            staff = self.office(referral.to_organisation) if service else self.staff(referral.to_organisation)
            if accepted:
                referrals.accept_referral(staff, referral, on=answer)
                case.refresh_from_db()  # the centre took it in: its owner and state changed
                crew.append(staff)
                if service:
                    self.appoint(staff, case, referral.to_organisation, answer)
            else:
                referrals.decline_referral(staff, referral, "The person declined assistance.", on=answer)
                self.counts["declined"] += 1
                closed = self.later(answer, "close")
                if self.rng.random() < self.scenario["closed_after_decline"] and closed <= self.today:
                    closure.close_case(actor, case, "no_contact", on=closed)
                return None
            day = answer
        return day

    def appoint(self, office, case, service, day):
        """The guardianship service appoints the child's guardian: its demo guardian where there is one."""
        try:
            guardianship.appoint_guardian(office, case, self.staff(service), on=day)
        except (Refused, Invalid):
            self.counts["guardian_not_appointed"] += 1
            return
        case.refresh_from_db()
        self.counts["guardians"] += 1

    def doubt_age(self, crew, case, age_band, day):
        """A doubt about the age of some young adults: the centre raises it, the guardianship service
        settles it (the case's ``minor`` follows); one not settled by today leaves the walk there."""
        if case.minor or age_band != "18--20" or self.rng.random() >= self.scenario.get("age_doubt_share", 0):
            return day
        return self.assess_age(crew, case, day, settle=True)

    def assess_age(self, crew, case, day, *, settle):
        owner = self.staff(case.owner)
        try:
            assessment = guardianship.open_age_assessment(owner, case, "The person looks younger than the age given "
                                                          "and has no identity document.", on=day)
        except (Refused, Invalid):
            return day
        self.counts["age_assessments"] += 1
        decided = self.later(day, "age_assessment")
        if not settle or decided > self.today:
            return None
        outcome = _pick(self.rng, self.scenario.get("age_outcomes") or {"adult": 1})
        guardianship.decide_age_assessment(self.office(assessment.organisation), assessment, outcome, on=decided)
        case.refresh_from_db()
        return decided

    def step(self, crew, case, action, day, *, on=None, **params):
        """Apply ``action`` as the first crew member allowed to; the step's date, or None."""
        on = on or self.later(day, action)
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

    def askable(self, crew, case) -> dict:
        """The steps the crew may ask for now, ``{action: (member, RequestKind)}``: the profile's
        requests whose organisations may make them and that the case allows, the owner's first."""
        found = {}
        owner = self.staff(case.owner)
        for actor in [owner, *(a for a in crew if a != owner)] if owner in crew else crew:
            for kind, refusal in residence.requestable(actor, case):
                if not refusal:
                    found.setdefault(kind.action, (actor, kind))
        return found

    def ask(self, crew, actor, case, kind, day, *, on=None, waits=None):
        """Request ``kind`` as ``actor`` and have each holder answer it in turn, as a member of its own
        organisation; the day it was issued, or None when it waits (an answer after today, or the stage
        ``waits``), was refused or withdrawn. ``on``: the request's date, and its answers' up to ``waits``
        (a ``waiting`` case)."""
        directed = on is not None
        asked = on or self.later(day, kind.action)
        if asked > self.today:
            return None
        request = residence.request_document(actor, case, kind.key, grounds=self.rng.choice(GROUNDS),
                                             district=None if case.district_id else self.district(case), on=asked)
        self.counts["requests"] += 1
        day = asked
        while request.stage in OPEN_STAGES:
            stage = request.stage
            if stage == waits:
                self.counts[f"waiting:{stage}"] += 1
                return None
            answer = asked if directed else self.later(day, stage)
            if answer > self.today:
                self.counts[f"waiting:{stage}"] += 1
                return None
            roll = 1.0 if directed else self.rng.random()
            withdrawn = self.requests.get("withdrawn", 0)
            if roll < withdrawn:
                residence.withdraw(actor, request, self.rng.choice(WITHDRAWALS), on=answer)
                self.counts["requests_withdrawn"] += 1
                return None
            if stage == Stage.COSIGN:
                residence.cosign(guardianship.guardian_of(case), request, on=answer)
            elif roll < withdrawn + (self.requests.get("refused") or {}).get(stage, 0):
                residence.refuse(self.staff(request.holder), request, self.rng.choice(REFUSALS[stage]), on=answer)
                self.counts["requests_refused"] += 1
                return None
            elif stage == Stage.CONFIRM:
                residence.confirm(self.staff(request.holder), request, on=answer)
            else:
                decider = self.staff(request.holder)
                request = residence.issue(decider, request, number=self.document_number(),
                                          commune=self.commune(case), on=answer)
                if decider not in crew:
                    crew.append(decider)  # the office that issued it may end the status later
            request.refresh_from_db()
            day = answer
        case.refresh_from_db()
        self.counts["documents"] += 1
        return day

    def document_number(self) -> str:
        return f"{self.requests.get('number_prefix', '')}{self.rng.randrange(10 ** 9):09d}"

    def commune(self, case) -> str:
        district = self.district(case)
        communes = (self.scenario.get("communes") or {}).get(district.code if district else "", [])
        return self.rng.choice(communes) if communes else (case.region.name if case.region_id else "—")

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
            asks = self.askable(crew, case)
            choices = {a: w for a, w in weights.items() if a == "stay" or a in names or a in asks}
            action = _pick(self.rng, choices) if choices else "stay"
            if action == "stay":
                return
            owner = self.staff(case.owner)
            if action in asks:
                member, kind = asks[action]
                next_day = self.ask(crew, member, case, kind, day)
            elif action == "close":
                params = {name: self.rng.choice(values) for name, values in (names[action].params or {}).items()}
                next_day = self.later(day, action)
                if next_day > self.today:
                    return
                closure.close_case(owner, case, params.get("reason", "other"), on=next_day)
                self.counts["steps"] += 1
                return
            else:
                params = {name: self.rng.choice(values) for name, values in (names[action].params or {}).items()}
                next_day = self.step(crew, case, action, day, **params)
            if next_day is None:
                return
            day = next_day
            if action in (self.scenario.get("services_after") or []) and case.pk not in self._supported:
                self._supported.add(case.pk)
                self.services(owner, case, day)

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
        condition holds; returns the decision's date. The office that prosecutes is the one the
        profile routes the case's district and forms to (the labour auditor for labour exploitation)."""
        decided = self.later(day, "conviction")
        if decided > self.today:
            return None
        police = next((m.organisation for actor in crew for m in actor.memberships.all()
                       if m.organisation.kind == OrganisationKind.POLICE), None)
        if police is None:  # the centre brings the complaint to the police, which then sees the case
            police = self.organisation(OrganisationKind.POLICE, case.region)
            referral = referrals.refer(self.staff(case.owner), case, police, kind="assignment", purpose="other", on=day)
            referrals.accept_referral(self.staff(police), referral, on=day)
        district = self.district(case)
        try:
            office = competent_magistrate(district, case.form_set) if district else None
        except NoRoute:
            office = self.organisation(OrganisationKind.PROSECUTION, case.region)
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

    # --- recent cases waiting for someone ---------------------------------------------------

    def create_waiting_case(self, wait: dict):
        """A recent case left waiting at one organisation (the scenario's ``waiting``): the same services,
        every answer the next day, and the last request asked ``asked_days_ago`` days ago."""
        detected = self.today - datetime.timedelta(days=wait.get("days_ago", 30))
        form = wait["form"]
        sector = _pick(self.rng, self.scenario["labour_sectors"]) if form == "labour" else ""
        minor = bool(wait.get("minor"))
        sex, age_band = self.victim(form, minor=minor, age_band=wait.get("age"))
        region = self.jurisdiction.regions.get(code=wait.get("region") or _pick(self.rng, self.scenario["regions"]))
        case, crew, day = self.begin(detected, form, sector, sex, age_band, region, wait.get("detected_by", "police"),
                                     unaccompanied=wait.get("unaccompanied", minor))
        self.counts["waiting"] += 1
        if wait["waits"] == "referral":
            referrals.route_case(crew[0], case, consent="overridden" if case.minor else "given",
                                 override_reason="child: referral in the child's best interest" if case.minor else "",
                                 on=day)
            self.counts["waiting:referral"] += 1
            return case
        day = self.refer(crew[0], case, crew, day, directed=True)
        if day is None:
            raise ValueError(f"waiting case {wait}: the referral could not be answered by today")
        if wait["waits"] == "age_assessment":
            self.assess_age(crew, case, day, settle=False)
            self.counts["waiting:age_assessment"] += 1
            return case
        asked = self.today - datetime.timedelta(days=wait.get("asked_days_ago", 2))
        path = list(wait.get("path") or [])
        for number, action in enumerate(path):
            last = number == len(path) - 1
            on = asked if last else min(day + datetime.timedelta(days=1), asked)
            if self.spec.requested(action):
                found = self.askable(crew, case).get(action)
                if found is None:
                    raise ValueError(f"waiting case {wait}: nobody may ask for {action} at {case.state}")
                issued = self.ask(crew, found[0], case, found[1], day, on=on, waits=wait["waits"] if last else None)
                if issued is None and not last:
                    raise ValueError(f"waiting case {wait}: the request for {action} was not issued")
            elif self.step(crew, case, action, day, on=on) is None:
                raise ValueError(f"waiting case {wait}: {action} is not possible at {case.state}")
            day = on
        return case

    def suspects(self) -> list[dict]:
        rows = []
        for _ in range(self.rng.randint(1, 3)):
            (sex, age), = self.rng.choices([p[0] for p in self.perpetrators],
                                           weights=[p[1] for p in self.perpetrators])
            rows.append({"sex": sex, "age_band": self.rng.choice(SUSPECT_AGE[age]), "count": 1,
                         "role": self.rng.choice(["recruiter", "exploiter", "organiser", "transporter"])})
        return rows


def generate(*, cases: dict[str, int] | None = None, seed: int = 20261124, waiting: bool = True) -> dict:
    """Generate demo cases per jurisdiction (``{"BE": 240, "NL": 60}``; default: the scenarios' numbers),
    and (``waiting``) the scenario's recent cases left waiting in each organisation's queue.

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
        for wait in (scenario.get("waiting") or []) if waiting else []:
            generator.create_waiting_case(wait)
        totals.update({f"{code}:{key}": value for key, value in generator.counts.items()})
    return dict(sorted(totals.items()))
