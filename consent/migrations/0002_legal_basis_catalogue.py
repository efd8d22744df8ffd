"""The catalogue of legal bases that allow sharing without consent (data, kept by administrators
in the admin afterwards). Only references whose content is certain are included; others (for
example forvaltningsloven § 13 b) are added by administrators after legal review."""

from typing import Any

from django.db import migrations

ALL = ["identity_contact", "school", "health", "police", "barnevern", "family", "substance_use"]

BASES = [
    {
        "code": "barnevernsloven-13-2",
        "title": "Opplysningsplikt til barnevernstjenesten",
        "law_reference": "barnevernsloven § 13-2",
        "description": (
            "Offentlige myndigheter og ansatte i offentlige tjenester skal uten hinder av taushetsplikt "
            "gi opplysninger til barnevernstjenesten når det er grunn til å tro at et barn blir eller vil bli "
            "mishandlet, utsatt for alvorlige mangler ved den daglige omsorgen eller annen alvorlig "
            "omsorgssvikt, eller når et barn har vist alvorlige atferdsvansker. Plikten er personlig. "
            "Opplysningene kan bare gå til barnevernstjenesten."
        ),
        "categories": ALL,
        "receiving_kinds": ["barnevern"],
    },
    {
        "code": "helsepersonelloven-33",
        "title": "Helsepersonells opplysningsplikt til barnevernstjenesten",
        "law_reference": "helsepersonelloven § 33",
        "description": (
            "Helsepersonell skal uten hinder av taushetsplikt gi opplysninger til barnevernstjenesten "
            "når det er grunn til å tro at et barn blir eller vil bli mishandlet, utsatt for alvorlig "
            "omsorgssvikt, eller har vist alvorlige atferdsvansker. Opplysningene kan bare gå til "
            "barnevernstjenesten."
        ),
        "categories": ALL,
        "receiving_kinds": ["barnevern"],
    },
    {
        "code": "straffeloven-196",
        "title": "Plikt til å avverge alvorlige straffbare handlinger",
        "law_reference": "straffeloven § 196",
        "description": (
            "Enhver har plikt til å søke å avverge visse alvorlige straffbare handlinger (blant annet drap, "
            "grov kroppsskade, voldtekt, ran og mishandling i nære relasjoner) ved anmeldelse til politiet "
            "eller på annen måte, når det fremstår som sikkert eller mest sannsynlig at handlingen vil bli "
            "eller er begått. Plikten gjelder uten hinder av taushetsplikt. Del bare det som trengs for å "
            "avverge handlingen."
        ),
        "categories": ["identity_contact", "police", "family"],
        "receiving_kinds": [],
    },
]


def load(apps: Any, schema_editor: Any) -> None:
    LegalBasis = apps.get_model("consent", "LegalBasis")
    for basis in BASES:
        LegalBasis.objects.update_or_create(code=basis["code"], defaults={**basis, "active": True})


def unload(apps: Any, schema_editor: Any) -> None:
    LegalBasis = apps.get_model("consent", "LegalBasis")
    LegalBasis.objects.filter(code__in=[b["code"] for b in BASES], uses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
