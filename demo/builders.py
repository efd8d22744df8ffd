"""A synthetic Oslo for demos and for trying Laget out (`manage.py seed_demo`).

All 15 districts; three of them (Bjerke, Alna, Søndre Nordstrand) with their services, staff,
youths, families and guardians; a few city-wide services; and one demo login per role, enrolled
in two-factor login with a known secret.

The data is deterministic and idempotent:
- every random choice comes from `random.Random`, seeded from the seed and the step's own name
  (`Demo.rng`), so a step added later does not change the people an earlier step makes;
- ages are counted from a fixed day (ANCHOR), never from today;
- every row is looked up by a natural key before it is made (district number, unit name,
  e-mail, national identity number, family name in its district, guardian name in the family),
  so a second run finds what the first made and adds nothing.

Later steps (follow-ups, consents, meetings) go in modules of this package: a function that takes
the `Demo` context, reads what earlier steps left there (districts, units, staff, youths), draws
from its own `demo.rng("name")`, saves with `upsert` (a few queries for any number of rows), and
is added to `STEPS` in demo/steps.py, which runs the whole build (this module is the helpers the
steps share, and imports none of them).

The demo obeys the rules the pages and the API obey. Calling a service for each row would take
minutes (a thousand contacts, each with its permission checks and audit entry), would stamp every
row with today's date instead of the day it happened, and would fill the audit trail with a
history nobody did. So each step asks the services' own checks of its rows before the bulk save,
the same functions the services call (one rule, one place): `upsert` the rules about one row
(fields and `clean()`; the database the rest), and each module the rules across rows, named in its
docstring (consent_version_check, team_member_check, followup_capacity_check, the workflows'
transition tables, …), with DEMO_TODAY as the clock where a rule asks for "today". Who did what is
asked too, of the person the plan names: who logged each contact (contact_authors_check), who
sees a youth through the team (teams.policy.team_access_sync gives the grants, as the services
do), who took part in a meeting and approved its minutes (participant_check, core.access's
"approve", minutes_approve_check), who proposed a youth to intake (intake_proposer_check), who
received a concern report, linked its child to a registered youth, was given it and answered
the reporter (concern_report_receiver_check, concern_report_child_link_check,
concern_report_assign_check, concern_report_feedback_check), who named or closed an anonymous
case (discussion_case_convert_check, discussion_case_close_check), and a use of a legal basis
and a signed consent form (legal_basis_use_check, consent_document_check). A rule about a day
of the past is asked of that day (the day a contact happened, a case was named, a legal basis
was used); a rule about people's roles is asked of the roles in force, which the demo's staff
hold from before any of its history. A plan that breaks a rule stops the build with the
service's message, inside the build's one transaction.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.contrib.auth.hashers import check_password, make_password
from django.db.models import Field, Model
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.no import fodselsnummer

from cases.models import (
    Family,
    Gender,
    Guardian,
    Guardianship,
    Youth,
)
from core import dates
from core.models import User
from org.models import District, StaffRole, Unit

from . import names
from .names import ascii_slug

if TYPE_CHECKING:
    from .followups import Case

# Ages are counted from this day, so a run next year builds the same people.
ANCHOR = datetime.date(2026, 8, 1)
DEMO_PASSWORD = "Laget-demo-2026"  # noqa: S105 (printed for everyone to use: demo data only)
DEMO_URL = "http://127.0.0.1:8000/"
TOTP_DEVICE_NAME = "Demo"

DISTRICT_NAMES: dict[int, str] = {
    1: "Gamle Oslo",
    2: "Grünerløkka",
    3: "Sagene",
    4: "St. Hanshaugen",
    5: "Frogner",
    6: "Ullern",
    7: "Vestre Aker",
    8: "Nordre Aker",
    9: "Bjerke",
    10: "Grorud",
    11: "Stovner",
    12: "Alna",
    13: "Østensjø",
    14: "Nordstrand",
    15: "Søndre Nordstrand",
}
# Districts that hold intake meetings more or less often than the Oslo standard's 4 weeks.
INTAKE_INTERVAL_WEEKS: dict[int, int] = {12: 2, 15: 6}
MAX_YOUTHS_PER_FOLLOWER = 5


@dataclass(frozen=True)
class DistrictPlan:
    """A district with the full set of services, staff and families."""

    number: int
    schools: tuple[str, ...]
    leisure_club: str
    police_unit: str


FULL_DISTRICTS: tuple[DistrictPlan, ...] = (
    DistrictPlan(
        9,
        schools=("Linderud skole", "Veitvet skole", "Tonsenhagen skole"),
        leisure_club="Linderud fritidsklubb",
        police_unit="Politiet Øst – forebyggende Bjerke",
    ),
    DistrictPlan(
        12,
        schools=("Haugerud skole", "Furuset skole", "Lindeberg skole"),
        leisure_club="Furuset fritidsklubb",
        police_unit="Politiet Øst – forebyggende Alna",
    ),
    DistrictPlan(
        15,
        schools=("Holmlia skole", "Mortensrud skole"),
        leisure_club="Holmlia fritidsklubb",
        police_unit="Politiet Syd – forebyggende Søndre Nordstrand",
    ),
)

CITY_POLICE = "Oslo politidistrikt – forebyggende"
CITY_KONFLIKTRAADET = "Konfliktrådet i Oslo"
CITY_BUP = "BUP Oslo"


class Output(Protocol):
    """Where progress is written: a management command's stdout, a file, io.StringIO."""

    def write(self, msg: str, /) -> object: ...


@dataclass(frozen=True)
class DemoLoginSpec:
    """A fixed, memorable login for one role, placed in the demo district's services."""

    slot: str
    label: str  # the role as the command prints it (Norwegian)
    email: str
    full_name: str


DEMO_DISTRICT = 9  # Bjerke
DEMO_LOGINS: tuple[DemoLoginSpec, ...] = (
    DemoLoginSpec("follower", "oppfølger", "follower@demo.laget.no", "Amina Warsame"),
    DemoLoginSpec("family_follower", "familieoppfølger", "teammate@demo.laget.no", "Jonas Bråten"),
    DemoLoginSpec("coordinator", "koordinator", "coordinator@demo.laget.no", "Camilla Nordby"),
    DemoLoginSpec("leader", "leder", "leader@demo.laget.no", "Tariq Mahmood"),
    DemoLoginSpec("caseworker", "saksbehandler barnevern", "caseworker@demo.laget.no", "Ingrid Solberg"),
    DemoLoginSpec("police_contact", "politikontakt", "police@demo.laget.no", "Kristoffer Dahl"),
    DemoLoginSpec("school_contact", "skolekontakt", "school@demo.laget.no", "Agnieszka Nowak"),
    DemoLoginSpec("administrator", "administrator", "admin@demo.laget.no", "Eirik Haugland"),
)
DEMO_EMAILS = tuple(spec.email for spec in DEMO_LOGINS)

Role = StaffRole.Role
Relation = Guardianship.Relation


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    full_name: str
    password: str
    totp_secret: str  # base32, in groups of four, as an authenticator app takes it


@dataclass(frozen=True)
class DemoResult:
    seed: int
    url: str
    logins: tuple[DemoLogin, ...]
    counts: dict[str, int]


@dataclass
class DistrictUnits:
    barnevern: Unit
    followup: Unit  # the one-to-one follow-up team (SaLTo / prevention)
    schools: list[Unit]
    nav: Unit
    health: Unit
    outreach: Unit
    leisure: Unit
    ppt: Unit
    police: Unit


@dataclass
class DistrictStaff:
    leader: User  # of the follow-up team
    coordinator: User
    followers: list[User]
    family_followers: list[User]
    barnevern_leader: User
    caseworkers: list[User]
    police_contact: User
    school_contacts: list[User]  # one per school, in the order of DistrictUnits.schools
    outreach_worker: User
    others: list[User]  # NAV, health, PPT


@dataclass
class Demo:
    """What the steps build, for the steps after them."""

    seed: int
    stdout: Output | None = None
    districts: dict[int, District] = field(default_factory=dict)
    units: dict[int, DistrictUnits] = field(default_factory=dict)
    citywide: dict[str, Unit] = field(default_factory=dict)
    staff: dict[int, DistrictStaff] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    families: dict[int, list[Family]] = field(default_factory=dict)
    youths: dict[int, list[Youth]] = field(default_factory=dict)  # the target group, aged 12 to 23
    siblings: dict[int, list[Youth]] = field(default_factory=dict)  # their younger brothers and sisters
    emails: set[str] = field(default_factory=set)
    staff_names: set[str] = field(default_factory=set)  # two colleagues of the same name would confuse
    national_ids: set[str] = field(default_factory=set)
    cases: dict[int, list[Case]] = field(default_factory=dict)  # follow-ups by district (followups.py)
    # The demo district's youths about to turn 18 (demo/transition.py), by how far from it they are;
    # kept out of `youths` so the follow-ups step draws the same youths for everyone else.
    turning_18: dict[str, Youth] = field(default_factory=dict)
    _password_hash: str | None = None

    def rng(self, *parts: object) -> random.Random:
        """A random stream of its own for one step (a string seed is hashed the same way on every run)."""
        return random.Random(":".join(str(part) for part in (self.seed, *parts)))

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    @property
    def password_hash(self) -> str:
        """One hash of the demo password for every demo user.

        Hashing is slow on purpose (almost half a second each, so twenty seconds for the staff),
        so it is done once per run. The demo logins' current hash is kept while it still matches,
        so a second run does not change their passwords and sign out whoever is using the demo.
        A shared salt gives nothing away here: the password is printed for all to use.
        """
        if self._password_hash is None:
            current = set(User.objects.filter(email__in=DEMO_EMAILS).values_list("password", flat=True))
            if len(current) == 1 and check_password(DEMO_PASSWORD, next(iter(current))):
                self._password_hash = next(iter(current))
            else:
                self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash


# ---------------------------------------------------------------------------------------------
# Districts and units


def build_districts(demo: Demo) -> None:
    for number, name in DISTRICT_NAMES.items():
        district, _ = District.objects.update_or_create(
            number=number,
            defaults={
                "name": name,
                "intake_interval_weeks": INTAKE_INTERVAL_WEEKS.get(number, District.IntakeInterval.FOUR),
                "max_youths_per_follower": MAX_YOUTHS_PER_FOLLOWER,
            },
        )
        demo.districts[number] = district
    demo.say(f"Districts: {len(demo.districts)}")


def _unit(name: str, kind: str, district: District | None = None) -> Unit:
    unit, _ = Unit.objects.update_or_create(district=district, name=name, defaults={"kind": kind})
    return unit


def build_units(demo: Demo) -> None:
    for number, district in demo.districts.items():
        barnevern = _unit(f"Barnevernstjenesten i bydel {district.name}", Unit.Kind.BARNEVERN, district)
        plan = next((plan for plan in FULL_DISTRICTS if plan.number == number), None)
        if plan is None:
            continue
        name = district.name
        demo.units[number] = DistrictUnits(
            barnevern=barnevern,
            followup=_unit(f"Én-til-én-oppfølging {name}", Unit.Kind.SALTO, district),
            schools=[_unit(school, Unit.Kind.SCHOOL, district) for school in plan.schools],
            nav=_unit(f"NAV {name}", Unit.Kind.NAV, district),
            health=_unit(f"Helsestasjon for ungdom {name}", Unit.Kind.HEALTH, district),
            outreach=_unit(f"Utekontakten i bydel {name}", Unit.Kind.OUTREACH, district),
            leisure=_unit(plan.leisure_club, Unit.Kind.LEISURE, district),
            ppt=_unit(f"PPT {name}", Unit.Kind.PPT, district),
            police=_unit(plan.police_unit, Unit.Kind.POLICE, district),
        )
    demo.citywide = {
        "police": _unit(CITY_POLICE, Unit.Kind.POLICE),
        "konfliktraadet": _unit(CITY_KONFLIKTRAADET, Unit.Kind.KONFLIKTRAADET),
        "bup": _unit(CITY_BUP, Unit.Kind.BUP),
    }
    demo.say(f"Services: {Unit.objects.count()}")


# ---------------------------------------------------------------------------------------------
# Staff and demo logins


def _user(demo: Demo, *, email: str, full_name: str) -> User:
    """The user with this e-mail, made with the demo password the first time."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, full_name=full_name)
        user.password = demo.password_hash
        user.save(update_fields=["password"])
    elif user.full_name != full_name:
        user.full_name = full_name
        user.save(update_fields=["full_name"])
    demo.emails.add(email)
    demo.staff_names.add(full_name)
    return user


def _staff_person(demo: Demo, rng: random.Random, domain: str, *, female_share: float = 0.65) -> User:
    """A new colleague with a name that fits Oslo, and an address firstname.lastname@domain."""
    while True:
        origin = _weighted(rng, names.STAFF_ORIGIN_WEIGHTS)
        female = rng.random() < female_share
        first = rng.choice(names.ADULT_FIRST_NAMES[origin][names.FEMALE if female else names.MALE])
        last = rng.choice(names.LAST_NAMES[origin])
        if female:
            last = names.feminine_surname(origin, last)
        full_name = f"{first} {last}"
        email = f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}"
        if full_name not in demo.staff_names and email not in demo.emails:
            return _user(demo, email=email, full_name=full_name)


def _role(rng: random.Random, user: User, unit: Unit, role: str, title: str) -> StaffRole:
    starts_on = ANCHOR - datetime.timedelta(days=rng.randint(200, 3650))
    staff_role, _ = StaffRole.objects.update_or_create(
        user=user, unit=unit, role=role, ends_on=None, defaults={"title": title, "starts_on": starts_on}
    )
    return staff_role


def build_staff(demo: Demo) -> None:
    for plan in FULL_DISTRICTS:
        demo.staff[plan.number] = _district_staff(demo, plan)
    _citywide_staff(demo)
    _administrator(demo)
    demo.say(f"Staff: {User.objects.filter(roles__isnull=False).distinct().count()}")


def _district_staff(demo: Demo, plan: DistrictPlan) -> DistrictStaff:
    """The people of one district's services; in the demo district some are the demo logins."""
    district = demo.districts[plan.number]
    units = demo.units[plan.number]
    rng = demo.rng("staff", plan.number)
    municipal = f"{ascii_slug(district.name)}.oslo.kommune.no"
    demo_slots = {spec.slot: spec for spec in DEMO_LOGINS} if plan.number == DEMO_DISTRICT else {}

    def person(slot: str, domain: str = municipal, female_share: float = 0.65) -> User:
        spec = demo_slots.pop(slot, None)
        if spec is not None:
            return _user(demo, email=spec.email, full_name=spec.full_name)
        return _staff_person(demo, rng, domain, female_share=female_share)

    leader = person("leader")
    _role(rng, leader, units.followup, Role.LEADER, "avdelingsleder")
    coordinator = person("coordinator")
    _role(rng, coordinator, units.followup, Role.COORDINATOR, "koordinator for én-til-én-oppfølging")
    if plan.number == DEMO_DISTRICT:
        # A small team: the coordinator follows two or three youths too.
        _role(rng, coordinator, units.followup, Role.FOLLOWER, "miljøterapeut")
    followers = []
    for _ in range(rng.randint(3, 4)):
        follower = person("follower")
        _role(rng, follower, units.followup, Role.FOLLOWER, rng.choice(("miljøterapeut", "miljøarbeider")))
        followers.append(follower)
    family_followers = []
    for _ in range(rng.randint(1, 2)):
        family_follower = person("family_follower")
        _role(rng, family_follower, units.followup, Role.FAMILY_FOLLOWER, "familieveileder")
        family_followers.append(family_follower)

    barnevern_leader = person("barnevern_leader")
    _role(rng, barnevern_leader, units.barnevern, Role.LEADER, "avdelingsleder")
    caseworkers = []
    for title in ("saksbehandler, undersøkelse", "kontaktperson, tiltak"):
        caseworker = person("caseworker")
        _role(rng, caseworker, units.barnevern, Role.CASEWORKER, title)
        caseworkers.append(caseworker)

    police_contact = person("police_contact", "politiet.no", female_share=0.4)
    _role(rng, police_contact, units.police, Role.POLICE_CONTACT, "politibetjent, forebyggende")
    school_contacts = []
    for school in units.schools:
        contact = person("school_contact", "osloskolen.no")
        title = rng.choice(("sosiallærer", "rådgiver", "miljøarbeider ved elevtjenesten"))
        _role(rng, contact, school, Role.SCHOOL_CONTACT, title)
        school_contacts.append(contact)

    # The outreach worker also runs evenings at the youth club: one person in two services.
    outreach_worker = person("outreach")
    _role(rng, outreach_worker, units.outreach, Role.OTHER_SERVICE, "utekontakt")
    _role(rng, outreach_worker, units.leisure, Role.OTHER_SERVICE, "miljøarbeider")
    others = []
    for unit, title, domain in (
        (units.nav, "veileder, ungdomsteamet", "nav.no"),
        (units.health, "helsesykepleier", municipal),
        (units.ppt, "PP-rådgiver", municipal),
    ):
        other = person("other", domain)
        _role(rng, other, unit, Role.OTHER_SERVICE, title)
        others.append(other)

    return DistrictStaff(
        leader=leader,
        coordinator=coordinator,
        followers=followers,
        family_followers=family_followers,
        barnevern_leader=barnevern_leader,
        caseworkers=caseworkers,
        police_contact=police_contact,
        school_contacts=school_contacts,
        outreach_worker=outreach_worker,
        others=others,
    )


def _citywide_staff(demo: Demo) -> None:
    rng = demo.rng("staff", "city")
    for key, role, title, domain in (
        ("police", Role.POLICE_CONTACT, "politioverbetjent, forebyggende seksjon", "politiet.no"),
        ("konfliktraadet", Role.OTHER_SERVICE, "ungdomskoordinator", "konfliktraadet.no"),
        ("bup", Role.OTHER_SERVICE, "psykologspesialist", "ous-hf.no"),
    ):
        _role(rng, _staff_person(demo, rng, domain), demo.citywide[key], role, title)


def _administrator(demo: Demo) -> None:
    spec = next(spec for spec in DEMO_LOGINS if spec.slot == "administrator")
    admin = _user(demo, email=spec.email, full_name=spec.full_name)
    if not (admin.is_staff and admin.is_superuser):
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    unit = demo.units[DEMO_DISTRICT].followup
    _role(demo.rng("staff", "admin"), admin, unit, Role.ADMINISTRATOR, "systemforvalter")


def totp_key(seed: int, email: str) -> str:
    """The demo login's TOTP key: 20 bytes as hex, the same for the same seed and e-mail."""
    return hashlib.sha1(f"{seed}:{email}".encode(), usedforsecurity=False).hexdigest()


def totp_secret(key: str) -> str:
    """The key as an authenticator app takes it: base32, in groups of four."""
    encoded = base64.b32encode(bytes.fromhex(key)).decode()
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def enrol_demo_logins(demo: Demo) -> None:
    """The demo logins always work as printed: password, active, one confirmed TOTP device with
    the key from the seed. Other devices of these users are removed, as sign-in would pick any."""
    users = {user.email: user for user in User.objects.filter(email__in=DEMO_EMAILS)}
    User.objects.filter(email__in=DEMO_EMAILS).exclude(password=demo.password_hash).update(password=demo.password_hash)
    User.objects.filter(email__in=DEMO_EMAILS, is_active=False).update(is_active=True)
    for spec in DEMO_LOGINS:
        user = users[spec.email]
        key = totp_key(demo.seed, spec.email)
        device, created = TOTPDevice.objects.get_or_create(
            user=user, name=TOTP_DEVICE_NAME, defaults={"key": key, "confirmed": True}
        )
        if not created and (device.key != key or not device.confirmed or device.throttling_failure_count):
            if device.key != key:
                device.last_t = -1
            device.key = key
            device.confirmed = True
            device.throttling_failure_count = 0
            device.throttling_failure_timestamp = None
            device.save()
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        demo.logins.append(
            DemoLogin(
                role=spec.label,
                email=spec.email,
                full_name=spec.full_name,
                password=DEMO_PASSWORD,
                totp_secret=totp_secret(key),
            )
        )


# ---------------------------------------------------------------------------------------------
# Families: youths, their younger siblings and guardians

# How many youths of each age in the target group (most are 14 to 17).
TARGET_AGE_WEIGHTS: dict[int, int] = {12: 1, 13: 2, 14: 3, 15: 4, 16: 4, 17: 3, 18: 2}
YOUTH_GENDER_WEIGHTS: dict[str, int] = {Gender.MALE: 70, Gender.FEMALE: 26, Gender.OTHER: 2, Gender.UNKNOWN: 2}
# Brothers and sisters closer in age than this would be twins; the demo has none.
MIN_SIBLING_GAP = datetime.timedelta(days=300)


@dataclass
class FamilyPlan:
    origin: str
    surname: str
    ages: list[int]  # the youths in the target group
    younger_siblings: int
    two_guardians: bool
    step_parent: bool = False
    newly_arrived: bool = False  # the children have D-numbers; the parents need an interpreter


def build_families(demo: Demo) -> None:
    """Per district: the families planned in memory first (every random choice, in order), then
    saved in four bulk upserts."""
    for plan in FULL_DISTRICTS:
        district = demo.districts[plan.number]
        rng = demo.rng("families", plan.number)
        households = [_household(demo, rng, district, family_plan) for family_plan in _family_plans(rng)]
        _school_and_address(demo, district, households, demo.rng("addresses", district.number))
        saved = save_households(district, households)
        demo.families[district.number], demo.youths[district.number], demo.siblings[district.number] = saved
    youths = sum(len(youths) for youths in demo.youths.values())
    siblings = sum(len(siblings) for siblings in demo.siblings.values())
    families = sum(len(families) for families in demo.families.values())
    demo.say(f"Youths: {youths}, younger siblings: {siblings}, families: {families}")


def save_households(district: District, households: list[Household]) -> tuple[list[Family], list[Youth], list[Youth]]:
    """Families, then their guardians and children, then each guardian's relation to each child.
    Returns the families, the youths in the target group and their younger siblings."""
    families = upsert(Family, [household.family for household in households], key=("district", "name"))
    for household, family in zip(households, families, strict=True):
        for row in (*household.guardians, *household.youths, *household.siblings):
            row["family"] = family
    guardian_rows = [row for household in households for row in household.guardians]
    child_rows = [row for household in households for row in (*household.youths, *household.siblings)]
    guardians = iter(upsert(Guardian, guardian_rows, key=("family", "first_name", "last_name")))
    children = iter(upsert(Youth, child_rows, key=("national_id",)))

    saved_youths: list[Youth] = []
    saved_siblings: list[Youth] = []
    guardianships: list[dict[str, Any]] = []
    for household in households:
        parents = [next(guardians) for _ in household.guardians]
        youths = [next(children) for _ in household.youths]
        siblings = [next(children) for _ in household.siblings]
        saved_youths.extend(youths)
        saved_siblings.extend(siblings)
        for child in youths + siblings:
            adult = child.age_on(ANCHOR) >= 18  # parental responsibility ends at 18
            for guardian, relation in zip(parents, household.relations, strict=True):
                responsible = relation != Relation.STEP_PARENT and not adult
                guardianships.append(
                    {"youth": child, "guardian": guardian, "relation": relation, "parental_responsibility": responsible}
                )
    upsert(Guardianship, guardianships, key=("youth", "guardian"))
    return families, saved_youths, saved_siblings


def _school_and_address(demo: Demo, district: District, households: list[Household], rng: random.Random) -> None:
    """School, class, home address and phone of the youths aged 12 to 18.

    Drawn from a stream of their own, so the people the families step makes stay the same.
    Pupils of the 1st to 10th grade go to one of the district's schools (brothers and sisters to
    the same one); youths of upper-secondary age have a class (Vg1 to Vg3) but no school, as the
    demo has no upper-secondary schools among its services.
    """
    schools = demo.units[district.number].schools
    for household in households:
        street = rng.choice(names.STREETS[district.name])
        address = f"{street} {rng.randint(1, 140)}{rng.choice(('', '', '', ' A', ' B', ' C'))}"
        school = rng.choice(schools)
        for row in household.youths:
            if not 12 <= _age(row["birth_date"], ANCHOR) <= 18:
                continue
            # The school year that starts in August: children start school the year they turn 6.
            grade = ANCHOR.year - row["birth_date"].year - 5
            if grade <= 10:
                row["school"] = school
                row["school_class"] = f"{grade}{rng.choice('ABCD')}"
            else:
                row["school"] = None
                row["school_class"] = f"Vg{min(grade - 10, 3)}"
            row["address"] = address
            row["postal_code"] = names.POSTAL_CODES[street]
            number = rng.randint(0, 9_999_999)
            row["phone"] = f"{rng.choice('49')}{number // 100_000:02d} {number // 1000 % 100:02d} {number % 1000:03d}"


def _age(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _family_plans(rng: random.Random) -> list[FamilyPlan]:
    """25 to 35 youths aged 12 to 18 and a few aged 19 to 23, in families; some share a family."""
    plans: list[FamilyPlan] = []
    used_surnames: set[str] = set()

    def new_plan(ages: list[int]) -> FamilyPlan:
        origin = _weighted(rng, names.ORIGIN_WEIGHTS)
        free = [name for name in names.LAST_NAMES[origin] if name not in used_surnames]
        if not free:  # every surname of this background is taken in the district
            origin = names.NORWEGIAN
            free = [name for name in names.LAST_NAMES[origin] if name not in used_surnames]
        surname = rng.choice(free)
        used_surnames.add(surname)
        return FamilyPlan(
            origin=origin,
            surname=surname,
            ages=ages,
            younger_siblings=_weighted(rng, {0: 50, 1: 35, 2: 15}),
            two_guardians=rng.random() < 0.7,
        )

    remaining = rng.randint(25, 35)
    while remaining > 0:
        ages = [_weighted(rng, TARGET_AGE_WEIGHTS)]
        if remaining >= 2 and rng.random() < 0.15:
            # Brothers or sisters both in the target group, two years or more apart (seed 003).
            ages.append(rng.choice([age for age in TARGET_AGE_WEIGHTS if abs(age - ages[0]) >= 2]))
        remaining -= len(ages)
        plans.append(new_plan(ages))
    for _ in range(rng.randint(2, 4)):
        plans.append(new_plan([rng.randint(19, 23)]))

    # Every district has at least one step-parent without parental responsibility and one newly
    # arrived family, so those screens have something to show.
    with_two = [plan for plan in plans if plan.two_guardians]
    for plan in with_two:
        plan.step_parent = rng.random() < 0.12
    if with_two and not any(plan.step_parent for plan in plans):
        rng.choice(with_two).step_parent = True
    immigrant = [plan for plan in plans if plan.origin != names.NORWEGIAN]
    if immigrant:
        rng.choice(immigrant).newly_arrived = True
    return plans


@dataclass
class Household:
    """One family as planned, before it is saved: rows of field values for `upsert`."""

    family: dict[str, Any]
    guardians: list[dict[str, Any]]
    relations: list[str]  # each guardian's relation to the children
    youths: list[dict[str, Any]]
    siblings: list[dict[str, Any]]


def _household(demo: Demo, rng: random.Random, district: District, plan: FamilyPlan) -> Household:
    guardians, relations = _guardians(rng, plan)
    taken_names: set[str] = set()
    births: list[datetime.date] = []
    youths = []
    for age in plan.ages:
        born = _spaced_birth_date(births, partial(_birth_date_for_age, rng, age))
        gender = _weighted(rng, YOUTH_GENDER_WEIGHTS)
        youths.append(_child(demo, rng, district, plan, born=born, gender=gender, taken=taken_names))

    siblings = []
    earliest = max(
        max(births) + datetime.timedelta(days=450), dates.born_on_or_before(ANCHOR, 14) + datetime.timedelta(days=1)
    )
    latest = dates.born_on_or_before(ANCHOR, 8)
    for _ in range(plan.younger_siblings):
        born = _spaced_birth_date(births, partial(_day_between, rng, earliest, latest))
        gender = rng.choice((Gender.MALE, Gender.FEMALE))
        siblings.append(_child(demo, rng, district, plan, born=born, gender=gender, taken=taken_names))

    family = {"district": district, "name": f"Familien {plan.surname}"}
    return Household(family=family, guardians=guardians, relations=relations, youths=youths, siblings=siblings)


def _guardians(rng: random.Random, plan: FamilyPlan) -> tuple[list[dict[str, Any]], list[str]]:
    """The mother and father, a single parent, or a parent and a step-parent."""
    mother_first = plan.two_guardians or rng.random() < 0.8
    relations: list[str] = [Relation.MOTHER] if mother_first else [Relation.FATHER]
    if plan.two_guardians:
        relations.append(Relation.STEP_PARENT if plan.step_parent else Relation.FATHER)

    guardians = []
    for relation in relations:
        female = relation == Relation.MOTHER
        first = rng.choice(names.ADULT_FIRST_NAMES[plan.origin][names.FEMALE if female else names.MALE])
        own_surname = relation == Relation.STEP_PARENT or (
            female and rng.randint(1, 100) <= names.MOTHER_OWN_SURNAME[plan.origin]
        )
        last = (
            rng.choice([name for name in names.LAST_NAMES[plan.origin] if name != plan.surname])
            if own_surname
            else plan.surname
        )
        if female:
            last = names.feminine_surname(plan.origin, last)
        language, interpreter = _language(rng, plan)
        guardians.append(
            {"first_name": first, "last_name": last, "language": language, "needs_interpreter": interpreter}
        )
    return guardians, relations


def _language(rng: random.Random, plan: FamilyPlan) -> tuple[str, bool]:
    """The guardian's language and whether meetings need an interpreter."""
    if plan.origin == names.NORWEGIAN:
        return "norsk", False
    languages = names.LANGUAGES[plan.origin]
    home_language = languages[0] if len(languages) == 1 or rng.random() < 0.75 else languages[1]
    if plan.newly_arrived:
        return home_language, True
    if rng.random() < 0.35:  # grew up in Norway
        return "norsk", False
    return home_language, rng.random() < 0.5


def _child(
    demo: Demo,
    rng: random.Random,
    district: District,
    plan: FamilyPlan,
    *,
    born: datetime.date,
    gender: str,
    taken: set[str],
) -> dict[str, Any]:
    """A child of the family: a person of their own, with a valid national identity number."""
    # The sex in the population register gives the list of names and the identity number's parity.
    if gender in (Gender.MALE, Gender.FEMALE):
        registered = names.MALE if gender == Gender.MALE else names.FEMALE
    else:
        registered = rng.choice((names.MALE, names.FEMALE))
    first = rng.choice([name for name in names.CHILD_FIRST_NAMES[plan.origin][registered] if name not in taken])
    taken.add(first)
    last = names.feminine_surname(plan.origin, plan.surname) if registered == names.FEMALE else plan.surname
    preferred = ""
    if gender == Gender.OTHER:
        preferred = rng.choice(names.NEUTRAL_NAMES)
    elif first in names.PREFERRED_NAMES and rng.random() < 0.5:
        preferred = rng.choice(names.PREFERRED_NAMES[first])
    return {
        "national_id": national_id_for(demo, rng, born, male=registered == names.MALE, d_number=plan.newly_arrived),
        "first_name": first,
        "last_name": last,
        "preferred_name": preferred,
        "birth_date": born,
        "gender": gender,
        "district": district,
    }


def national_id_for(demo: Demo, rng: random.Random, born: datetime.date, *, male: bool, d_number: bool) -> str:
    """A synthetic fødselsnummer (or D-number: day + 40) that passes the check-digit test.

    Individual numbers 500 to 999 are those for births 2000 to 2039; the third of them is odd for men
    and even for women. A number whose check digit would be 10 does not exist, so another is drawn.
    """
    if not 2000 <= born.year <= 2039:
        raise ValueError(f"The demo makes identity numbers for births 2000 to 2039, not {born.year}.")
    day = born.day + 40 if d_number else born.day
    stem = f"{day:02d}{born.month:02d}{born.year % 100:02d}"
    while True:
        individual = rng.randint(250, 499) * 2 + (1 if male else 0)
        digits = f"{stem}{individual:03d}"
        first_check = fodselsnummer.calc_check_digit1(digits)
        if len(first_check) > 1:
            continue
        second_check = fodselsnummer.calc_check_digit2(digits + first_check)
        if len(second_check) > 1:
            continue
        number = digits + first_check + second_check
        if number not in demo.national_ids:
            demo.national_ids.add(number)
            return number


# ---------------------------------------------------------------------------------------------
# Helpers


M = TypeVar("M", bound=Model)


def upsert(
    model: type[M], rows: Sequence[dict[str, Any]], *, key: Sequence[str], check: Callable[[M], None] | None = None
) -> list[M]:
    """The objects for these rows, in order: found by the natural key `key` and brought up to date,
    or created, in a few queries whatever the number of rows (bulk_create and bulk_update).

    Every object created or changed first passes the rules about one row that a service asks
    before it saves (its `full_clean`): the fields' bounds and choices (`clean_fields`) and
    `clean()`, in Python, then `check`, the service's own check of the row where it has one; a
    row that breaks a rule stops the build with the service's message. The rest of full_clean
    (foreign keys, uniqueness, `Meta.constraints`) is one query per row and rule, which would
    make the build many times slower; the database enforces the same rules at the bulk save.
    Values of foreign keys are model instances; the key's first field must not be empty (NULL).
    """
    if not rows:
        return []

    def attname(name: str) -> str:
        field = model._meta.get_field(name)
        assert isinstance(field, Field)
        return field.attname

    def raw(value: Any) -> Any:
        return value.pk if isinstance(value, Model) else value

    def natural(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(raw(row[name]) for name in key)

    key_attnames = [attname(name) for name in key]
    existing = {
        tuple(getattr(obj, name) for name in key_attnames): obj
        for obj in model._default_manager.filter(**{f"{key_attnames[0]}__in": {natural(row)[0] for row in rows}})
    }
    objects: list[M] = []
    created: list[M] = []
    changed: dict[int, M] = {}
    changed_fields: set[str] = set()
    for row in rows:
        obj = existing.get(natural(row))
        if obj is None:
            obj = model(**row)
            existing[natural(row)] = obj
            created.append(obj)
        else:
            for name, value in row.items():
                if getattr(obj, attname(name)) != raw(value):
                    setattr(obj, name, value)
                    changed[id(obj)] = obj
                    changed_fields.add(name)
        objects.append(obj)
    relations = [field.name for field in model._meta.concrete_fields if field.is_relation]
    for obj in [*created, *changed.values()]:
        obj.clean_fields(exclude=relations)
        obj.clean()
        if check is not None:
            check(obj)
    model._default_manager.bulk_create(created)
    if changed:
        model._default_manager.bulk_update(list(changed.values()), sorted(changed_fields))
    return objects


T = TypeVar("T")


def _weighted(rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day_between(rng: random.Random, earliest: datetime.date, latest: datetime.date) -> datetime.date:
    return earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))


def _birth_date_for_age(rng: random.Random, age: int) -> datetime.date:
    """A birth date that makes the person `age` years old on ANCHOR."""
    latest = dates.born_on_or_before(ANCHOR, age)
    earliest = dates.born_on_or_before(ANCHOR, age + 1) + datetime.timedelta(days=1)
    return _day_between(rng, earliest, latest)


def _spaced_birth_date(births: list[datetime.date], draw: Callable[[], datetime.date]) -> datetime.date:
    """A birth date at least MIN_SIBLING_GAP from the brothers' and sisters' (within a few tries)."""
    for _ in range(20):
        born = draw()
        if all(abs(born - other) >= MIN_SIBLING_GAP for other in births):
            break
    births.append(born)
    return born
