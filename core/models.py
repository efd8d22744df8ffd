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

    PostgreSQL refuses UPDATE and DELETE on this table (trigger, migration 0002) with one
    exception: the sealer may fill in seal_seq and chain_hash once, and nothing else.
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
    # SHA-256 of this entry's own content, computed when written (no lock needed).
    entry_hash = models.CharField(max_length=64)
    # Filled in by the periodic sealer (core.audit.seal): position in the chain and
    # SHA-256(previous chain_hash + entry_hash).
    seal_seq = models.BigIntegerField(null=True, blank=True, unique=True)
    chain_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["youth_id", "-at"], name="audit_youth_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["id"], name="audit_unsealed", condition=models.Q(seal_seq__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class AuditSeal(models.Model):
    """A checkpoint written by each sealing run: the head of the chain at that moment.

    Append-only like AuditEvent. It lets audit_verify notice entries removed from the end.
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


class Notification(models.Model):
    """A reminder or alert for one person, shown in Laget and sent by e-mail.

    (recipient, key) is unique, so a reminder produced twice (beat running twice, a task
    redelivered) is stored and sent once.
    """

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
            )
        ]

    def __str__(self) -> str:
        return self.title
