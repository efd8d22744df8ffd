"""Foreign keys to districts and units now point at the org app's models (org.0001). State only:
the tables are the same.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0008_bounds"),
        ("org", "0001_initial"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="consentversion",
            name="units",
            field=models.ManyToManyField(
                related_name="consent_versions", to="org.unit", verbose_name="receiving services"
            ),
        ),
        migrations.AlterField(
            model_name="disclosure",
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
            model_name="discussioncase",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.district",
                verbose_name="district",
            ),
        ),
        migrations.AlterField(
            model_name="discussioncase",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.unit", verbose_name="brought by"
            ),
        ),
        migrations.AlterField(
            model_name="legalbasisuse",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.unit",
                verbose_name="receiving service",
            ),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
