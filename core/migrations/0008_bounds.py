import django.utils.timezone
from django.db import migrations, models

import core.validators


class Migration(migrations.Migration):
    dependencies = [("core", "0007_audit_numbering")]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="date_joined",
            field=models.DateTimeField(
                default=django.utils.timezone.now, validators=[core.validators.DateRange()], verbose_name="date joined"
            ),
        ),
    ]
