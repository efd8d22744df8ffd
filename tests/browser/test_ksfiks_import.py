"""A barnevern caseworker imports a KS Fiks document on the import page, as a person does: the
page says which fields were not taken into the report, the report page lists them and opens the
original byte for byte; a text over the form's limit is refused with its path and limit. At a
phone's and a desktop's width, without serious or critical axe violations."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from referrals.models import ConcernReport, KsFiksDocument

from ..conftest import People, current_code
from ..factories import PASSWORD
from ..referrals.concern_pages import build_pages
from .conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parents[1] / "referrals" / "fixtures"
# Screenshots for a person to look at (KSFIKS_SHOTS=/some/dir); the test's tmp_path otherwise.
SHOTS = os.environ.get("KSFIKS_SHOTS", "")


def _sign_in(page: Any, base: str, user: Any) -> None:
    page.goto(f"{base}/logg-inn/")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Fortsett").click()
    page.wait_for_url("**/logg-inn/kode/**")
    page.get_by_label("Sekssifret kode").fill(current_code(user))
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1920, 1080)])
def test_a_caseworker_imports_on_the_page_and_is_told_what_was_not_taken(
    live_server: Any, page_at: Any, people: People, tmp_path: Path, width: int, height: int
) -> None:
    pages = build_pages(people)
    shots = Path(SHOTS) if SHOTS else tmp_path
    document = json.loads((FIXTURES / "privatBekymringsmeldingV2.json").read_text(encoding="utf-8"))
    document["foresatte"] = [{"personnavn": "Guri Hansen", "telefonnummer": "41 00 00 01", "orientert": False}]
    body = json.dumps(document, ensure_ascii=False, indent=2).encode()
    upload = tmp_path / "melding.json"
    upload.write_bytes(body)

    page = page_at(width, height)
    _sign_in(page, live_server.url, pages.caseworker)
    page.goto(f"{live_server.url}/meldinger/importer/")
    assert axe_violations(page) == []
    page.get_by_label("Meldingen som KS Fiks-JSON").set_input_files(str(upload))
    page.get_by_role("button", name="Importer meldingen").click()
    page.wait_for_url("**/meldinger/*/")

    text = page.locator("main").inner_text()
    assert "Ikke tatt inn i meldingen, men tatt vare på i det opprinnelige KS Fiks-dokumentet" in text
    assert "foresatte" in page.locator("#ksfiks-unmapped").inner_text()
    assert axe_violations(page) == []
    page.screenshot(path=shots / f"ksfiks-imported-{width}.png", full_page=True)

    report = ConcernReport.objects.get()
    assert bytes(KsFiksDocument.objects.get(report=report).content) == body
    with page.expect_response(f"**/meldinger/{report.pk}/ks-fiks-original.json") as answer:
        page.get_by_role("link", name="Vis originalen").click()
    assert answer.value.body() == body

    # Too long: refused with the path and the limit, nothing saved.
    document["melding"] = "x" * 2_000_000
    upload.write_bytes(json.dumps(document).encode())
    page.goto(f"{live_server.url}/meldinger/importer/")
    page.get_by_label("Meldingen som KS Fiks-JSON").set_input_files(str(upload))
    page.get_by_role("button", name="Importer meldingen").click()
    page.wait_for_load_state()
    assert "melding: høyst 20000 tegn (det har 2000000)." in page.locator("main").inner_text()
    page.screenshot(path=shots / f"ksfiks-refused-{width}.png", full_page=True)
    assert ConcernReport.objects.count() == 1
