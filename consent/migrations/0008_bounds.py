import datetime

import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
from django.db import migrations, models

import core.validators


class Migration(migrations.Migration):
    dependencies = [("consent", "0007_legal_basis_forvaltningsloven_13b")]

    operations = [
        migrations.AlterField(
            model_name="consent",
            name="purpose",
            field=models.TextField(
                help_text="What the information is shared for, in plain words.", max_length=2000, verbose_name="purpose"
            ),
        ),
        migrations.AlterField(
            model_name="consentversion",
            name="noted_at",
            field=models.DateTimeField(
                blank=True, null=True, validators=[core.validators.DateRange()], verbose_name="oral consent given at"
            ),
        ),
        migrations.AlterField(
            model_name="consentversion",
            name="valid_from",
            field=models.DateField(validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="valid from"),
        ),
        migrations.AlterField(
            model_name="consentversion",
            name="valid_to",
            field=models.DateField(validators=[core.validators.DateRange(days_ahead=3660)], verbose_name="valid to"),
        ),
        migrations.AlterField(
            model_name="consentversion",
            name="withdrawal_reason",
            field=models.TextField(blank=True, max_length=5000, verbose_name="reason for withdrawal"),
        ),
        migrations.AlterField(
            model_name="consentversion",
            name="withdrawn_at",
            field=models.DateTimeField(
                blank=True, null=True, validators=[core.validators.DateRange()], verbose_name="withdrawn"
            ),
        ),
        migrations.AlterField(
            model_name="consentversion",
            name="youth_view",
            field=models.TextField(
                blank=True,
                help_text="Under 15 the guardians decide, and the youth is heard.",
                max_length=5000,
                verbose_name="the youth's view",
            ),
        ),
        migrations.AlterField(
            model_name="disclosure",
            name="at",
            field=models.DateTimeField(validators=[core.validators.DateRange()], verbose_name="when"),
        ),
        migrations.AlterField(
            model_name="discussioncase",
            name="closed_at",
            field=models.DateTimeField(
                blank=True, null=True, validators=[core.validators.DateRange()], verbose_name="closed"
            ),
        ),
        migrations.AlterField(
            model_name="discussioncase",
            name="converted_at",
            field=models.DateTimeField(
                blank=True, null=True, validators=[core.validators.DateRange()], verbose_name="named"
            ),
        ),
        migrations.AlterField(
            model_name="discussioncase",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, validators=[core.validators.DateRange()], verbose_name="created"
            ),
        ),
        migrations.AlterField(
            model_name="discussioncase",
            name="summary",
            field=models.TextField(max_length=5000, verbose_name="the concern"),
        ),
        migrations.AlterField(
            model_name="discussionnote",
            name="at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, validators=[core.validators.DateRange()], verbose_name="when"
            ),
        ),
        migrations.AlterField(
            model_name="discussionnote",
            name="text",
            field=models.TextField(max_length=5000, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="legalbasis",
            name="description",
            field=models.TextField(max_length=20000, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="legalbasisuse",
            name="reason",
            field=models.TextField(max_length=5000, verbose_name="reason"),
        ),
        migrations.AlterField(
            model_name="legalbasisuse",
            name="starts_at",
            field=models.DateTimeField(validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="from"),
        ),
        migrations.AlterField(
            model_name="legalbasisuse",
            name="until",
            field=models.DateTimeField(validators=[core.validators.DateRange(days_ahead=1830)], verbose_name="until"),
        ),
        migrations.AddConstraint(
            model_name="consentversion",
            constraint=models.CheckConstraint(
                condition=models.Q(("valid_from__range", (datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)))),
                name="consentversion_valid_from_bounds",
            ),
        ),
        migrations.AddConstraint(
            model_name="consentversion",
            constraint=models.CheckConstraint(
                condition=models.Q(("valid_to__range", (datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)))),
                name="consentversion_valid_to_bounds",
            ),
        ),
        migrations.AddConstraint(
            model_name="discussioncase",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("summary"), 5000
                ),
                name="discussioncase_summary_bounds",
            ),
        ),
        migrations.AddConstraint(
            model_name="discussionnote",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("text"), 5000
                ),
                name="discussionnote_text_bounds",
            ),
        ),
    ]
