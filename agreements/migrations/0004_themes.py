"""The themes of the seed document, in its own words (editable afterwards in the admin)."""

from django.db import migrations

THEMES = [
    ("hr_support", "plan-de-formation", "Accompagnement dans les démarches d’élaboration de plan de formation"),
    ("hr_support", "illettrisme", "Lutte contre l’illettrisme"),
    ("hr_support", "petites-collectivites", "Formations spécifiques pour les petites collectivités"),
    ("development_projects", "discriminations", "Lutte contre les discriminations et pour l’égalité des chances"),
    ("development_projects", "handicap", "Prise en compte des travailleurs en situation de handicap"),
    ("development_projects", "illettrisme", "Lutte contre l’illettrisme"),
    ("development_projects", "sante-au-travail", "Développement de la santé au travail et prévention des risques psychosociaux"),
    ("development_projects", "developpement-durable", "Développement durable"),
]


def create_themes(apps, schema_editor):
    Theme = apps.get_model("agreements", "Theme")
    for position, (family, code, label) in enumerate(THEMES):
        Theme.objects.get_or_create(family=family, code=code, defaults={"label": label, "position": position})


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_contracts")]

    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
