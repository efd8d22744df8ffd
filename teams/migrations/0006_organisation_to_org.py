"""The organisation moved to the org app (org.0001): teams forgets its models and points its
foreign keys at org's. State only: the tables and constraints are the same.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_organisation_to_org"),
        ("consent", "0009_organisation_to_org"),
        ("org", "0001_initial"),
        ("referrals", "0007_organisation_to_org"),
        ("teams", "0005_bounds"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="meeting",
            name="district",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meetings",
                to="org.district",
                verbose_name="district",
            ),
        ),
        migrations.RemoveField(
            model_name="unit",
            name="district",
        ),
        migrations.AlterField(
            model_name="meetingseries",
            name="district",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.district",
                verbose_name="district",
            ),
        ),
        migrations.RemoveField(
            model_name="staffrole",
            name="unit",
        ),
        migrations.RemoveField(
            model_name="staffrole",
            name="user",
        ),
        migrations.AlterField(
            model_name="meeting",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meetings",
                to="org.unit",
                verbose_name="organised by",
            ),
        ),
        migrations.AlterField(
            model_name="meetingseries",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.unit",
                verbose_name="organised by",
            ),
        ),
        migrations.AlterField(
            model_name="meetingparticipant",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.unit",
                verbose_name="service",
            ),
        ),
        migrations.AlterField(
            model_name="teammember",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                help_text="The service the staff member takes part for.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="team_members",
                to="org.unit",
                verbose_name="service",
            ),
        ),
        migrations.DeleteModel(
            name="District",
        ),
        migrations.DeleteModel(
            name="StaffRole",
        ),
        migrations.DeleteModel(
            name="Unit",
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
