"""The state of a consent (in force, ends soon, withdrawn, refused, lapsed at 18, …), from its
current version, in the terms of consent.policy: asked by the consent pages and the consent API
alike, so both say the same of the same consent."""

from __future__ import annotations

import datetime

from cases.models import Youth

from .models import ConsentAnswer, ConsentVersion
from .policy import guardian_based, version_in_force
from .services import EXPIRY_NOTICE_DAYS  # the reminder's notice: "ends soon" means the same

STATES = ("in_force", "expiring", "withdrawn", "refused", "lapsed_18", "not_started", "ended", "incomplete")


def consent_state(version: ConsentVersion, youth: Youth, day: datetime.date) -> str:
    """The state of a consent, from its current version, in the terms of consent.policy:
    only a version `version_in_force` opens anything; the other states say why not."""
    if version.is_withdrawn:
        return "withdrawn"
    if any(a.answer == ConsentAnswer.Answer.REFUSED for a in version.answers.all()):
        return "refused"
    if day < version.valid_from:
        return "not_started"
    if day > version.valid_to:
        return "ended"
    if guardian_based(version) and youth.age_on(day) >= 18:
        return "lapsed_18"
    if not version_in_force(version, youth, day):
        return "incomplete"
    soon = day + datetime.timedelta(days=EXPIRY_NOTICE_DAYS)
    if version.valid_to <= soon or (guardian_based(version) and youth.eighteenth_birthday <= soon):
        return "expiring"
    return "in_force"
