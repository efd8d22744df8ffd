"""District, Unit and StaffRole move from the teams app to org (issue 12): the models only; the tables
(teams_district, teams_unit, teams_staffrole) and their rows stay as they are.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import core.validators


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("teams", "0005_bounds"),
    ]

    state_operations = [
        migrations.CreateModel(
            name="District",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "number",
                    models.PositiveSmallIntegerField(
                        unique=True,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(15),
                        ],
                        verbose_name="district number",
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                (
                    "max_youths_per_follower",
                    models.PositiveSmallIntegerField(
                        default=5,
                        help_text="The Oslo standard is 5.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(20),
                        ],
                        verbose_name="most active youths per follower",
                    ),
                ),
                (
                    "intake_interval_weeks",
                    models.PositiveSmallIntegerField(
                        choices=[(2, "every 2 weeks"), (4, "every 4 weeks"), (6, "every 6 weeks")],
                        default=4,
                        verbose_name="intake meeting interval",
                    ),
                ),
            ],
            options={
                "verbose_name": "district",
                "verbose_name_plural": "districts",
                "db_table": "teams_district",
                "ordering": ["number"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("number__gte", 1), ("number__lte", 15)), name="district_number_1_15"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("intake_interval_weeks__in", [2, 4, 6])),
                        name="district_intake_interval_2_4_6",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Unit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("barnevern", "Child welfare (barnevern)"),
                            ("salto", "SaLTo / prevention"),
                            ("school", "School"),
                            ("police", "Police"),
                            ("nav", "NAV"),
                            ("bup", "Child and adolescent psychiatry (BUP)"),
                            ("ppt", "Educational psychology service (PPT)"),
                            ("health", "Health service"),
                            ("outreach", "Outreach (utekontakt)"),
                            ("leisure", "Leisure (fritidsklubb)"),
                            ("konfliktraadet", "Mediation service (Konfliktrådet)"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="type of service",
                    ),
                ),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                ("phone", models.CharField(blank=True, max_length=40, verbose_name="phone")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "district",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty for a city-wide service.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="units",
                        to="org.district",
                        verbose_name="district",
                    ),
                ),
            ],
            options={
                "verbose_name": "service",
                "verbose_name_plural": "services",
                "db_table": "teams_unit",
                "ordering": ["district__number", "name"],
                "permissions": [
                    ("manage_unit", "Can lead the unit: caseloads, exceptions"),
                    ("view_audit_unit", "Can review the audit trail of the unit's staff"),
                ],
            },
        ),
        migrations.CreateModel(
            name="StaffRole",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("follower", "One-to-one follower"),
                            ("family_follower", "Family follower"),
                            ("coordinator", "Coordinator"),
                            ("caseworker", "Caseworker"),
                            ("leader", "Leader"),
                            ("police_contact", "Police contact"),
                            ("school_contact", "School contact"),
                            ("other_service", "Other service"),
                            ("administrator", "Administrator"),
                        ],
                        max_length=20,
                        verbose_name="role",
                    ),
                ),
                ("title", models.CharField(blank=True, max_length=120, verbose_name="job title")),
                (
                    "starts_on",
                    models.DateField(
                        default=django.utils.timezone.localdate,
                        validators=[core.validators.DateRange(days_ahead=1830)],
                        verbose_name="from",
                    ),
                ),
                (
                    "ends_on",
                    models.DateField(
                        blank=True,
                        null=True,
                        validators=[core.validators.DateRange(days_ahead=1830)],
                        verbose_name="to",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="roles",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="person",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="roles",
                        to="org.unit",
                        verbose_name="service",
                    ),
                ),
            ],
            options={
                "verbose_name": "staff role",
                "verbose_name_plural": "staff roles",
                "db_table": "teams_staffrole",
                "ordering": ["unit__name", "role", "user__full_name"],
            },
        ),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(fields=("district", "name"), name="unit_name_unique_in_district"),
        ),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(
                condition=models.Q(("district__isnull", True)), fields=("name",), name="unit_name_unique_citywide"
            ),
        ),
        migrations.AddIndex(
            model_name="staffrole",
            index=models.Index(fields=["unit", "role"], name="staffrole_unit_role"),
        ),
        migrations.AddConstraint(
            model_name="staffrole",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ends_on__isnull", True)),
                fields=("user", "unit", "role"),
                name="staffrole_one_open_role_per_unit",
            ),
        ),
        migrations.AddConstraint(
            model_name="staffrole",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_on__isnull", True), ("ends_on__gte", models.F("starts_on")), _connector="OR"),
                name="staffrole_ends_after_start",
            ),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
