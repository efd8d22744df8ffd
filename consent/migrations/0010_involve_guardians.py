"""ConsentVersion.involve_guardians (issue 14): the youth, 18 or older and consenting alone, wants
the guardians told and involved after the 18th birthday. Only an adult version may say so.
Adding a column with a default writes no UPDATE, so the append-only triggers (0003) are not asked.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0009_organisation_to_org"),
    ]

    operations = [
        migrations.AddField(
            model_name="consentversion",
            name="involve_guardians",
            field=models.BooleanField(
                default=False,
                help_text="From the 18th birthday the guardians are told nothing (no letters, invitations or plans to acknowledge) unless the youth, alone, has agreed to exactly this.",
                verbose_name="The youth wants the guardians told and involved after 18",
            ),
        ),
        migrations.AddConstraint(
            model_name="consentversion",
            constraint=models.CheckConstraint(
                condition=models.Q(("involve_guardians", False), ("age_rule", "adult"), _connector="OR"),
                name="consentversion_involve_guardians_adult",
            ),
        ),
    ]
