"""Serializers of the consent API. Input serializers only read and tidy what was sent (types,
lengths, choices, the same date bounds as the consent form); the rules (the age rules, whose
answers count, the signed form's type and size, who may record or withdraw) live in
consent.services and come back as the API's 400 format. Who answered and the youth's view are
shown to those who record consents only, as on the consent pages (decided by consent.api)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.validators import HAPPENED, LONG_PERIOD, NOTE_MAX, PLANNED, REASON_MAX

from .models import Category, Consent, ConsentAnswer, ConsentVersion, LegalBasis, LegalBasisUse
from .states import STATES

# The largest id PostgreSQL's bigint holds: larger numbers are unknown ids, not server errors.
MAX_ID = 2**63 - 1


# --- Output ------------------------------------------------------------------------------


class ConsentAnswerSerializer(serializers.ModelSerializer[ConsentAnswer]):
    guardian_name = serializers.SerializerMethodField()

    class Meta:
        model = ConsentAnswer
        fields = ["party", "guardian", "guardian_name", "answer"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_guardian_name(self, answer: ConsentAnswer) -> str | None:
        return str(answer.guardian) if answer.guardian is not None else None


class ConsentScopeSerializer(serializers.ModelSerializer[ConsentVersion]):
    """What a version covers: what is shared, with which services, in which form, for how long,
    and under which age rule."""

    unit_names = serializers.SerializerMethodField()
    has_document = serializers.SerializerMethodField(
        help_text="A signed form is kept: GET /consents/{id}/versions/{number}/document/ (those who record)."
    )

    class Meta:
        model = ConsentVersion
        fields = [
            "number",
            "event",
            "categories",
            "units",
            "unit_names",
            "form",
            "has_document",
            "valid_from",
            "valid_to",
            "age_rule",
            "outreach_notes_to_police",
            "involve_guardians",
            "recorded_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_unit_names(self, version: ConsentVersion) -> list[str]:
        return sorted(unit.name for unit in version.units.all())

    def get_has_document(self, version: ConsentVersion) -> bool:
        return bool(version.document)


class ConsentVersionSerializer(ConsentScopeSerializer):
    """One version in full (for those who record consents): who answered what, the youth's
    view, who recorded or noted it, and for a withdrawal who withdrew it and why."""

    answers = ConsentAnswerSerializer(many=True, read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by.full_name", read_only=True)
    noted_by_name = serializers.SerializerMethodField()

    class Meta(ConsentScopeSerializer.Meta):
        fields = [
            *ConsentScopeSerializer.Meta.fields,
            "answers",
            "youth_view",
            "recorded_by_name",
            "noted_by_name",
            "noted_at",
            "withdrawn_at",
            "withdrawn_by_party",
            "withdrawn_by_guardian",
            "withdrawal_reason",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_noted_by_name(self, version: ConsentVersion) -> str | None:
        return version.noted_by.full_name if version.noted_by is not None else None


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    """A consent as the consent list shows it: its purpose, its state now and its current
    version. `current.answers` and `current.youth_view` are null for those who do not record
    consents for the youth (they see what a consent covers, not who answered)."""

    state = serializers.CharField(read_only=True, help_text="Its state today: " + ", ".join(STATES) + ".")
    current = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = ["id", "youth", "purpose", "state", "created_at", "current"]
        read_only_fields = fields

    @extend_schema_field(ConsentVersionSerializer)
    def get_current(self, consent: Consent) -> dict[str, Any]:
        version = consent.current  # type: ignore[attr-defined]  # set by consent.api
        if self.context.get("may_record"):
            return dict(ConsentVersionSerializer(version).data)
        data = dict(ConsentScopeSerializer(version).data)
        for name in ConsentVersionSerializer.Meta.fields:
            data.setdefault(name, None)
        return data


class ConsentDetailSerializer(ConsentSerializer):
    """A consent with every version, the newest first (for those who record consents)."""

    versions = serializers.SerializerMethodField()

    class Meta(ConsentSerializer.Meta):
        fields = [*ConsentSerializer.Meta.fields, "versions"]
        read_only_fields = fields

    @extend_schema_field(ConsentVersionSerializer(many=True))
    def get_versions(self, consent: Consent) -> list[Any]:
        versions = sorted(consent.versions.all(), key=lambda v: -v.number)  # prefetched
        return list(ConsentVersionSerializer(versions, many=True).data)


class LegalBasisSerializer(serializers.ModelSerializer[LegalBasis]):
    """A legal basis of the catalogue: which categories it may open, to which kinds of service."""

    class Meta:
        model = LegalBasis
        fields = ["id", "code", "title", "law_reference", "description", "categories", "receiving_kinds"]
        read_only_fields = fields


class LegalBasisUseSerializer(serializers.ModelSerializer[LegalBasisUse]):
    """A use of a legal basis about a youth: what was opened to which service, by whom and until
    when. `reason` is null for a reader who may not read it (consent.selectors.legal_basis_uses_shown)."""

    basis = LegalBasisSerializer(read_only=True)
    actor_name = serializers.CharField(source="actor.full_name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = LegalBasisUse
        fields = ["id", "youth", "basis", "actor", "actor_name", "unit", "unit_name", "categories", "reason"]
        fields += ["starts_at", "until"]
        read_only_fields = fields


class UseRowSerializer(serializers.Serializer[Any]):
    """A use as the consent list and the leader's review show it (consent.selectors.UseRow)."""

    use = LegalBasisUseSerializer()
    in_force = serializers.BooleanField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = dict(super().to_representation(instance))
        use: dict[str, Any] = dict(data.pop("use"))
        if not instance.show_reason:
            use["reason"] = None
        return use | {"in_force": data["in_force"]}


class ReviewUseSerializer(LegalBasisUseSerializer):
    """A use in a leader's review: with the youth's name, and whether the leader may open the
    youth (context: visible_youth_ids)."""

    youth_name = serializers.CharField(source="youth.display_name", read_only=True)
    youth_visible = serializers.SerializerMethodField()

    class Meta(LegalBasisUseSerializer.Meta):
        fields = [*LegalBasisUseSerializer.Meta.fields, "youth_name", "youth_visible"]
        read_only_fields = fields

    def get_youth_visible(self, use: LegalBasisUse) -> bool:
        return use.youth_id in self.context["visible_youth_ids"]


class ReviewSerializer(serializers.Serializer[Any]):
    """One page of a leader's review of the uses of legal bases by their units' staff and to
    their units (consent.selectors.legal_basis_review_page), newest first."""

    page = serializers.IntegerField(source="page.number")
    pages = serializers.IntegerField(source="page.paginator.num_pages")
    count = serializers.IntegerField(source="page.paginator.count")
    results = ReviewUseSerializer(source="page.object_list", many=True)


# --- Input -------------------------------------------------------------------------------


class GuardianAnswerSerializer(serializers.Serializer[Any]):
    guardian = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="One of the youth's guardians.")
    answer = serializers.ChoiceField(choices=ConsentAnswer.Answer.choices)


class ConsentReviseSerializer(serializers.Serializer[Any]):
    """A new version of a consent, asked and answered again. As JSON, or as multipart/form-data
    with the signed form in `document` (then each guardian's answer as
    `guardian_answers[0]guardian` and `guardian_answers[0]answer`, and the lists repeated)."""

    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices), max_length=len(Category), allow_empty=True
    )
    units = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=200,
        allow_empty=True,
        help_text="The receiving services (ids of active units).",
    )
    outreach_notes_to_police = serializers.BooleanField(required=False, default=False)
    involve_guardians = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The youth (18 or older, consenting alone) wants the guardians told and involved after 18. "
        "Only on a consent of the youth alone (age rule adult); otherwise 400.",
    )
    form = serializers.ChoiceField(choices=ConsentVersion.Form.choices)
    document = serializers.FileField(
        required=False, allow_null=True, help_text="A written consent's signed form: PDF, PNG or JPEG, at most 10 MB."
    )
    noted_at = serializers.DateTimeField(
        required=False, allow_null=True, validators=[HAPPENED], help_text="An oral consent: when it was given (now)."
    )
    valid_from = serializers.DateField(validators=[PLANNED])
    valid_to = serializers.DateField(validators=[LONG_PERIOD])
    youth_answer = serializers.ChoiceField(
        choices=ConsentAnswer.Answer.choices, required=False, allow_null=True, help_text="From 15: the youth's answer."
    )
    guardian_answers = GuardianAnswerSerializer(
        many=True, required=False, help_text="Under 18: each guardian with parental responsibility answers."
    )
    youth_view = serializers.CharField(
        max_length=NOTE_MAX, required=False, allow_blank=True, help_text="Under 15: what the youth said."
    )


class ConsentRecordSerializer(ConsentReviseSerializer):
    purpose = serializers.CharField(max_length=REASON_MAX, help_text="What the information is shared for.")


class ConsentWithdrawSerializer(serializers.Serializer[Any]):
    """Who withdrew the consent (the youth, or under 18 a guardian with parental responsibility)
    and why."""

    party = serializers.ChoiceField(choices=ConsentVersion.Party.choices)
    guardian = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, help_text="When a guardian withdrew it."
    )
    reason = serializers.CharField(max_length=NOTE_MAX)


class LegalBasisUseCreateSerializer(serializers.Serializer[Any]):
    """A use of a legal basis about a youth, as the page's form takes it. consent.services.
    legal_basis_use checks the reason, the basis's categories and services, and the time limit."""

    basis = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="An active legal basis (its id).")
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=Category.choices), max_length=len(Category), allow_empty=False
    )
    unit = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The receiving service (an active unit).")
    reason = serializers.CharField(max_length=NOTE_MAX)
    until = serializers.DateTimeField(
        required=False, allow_null=True, validators=[PLANNED], help_text="Empty: the default number of days from now."
    )
