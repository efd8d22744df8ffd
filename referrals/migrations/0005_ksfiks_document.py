"""KS Fiks documents are kept exactly as received (referrals.models.KsFiksDocument), append-only,
enforced by PostgreSQL with the function from 0002: UPDATE and DELETE are refused, so what a
sender wrote is never rewritten. A concern report also keeps the UTC offset its sending time
came with (sent_at_offset), so an export gives the time back as it came."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

SQL = """
CREATE TRIGGER referrals_ksfiksdocument_append_only
    BEFORE UPDATE OR DELETE ON referrals_ksfiksdocument
    FOR EACH ROW EXECUTE FUNCTION referrals_append_only();
"""

REVERSE_SQL = "DROP TRIGGER IF EXISTS referrals_ksfiksdocument_append_only ON referrals_ksfiksdocument;"


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0004_events_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="concernreport",
            name="sent_at_offset",
            field=models.SmallIntegerField(
                blank=True, null=True, verbose_name="UTC offset of the sending time (minutes)"
            ),
        ),
        migrations.CreateModel(
            name="KsFiksDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("variant", models.CharField(max_length=10, verbose_name="variant")),
                ("content", models.BinaryField(verbose_name="the document as received")),
                ("size", models.PositiveIntegerField(verbose_name="size in bytes")),
                ("sha256", models.CharField(max_length=64)),
                ("unmapped", models.JSONField(blank=True, default=list, verbose_name="not taken into the report")),
                ("received_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "received_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "report",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="ksfiks_document",
                        to="referrals.concernreport",
                    ),
                ),
            ],
            options={
                "verbose_name": "KS Fiks document",
                "verbose_name_plural": "KS Fiks documents",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("variant__in", ["offentlig", "privat"])), name="ksfiksdocument_variant"
                    )
                ],
            },
        ),
        migrations.RunSQL(SQL, REVERSE_SQL),
    ]
