import datetime

import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
from django.db import migrations, models

import core.validators


class Migration(migrations.Migration):
    dependencies = [("referrals", "0005_ksfiks_document")]

    operations = [
        migrations.AlterField(
            model_name="concernreport",
            name="closing_reason",
            field=models.TextField(blank=True, max_length=5000, verbose_name="why it was closed"),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="concern",
            field=models.TextField(max_length=20000, verbose_name="the concern"),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="conclusion",
            field=models.TextField(blank=True, max_length=20000, verbose_name="conclusion"),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="conclusion_feedback_sent_at",
            field=models.DateTimeField(
                blank=True,
                null=True,
                validators=[core.validators.DateRange()],
                verbose_name="told that the investigation ended",
            ),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="extension_reason",
            field=models.TextField(blank=True, max_length=5000, verbose_name="special reason for 6 months"),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="guardians_may_be_told_at",
            field=models.DateTimeField(
                blank=True,
                null=True,
                validators=[core.validators.DateRange(days_ahead=1830)],
                verbose_name="guardians may be told from",
            ),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="history",
            field=models.TextField(blank=True, max_length=20000, verbose_name="background and history"),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="investigation_concluded_on",
            field=models.DateField(
                blank=True, null=True, validators=[core.validators.DateRange()], verbose_name="investigation concluded"
            ),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="investigation_started_on",
            field=models.DateField(
                blank=True, null=True, validators=[core.validators.DateRange()], verbose_name="investigation started"
            ),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="measures_started_on",
            field=models.DateField(
                blank=True,
                null=True,
                validators=[core.validators.DateRange(days_ahead=1830)],
                verbose_name="measures started",
            ),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="opening_feedback_sent_at",
            field=models.DateTimeField(
                blank=True,
                null=True,
                validators=[core.validators.DateRange()],
                verbose_name="told whether an investigation was opened",
            ),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="other_agencies",
            field=models.TextField(blank=True, max_length=5000, verbose_name="other services involved"),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="other_views",
            field=models.TextField(blank=True, max_length=20000, verbose_name="other views"),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="receipt_sent_at",
            field=models.DateTimeField(
                blank=True, null=True, validators=[core.validators.DateRange()], verbose_name="receipt sent"
            ),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="received_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, validators=[core.validators.DateRange()], verbose_name="received"
            ),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="reviewed_at",
            field=models.DateTimeField(
                blank=True, null=True, validators=[core.validators.DateRange()], verbose_name="reviewed"
            ),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="sent_at",
            field=models.DateTimeField(
                blank=True, null=True, validators=[core.validators.DateRange()], verbose_name="sent"
            ),
        ),
        migrations.AlterField(
            model_name="concernreportattachment",
            name="uploaded_at",
            field=models.DateTimeField(default=django.utils.timezone.now, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="concernreportchild",
            name="informed_reason",
            field=models.TextField(blank=True, max_length=2000, verbose_name="why not informed"),
        ),
        migrations.AlterField(
            model_name="concernreportevent",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="concernreportevent",
            name="note",
            field=models.TextField(blank=True, max_length=20000),
        ),
        migrations.AlterField(
            model_name="concernreportguardian",
            name="informed_reason",
            field=models.TextField(blank=True, max_length=2000, verbose_name="why not informed"),
        ),
        migrations.AlterField(
            model_name="intakecandidate",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="intakecandidate",
            name="reason",
            field=models.TextField(max_length=5000, verbose_name="why follow-up is proposed"),
        ),
        migrations.AlterField(
            model_name="intakecandidate",
            name="waiting_since",
            field=models.DateTimeField(
                blank=True,
                null=True,
                validators=[core.validators.DateRange()],
                verbose_name="on the waiting list since",
            ),
        ),
        migrations.AlterField(
            model_name="intakedecision",
            name="decided_at",
            field=models.DateTimeField(default=django.utils.timezone.now, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="intakedecision",
            name="note",
            field=models.TextField(blank=True, max_length=5000, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="schoolcontact",
            name="ends_on",
            field=models.DateField(
                blank=True, null=True, validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="to"
            ),
        ),
        migrations.AlterField(
            model_name="schoolcontact",
            name="starts_on",
            field=models.DateField(
                default=django.utils.timezone.localdate,
                validators=[core.validators.DateRange(days_ahead=1830)],
                verbose_name="from",
            ),
        ),
        migrations.AddConstraint(
            model_name="concernreport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "received_at__range",
                        (
                            datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.UTC),
                            datetime.datetime(2100, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC),
                        ),
                    )
                ),
                name="concernreport_received_at_bounds",
            ),
        ),
        migrations.AddConstraint(
            model_name="concernreport",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("concern"), 20000
                ),
                name="concernreport_concern_bounds",
            ),
        ),
    ]
