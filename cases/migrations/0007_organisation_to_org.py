"""Foreign keys to districts and units now point at the org app's models (org.0001). State only:
the tables are the same.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_bounds"),
        ("org", "0001_initial"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="family",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.district",
                verbose_name="district",
            ),
        ),
        migrations.AlterField(
            model_name="followup",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="followups",
                to="org.unit",
                verbose_name="follow-up team",
            ),
        ),
        migrations.AlterField(
            model_name="justicestep",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                help_text="The service that recorded it: it sees its own records (consent.policy).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.unit",
                verbose_name="recorded in",
            ),
        ),
        migrations.AlterField(
            model_name="offence",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                help_text="The service that recorded it: it sees its own records (consent.policy).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.unit",
                verbose_name="recorded in",
            ),
        ),
        migrations.AlterField(
            model_name="youth",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="youths",
                to="org.district",
                verbose_name="district",
            ),
        ),
        migrations.AlterField(
            model_name="youth",
            name="school",
            field=models.ForeignKey(
                blank=True,
                limit_choices_to={"kind": "school"},
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="pupils",
                to="org.unit",
                verbose_name="school",
            ),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
