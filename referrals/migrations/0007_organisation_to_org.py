"""Foreign keys to districts and units now point at the org app's models (org.0001). State only:
the tables are the same.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
        ("referrals", "0006_bounds"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="concernreport",
            name="reporter_unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="concern_reports_sent",
                to="org.unit",
            ),
        ),
        migrations.AlterField(
            model_name="concernreport",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="concern_reports",
                to="org.unit",
                verbose_name="barnevern service",
            ),
        ),
        migrations.AlterField(
            model_name="intakecandidate",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="intake_candidates",
                to="org.district",
                verbose_name="district",
            ),
        ),
        migrations.AlterField(
            model_name="intakecandidate",
            name="proposed_by_unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.unit", verbose_name="proposed by"
            ),
        ),
        migrations.AlterField(
            model_name="schoolcontact",
            name="barnevern_unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.unit",
                verbose_name="barnevern service",
            ),
        ),
        migrations.AlterField(
            model_name="schoolcontact",
            name="school",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="barnevern_contacts",
                to="org.unit",
                verbose_name="school",
            ),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
