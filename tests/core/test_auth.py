"""Sign-in as a security officer expects: two factors, lock-out, idle timeout, sign-out, reset."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEvent

from ..conftest import People, current_code, sign_in
from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_password_alone_reaches_only_the_code_page(client: Client, people: People) -> None:
    response = client.post("/logg-inn/", {"username": people.follower.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/kode/")
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"].startswith("/logg-inn/kode/")


def test_email_is_matched_without_regard_to_case(client: Client, people: People) -> None:
    response = client.post("/logg-inn/", {"username": people.follower.email.upper(), "password": PASSWORD})
    assert response.status_code == 302


def test_correct_code_completes_sign_in_and_is_audited(client: Client, people: People) -> None:
    sign_in(client, people.follower)
    assert client.get("/").status_code == 200
    actions = list(AuditEvent.objects.filter(actor=people.follower).values_list("action", flat=True))
    assert "auth.password_ok" in actions
    assert "auth.otp_verified" in actions


def test_wrong_code_is_refused_with_a_message(client: Client, people: People) -> None:
    client.post("/logg-inn/", {"username": people.follower.email, "password": PASSWORD})
    right = current_code(people.follower)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post("/logg-inn/kode/", {"token": wrong})
    assert response.status_code == 400
    assert "Feil eller utløpt kode" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.otp_failed", actor=people.follower).exists()
    assert client.get("/").status_code == 302


def test_a_person_without_a_device_must_enrol_first(client: Client, db: None) -> None:
    user = UserFactory()
    client.post("/logg-inn/", {"username": user.email, "password": PASSWORD})
    response = client.get("/logg-inn/kode/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/tofaktor/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    from django_otp.oath import TOTP

    code = f"{TOTP(device.bin_key).token():06d}"
    done = client.post("/logg-inn/tofaktor/", {"token": code})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_enrolled", actor=user).exists()


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client: Client, people: People) -> None:
    for _ in range(5):
        response = client.post("/logg-inn/", {"username": people.follower.email, "password": "wrong password"})
    assert response.status_code == 429
    assert "låst" in response.content.decode()
    locked = client.post("/logg-inn/", {"username": people.follower.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 5


def test_wrong_codes_count_towards_the_same_lock_out(client: Client, people: People) -> None:
    client.post("/logg-inn/", {"username": people.follower.email, "password": PASSWORD})
    right = int(current_code(people.follower))
    statuses = []
    for n in range(1, 6):
        TOTPDevice.objects.filter(user=people.follower).update(throttling_failure_count=0)
        statuses.append(client.post("/logg-inn/kode/", {"token": f"{(right + n) % 1_000_000:06d}"}).status_code)
    assert statuses[-1] == 429
    # Locked out and signed out: the password no longer opens the door.
    assert client.post("/logg-inn/", {"username": people.follower.email, "password": PASSWORD}).status_code == 429


def test_an_idle_session_is_signed_out_after_thirty_minutes(client: Client, people: People) -> None:
    start = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, people.follower)
        assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=31))
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")
    follow = client.get(response["Location"])
    assert "30 minutter uten aktivitet" in follow.content.decode()
    assert AuditEvent.objects.filter(action="auth.idle_timeout", actor=people.follower).exists()


def test_idle_timeout_answers_the_api_with_401(client: Client, people: People) -> None:
    start = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, people.follower)
        traveller.shift(datetime.timedelta(minutes=31))
        response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_expired"


def test_sign_out_ends_the_session(client: Client, people: People) -> None:
    sign_in(client, people.follower)
    response = client.post("/logg-ut/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", actor=people.follower).exists()


def test_sign_out_by_get_is_refused(client: Client, people: People) -> None:
    sign_in(client, people.follower)
    assert client.get("/logg-ut/").status_code == 405
    assert client.get("/").status_code == 200


def test_password_reset_by_email_and_the_code_is_still_needed(client: Client, people: People) -> None:
    response = client.post("/passord/glemt/", {"email": people.follower.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people.follower.email]
    link = re.search(r"https?://[^/]+(/passord/ny/\S+/)", str(message.body))
    assert link, message.body
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    new_password = "Et helt nytt passord 2026"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    assert client.post("/logg-inn/", {"username": people.follower.email, "password": new_password}).status_code == 302
    assert client.get("/").status_code == 302  # still needs the second factor
    assert AuditEvent.objects.filter(action="auth.password_reset_done", actor=people.follower).exists()


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client: Client, db: None) -> None:
    response = client.post("/passord/glemt/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_open_redirect_after_sign_in_is_refused(client: Client, people: People) -> None:
    client.post("/logg-inn/", {"username": people.follower.email, "password": PASSWORD})
    response = client.post("/logg-inn/kode/?next=https://evil.example/", {"token": current_code(people.follower)})
    assert response.status_code == 302
    assert response["Location"] == "/"


# --- The lock-out counts the account, whatever spelling of the e-mail is typed --------------


def _fullwidth(text: str) -> str:
    """Letters and digits as full-width forms, which Unicode NFKC folds back to ASCII."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


SPELLINGS = {
    "upper case": str.upper,
    "title case": str.title,
    "spaces around": lambda email: f"  {email}\t ",
    "full-width letters": _fullwidth,
}


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_wrong_passwords_in_another_spelling_lock_the_same_account(
    client: Client, people: People, spelling: Any
) -> None:
    typed = spelling(people.follower.email)
    assert typed != people.follower.email
    for _ in range(5):
        response = client.post("/logg-inn/", {"username": typed, "password": "wrong password"})
    assert response.status_code == 429
    for email in (people.follower.email, typed, people.follower.email.upper()):
        locked = Client().post("/logg-inn/", {"username": email, "password": PASSWORD})
        assert locked.status_code == 429, email


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_failures_spread_over_spellings_add_up(client: Client, people: People, spelling: Any) -> None:
    email = people.follower.email
    for typed in (email, spelling(email), email.upper(), spelling(email), f" {email} "):
        client.post("/logg-inn/", {"username": typed, "password": "wrong password"})
    response = Client().post("/logg-inn/", {"username": spelling(email), "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_any_spelling_signs_in_when_not_locked(client: Client, people: People, spelling: Any) -> None:
    response = client.post("/logg-inn/", {"username": spelling(people.follower.email), "password": PASSWORD})
    assert response.status_code == 302
    assert client.post("/logg-inn/kode/", {"token": current_code(people.follower)}).status_code == 302
    assert client.get("/").status_code == 200


def test_the_right_code_is_refused_while_the_account_is_locked(client: Client, people: People) -> None:
    # The password step is passed first; then someone locks the account from elsewhere.
    assert client.post("/logg-inn/", {"username": people.follower.email, "password": PASSWORD}).status_code == 302
    attacker = Client()
    for _ in range(5):
        attacker.post("/logg-inn/", {"username": people.follower.email.upper(), "password": "wrong password"})
    response = client.post("/logg-inn/kode/", {"token": current_code(people.follower)})
    assert response.status_code == 429
    assert client.get("/").status_code == 302  # not signed in
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.otp_refused_locked", actor=people.follower).exists()


def test_the_code_page_is_refused_while_the_account_is_locked(client: Client, people: People) -> None:
    client.post("/logg-inn/", {"username": people.follower.email, "password": PASSWORD})
    for _ in range(5):
        Client().post("/logg-inn/", {"username": f" {people.follower.email} ", "password": "wrong password"})
    assert client.get("/logg-inn/kode/").status_code == 429


def test_the_right_password_does_not_reset_the_count_of_wrong_codes(client: Client, people: People) -> None:
    right = int(current_code(people.follower))
    statuses = []
    for n in range(1, 6):
        # Each round the password step is passed again, in another spelling.
        typed = people.follower.email if n % 2 else people.follower.email.upper()
        assert client.post("/logg-inn/", {"username": typed, "password": PASSWORD}).status_code == 302
        TOTPDevice.objects.filter(user=people.follower).update(throttling_failure_count=0)
        statuses.append(client.post("/logg-inn/kode/", {"token": f"{(right + n) % 1_000_000:06d}"}).status_code)
    assert statuses[-1] == 429
    assert Client().post("/logg-inn/", {"username": people.follower.email, "password": PASSWORD}).status_code == 429


def test_a_complete_sign_in_clears_earlier_failures(client: Client, people: People) -> None:
    for _ in range(4):
        Client().post("/logg-inn/", {"username": people.follower.email.upper(), "password": "wrong password"})
    sign_in(client, people.follower)
    for _ in range(4):
        response = Client().post("/logg-inn/", {"username": people.follower.email, "password": "wrong password"})
    assert response.status_code != 429
