import datetime

import django.db.models.functions.comparison
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
from django.db import migrations, models

import core.validators
import teams.models


class Migration(migrations.Migration):
    dependencies = [("teams", "0004_minutes_append_only")]

    operations = [
        migrations.AlterField(
            model_name="actionitem",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="actionitem",
            name="done_at",
            field=models.DateTimeField(blank=True, null=True, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="actionitem",
            name="done_note",
            field=models.TextField(blank=True, max_length=5000, verbose_name="what was done"),
        ),
        migrations.AlterField(
            model_name="actionitem",
            name="due_on",
            field=models.DateField(validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="due"),
        ),
        migrations.AlterField(
            model_name="calendarfeed",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="calendarfeed",
            name="last_used_at",
            field=models.DateTimeField(blank=True, null=True, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="calendarfeed",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="listmeetingentry",
            name="decision",
            field=models.TextField(blank=True, max_length=5000, verbose_name="decision"),
        ),
        migrations.AlterField(
            model_name="listmeetingentry",
            name="police_information",
            field=models.TextField(blank=True, max_length=20000, verbose_name="information from the police"),
        ),
        migrations.AlterField(
            model_name="listmeetingentry",
            name="recorded_at",
            field=models.DateTimeField(default=django.utils.timezone.now, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="agenda",
            field=models.TextField(blank=True, max_length=20000, verbose_name="agenda"),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="ends_at",
            field=models.DateTimeField(validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="ends"),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="starts_at",
            field=models.DateTimeField(validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="starts"),
        ),
        migrations.AlterField(
            model_name="meetingparticipant",
            name="rated_at",
            field=models.DateTimeField(blank=True, null=True, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="meetingparticipant",
            name="rating_comment",
            field=models.TextField(blank=True, max_length=2000, verbose_name="comment on the meeting"),
        ),
        migrations.AlterField(
            model_name="meetingseries",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="meetingseries",
            name="until",
            field=models.DateField(
                blank=True, null=True, validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="until"
            ),
        ),
        migrations.AlterField(
            model_name="minutes",
            name="approved_at",
            field=models.DateTimeField(blank=True, null=True, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="minutesrevision",
            name="decisions",
            field=models.TextField(blank=True, max_length=50000, verbose_name="decisions"),
        ),
        migrations.AlterField(
            model_name="minutesrevision",
            name="saved_at",
            field=models.DateTimeField(default=django.utils.timezone.now, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="minutesrevision",
            name="sections",
            field=models.JSONField(default=dict, validators=[teams.models.validate_minutes_sections]),
        ),
        migrations.AlterField(
            model_name="staffrole",
            name="ends_on",
            field=models.DateField(
                blank=True, null=True, validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="to"
            ),
        ),
        migrations.AlterField(
            model_name="staffrole",
            name="starts_on",
            field=models.DateField(
                default=django.utils.timezone.localdate,
                validators=[core.validators.DateRange(days_ahead=1830)],
                verbose_name="from",
            ),
        ),
        migrations.AlterField(
            model_name="teammember",
            name="end_reason",
            field=models.TextField(blank=True, max_length=2000, verbose_name="reason for leaving"),
        ),
        migrations.AlterField(
            model_name="teammember",
            name="ends_on",
            field=models.DateField(
                blank=True, null=True, validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="to"
            ),
        ),
        migrations.AlterField(
            model_name="teammember",
            name="starts_on",
            field=models.DateField(
                default=django.utils.timezone.localdate,
                validators=[core.validators.DateRange(days_ahead=1830)],
                verbose_name="from",
            ),
        ),
        migrations.AddConstraint(
            model_name="actionitem",
            constraint=models.CheckConstraint(
                condition=models.Q(("due_on__range", (datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)))),
                name="actionitem_due_on_bounds",
            ),
        ),
        migrations.AddConstraint(
            model_name="actionitem",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("done_note"), 5000
                ),
                name="actionitem_done_note_bounds",
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "starts_at__range",
                        (
                            datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.UTC),
                            datetime.datetime(2100, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC),
                        ),
                    )
                ),
                name="meeting_starts_at_bounds",
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("agenda"), 20000
                ),
                name="meeting_agenda_bounds",
            ),
        ),
        migrations.AddConstraint(
            model_name="minutesrevision",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length(
                        django.db.models.functions.comparison.Cast("sections", models.TextField())
                    ),
                    500000,
                ),
                name="minutesrevision_sections_bounds",
            ),
        ),
        migrations.AddConstraint(
            model_name="minutesrevision",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("decisions"), 50000
                ),
                name="minutesrevision_decisions_bounds",
            ),
        ),
    ]
