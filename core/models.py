"""People who sign in, and the append-only audit trail."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import HAPPENED


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        # E-mail addresses are compared without regard to case, as people type them.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Youths and guardians do not sign in (DOMAIN.md)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("administrator access"),
        default=False,
        help_text=_("May use the administration pages (Django admin)."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now, validators=[HAPPENED])

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class AuditEvent(models.Model):
    """One entry of the audit trail. Written only by core.audit.record.

    PostgreSQL refuses UPDATE and DELETE on this table (triggers, migrations 0002 and 0007) with two
    exceptions, each once and changing nothing else: at commit PostgreSQL gives the entry its number
    (seq), and the sealer fills in chain_hash. The application's database role may not update or
    delete rows at all, nor disable the triggers (docs/deployment.md).
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Kept as text too, so the trail stays readable if the account is later anonymised.
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # The youth concerned, when there is one (a plain id: the audit trail outlives the row).
    youth_id = models.BigIntegerField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # HMAC-SHA-256 of this entry's own content with the audit key (settings.AUDIT_HMAC_KEY, kept
    # outside the database), computed when written (no lock needed).
    entry_hash = models.CharField(max_length=64)
    # The entry's number, 1, 2, 3, … without gaps: given by PostgreSQL when the transaction commits
    # (a deferred trigger counting in AuditCounter, migration 0007), so a rolled-back entry takes no
    # number and a removed one leaves a gap.
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    # Filled in by the periodic sealer (core.audit.seal): HMAC(previous chain_hash, seq, entry_hash).
    chain_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["youth_id", "-at"], name="audit_youth_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["seq"], name="audit_unsealed_seq", condition=models.Q(chain_hash="")),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class AuditCounter(models.Model):
    """The number of the last audit entry: one row, written only by PostgreSQL's numbering trigger
    (migration 0007) when a transaction that recorded entries commits. The row is locked from then
    until the commit ends, so numbers follow the order of commits and have no gaps. The application's
    database role may only read it; verify compares it with the last entry to notice removals."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit entries numbered up to {self.last}"


class AuditSeal(models.Model):
    """A checkpoint written by each sealing run: the head of the chain at that moment.

    Append-only like AuditEvent. chain_hash is the keyed link of entry last_seq, so a seal cannot be
    forged without the audit key; each seal is also published outside the database when it commits
    (core.audit.publish_checkpoint), so removing the newest entries together with their seal is noticed.
    """

    sealed_at = models.DateTimeField(default=timezone.now)
    last_seq = models.BigIntegerField(unique=True)
    last_event_id = models.BigIntegerField()
    chain_hash = models.CharField(max_length=64)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-last_seq"]

    def __str__(self) -> str:
        return f"seal {self.last_seq} at {self.sealed_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A key to the API for another system, issued by its owner for one purpose (core.api_tokens).

    Only the SHA-256 digest of the secret is stored; prefix is its first characters (not enough to
    use it), so the owner can tell keys apart. The secret is shown once, when issued, and never
    again, to anyone. Revoking deletes the row; issuing and revoking are audited.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    purpose = models.CharField(_("purpose"), max_length=100)
    prefix = models.CharField(_("key begins"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")), name="api_token_expires"),
            models.CheckConstraint(condition=~models.Q(purpose=""), name="api_token_purpose"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.purpose}"


class Notification(models.Model):
    """A reminder or alert for one person, shown in Laget and sent by e-mail.

    (recipient, key) is unique, so a reminder produced twice (beat running twice, a task
    redelivered) is stored once. The row is also the e-mail's outbox entry: it is written in the
    same transaction as the change it is about, and core.notifications delivers it from here
    (email_state), so a broker or mail-server outage delays the e-mail and never loses it.
    """

    class EmailState(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("given up")
        NONE = "none", _("no e-mail address")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    youth_id = models.BigIntegerField(null=True, blank=True)
    # An iCalendar invitation sent with the e-mail (a meeting reminder). Like the e-mail itself it
    # never names the youth: it leaves the municipality's systems.
    calendar = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Delivery of the e-mail (the outbox): a sender claims a row by setting SENDING and a lease
    # (email_next_attempt_at) in one short transaction before it talks to the mail server, and
    # records SENT or the next attempt after. A row left SENDING by a crash is tried again when its
    # lease runs out.
    email_state = models.CharField(max_length=10, choices=EmailState.choices, default=EmailState.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    email_error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["email_next_attempt_at"],
                name="notification_email_due",
                condition=models.Q(email_state__in=["pending", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return self.title
