"""`make bench`: how the main pages behave as data grows.

Each page is requested as the person who uses it, first on the demo data, then again after the
data has grown (more units led, more staff, many more audit entries). For every page the table
shows the number of database queries and the median time. A page whose query count grows with
the data is an N+1 bug: the command then fails.
"""

from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Contact, FollowUp, FollowUpAssignment, Offence, Youth
from core import audit
from core.dates import add_months, today_in_oslo
from core.models import User
from org.models import StaffRole, Unit
from referrals.models import ConcernReport, ConcernReportChild, IntakeCandidate
from teams.models import ActionItem, Meeting, MeetingKind, MeetingParticipant, TransitionItem, TransitionPoint


@dataclass(frozen=True)
class Page:
    name: str
    who: str
    url: Callable[[], str]


class QueryCounter:
    """A database execute wrapper that counts the queries of one request."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Measure query counts and response times of the main pages at growing data sizes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--growth", type=int, default=10, help="How many times to grow the data.")
        parser.add_argument("--repeat", type=int, default=15, help="Requests per page and size.")

    def handle(self, *args: Any, **options: Any) -> None:
        leader = User.objects.get(email="leader@demo.laget.no")
        unit = Unit.objects.filter(roles__user=leader, roles__role=StaffRole.Role.LEADER).first()
        if unit is None:
            raise CommandError("Run `manage.py seed_demo` first: the bench uses the demo people.")
        youth = Youth.objects.filter(followups__unit=unit, followups__state=FollowUp.State.ACTIVE).first()
        if youth is None:
            raise CommandError("The demo data has no active follow-up in the leader's unit.")
        meeting = Meeting.objects.filter(youth=youth).order_by("-starts_at").first()
        intake = Meeting.objects.filter(
            kind=MeetingKind.INTAKE, district=unit.district, state=Meeting.State.PLANNED
        ).first()
        report = ConcernReport.objects.filter(caseworker__email="caseworker@demo.laget.no").first()
        # A youth turning 18 within the year: the plan with "Etter 18", its API and the handover form.
        soon = add_months(today_in_oslo(), -17 * 12)
        near_18 = (
            Youth.objects.filter(followups__unit=unit, followups__state=FollowUp.State.ACTIVE, birth_date__lte=soon)
            .order_by("-birth_date")
            .first()
        ) or youth
        if meeting is None or intake is None or report is None:
            raise CommandError("The demo data has no meetings or concern reports: run `manage.py seed_demo` first.")
        pages = [
            Page("home (leader)", "leader@demo.laget.no", lambda: "/"),
            Page("meetings (follower)", "follower@demo.laget.no", lambda: "/moter/"),
            Page("meeting page", "leader@demo.laget.no", lambda: f"/moter/{meeting.pk}/"),
            Page("calendar", "follower@demo.laget.no", lambda: "/kalender/"),
            Page("intake queue", "coordinator@demo.laget.no", lambda: "/inntak/"),
            Page("intake mode", "coordinator@demo.laget.no", lambda: f"/inntak/mote/{intake.pk}/"),
            Page("concern reports", "caseworker@demo.laget.no", lambda: "/meldinger/innkommende/"),
            Page("deadline list", "caseworker@demo.laget.no", lambda: "/meldinger/frister/"),
            Page("concern report", "caseworker@demo.laget.no", lambda: f"/meldinger/{report.pk}/"),
            Page("reports sent (school)", "school@demo.laget.no", lambda: "/meldinger/sendt/"),
            Page("API concern reports", "caseworker@demo.laget.no", lambda: "/api/v1/concern-reports/"),
            Page("home (follower)", "follower@demo.laget.no", lambda: "/"),
            Page("home (coordinator)", "coordinator@demo.laget.no", lambda: "/"),
            Page("unit page", "leader@demo.laget.no", lambda: f"/enheter/{unit.pk}/"),
            Page("unit audit trail", "leader@demo.laget.no", lambda: f"/enheter/{unit.pk}/logg/"),
            Page("turning 18 (leader)", "leader@demo.laget.no", lambda: f"/enheter/{unit.pk}/fyller-18/"),
            Page("API units", "leader@demo.laget.no", lambda: "/api/v1/units/"),
            Page("API unit audit", "leader@demo.laget.no", lambda: f"/api/v1/units/{unit.pk}/audit/"),
            Page("youth list (leader)", "leader@demo.laget.no", lambda: "/ungdommer/"),
            Page("youth search", "leader@demo.laget.no", lambda: f"/ungdommer/?q={youth.last_name}"),
            Page("youth page", "leader@demo.laget.no", lambda: f"/ungdommer/{youth.pk}/"),
            Page("plan page", "leader@demo.laget.no", lambda: f"/ungdommer/{youth.pk}/plan/"),
            Page("plan mode", "leader@demo.laget.no", lambda: f"/ungdommer/{youth.pk}/plan/mote/{meeting.pk}/"),
            Page("plan versions", "leader@demo.laget.no", lambda: f"/ungdommer/{youth.pk}/plan/versjoner/"),
            Page("Min plan PDF", "leader@demo.laget.no", lambda: f"/ungdommer/{youth.pk}/plan/min-plan.pdf"),
            Page("plan page (18 soon)", "leader@demo.laget.no", lambda: f"/ungdommer/{near_18.pk}/plan/"),
            Page("Min plan PDF (18)", "leader@demo.laget.no", lambda: f"/ungdommer/{near_18.pk}/plan/min-plan.pdf"),
            Page(
                "handover form (18)",
                "leader@demo.laget.no",
                lambda: f"/ungdommer/{near_18.pk}/plan/etter-18/overgangsmote/",
            ),
            Page("API checklist (18)", "leader@demo.laget.no", lambda: f"/api/v1/youths/{near_18.pk}/transition/"),
            Page("contact form", "follower@demo.laget.no", lambda: "/ungdommer/kontakter/ny/"),
            Page("API youths", "leader@demo.laget.no", lambda: "/api/v1/youths/"),
            Page("API youth timeline", "leader@demo.laget.no", lambda: f"/api/v1/youths/{youth.pk}/timeline/"),
            Page("API meetings", "follower@demo.laget.no", lambda: "/api/v1/meetings/"),
            Page("API meeting", "leader@demo.laget.no", lambda: f"/api/v1/meetings/{meeting.pk}/"),
            Page("API team", "leader@demo.laget.no", lambda: f"/api/v1/youths/{youth.pk}/team/"),
            Page("API plan", "leader@demo.laget.no", lambda: f"/api/v1/youths/{youth.pk}/plan/"),
            Page("API consents", "leader@demo.laget.no", lambda: f"/api/v1/youths/{youth.pk}/consents/"),
            Page("API discussions", "coordinator@demo.laget.no", lambda: "/api/v1/discussions/"),
            Page("API intake queue", "coordinator@demo.laget.no", lambda: "/api/v1/intake/queue/"),
        ]
        base = self._measure(pages, options["repeat"])
        self._grow(leader, unit, options["growth"])
        grown = self._measure(pages, options["repeat"])
        self.stdout.write(f"{'page':<22}{'queries':>9}{'→ grown':>9}{'median ms':>11}{'→ grown':>9}")
        failures = []
        for page in pages:
            (q0, t0), (q1, t1) = base[page.name], grown[page.name]
            self.stdout.write(f"{page.name:<22}{q0:>9}{q1:>9}{t0:>11.1f}{t1:>9.1f}")
            if q1 > q0:
                failures.append(page.name)
        if failures:
            raise CommandError(f"Query count grows with the data on: {', '.join(failures)}")
        self.stdout.write(self.style.SUCCESS("Query counts are constant as the data grows."))

    def _client(self, email: str) -> Client:
        user = User.objects.get(email=email)
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
        session.save()
        return client

    def _measure(self, pages: list[Page], repeat: int) -> dict[str, tuple[int, float]]:
        results = {}
        for page in pages:
            client = self._client(page.who)
            url = page.url()
            client.get(url)  # warm caches and connections
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{page.name}: {url} answered {response.status_code}")
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            results[page.name] = (counter.count, statistics.median(times))
        return results

    @transaction.atomic
    def _grow(self, leader: User, unit: Unit, growth: int) -> None:
        staff = list(User.objects.filter(roles__unit=unit).distinct())
        for n in range(growth):
            extra = Unit.objects.create(
                name=f"Benkenhet {n} {time.time_ns()}", kind=Unit.Kind.SALTO, district=unit.district
            )
            StaffRole.objects.create(user=leader, unit=extra, role=StaffRole.Role.LEADER)
            for m in range(10):
                person = User.objects.create_user(
                    f"bench{n}-{m}-{time.time_ns()}@bench.invalid", full_name=f"Benk {n}.{m}"
                )
                StaffRole.objects.create(user=person, unit=extra, role=StaffRole.Role.FOLLOWER)
                StaffRole.objects.create(user=person, unit=unit, role=StaffRole.Role.FOLLOWER)
        for i in range(growth * 500):
            audit.record(actor=staff[i % len(staff)], action="bench.read", target=unit)
        # More youths in the leader's unit, each with a follow-up, contacts and offences.
        followers = list(User.objects.filter(roles__unit=unit, roles__role=StaffRole.Role.FOLLOWER).distinct())
        author = followers[0]
        today = timezone.localdate()
        district = unit.district
        assert district is not None
        for n in range(growth * 5):
            # Every other one turns 18 within the year (the leader's turning 18 list).
            born = add_months(today, n % 12 - 18 * 12) if n % 2 else datetime.date(2011, 1, 1)
            youth = Youth.objects.create(first_name=f"Benk{n}", last_name="Hansen", birth_date=born, district=district)
            followup = FollowUp.objects.create(youth=youth, unit=unit, state=FollowUp.State.ACTIVE, started_on=today)
            FollowUpAssignment.objects.create(
                followup=followup, user=followers[n % len(followers)], role="lead", starts_on=today
            )
            Contact.objects.bulk_create(
                Contact(
                    youth=youth,
                    followup=followup,
                    author=author,
                    occurred_at=timezone.now() - datetime.timedelta(days=d),
                    duration_minutes=30,
                    kind="conversation",
                    participants=["youth"],
                    text="Benk",
                )
                for d in range(20)
            )
            Offence.objects.create(youth=youth, committed_on=today, kind="theft", registered_by=author)
            if n % 4 == 1:
                TransitionItem.objects.create(
                    youth=youth,
                    point=TransitionPoint.HOUSING,
                    state=TransitionItem.State.SETTLED,
                    how="Benk",
                    settled_by=author,
                    settled_at=timezone.now(),
                    changed_by=author,
                )
        self._grow_meetings(unit, growth)
        # And a longer history for the youth whose page is measured.
        measured = Youth.objects.filter(followups__unit=unit, followups__state=FollowUp.State.ACTIVE).first()
        assert measured is not None
        followup = measured.followups.get(state=FollowUp.State.ACTIVE)
        Contact.objects.bulk_create(
            Contact(
                youth=measured,
                followup=followup,
                author=author,
                occurred_at=timezone.now() - datetime.timedelta(hours=h),
                duration_minutes=30,
                kind="phone",
                participants=["youth"],
                text="Benk",
            )
            for h in range(growth * 20)
        )

    def _grow_meetings(self, unit: Unit, growth: int) -> None:
        """More meetings with participants and action items for the demo follower and the measured
        youth, and more candidates in the district's intake queue."""
        follower = User.objects.get(email="follower@demo.laget.no")
        youth = Youth.objects.filter(followups__unit=unit, followups__state=FollowUp.State.ACTIVE).first()
        assert youth is not None
        assert unit.district is not None
        now = timezone.now()
        for n in range(growth * 5):
            meeting = Meeting.objects.create(
                kind=MeetingKind.TEAM,
                unit=unit,
                youth=youth,
                starts_at=now + datetime.timedelta(days=n % 14, hours=1),
                ends_at=now + datetime.timedelta(days=n % 14, hours=2),
                place="Benkerom",
                created_by=follower,
            )
            MeetingParticipant.objects.create(meeting=meeting, kind="staff", user=follower, unit=unit)
            ActionItem.objects.create(
                meeting=meeting,
                youth=youth,
                title=f"Benkoppgave {n}",
                owner=follower,
                due_on=timezone.localdate() + datetime.timedelta(days=n % 10 - 3),
                created_by=follower,
            )
        self._grow_concern_reports(unit, growth)
        others = Youth.objects.filter(district=unit.district, followups__isnull=True, intake_candidacies__isnull=True)
        for other in others[: growth * 2]:
            IntakeCandidate.objects.create(
                district=unit.district, youth=other, proposed_by_unit=unit, proposed_by=follower, reason="Benk"
            )

    def _grow_concern_reports(self, unit: Unit, growth: int) -> None:
        """More concern reports for the demo caseworker's service, each with a child."""
        caseworker = User.objects.get(email="caseworker@demo.laget.no")
        barnevern = Unit.objects.filter(roles__user=caseworker, kind=Unit.Kind.BARNEVERN).first()
        assert barnevern is not None
        now = timezone.now()
        for n in range(growth * 5):
            report = ConcernReport.objects.create(
                unit=barnevern,
                received_at=now - datetime.timedelta(days=n % 20),
                channel=ConcernReport.Channel.PHONE,
                reporter_kind=ConcernReport.ReporterKind.PRIVATE,
                reporter_name=f"Benkmelder {n}",
                concern="Benk",
                caseworker=caseworker,
                created_by=caseworker,
            )
            ConcernReportChild.objects.create(report=report, name=f"Benkbarn {n}")
