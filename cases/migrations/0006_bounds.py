import datetime

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

import core.validators


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_contact_drafts")]

    operations = [
        migrations.AlterField(
            model_name="contact",
            name="delete_reason",
            field=models.TextField(blank=True, max_length=2000),
        ),
        migrations.AlterField(
            model_name="contact",
            name="deleted_at",
            field=models.DateTimeField(blank=True, null=True, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="contact",
            name="occurred_at",
            field=models.DateTimeField(validators=[core.validators.DateRange()], verbose_name="when"),
        ),
        migrations.AlterField(
            model_name="contact",
            name="task_done_at",
            field=models.DateTimeField(
                blank=True, null=True, validators=[core.validators.DateRange()], verbose_name="task done"
            ),
        ),
        migrations.AlterField(
            model_name="contact",
            name="task_due_on",
            field=models.DateField(
                blank=True, null=True, validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="task due"
            ),
        ),
        migrations.AlterField(
            model_name="contact",
            name="text",
            field=models.TextField(blank=True, max_length=20000, verbose_name="what happened"),
        ),
        migrations.AlterField(
            model_name="followup",
            name="closing_summary",
            field=models.TextField(blank=True, max_length=20000, verbose_name="closing summary"),
        ),
        migrations.AlterField(
            model_name="followup",
            name="ended_on",
            field=models.DateField(
                blank=True, null=True, validators=[core.validators.DateRange()], verbose_name="ended"
            ),
        ),
        migrations.AlterField(
            model_name="followup",
            name="started_on",
            field=models.DateField(
                blank=True, null=True, validators=[core.validators.DateRange()], verbose_name="started"
            ),
        ),
        migrations.AlterField(
            model_name="followupassignment",
            name="ends_on",
            field=models.DateField(
                blank=True, null=True, validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="to"
            ),
        ),
        migrations.AlterField(
            model_name="followupassignment",
            name="override_reason",
            field=models.TextField(
                blank=True,
                help_text="Written by the leader who let the follower take more youths than the limit.",
                max_length=2000,
                verbose_name="reason for exceeding capacity",
            ),
        ),
        migrations.AlterField(
            model_name="followupassignment",
            name="starts_on",
            field=models.DateField(validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="from"),
        ),
        migrations.AlterField(
            model_name="justicestep",
            name="ends_on",
            field=models.DateField(
                blank=True, null=True, validators=[core.validators.DateRange(days_ahead=3660)], verbose_name="to"
            ),
        ),
        migrations.AlterField(
            model_name="justicestep",
            name="note",
            field=models.TextField(blank=True, max_length=5000, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="justicestep",
            name="starts_on",
            field=models.DateField(validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="from"),
        ),
        migrations.AlterField(
            model_name="offence",
            name="committed_on",
            field=models.DateField(validators=[core.validators.DateRange()], verbose_name="date"),
        ),
        migrations.AlterField(
            model_name="offence",
            name="description",
            field=models.TextField(blank=True, max_length=5000, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="outcomemeasure",
            name="measured_on",
            field=models.DateField(validators=[core.validators.DateRange()], verbose_name="date"),
        ),
        migrations.AlterField(
            model_name="outcomemeasure",
            name="note",
            field=models.TextField(blank=True, max_length=5000, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="reportingdate",
            name="due_at",
            field=models.DateTimeField(
                validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="report at"
            ),
        ),
        migrations.AlterField(
            model_name="reportingdate",
            name="reminded_at",
            field=models.DateTimeField(blank=True, null=True, validators=[core.validators.DateRange()]),
        ),
        migrations.AlterField(
            model_name="youth",
            name="birth_date",
            field=models.DateField(
                validators=[core.validators.DateRange(earliest=datetime.date(1990, 1, 1))], verbose_name="date of birth"
            ),
        ),
        migrations.AlterField(
            model_name="youth",
            name="safety_notes",
            field=models.TextField(
                blank=True,
                help_text="What everyone meeting the youth must know: conflicts, places to avoid, threats.",
                max_length=5000,
                verbose_name="safety notes",
            ),
        ),
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "occurred_at__range",
                        (
                            datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.UTC),
                            datetime.datetime(2100, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC),
                        ),
                    )
                ),
                name="contact_occurred_at_bounds",
            ),
        ),
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.CheckConstraint(
                condition=models.Q(("task_due_on__range", (datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)))),
                name="contact_task_due_on_bounds",
            ),
        ),
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("text"), 20000
                ),
                name="contact_text_bounds",
            ),
        ),
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("closing_summary"), 20000
                ),
                name="followup_closing_summary_bounds",
            ),
        ),
        migrations.AddConstraint(
            model_name="youth",
            constraint=models.CheckConstraint(
                condition=models.Q(("birth_date__range", (datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)))),
                name="youth_birth_date_bounds",
            ),
        ),
        migrations.AddConstraint(
            model_name="youth",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("safety_notes"), 5000
                ),
                name="youth_safety_notes_bounds",
            ),
        ),
    ]
