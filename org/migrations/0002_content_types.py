"""The content types of districts, units and staff roles follow the models to the org app, so that
object permissions (django-guardian) and admin history given under teams keep pointing at them.

On a new database the content types do not exist yet (Django makes them after the migrations), and
nothing is renamed."""

from django.db import migrations

MODELS = ("district", "unit", "staffrole")


def to_org(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label="org", model=model).exists():
            content_type.objects.filter(app_label="teams", model=model).update(app_label="org")


def to_teams(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label="teams", model=model).exists():
            content_type.objects.filter(app_label="org", model=model).update(app_label="teams")


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(to_org, to_teams)]
