"""The life areas of a plan (issue 13), as data: each with its Norwegian name and the consent
category of what is written under it (teams.plans.models.PlanArea). Administrators may add,
rename or retire areas later; this only seeds the ones the issue names."""

from django.db import migrations

AREAS = [
    # code, name, category, order
    ("school", "Skole", "school", 10),
    ("leisure", "Fritid", "identity_contact", 20),
    ("work", "Arbeid", "identity_contact", 30),
    ("family", "Familie", "family", 40),
    ("friends", "Venner og nettverk", "identity_contact", 50),
    ("health", "Helse", "health", 60),
    ("substance_use", "Rus", "substance_use", 70),
    ("housing_economy", "Bolig og økonomi", "family", 80),
    ("crime_safety", "Kriminalitet og trygghet", "police", 90),
]


def seed(apps, schema_editor):
    PlanArea = apps.get_model("teams", "PlanArea")
    for code, name, category, order in AREAS:
        PlanArea.objects.update_or_create(code=code, defaults={"name": name, "category": category, "order": order})


def unseed(apps, schema_editor):
    PlanArea = apps.get_model("teams", "PlanArea")
    PlanArea.objects.filter(code__in=[a[0] for a in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("teams", "0008_plans_append_only")]

    operations = [migrations.RunPython(seed, unseed)]
