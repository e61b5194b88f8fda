"""The training schemes of the law of 19 February 2007 (editable afterwards in the admin)."""

from django.db import migrations

SCHEMES = [
    ("integration", "Formation d'intégration", "5 jours (catégorie C), 10 jours (catégories A et B)"),
    ("professionnalisation-premier-emploi", "Professionnalisation au premier emploi", ""),
    ("professionnalisation-carriere", "Professionnalisation tout au long de la carrière", ""),
    (
        "professionnalisation-poste-responsabilite",
        "Professionnalisation à la suite de l'affectation sur un poste à responsabilité",
        "",
    ),
    ("perfectionnement", "Perfectionnement", ""),
    ("preparation-concours", "Préparation aux concours et examens professionnels", ""),
    ("formation-personnelle", "Formation personnelle", ""),
    ("illettrisme-langue-francaise", "Lutte contre l'illettrisme et apprentissage de la langue française", ""),
    ("bilan-competences", "Bilan de compétences", ""),
    ("vae", "Validation des acquis de l'expérience (VAE)", ""),
    ("cpf", "Compte personnel de formation (CPF)", "Depuis 2017 (remplace le DIF)"),
]


def create_schemes(apps, schema_editor):
    TrainingScheme = apps.get_model("trainings", "TrainingScheme")
    for position, (code, label, duration_note) in enumerate(SCHEMES):
        TrainingScheme.objects.get_or_create(
            code=code, defaults={"label": label, "duration_note": duration_note, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("trainings", "0001_initial")]

    operations = [migrations.RunPython(create_schemes, migrations.RunPython.noop)]
