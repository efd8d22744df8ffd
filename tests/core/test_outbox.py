"""The e-mail outbox and Redis outages (issue 11, defect 1).

A real Redis server of the test's own (started and stopped here) plays the broker, so "the
broker is down" is a stopped server, not a mock; the mail server is Django's test outbox, with
backends that fail or die the way a mail server or a worker does.
"""

from __future__ import annotations

import contextlib
import datetime
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
import time_machine
from celery import current_app
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import Contact
from config.celery import _deliver_waiting_email
from core import notifications, outbox, tasks
from core.models import Notification, User
from referrals.models import ConcernReport

from ..cases.factories import followed_youth
from ..cases.test_contacts import _post_data as contact_post_data
from ..conftest import People
from ..referrals.concern_pages import Pages, build_pages, form_data

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SpareRedis:
    """A Redis server of the test's own that can be stopped and started again."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (a fixed local binary and arguments)
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("the spare Redis did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def queued(self) -> int:
        return int(redis.Redis.from_url(self.url).llen("celery"))


@contextlib.contextmanager
def celery_publishing_to(url: str) -> Iterator[None]:
    """Celery publishing to the broker at `url` (not eager), restored afterwards."""
    conf = current_app.conf
    saved = (conf.task_always_eager, conf.broker_url)

    def forget_connections() -> None:  # the producer pools hold connections to the old broker
        current_app._pool = None
        current_app.amqp._producer_pool = None

    conf.task_always_eager, conf.broker_url = False, url
    forget_connections()
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url = saved
        forget_connections()


@pytest.fixture
def broker() -> Iterator[SpareRedis]:
    spare = SpareRedis()
    spare.start()
    try:
        with celery_publishing_to(spare.url):
            yield spare
    finally:
        spare.stop()


@pytest.fixture
def pages(people: People) -> Pages:
    return build_pages(people)


def test_with_the_broker_down_the_school_sees_its_receipt_and_the_email_goes_out_when_it_returns(
    broker: SpareRedis, pages: Pages, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    from ..conftest import sign_in

    sign_in(client, pages.school_contact)
    broker.stop()  # the broker goes away while the school contact writes the report
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/meldinger/ny/", form_data(pages))
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    report = ConcernReport.objects.get()
    note = Notification.objects.get(recipient=pages.caseworker)
    assert note.email_state == Notification.EmailState.PENDING
    assert mail.outbox == []

    broker.start()  # back, empty: whatever had been queued is gone
    # A worker that starts sends what waits; so does beat's sweep every minute.
    _deliver_waiting_email()
    assert broker.queued() == 1
    assert tasks.notifications_deliver_due() == 1
    assert [message.to for message in mail.outbox] == [[pages.caseworker.email]]
    assert "Per" not in mail.outbox[0].body  # the e-mail never names the child
    note.refresh_from_db()
    assert note.email_state == Notification.EmailState.SENT
    assert note.emailed_at is not None
    # Sweeps and doorbells after that send nothing more.
    assert tasks.notifications_deliver_due() == 0
    assert tasks.notification_email(note.pk) is False
    assert len(mail.outbox) == 1
    assert report.pk


def test_with_the_broker_up_a_new_notification_rings_the_doorbell(
    broker: SpareRedis, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(recipient=people.follower, kind="test", key="doorbell", title="Noe nytt")
    assert broker.queued() == 1


@pytest.fixture
def redis_down() -> Iterator[None]:
    """Every use of Redis (the cache and the broker) points at a port where nothing answers."""
    dead = f"redis://127.0.0.1:{_free_port()}/0"
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": dead,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    with override_settings(CACHES=caches), celery_publishing_to(dead):
        yield


def test_with_redis_stopped_people_sign_in_read_pages_and_save(
    redis_down: None, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.cache import cache

    from ..conftest import sign_in

    assert cache.get("anything") is None  # the cache answers as a miss, it does not raise
    youth = followed_youth(people.unit, lead=people.follower)
    client = sign_in(Client(), people.follower)
    assert client.get(reverse("reports:home")).status_code == 200
    assert client.get(reverse("cases:youth_detail", args=[youth.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:contact_create"), contact_post_data([youth]))
    assert response.status_code == 302
    assert Contact.objects.filter(youth=youth).count() == 1
    # A notification made while the broker is away is kept for the sweep.
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(recipient=people.follower, kind="test", key="outage", title="Noe nytt")
    assert Notification.objects.get(key="outage").email_state == Notification.EmailState.PENDING


class DiesAfterSending(EmailBackend):
    """The worker is killed after the mail server took the e-mail, before Laget recorded it."""

    def send_messages(self, messages: Any) -> int:
        sent = super().send_messages(messages)
        raise SystemExit("worker lost")
        return sent  # pragma: no cover


class DiesBeforeSending(EmailBackend):
    def send_messages(self, messages: Any) -> int:
        raise SystemExit("worker lost")


def _waiting(people: People, key: str = "reminder") -> Notification:
    note = notifications.notify(recipient=people.follower, kind="test", key=key, title="Påminnelse")
    assert note is not None
    return note


@override_settings(EMAIL_BACKEND="tests.core.test_outbox.DiesAfterSending")
def test_a_worker_killed_after_sending_leaves_at_most_one_duplicate(people: People) -> None:
    note = _waiting(people)
    with pytest.raises(SystemExit):
        outbox.notification_deliver(notification_id=note.pk)
    assert len(mail.outbox) == 1
    note.refresh_from_db()
    assert note.email_state == Notification.EmailState.SENDING
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        # Redelivered at once, or swept within the lease: not sent again yet.
        assert outbox.notification_deliver(notification_id=note.pk) is False
        assert outbox.notifications_deliver_due() == 0
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
            # The lease ran out: unknown whether it left, so it is sent again (the documented duplicate).
            assert outbox.notifications_deliver_due() == 1
            assert outbox.notifications_deliver_due() == 0
    assert len(mail.outbox) == 2
    note.refresh_from_db()
    assert (note.email_state, note.email_attempts) == (Notification.EmailState.SENT, 2)


@override_settings(EMAIL_BACKEND="tests.core.test_outbox.DiesBeforeSending")
def test_a_worker_killed_before_sending_loses_nothing(people: People) -> None:
    note = _waiting(people)
    with pytest.raises(SystemExit):
        outbox.notifications_deliver_due()
    assert mail.outbox == []
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)),
    ):
        assert outbox.notifications_deliver_due() == 1
    assert len(mail.outbox) == 1
    note.refresh_from_db()
    assert note.email_state == Notification.EmailState.SENT


class MailServerDown(EmailBackend):
    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


@override_settings(EMAIL_BACKEND="tests.core.test_outbox.MailServerDown", LAGET_EMAIL_MAX_ATTEMPTS=3)
def test_a_mail_server_outage_is_retried_with_backoff_and_counted_until_given_up(
    people: People, client: Client
) -> None:
    note = _waiting(people)
    start = timezone.now()
    assert outbox.notifications_deliver_due() == 1
    note.refresh_from_db()
    assert note.email_state == Notification.EmailState.PENDING
    assert note.email_attempts == 1
    assert note.email_next_attempt_at is not None
    assert note.email_next_attempt_at - start >= datetime.timedelta(minutes=1)
    assert "ConnectionRefusedError" in note.email_error
    assert outbox.notifications_deliver_due() == 0  # not before its time

    health = client.get("/healthz").json()
    assert health["email"]["waiting"] == 1
    assert health["email"]["failed"] == 0

    with time_machine.travel(start + datetime.timedelta(minutes=2)):
        outbox.notifications_deliver_due()
    with time_machine.travel(start + datetime.timedelta(minutes=10)):
        outbox.notifications_deliver_due()
    note.refresh_from_db()
    assert (note.email_state, note.email_attempts) == (Notification.EmailState.FAILED, 3)
    health = client.get("/healthz").json()
    assert health["email"] == {"waiting": 0, "oldest_seconds": 0, "failed": 1}


def test_the_leaders_home_page_says_how_many_emails_wait(people: People, as_user: Any) -> None:
    client = as_user(people.leader)
    assert "Ingen e-poster venter på å bli sendt." in client.get("/").content.decode()
    _waiting(people, key="a")
    _waiting(people, key="b")
    page = client.get("/").content.decode()
    assert "2 e-poster fra Laget venter på å bli sendt" in page
    # A follower is not shown the operations notice.
    follower_page = as_user(people.follower).get("/").content.decode()
    assert "venter på å bli sendt" not in follower_page


def test_a_recipient_without_an_email_address_is_marked_and_never_tried_again(people: People) -> None:
    User.objects.filter(pk=people.follower.pk).update(email="")
    note = _waiting(people)
    assert outbox.notifications_deliver_due() == 0
    note.refresh_from_db()
    assert note.email_state == Notification.EmailState.NONE
    assert outbox.notifications_deliver_due() == 0


class SlowMailServer(EmailBackend):
    def send_messages(self, messages: Any) -> int:
        time.sleep(0.3)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
@override_settings(EMAIL_BACKEND="tests.core.test_outbox.SlowMailServer")
def test_two_senders_at_once_send_each_email_once(people: People) -> None:
    # Rows as notify leaves them, without the doorbell (which would send them here and now).
    notes = [
        Notification.objects.create(recipient=people.follower, kind="test", key=f"k{n}", title="Påminnelse")
        for n in range(4)
    ]
    errors: list[BaseException] = []

    def sender(target: Any, **kwargs: Any) -> None:
        try:
            target(**kwargs)
        except BaseException as exc:  # noqa: BLE001 (reported to the test below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender, args=(outbox.notifications_deliver_due,)) for _ in range(2)]
    threads += [
        threading.Thread(target=sender, args=(outbox.notification_deliver,), kwargs={"notification_id": n.pk})
        for n in notes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(tuple(message.to) for message in mail.outbox) == [(people.follower.email,)] * 4
    assert set(Notification.objects.values_list("email_state", flat=True)) == {Notification.EmailState.SENT}
