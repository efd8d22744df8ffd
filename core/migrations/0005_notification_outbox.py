import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """The notification row becomes the e-mail's outbox entry (its delivery state)."""

    dependencies = [("core", "0004_notification_calendar")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="email_attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_error",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_next_attempt_at",
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_state",
            field=models.CharField(
                choices=[
                    ("pending", "waiting to be sent"),
                    ("sending", "being sent"),
                    ("sent", "sent"),
                    ("failed", "given up"),
                    ("none", "no e-mail address"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        # Rows e-mailed before the outbox existed are done; the rest wait for the sender.
        migrations.RunSQL(
            "UPDATE core_notification SET email_state = 'sent', email_next_attempt_at = NULL "
            "WHERE emailed_at IS NOT NULL",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("email_state__in", ["pending", "sending"])),
                fields=["email_next_attempt_at"],
                name="notification_email_due",
            ),
        ),
    ]
