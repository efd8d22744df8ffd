"""Serializers of the transition checklist's API (issue 14). The output serializers render what
teams.transition.selectors decided a person may see (Checklist, Point): a point withheld by the
sharing policy says only that it is withheld. The input serializers only read types, choices and
lengths; the rules (what each point needs, the lead point's age limits, who may settle) live in
teams.transition.services and come back as the API's 400 format."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from rest_framework import serializers

from teams.models import TRANSITION_HOW_MAX, TRANSITION_NAME_MAX, TransitionItem, TransitionPoint
from teams.serializers import MAX_ID
from teams.transition.policy import point_actions

# --- Output ------------------------------------------------------------------------------


class NamedSerializer(serializers.Serializer[Any]):
    """A service or a person by id and name."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class ConsentLinkSerializer(serializers.Serializer[Any]):
    """The youth's own consent that settles the consent point, and where the API shows it."""

    id = serializers.IntegerField(help_text="The consent's id.")
    url = serializers.CharField(help_text="The consent in the API (GET).")


def _named(pk: int | None, name: str) -> dict[str, Any] | None:
    return None if pk is None else {"id": pk, "name": name}


WITHHELD_FIELDS = (
    "state",
    "settle_by",
    "overdue",
    "how",
    "settled_by_name",
    "settled_at",
    "aftercare_answer",
    "contact_name",
    "unit",
    "lead_outcome",
    "lead_user",
    "lead_until",
    "consent",
)


class TransitionPointSerializer(serializers.Serializer[Any]):
    """One point as the caller may see it (teams.transition.selectors.Point). A withheld point
    (its category is not open to the caller's service) has its point and name only: every
    other field is null and `actions` empty."""

    point = serializers.ChoiceField(choices=TransitionPoint.choices)
    name = serializers.CharField(help_text="The point, as the page names it.")
    withheld = serializers.BooleanField(help_text="No consent or legal basis lets the caller's service see it.")
    state = serializers.ChoiceField(choices=TransitionItem.State.choices, allow_null=True)
    settle_by = serializers.DateField(allow_null=True, help_text="By when the point should be settled.")
    overdue = serializers.BooleanField(allow_null=True, help_text="Open, and past the day it should be settled by.")
    how = serializers.CharField(allow_null=True, help_text="How it was settled, or why it does not apply.")
    settled_by_name = serializers.CharField(allow_null=True, help_text="Who settled it (or marked it as not applying).")
    settled_at = serializers.DateTimeField(allow_null=True)
    aftercare_answer = serializers.ChoiceField(
        choices=TransitionItem.AftercareAnswer.choices, allow_null=True, help_text="The aftercare point: the answer."
    )
    contact_name = serializers.CharField(allow_null=True, help_text="NAV and health: the contact who takes over.")
    unit = NamedSerializer(allow_null=True, help_text="The receiving service, or the lead's service after 18.")
    lead_outcome = serializers.ChoiceField(
        choices=TransitionItem.LeadOutcome.choices, allow_null=True, help_text="The lead point: the follow-up at 18."
    )
    lead_user = NamedSerializer(allow_null=True, help_text="The lead point: who holds lead responsibility after 18.")
    lead_until = serializers.DateField(
        allow_null=True, help_text="The lead point: until when the service may follow the youth (its age limit)."
    )
    consent = ConsentLinkSerializer(allow_null=True, help_text="The consent point: the youth's own consent in force.")
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=["settle", "not_applicable", "reopen"]),
        help_text="What the caller can do with the point now.",
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"point": instance.point, "name": instance.label, "withheld": instance.withheld}
        if instance.withheld:
            return data | dict.fromkeys(WITHHELD_FIELDS) | {"actions": []}
        item: TransitionItem | None = instance.item
        consent = instance.consent
        may_change = bool(self.context.get("may_change", False))
        data |= {
            "state": instance.state,
            "settle_by": instance.settle_by.isoformat(),
            "overdue": instance.overdue,
            "consent": None if consent is None else _consent_link(consent.consent_id),
            "actions": list(point_actions(instance.point, instance.state, computed=consent is not None))
            if may_change
            else [],
        }
        return data | _item_fields(item, self.context.get("lead_until"))


def _consent_link(pk: int) -> dict[str, Any]:
    return {"id": pk, "url": reverse("api:consent_detail", args=[pk])}


def _item_fields(item: TransitionItem | None, lead_until: datetime.date | None) -> dict[str, Any]:
    if item is None or item.state == TransitionItem.State.OPEN:
        return dict.fromkeys(WITHHELD_FIELDS[3:-1])
    settled_by, unit, lead = item.settled_by, item.unit, item.lead_user
    return {
        "how": item.how,
        "settled_by_name": None if settled_by is None else settled_by.get_full_name(),
        "settled_at": None
        if item.settled_at is None
        else serializers.DateTimeField().to_representation(item.settled_at),
        "aftercare_answer": item.aftercare_answer or None,
        "contact_name": item.contact_name or None,
        "unit": None if unit is None else _named(unit.pk, unit.name),
        "lead_outcome": item.lead_outcome or None,
        "lead_user": None if lead is None else _named(lead.pk, lead.get_full_name()),
        "lead_until": None if lead_until is None or item.point != TransitionPoint.LEAD else lead_until.isoformat(),
    }


class TransitionProgressSerializer(serializers.Serializer[Any]):
    """How far the checklist has come, over every point (a withheld point is counted, not named)."""

    settled = serializers.IntegerField()
    total = serializers.IntegerField(help_text="The points that apply.")
    overdue = serializers.IntegerField()
    next_alert = serializers.DateField(allow_null=True, help_text="The day of the next alert to the team, if any.")
    step = serializers.IntegerField(allow_null=True, help_text="The alert step in force (months before 18).")


class TransitionChecklistSerializer(serializers.Serializer[Any]):
    """A youth's transition checklist ("Etter 18" in Min plan) as the caller may see it
    (teams.transition.selectors.transition_checklist_shown)."""

    youth = serializers.IntegerField(source="youth.pk")
    birthday = serializers.DateField(help_text="The 18th birthday.")
    due = serializers.BooleanField(help_text="The checklist is due (from the first alert, 12 months before 18).")
    after_birthday = serializers.BooleanField(help_text="The youth has turned 18.")
    may_change = serializers.SerializerMethodField(help_text="May the caller change the checklist?")
    progress = TransitionProgressSerializer()
    withheld = serializers.IntegerField(help_text="Points withheld from the caller by the sharing policy.")
    points = TransitionPointSerializer(many=True)

    def get_may_change(self, checklist: Any) -> bool:
        return bool(self.context.get("may_change", False))


# --- Input -------------------------------------------------------------------------------


def _text(limit: int, help_text: str) -> serializers.CharField:
    return serializers.CharField(max_length=limit, required=False, allow_blank=True, default="", help_text=help_text)


def _id(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None, help_text=help_text
    )


class TransitionSettleSerializer(serializers.Serializer[Any]):
    """Settle a point, or change how it was settled. What each point needs is the service's
    rule: how (always); the youth's answer (aftercare); the named contact (NAV, health); what
    happens at 18, the service and, when known, the person (lead)."""

    how = _text(TRANSITION_HOW_MAX, "How it was settled.")
    aftercare_answer = serializers.ChoiceField(
        choices=TransitionItem.AftercareAnswer.choices, required=False, allow_blank=True, default=""
    )
    contact_name = _text(TRANSITION_NAME_MAX, "NAV and health: the contact person who takes over.")
    unit = _id("The receiving service (NAV, health) or the lead's service after 18: a unit's id.")
    lead_outcome = serializers.ChoiceField(
        choices=TransitionItem.LeadOutcome.choices, required=False, allow_blank=True, default=""
    )
    lead_user = _id("The lead point: the person with a role in the service who holds lead responsibility.")


class TransitionNotApplicableSerializer(serializers.Serializer[Any]):
    reason = _text(TRANSITION_HOW_MAX, "Why the point does not apply to this youth.")
