"""forvaltningsloven § 13 b in the catalogue of legal bases (data; migration 0002 holds the others).

The general exceptions from the duty of confidentiality in forvaltningsloven that let one public
service share with another without consent, as Laget's services use them:

- første ledd nr. 6: sharing with another public body when it is needed to carry out the
  sharing service's own tasks, or to prevent substantial danger to life or serious harm to
  someone's health;
- første ledd nr. 5: telling another public body about a person's connection with the service
  and the decisions it has made (identity and contact only).

The categories leave out what stricter special rules govern: health (helsepersonelloven),
barnevern (barnevernsloven) and police matters (politiregisterloven). The receiving services are
public bodies: every kind of unit but "other". Administrators keep the catalogue in the admin
afterwards (after legal review, also the wording); the existing entries are not touched.
"""

from typing import Any

from django.db import migrations

PUBLIC_BODIES = [
    "barnevern",
    "salto",
    "school",
    "police",
    "nav",
    "bup",
    "ppt",
    "health",
    "outreach",
    "leisure",
    "konfliktraadet",
]

BASES = [
    {
        "code": "forvaltningsloven-13b-1-6",
        "title": "Deling med et annet forvaltningsorgan for egne oppgaver eller for å avverge fare",
        "law_reference": "forvaltningsloven § 13 b første ledd nr. 6",
        "description": (
            "Taushetsplikten er ikke til hinder for at tjenesten gir opplysninger til et annet offentlig organ "
            "når det er nødvendig for å utføre tjenestens egne oppgaver, eller for å forebygge vesentlig fare "
            "for liv eller alvorlig skade på noens helse. Gi bare de opplysningene som trengs, og skriv hvorfor "
            "delingen er nødvendig og hvorfor den ikke kan vente på samtykke. Helseopplysninger, "
            "barnevernsopplysninger og politiets opplysninger har egne, strengere regler."
        ),
        "categories": ["identity_contact", "school", "family", "substance_use"],
        "receiving_kinds": PUBLIC_BODIES,
    },
    {
        "code": "forvaltningsloven-13b-1-5",
        "title": "Opplysninger til et annet forvaltningsorgan om forbindelsen med tjenesten og vedtak",
        "law_reference": "forvaltningsloven § 13 b første ledd nr. 5",
        "description": (
            "Taushetsplikten er ikke til hinder for at tjenesten forteller et annet offentlig organ at en person "
            "har en forbindelse med tjenesten, og hvilke avgjørelser som er truffet. Det åpner bare for "
            "identitet og kontaktopplysninger – ikke for innholdet i oppfølgingen."
        ),
        "categories": ["identity_contact"],
        "receiving_kinds": PUBLIC_BODIES,
    },
]


def load(apps: Any, schema_editor: Any) -> None:
    LegalBasis = apps.get_model("consent", "LegalBasis")
    for basis in BASES:
        # An administrator may already have added or adjusted it: keep theirs.
        LegalBasis.objects.get_or_create(code=basis["code"], defaults={**basis, "active": True})


def unload(apps: Any, schema_editor: Any) -> None:
    LegalBasis = apps.get_model("consent", "LegalBasis")
    LegalBasis.objects.filter(code__in=[b["code"] for b in BASES], uses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("consent", "0006_append_only_units_and_uses")]

    operations = [migrations.RunPython(load, unload)]
