"""Every write about consents, legal-basis uses and disclosures (STYLE.md: actor first,
permission first, one transaction, the audit entry in the same transaction).

Versions are only ever added, never changed: recording, revising and withdrawing a consent
each write a new ConsentVersion (consent.models). Disclosures are only ever added.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Case, Max, When
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.models import FollowUp, FollowUpAssignment, Guardian, Guardianship, Youth
from core import access, audit, context, dates
from core.dates import today_in_oslo
from core.notifications import notify
from core.validators import DocumentProblem, document_type
from org.models import StaffRole, Unit
from org.selectors import staffroles_active

from .models import (
    Category,
    Consent,
    ConsentAnswer,
    ConsentVersion,
    Disclosure,
    LegalBasis,
    LegalBasisUse,
)
from .policy import (
    CONSENT,
    LEGAL_BASIS,
    OWN_SERVICE,
    Decision,
    Viewer,
    current_versions,
    may_record_consent,
    version_in_force,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User


# A legal basis is an exception to consent: it must be explained in words a leader can review.
LEGAL_BASIS_MIN_REASON = 20
LEGAL_BASIS_DEFAULT_DAYS = 7
LEGAL_BASIS_MAX_DAYS = 30

EXPIRY_NOTICE_DAYS = 30


# --- Permissions ------------------------------------------------------------------------------


def _require_record(actor: User | AnonymousUser, youth: Youth) -> None:
    if not may_record_consent(actor, youth):
        raise PermissionDenied


def may_review_legal_basis_uses(user: User | AnonymousUser) -> bool:
    """Leaders review the uses of legal bases by their units' staff and to their units
    (consent.selectors.legal_basis_uses_for_leader)."""
    return staffroles_active(user=user).filter(role=StaffRole.Role.LEADER).exists()


def may_use_legal_basis(user: User | AnonymousUser, youth: Youth) -> bool:
    """Who is offered the page for using a legal basis about a youth they see: anyone with a
    role in force (the duty to report is personal). legal_basis_use checks the rest."""
    return staffroles_active(user=user).exists() and access.can(user, youth)


# --- Consents -------------------------------------------------------------------------------


def _check_document(document: File[bytes]) -> None:
    """Only PDF, PNG or JPEG of at most 10 MB, recognised by content (core.validators)."""
    problem = document_type(document)
    if problem == DocumentProblem.TOO_LARGE:
        raise ValidationError({"document": _("The signed form is larger than 10 MB.")})
    if problem == DocumentProblem.NAME_MISMATCH:
        raise ValidationError(
            {"document": _("The file's name does not match its content. Upload the form as PDF, PNG or JPEG.")}
        )
    if problem == DocumentProblem.NOT_ALLOWED:
        raise ValidationError({"document": _("The signed form must be a PDF, PNG or JPEG file.")})


def consent_document_check(*, form: str, document: File[bytes] | None) -> None:
    """A written consent comes with the signed form, a PDF, PNG or JPEG of at most 10 MB
    (recognised by content: _check_document); an oral one has none. Asked by consent_record and
    consent_revise, and by the demo data of every version before it saves the form."""
    if form == ConsentVersion.Form.WRITTEN:
        if document is None:
            raise ValidationError({"document": _("Attach the signed consent form.")})
        _check_document(document)
    elif form == ConsentVersion.Form.ORAL and document is not None:
        raise ValidationError({"document": _("An oral consent has no signed form: choose written instead.")})


def _rule_at_age(age: int) -> str:
    if age >= 18:
        return ConsentVersion.AgeRule.ADULT
    if age >= 15:
        return ConsentVersion.AgeRule.FROM_15
    return ConsentVersion.AgeRule.UNDER_15


def consent_age_rule(youth: Youth, valid_from: datetime.date, recorded_on: datetime.date | None = None) -> str:
    """Whose answers a consent needs: the strictest of the rules for the youth's age on the day
    it starts and on the day it is recorded (today, Europe/Oslo), so back-dating never makes
    fewer answers enough. When the two ages differ, the strictest asks what both ask: the
    youth's own answer and every guardian's (from 15 to 17). A 16-year-old's consent back-dated
    to 14 needs the youth's answer; an 18-year-old's back-dated to 17 needs the guardians', and
    lapses at 18 like any guardian consent. A consent that starts on or after the 18th birthday
    is the youth's alone: guardians' answers could never count for it."""
    start = _rule_at_age(youth.age_on(valid_from))
    recorded = _rule_at_age(youth.age_on(recorded_on or today_in_oslo()))
    if start == recorded or start == ConsentVersion.AgeRule.ADULT:
        return start
    return ConsentVersion.AgeRule.FROM_15


def consent_answers_check(
    youth: Youth,
    rule: str,
    youth_answer: str | None,
    guardian_answers: Mapping[Guardian, str],
    youth_view: str,
) -> None:
    """The age rules (DOMAIN.md): under 15 each guardian with parental responsibility answers
    and the youth is heard; from 15 the youth answers too; from 18 the youth alone."""
    answers = [youth_answer] if youth_answer is not None else []
    if any(a not in ConsentAnswer.Answer.values for a in [*answers, *guardian_answers.values()]):
        raise ValidationError(_("Each answer must be either given or refused."))
    name = youth.display_name
    if rule == ConsentVersion.AgeRule.ADULT:
        if guardian_answers:
            raise ValidationError(
                _("%(name)s is 18 or older and consents alone. Remove the guardians' answers.") % {"name": name}
            )
        if youth_answer is None:
            raise ValidationError(_("Record %(name)s's own answer.") % {"name": name})
        return
    responsible = {
        g.guardian_id: g.guardian
        for g in Guardianship.objects.filter(youth=youth, parental_responsibility=True).select_related("guardian")
    }
    if not responsible:
        raise ValidationError(
            _(
                "No guardian with parental responsibility is registered for %(name)s. "
                "Register the guardians before recording consent."
            )
            % {"name": name}
        )
    strangers = [str(g) for g in guardian_answers if g.pk not in responsible]
    if strangers:
        raise ValidationError(
            _("%(guardians)s does not have parental responsibility for %(name)s.")
            % {"guardians": ", ".join(strangers), "name": name}
        )
    answered = {g.pk for g in guardian_answers}
    missing = [str(g) for pk, g in responsible.items() if pk not in answered]
    if missing:
        raise ValidationError(
            _("Every guardian with parental responsibility must answer. Missing: %(guardians)s.")
            % {"guardians": ", ".join(sorted(missing))}
        )
    if rule == ConsentVersion.AgeRule.UNDER_15:
        if not youth_view.strip():
            raise ValidationError(
                {
                    "youth_view": _(
                        "%(name)s is under 15: the guardians consent, and the youth must be heard. "
                        "Write down the youth's view."
                    )
                    % {"name": name}
                }
            )
        if youth_answer is not None:
            raise ValidationError(
                _("%(name)s is under 15: write down the youth's view; the guardians give the answer.") % {"name": name}
            )
    elif youth_answer is None:
        raise ValidationError(
            _("%(name)s is 15 or older: the youth's own consent is needed as well as the guardians'.") % {"name": name}
        )


def consent_version_check(
    *,
    youth: Youth,
    categories: Sequence[str],
    units: Sequence[Unit],
    valid_from: datetime.date,
    valid_to: datetime.date,
    youth_answer: str | None,
    guardian_answers: Mapping[Guardian, str],
    youth_view: str,
    outreach_notes_to_police: bool = False,
    involve_guardians: bool = False,
    recorded_on: datetime.date,
) -> str:
    """The rules of a consent's version, whoever writes it (the services here, the demo data):
    what it covers and who receives it, its dates, and the answers its age rule needs (recorded
    on `recorded_on`, the day of writing). `involve_guardians` (the guardians told and involved
    after 18, consent.policy.guardians_told) only on a consent of the youth alone (age rule
    "adult"). Returns the age rule; ValidationError otherwise."""
    if not categories:
        raise ValidationError({"categories": _("Choose at least one category of information.")})
    unknown = [c for c in categories if c not in Category.values]
    if unknown:
        raise ValidationError({"categories": _("Unknown category: %(c)s.") % {"c": ", ".join(unknown)}})
    if not units:
        raise ValidationError({"units": _("Choose at least one receiving service.")})
    if outreach_notes_to_police and not any(u.kind == Unit.Kind.POLICE for u in units):
        raise ValidationError(
            {
                "outreach_notes_to_police": _(
                    "The outreach service's notes can only be shared with a police unit that receives the "
                    "information: choose the police unit among the receiving services, or untick this."
                )
            }
        )
    if valid_to < valid_from:
        raise ValidationError({"valid_to": _("The consent must end on or after the day it starts.")})
    if valid_from < youth.birth_date:
        raise ValidationError({"valid_from": _("The consent cannot start before the youth was born.")})
    rule = consent_age_rule(youth, valid_from, recorded_on)
    if involve_guardians and rule != ConsentVersion.AgeRule.ADULT:
        raise ValidationError(
            {
                "involve_guardians": _(
                    "Only %(name)s's own consent from the 18th birthday (%(birthday)s) can ask for the guardians "
                    "to be told and involved after 18: let the consent start on or after that day, or untick this."
                )
                % {"name": youth.display_name, "birthday": formats.date_format(youth.eighteenth_birthday, "j.n.Y")}
            }
        )
    consent_answers_check(youth, rule, youth_answer, guardian_answers, youth_view)
    return rule


def _write_version(
    *,
    actor: User | AnonymousUser,
    consent: Consent,
    event: str,
    categories: Iterable[str],
    units: Iterable[Unit],
    form: str,
    valid_to: datetime.date,
    valid_from: datetime.date | None,
    youth_answer: str | None,
    guardian_answers: Mapping[Guardian, str] | None,
    youth_view: str,
    document: File[bytes] | None,
    noted_by: Any,
    noted_at: datetime.datetime | None,
    outreach_notes_to_police: bool = False,
    involve_guardians: bool = False,
) -> ConsentVersion:
    youth = consent.youth
    categories = sorted(set(categories))
    units = list({u.pk: u for u in units}.values())
    guardian_answers = dict(guardian_answers or {})
    valid_from = valid_from or today_in_oslo()
    rule = consent_version_check(
        youth=youth,
        categories=categories,
        units=units,
        valid_from=valid_from,
        valid_to=valid_to,
        youth_answer=youth_answer,
        guardian_answers=guardian_answers,
        youth_view=youth_view,
        outreach_notes_to_police=outreach_notes_to_police,
        involve_guardians=involve_guardians,
        recorded_on=today_in_oslo(),
    )
    version = ConsentVersion(
        consent=consent,
        event=event,
        categories=categories,
        form=form,
        valid_from=valid_from,
        valid_to=valid_to,
        age_rule=rule,
        youth_view=youth_view.strip(),
        outreach_notes_to_police=bool(outreach_notes_to_police),
        involve_guardians=bool(involve_guardians),
        recorded_by=access.signed_in(actor),
    )
    consent_document_check(form=form, document=document)
    if form == ConsentVersion.Form.WRITTEN:
        assert document is not None  # consent_document_check: a written consent has its form
        version.document.save(document.name or "samtykke", document, save=False)
    elif form == ConsentVersion.Form.ORAL:
        version.noted_by = noted_by or access.signed_in(actor)
        version.noted_at = noted_at or timezone.now()
        if version.noted_at > timezone.now():
            raise ValidationError({"noted_at": _("The time the consent was given cannot be in the future.")})
    else:
        raise ValidationError({"form": _("Choose written or oral consent.")})
    # One new version of a consent at a time: the number is the next after the highest.
    Consent.objects.select_for_update().filter(pk=consent.pk).first()
    version.number = (consent.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version.save(force_insert=True)
    version.units.set(units)
    _copy_answers(version, youth_answer, guardian_answers)
    return version


def _copy_answers(version: ConsentVersion, youth_answer: str | None, guardian_answers: Mapping[Guardian, str]) -> None:
    rows = [
        ConsentAnswer(version=version, party=ConsentVersion.Party.GUARDIAN, guardian=g, answer=a)
        for g, a in guardian_answers.items()
    ]
    if youth_answer is not None:
        rows.append(ConsentAnswer(version=version, party=ConsentVersion.Party.YOUTH, answer=youth_answer))
    ConsentAnswer.objects.bulk_create(rows)


def _audit_version(actor: User | AnonymousUser, version: ConsentVersion, action: str) -> None:
    answers = {(f"guardian:{a.guardian_id}" if a.guardian_id else "youth"): a.answer for a in version.answers.all()}
    audit.record(
        actor=actor,
        action=action,
        target=version,
        youth=version.consent.youth_id,
        detail={
            "consent": version.consent_id,
            "number": version.number,
            "categories": version.categories,
            "units": sorted(version.units.values_list("pk", flat=True)),
            "form": version.form,
            "valid_from": version.valid_from.isoformat(),
            "valid_to": version.valid_to.isoformat(),
            "age_rule": version.age_rule,
            "outreach_notes_to_police": version.outreach_notes_to_police,
            "involve_guardians": version.involve_guardians,
            "answers": answers,
        },
    )


@transaction.atomic
def consent_record(
    *,
    actor: User | AnonymousUser,
    youth: Youth,
    purpose: str,
    categories: Iterable[str],
    units: Iterable[Unit],
    form: str,
    valid_to: datetime.date,
    valid_from: datetime.date | None = None,
    youth_answer: str | None = None,
    guardian_answers: Mapping[Guardian, str] | None = None,
    youth_view: str = "",
    document: File[bytes] | None = None,
    noted_by: Any = None,
    noted_at: datetime.datetime | None = None,
    outreach_notes_to_police: bool = False,
    involve_guardians: bool = False,
) -> ConsentVersion:
    """Record a consent (or a refusal: any answer may be "refused") as its first version.

    Enforces the strictest age rule of the youth's ages on valid_from and today (Europe/Oslo;
    consent_version_check), so back-dating never lowers whose answers count; a written consent
    needs its signed form (PDF/PNG/JPEG by content, at most 10 MB), an oral one who noted it."""
    _require_record(actor, youth)
    purpose = purpose.strip()
    if not purpose:
        raise ValidationError({"purpose": _("Write what the information is shared for.")})
    consent = Consent.objects.create(youth=youth, purpose=purpose, created_by=access.signed_in(actor))
    version = _write_version(
        actor=actor,
        consent=consent,
        event=ConsentVersion.Event.RECORDED,
        categories=categories,
        units=units,
        form=form,
        valid_to=valid_to,
        valid_from=valid_from,
        youth_answer=youth_answer,
        guardian_answers=guardian_answers,
        youth_view=youth_view,
        document=document,
        noted_by=noted_by,
        noted_at=noted_at,
        outreach_notes_to_police=outreach_notes_to_police,
        involve_guardians=involve_guardians,
    )
    _audit_version(actor, version, "consent.recorded")
    return version


def consent_available_actions(version: ConsentVersion) -> frozenset[str]:
    """What may be done with a consent whose current version this is: a withdrawn consent is
    history (neither changed nor withdrawn again; a new consent is recorded instead). The
    services below apply it; the consent pages and the API ask it which buttons to offer."""
    return frozenset() if version.is_withdrawn else frozenset({"revise", "withdraw"})


@transaction.atomic
def consent_revise(
    *,
    actor: User | AnonymousUser,
    consent: Consent,
    categories: Iterable[str],
    units: Iterable[Unit],
    form: str,
    valid_to: datetime.date,
    valid_from: datetime.date | None = None,
    youth_answer: str | None = None,
    guardian_answers: Mapping[Guardian, str] | None = None,
    youth_view: str = "",
    document: File[bytes] | None = None,
    noted_by: Any = None,
    noted_at: datetime.datetime | None = None,
    outreach_notes_to_police: bool = False,
    involve_guardians: bool = False,
) -> ConsentVersion:
    """Change what a consent covers: a new version, asked and answered again under the same
    age rules as a new consent. The versions before are kept unchanged. A withdrawn consent
    is not revised: it stays withdrawn, and a new consent is recorded instead."""
    _require_record(actor, consent.youth)
    Consent.objects.select_for_update().filter(pk=consent.pk).first()
    current = ConsentVersion.objects.filter(consent=consent).order_by("-number").first()
    if current is not None and "revise" not in consent_available_actions(current):
        raise ValidationError(_("This consent has been withdrawn and cannot be changed. Record a new consent instead."))
    version = _write_version(
        actor=actor,
        consent=consent,
        event=ConsentVersion.Event.REVISED,
        categories=categories,
        units=units,
        form=form,
        valid_to=valid_to,
        valid_from=valid_from,
        youth_answer=youth_answer,
        guardian_answers=guardian_answers,
        youth_view=youth_view,
        document=document,
        noted_by=noted_by,
        noted_at=noted_at,
        outreach_notes_to_police=outreach_notes_to_police,
        involve_guardians=involve_guardians,
    )
    _audit_version(actor, version, "consent.revised")
    return version


def consent_withdrawal_check(
    *,
    youth: Youth,
    party: str,
    reason: str,
    guardian: Guardian | None,
    on: datetime.date | None = None,
) -> Guardian | None:
    """Who may withdraw a consent, and why it was: a reason is written; under 18 the youth or a
    guardian with parental responsibility withdraws it, from 18 (on `on`, today by default) only
    the youth. Returns the guardian who withdrew it (None for the youth). Asked by
    consent_withdraw, and by the demo data before its bulk save."""
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the consent is withdrawn (for example what the youth said).")})
    if party == ConsentVersion.Party.GUARDIAN:
        if youth.age_on(on or today_in_oslo()) >= 18:
            raise ValidationError(_("%(name)s is 18 or older: only the youth can withdraw.") % {"name": youth})
        if (
            guardian is None
            or not Guardianship.objects.filter(youth=youth, guardian=guardian, parental_responsibility=True).exists()
        ):
            raise ValidationError({"guardian": _("Choose the guardian with parental responsibility who withdrew it.")})
        return guardian
    if party == ConsentVersion.Party.YOUTH:
        return None
    raise ValidationError({"party": _("Choose who withdrew the consent.")})


@transaction.atomic
def consent_withdraw(
    *,
    actor: User | AnonymousUser,
    consent: Consent,
    party: str,
    reason: str,
    guardian: Guardian | None = None,
) -> ConsentVersion:
    """Withdraw a consent, at once: a new version that copies the current one and says who
    withdrew it, when and why. Anyone who sees the youth may record a withdrawal (it only ever
    stops sharing). Under 18 the youth or any guardian with parental responsibility may
    withdraw; from 18 only the youth."""
    youth = consent.youth
    if not access.can(actor, youth):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the consent is withdrawn (for example what the youth said).")})
    Consent.objects.select_for_update().filter(pk=consent.pk).first()
    current = ConsentVersion.objects.filter(consent=consent).order_by("-number").first()
    if current is None:
        raise ValidationError(_("This consent has no version to withdraw."))
    if "withdraw" not in consent_available_actions(current):
        raise ValidationError(_("This consent has already been withdrawn."))
    guardian = consent_withdrawal_check(youth=youth, party=party, reason=reason, guardian=guardian)
    answers = list(current.answers.all())
    units = list(current.units.all())
    current.pk = None
    current._state.adding = True
    current.number = current.number + 1
    current.event = ConsentVersion.Event.WITHDRAWN
    current.withdrawn_at = timezone.now()
    current.withdrawn_by_party = party
    current.withdrawn_by_guardian = guardian
    current.withdrawal_reason = reason
    current.recorded_by = access.signed_in(actor)
    current.save(force_insert=True)
    version = current
    version.units.set(units)
    ConsentAnswer.objects.bulk_create(
        ConsentAnswer(version=version, party=a.party, guardian_id=a.guardian_id, answer=a.answer) for a in answers
    )
    audit.record(
        actor=actor,
        action="consent.withdrawn",
        target=version,
        youth=youth,
        detail={
            "consent": consent.pk,
            "number": version.number,
            "party": party,
            "guardian": guardian.pk if guardian else None,
            "reason": reason,
        },
    )
    return version


# --- Legal bases ----------------------------------------------------------------------------


def legal_basis_use_check(
    *,
    actor: User | AnonymousUser,
    youth: Youth,
    basis: LegalBasis,
    categories: Iterable[str],
    reason: str,
    unit: Unit | None = None,
    until: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> tuple[Unit, list[str], str, datetime.datetime]:
    """The rules of using a legal basis (legal_basis_use's docstring), asked at `now` (the
    clock by default): who may use it (a role in force; the receiving service their own, or any
    when they see the youth), a written reason, a basis in use, only the categories and the
    kinds of service it allows, and an end in the future within LEGAL_BASIS_MAX_DAYS. Returns
    the receiving unit, the categories, the reason and the end as they will be saved. Asked by
    legal_basis_use, and by the demo data of its use before the bulk save."""
    actor_units = {r.unit_id: r.unit for r in staffroles_active(user=actor).select_related("unit")}
    if not actor_units:
        raise PermissionDenied
    if unit is None:
        if len(actor_units) != 1:
            raise ValidationError({"unit": _("Choose the service that receives the information.")})
        unit = next(iter(actor_units.values()))
    if unit.pk not in actor_units and not access.can(actor, youth):
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) < LEGAL_BASIS_MIN_REASON:
        raise ValidationError(
            {
                "reason": _(
                    "Write why the information must be shared without consent (at least %(n)d characters): "
                    "what happened, and why it cannot wait for consent."
                )
                % {"n": LEGAL_BASIS_MIN_REASON}
            }
        )
    if not basis.active:
        raise ValidationError({"basis": _("This legal basis is no longer in use.")})
    categories = sorted(set(categories))
    if not categories:
        raise ValidationError({"categories": _("Choose at least one category of information.")})
    outside = [str(Category(c).label) if c in Category.values else c for c in categories if c not in basis.categories]
    if outside:
        raise ValidationError(
            {
                "categories": _("%(basis)s does not allow sharing: %(categories)s.")
                % {"basis": basis.law_reference, "categories": ", ".join(outside)}
            }
        )
    if basis.receiving_kinds and unit.kind not in basis.receiving_kinds:
        raise ValidationError(
            {
                "unit": _("%(basis)s does not allow sharing with %(unit)s.")
                % {"basis": basis.law_reference, "unit": unit}
            }
        )
    now = now or timezone.now()
    until = until or now + datetime.timedelta(days=LEGAL_BASIS_DEFAULT_DAYS)
    if until <= now:
        raise ValidationError({"until": _("The end must be in the future.")})
    if until > now + datetime.timedelta(days=LEGAL_BASIS_MAX_DAYS):
        raise ValidationError(
            {"until": _("A legal basis can be used for at most %(n)d days.") % {"n": LEGAL_BASIS_MAX_DAYS}}
        )
    return unit, categories, reason, until


@transaction.atomic
def legal_basis_use(
    *,
    actor: User | AnonymousUser,
    youth: Youth,
    basis: LegalBasis,
    categories: Iterable[str],
    reason: str,
    unit: Unit | None = None,
    until: datetime.datetime | None = None,
) -> LegalBasisUse:
    """Open categories of a youth's information to a service without consent, on a legal basis.

    Needs a written reason (at least LEGAL_BASIS_MIN_REASON characters), is limited in time
    (LEGAL_BASIS_DEFAULT_DAYS by default, at most LEGAL_BASIS_MAX_DAYS), covers only categories
    the basis may open and services of the kinds it allows, is audited, and is reported to the
    leaders of the actor's services. The receiving service is the actor's own (they receive the
    information), or any service when the actor works with the youth and shares outwards (for
    example a follower reporting to barnevern).
    """
    now = timezone.now()
    unit, categories, reason, until = legal_basis_use_check(
        actor=actor, youth=youth, basis=basis, categories=categories, reason=reason, unit=unit, until=until, now=now
    )
    use = LegalBasisUse.objects.create(
        basis=basis,
        youth=youth,
        actor=access.signed_in(actor),
        unit=unit,
        categories=categories,
        reason=reason,
        starts_at=now,
        until=until,
    )
    audit.record(
        actor=actor,
        action="consent.legal_basis_used",
        target=use,
        youth=youth,
        detail={
            "basis": basis.code,
            "law": basis.law_reference,
            "unit": unit.pk,
            "categories": categories,
            "reason": reason,
            "until": until.isoformat(),
        },
    )
    leaders = (
        staffroles_active()
        .filter(unit_id__in=staffroles_active(user=actor).values("unit_id"), role=StaffRole.Role.LEADER)
        .exclude(user=actor.pk)
        .select_related("user")
    )
    for person in {r.user_id: r.user for r in leaders}.values():
        notify(
            recipient=person,
            kind="legal_basis_used",
            key=f"legal_basis_used:{use.pk}",
            title=(_("Shared without consent (%(law)s): %(youth)s") % {"law": basis.law_reference, "youth": youth})[
                :200
            ],
            body=_("%(actor)s opened %(categories)s to %(unit)s until %(until)s. Reason: %(reason)s")
            % {
                "actor": actor,
                "categories": ", ".join(str(Category(c).label) for c in categories),
                "unit": unit,
                "until": timezone.localtime(until).strftime("%d.%m.%Y %H.%M"),
                "reason": reason,
            },
            url=reverse("consent:legal_basis_review"),
            youth_id=youth.pk,
        )
    return use


# --- Disclosures ----------------------------------------------------------------------------


def _disclosure_rows(
    *,
    user: User | AnonymousUser,
    youth: Youth,
    decisions: Iterable[Decision],
    channel: str,
    request_id: str,
    own_service: bool,
) -> list[Disclosure]:
    groups: dict[tuple[str, int | None, int | None, int | None], set[str]] = {}
    for d in decisions:
        if d.allowed and (own_service or d.reason != OWN_SERVICE):
            groups.setdefault((d.reason, d.unit_id, d.consent_version_id, d.legal_basis_use_id), set()).add(d.category)
    now = timezone.now()
    basis = {
        CONSENT: Disclosure.Basis.CONSENT,
        LEGAL_BASIS: Disclosure.Basis.LEGAL_BASIS,
        OWN_SERVICE: Disclosure.Basis.OWN_SERVICE,
    }
    return [
        Disclosure(
            user=access.signed_in(user),
            unit_id=unit_id,
            youth=youth,
            categories=sorted(categories),
            channel=channel,
            at=now,
            basis=basis[reason],
            consent_version_id=version_id,
            legal_basis_use_id=use_id,
            request_id=request_id[:64],
        )
        for (reason, unit_id, version_id, use_id), categories in groups.items()
    ]


def _channel(channel: str) -> str:
    if channel not in Disclosure.Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    return channel


def disclosure_record(
    *,
    user: User | AnonymousUser,
    youth: Youth,
    decisions: Iterable[Decision],
    channel: str,
    request_id: str | None = None,
) -> list[Disclosure]:
    """Log what a person was shown or given of a youth: one row per basis (consent version,
    legal-basis use, own service) and service, with the categories it opened. Withheld
    decisions are not disclosures and are left out. Rows are only ever added."""
    request_id = context.current().request_id if request_id is None else request_id
    rows = _disclosure_rows(
        user=user, youth=youth, decisions=decisions, channel=_channel(channel), request_id=request_id, own_service=True
    )
    return Disclosure.objects.bulk_create(rows)


def disclosures_record_for_list(
    *, user: User | AnonymousUser, viewers: Iterable[Viewer], channel: str
) -> list[Disclosure]:
    """Log what a list showed (one query for the whole list). Lists log only what crossed a
    service boundary (consent or legal basis): a service's own lists of its own youths are
    not disclosures to another service, and every page of a youth logs all bases."""
    request_id = context.current().request_id
    rows = [
        row
        for viewer in viewers
        for row in _disclosure_rows(
            user=user,
            youth=viewer.youth,
            decisions=viewer.shown,
            channel=_channel(channel),
            request_id=request_id,
            own_service=False,
        )
    ]
    return Disclosure.objects.bulk_create(rows)


# --- Reminders ------------------------------------------------------------------------------


def _lead_followers(youth_ids: Iterable[int], today: datetime.date) -> dict[int, list[Any]]:
    """The active people with lead responsibility, on an assignment in force, per youth."""
    leads: dict[int, list[Any]] = {}
    rows = (
        FollowUpAssignment.objects.filter(
            followup__youth_id__in=list(youth_ids),
            role=FollowUpAssignment.Role.LEAD,
            starts_on__lte=today,
            ends_on__isnull=True,
            user__is_active=True,
        )
        .exclude(followup__state=FollowUp.State.CLOSED)
        .select_related("user", "followup")
        .order_by("id")
    )
    for row in rows:
        leads.setdefault(row.followup.youth_id, []).append(row.user)
    return leads


REMINDER_FALLBACK_ROLES = (StaffRole.Role.COORDINATOR, StaffRole.Role.LEADER)


def _reminder_recipients(youth_ids: Iterable[int], today: datetime.date) -> dict[int, list[Any]]:
    """Who is reminded about each youth's consents: the lead follower; when the youth has none
    on an assignment in force, the coordinators and leaders of the follow-up's unit (the open
    follow-up's, else the last one's), so a reminder always reaches someone who can act.
    A fixed number of queries however many youths."""
    ids = list(dict.fromkeys(youth_ids))
    recipients = _lead_followers(ids, today)
    orphans = [pk for pk in ids if not recipients.get(pk)]
    if not orphans:
        return recipients
    unit_of: dict[int, int] = {}
    for followup in FollowUp.objects.filter(youth_id__in=orphans).order_by(
        "youth_id", Case(When(state=FollowUp.State.CLOSED, then=1), default=0), "-created_at", "-id"
    ):
        unit_of.setdefault(followup.youth_id, followup.unit_id)
    people: dict[int, list[Any]] = {}
    seen: set[tuple[int, int]] = set()
    for role in (
        staffroles_active()
        .filter(unit_id__in=set(unit_of.values()), role__in=REMINDER_FALLBACK_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("unit_id", "user_id")
    ):
        if (role.unit_id, role.user_id) not in seen:
            seen.add((role.unit_id, role.user_id))
            people.setdefault(role.unit_id, []).append(role.user)
    for pk in orphans:
        recipients[pk] = people.get(unit_of.get(pk, 0), [])
    return recipients


def _consents_url(youth: Youth) -> str:
    return reverse("consent:consent_list", args=[youth.pk])


LAPSE_NOTICE_DAYS = 30


def consents_lapsing_at_18_notify(*, today: datetime.date | None = None) -> int:
    """Warn whoever answers for the youth (_reminder_recipients) within LAPSE_NOTICE_DAYS before
    a consent given by guardians lapses at the youth's 18th birthday, asking them to obtain the
    youth's own consent in time: guardian-based consents in force today that would otherwise
    still run on the birthday. One notification per consent, so it is safe to run daily and
    twice (consent.tasks.consents_lapsed_at_18 runs it with consents_lapse_at_18). Returns how
    many notifications were made."""
    today = today or today_in_oslo()
    versions = (
        ConsentVersion.objects.current()
        .exclude(age_rule=ConsentVersion.AgeRule.ADULT)
        .exclude(event=ConsentVersion.Event.WITHDRAWN)
        .filter(
            consent__youth__birth_date__gt=dates.born_on_or_before(today, 18),
            consent__youth__birth_date__lte=dates.born_on_or_before(
                today + datetime.timedelta(days=LAPSE_NOTICE_DAYS), 18
            ),
        )
        .select_related("consent__youth")
        .prefetch_related("answers")
    )
    lapsing = [
        v
        for v in versions
        if v.valid_to >= v.consent.youth.eighteenth_birthday and version_in_force(v, v.consent.youth, today)
    ]
    recipients = _reminder_recipients((v.consent.youth_id for v in lapsing), today)
    made = 0
    for version in lapsing:
        youth = version.consent.youth
        day = f"{youth.eighteenth_birthday:%d.%m.%Y}"
        for person in recipients.get(youth.pk, []):
            if notify(
                recipient=person,
                kind="consent_lapsing_18",
                key=f"consent_lapsing_18:{version.consent_id}",
                title=(_("Consent lapses at 18 on %(day)s: %(youth)s") % {"day": day, "youth": youth})[:200],
                body=_(
                    "%(youth)s turns 18 on %(day)s. The consent for «%(purpose)s» was given by the guardians and "
                    "lapses that day. Ask %(youth)s for their own consent before then."
                )
                % {"youth": youth, "day": day, "purpose": version.consent.purpose[:100]},
                url=_consents_url(youth),
                youth_id=youth.pk,
            ):
                made += 1
    return made


def consents_lapse_at_18(*, today: datetime.date | None = None) -> int:
    """Tell whoever answers for the youth (_reminder_recipients) when a consent given by
    guardians has lapsed because the youth turned 18, asking them to obtain new consent from the
    youth. Sharing already stopped on the birthday (consent.policy); this is the reminder. One
    notification per consent, so it is safe to run daily and twice. Returns how many
    notifications were made."""
    today = today or today_in_oslo()
    born_by = dates.born_on_or_before(today, 18)
    versions = (
        ConsentVersion.objects.current()
        .exclude(age_rule=ConsentVersion.AgeRule.ADULT)
        .exclude(event=ConsentVersion.Event.WITHDRAWN)
        .filter(consent__youth__birth_date__lte=born_by)
        .select_related("consent__youth")
        .prefetch_related("answers")
    )
    lapsed = []
    for version in versions:
        youth = version.consent.youth
        birthday = youth.eighteenth_birthday
        eve = birthday - datetime.timedelta(days=1)
        if version.valid_to >= birthday and version_in_force(version, youth, eve):
            lapsed.append(version)
    recipients = _reminder_recipients((v.consent.youth_id for v in lapsed), today)
    made = 0
    for version in lapsed:
        youth = version.consent.youth
        for person in recipients.get(youth.pk, []):
            if notify(
                recipient=person,
                kind="consent_lapsed_18",
                key=f"consent_lapsed_18:{version.consent_id}",
                title=(_("Consent lapsed at 18: %(youth)s") % {"youth": youth})[:200],
                body=_(
                    "%(youth)s has turned 18. The consent for «%(purpose)s» was given by the guardians and no "
                    "longer applies. Ask %(youth)s for a new consent."
                )
                % {"youth": youth, "purpose": version.consent.purpose[:100]},
                url=_consents_url(youth),
                youth_id=youth.pk,
            ):
                made += 1
    return made


def consents_expiring_notify(*, today: datetime.date | None = None) -> int:
    """Remind whoever answers for the youth (_reminder_recipients) when a consent in force ends
    within EXPIRY_NOTICE_DAYS, once per consent version (a renewal is a new version and is
    reminded again when it nears its end)."""
    today = today or today_in_oslo()
    versions = (
        ConsentVersion.objects.current()
        .exclude(event=ConsentVersion.Event.WITHDRAWN)
        .filter(valid_to__gte=today, valid_to__lte=today + datetime.timedelta(days=EXPIRY_NOTICE_DAYS))
        .select_related("consent__youth")
        .prefetch_related("answers")
    )
    expiring = [v for v in versions if version_in_force(v, v.consent.youth, today)]
    recipients = _reminder_recipients((v.consent.youth_id for v in expiring), today)
    made = 0
    for version in expiring:
        youth = version.consent.youth
        for person in recipients.get(youth.pk, []):
            if notify(
                recipient=person,
                kind="consent_expiring",
                key=f"consent_expiring:{version.pk}",
                title=(_("Consent ends %(day)s: %(youth)s") % {"day": f"{version.valid_to:%d.%m.%Y}", "youth": youth})[
                    :200
                ],
                body=_("The consent for «%(purpose)s» ends on %(day)s. Talk with %(youth)s about renewing it.")
                % {"purpose": version.consent.purpose[:100], "day": f"{version.valid_to:%d.%m.%Y}", "youth": youth},
                url=_consents_url(youth),
                youth_id=youth.pk,
            ):
                made += 1
    return made


def youth_consent_in_force(youth: Youth, day: datetime.date | None = None) -> bool:
    """Does the youth have a consent in force (its current version, consent.policy)?"""
    day = day or today_in_oslo()
    return any(version_in_force(version, youth, day) for version in current_versions(youth))
