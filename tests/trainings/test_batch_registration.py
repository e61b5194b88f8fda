"""Several agents at once: the lines form and the CSV import, all or nothing, errors by line."""

import pytest
from webtest import Upload

from tests.trainings.factories import ContractPartyFactory, RegistrationFactory
from trainings.enums import RegistrationStatus

pytestmark = pytest.mark.django_db

AGENTS = [
    ("Camille", "Durand", "camille.durand@mairie.example.fr", "C"),
    ("Louis", "Petit", "louis.petit@mairie.example.fr", "B"),
    ("Inès", "Moreau", "ines.moreau@mairie.example.fr", "A"),
]


def batch_url(session):
    return f"/formations/sessions/{session.pk}/inscrire/plusieurs/"


def fill_lines(form, agents, *, first_line=0):
    for index, (first_name, last_name, email, category) in enumerate(agents, start=first_line):
        form[f"form-{index}-first_name"] = first_name
        form[f"form-{index}-last_name"] = last_name
        form[f"form-{index}-email"] = email
        form[f"form-{index}-category"] = category


def statuses(session):
    return list(session.registrations.order_by("created_at", "pk").values_list("email", "status"))


def messages_of(page):
    return [li.text.strip() for li in page.html.select("#batch-errors li")]


def test_lines_form_registers_in_line_order_free_places_first(
    django_app, hr_contact, session, commune, django_capture_on_commit_callbacks
):
    page = django_app.get(batch_url(session), user=hr_contact)
    form = page.forms["registration-batch-form"]
    fill_lines(form, AGENTS)
    form["form-1-job"] = "Secrétaire de mairie"
    with django_capture_on_commit_callbacks() as callbacks:
        response = form.submit().follow()

    assert statuses(session) == [
        (AGENTS[0][2], RegistrationStatus.CONFIRMED),
        (AGENTS[1][2], RegistrationStatus.CONFIRMED),
        (AGENTS[2][2], RegistrationStatus.WAITLISTED),
    ]
    assert set(session.registrations.values_list("employer_id", flat=True)) == {commune.pk}
    assert session.registrations.get(email=AGENTS[1][2]).job == "Secrétaire de mairie"
    assert len(callbacks) == 3  # one e-mail per agent, after commit
    assert [m.message for m in response.context["messages"]] == [
        "3 agents inscrits\u00a0: 2 inscriptions confirmées, 1 en liste d’attente."
    ]
    assert [badge.text for badge in response.html.select("td .badge")] == ["position 1"]


def test_lines_form_one_faulty_line_registers_nobody_and_keeps_every_line(
    django_app, hr_contact, session, commune, django_capture_on_commit_callbacks
):
    RegistrationFactory(session=session, employer=commune, email=AGENTS[1][2])
    page = django_app.get(batch_url(session), user=hr_contact)
    form = page.forms["registration-batch-form"]
    fill_lines(form, AGENTS)
    with django_capture_on_commit_callbacks() as callbacks:
        response = form.submit(status=400)

    assert statuses(session) == [(AGENTS[1][2], RegistrationStatus.CONFIRMED)]
    assert callbacks == []
    assert messages_of(response) == [
        "Ligne 2\u00a0: e-mail — Cet agent (même adresse e-mail) est déjà inscrit à cette session."
    ]
    again = response.forms["registration-batch-form"]
    assert [again[f"form-{i}-email"].value for i in range(3)] == [agent[2] for agent in AGENTS]
    row_errors = [div.text for div in response.html.select("tbody .text-danger")]
    assert row_errors == ["Cet agent (même adresse e-mail) est déjà inscrit à cette session."]

    again["form-1-email"] = "louis.petit2@mairie.example.fr"
    again.submit().follow()
    assert [email for email, _status in statuses(session)] == [
        AGENTS[1][2],
        AGENTS[0][2],
        "louis.petit2@mairie.example.fr",
        AGENTS[2][2],
    ]


def test_lines_form_same_address_twice_names_the_first_line(django_app, hr_contact, session):
    page = django_app.get(batch_url(session), user=hr_contact)
    form = page.forms["registration-batch-form"]
    fill_lines(form, [AGENTS[0], AGENTS[1]])
    fill_lines(form, [("Camille", "Durand", AGENTS[0][2].upper(), "C")], first_line=3)
    response = form.submit(status=400)

    assert statuses(session) == []
    assert messages_of(response) == [
        "Ligne 4\u00a0: e-mail — Même adresse e-mail qu'à la ligne 1\u00a0: un agent ne s'inscrit qu'une fois."
    ]


def test_lines_form_half_filled_line_is_an_error_on_its_field_and_blank_lines_are_ignored(
    django_app, hr_contact, session
):
    page = django_app.get(batch_url(session), user=hr_contact)
    form = page.forms["registration-batch-form"]
    fill_lines(form, [AGENTS[0]])
    form["form-2-first_name"] = "Louis"
    response = form.submit(status=400)

    assert statuses(session) == []
    assert messages_of(response) == [
        "Ligne 3\u00a0: nom — Ce champ est obligatoire.\u00a0; e-mail — Ce champ est obligatoire.\u00a0; "
        "catégorie — Ce champ est obligatoire."
    ]
    row_errors = [div.text for div in response.html.select("tbody .text-danger")]
    assert row_errors == ["Ce champ est obligatoire."] * 3


def test_lines_form_with_nothing_filled_says_so(django_app, hr_contact, session):
    response = django_app.get(batch_url(session), user=hr_contact).forms["registration-batch-form"].submit(status=400)
    assert messages_of(response) == ["Indiquez au moins un agent à inscrire."]


def test_staff_lines_need_the_employer_code(django_app, delegation_staff, session, other_commune):
    # An intra session takes its contract's collectivités only (trainings/eligibility.py): make it one.
    ContractPartyFactory(contract=session.action.programme_line.contract, collectivity=other_commune)
    page = django_app.get(batch_url(session), user=delegation_staff)
    form = page.forms["registration-batch-form"]
    fill_lines(form, [AGENTS[0]])
    form["form-0-employer"] = other_commune.code
    form.submit().follow()
    assert list(session.registrations.values_list("email", "employer_id")) == [(AGENTS[0][2], other_commune.pk)]


def test_more_lines_on_request(django_app, hr_contact, session):
    page = django_app.get(batch_url(session) + "?lignes=20", user=hr_contact)
    assert page.forms["registration-batch-form"]["form-TOTAL_FORMS"].value == "20"
    page = django_app.get(batch_url(session) + "?lignes=100000", user=hr_contact)
    assert page.forms["registration-batch-form"]["form-TOTAL_FORMS"].value == "100"


# --- CSV ----------------------------------------------------------------------------------------


def import_csv(django_app, user, session, content: bytes, *, status=None):
    page = django_app.get(batch_url(session), user=user)
    form = page.forms["registration-import-form"]
    form["file"] = Upload("agents.csv", content, "text/csv")
    return form.submit(status=status)


def test_template_is_the_header_and_an_example_for_the_hr_contact(django_app, hr_contact, session):
    response = django_app.get(f"/formations/sessions/{session.pk}/inscrire/modele.csv", user=hr_contact)
    assert response.headers["Content-Disposition"] == f'attachment; filename="inscriptions-session-{session.pk}.csv"'
    assert response.body.decode("utf-8") == (
        "\ufeffprenom;nom;email;categorie;emploi\r\nCamille;Martin;camille.martin@mairie.example.fr;A;Secrétaire\r\n"
    )


def test_template_of_staff_names_the_employer(django_app, delegation_staff, session):
    response = django_app.get(f"/formations/sessions/{session.pk}/inscrire/modele.csv", user=delegation_staff)
    assert response.body.decode("utf-8").splitlines()[0] == "\ufeffprenom;nom;email;categorie;emploi;employeur"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_csv_as_a_french_spreadsheet_writes_it_registers_everyone(django_app, hr_contact, session, commune, bom):
    content = (
        bom
        + (
            "Prénom;Nom;E-mail;Catégorie;Emploi\r\n"
            "Camille;Durand;camille.durand@mairie.example.fr;C;Agent d'accueil\r\n"
            ";;;;\r\n"
            "Inès;Moreau;ines.moreau@mairie.example.fr;cat. a;\r\n"
        ).encode()
    )
    response = import_csv(django_app, hr_contact, session, content).follow()

    assert list(session.registrations.order_by("pk").values_list("first_name", "category", "job", "employer_id")) == [
        ("Camille", "C", "Agent d'accueil", commune.pk),
        ("Inès", "A", "", commune.pk),
    ]
    assert [m.message for m in response.context["messages"]] == ["2 agents inscrits\u00a0: 2 inscriptions confirmées."]


def test_csv_with_faulty_lines_registers_nobody_and_lists_each_line(django_app, hr_contact, session, commune):
    RegistrationFactory(session=session, employer=commune, email="deja@mairie.example.fr")
    content = (
        "prenom;nom;email;categorie;emploi\n"
        "Camille;Durand;camille.durand@mairie.example.fr;C;\n"
        "Louis;Petit;pas-une-adresse;B;\n"
        "Inès;Moreau;ines.moreau@mairie.example.fr;D;\n"
        "Paul;Blanc;deja@mairie.example.fr;C;\n"
    ).encode()
    response = import_csv(django_app, hr_contact, session, content, status=400)

    assert session.registrations.count() == 1
    assert messages_of(response) == [
        "Ligne 3\u00a0: e-mail — Saisissez une adresse e-mail valide.",
        "Ligne 4\u00a0: Catégorie invalide\u00a0: A, B ou C.",
        "Ligne 5\u00a0: e-mail — Cet agent (même adresse e-mail) est déjà inscrit à cette session.",
    ]


def test_csv_wrong_header_or_column_count_is_explained(django_app, hr_contact, session):
    response = import_csv(
        django_app, hr_contact, session, b"nom;prenom;email\nDurand;Camille;c@example.fr\n", status=400
    )
    assert messages_of(response) == [
        "Ligne 1\u00a0: en-tête attendu «\u00a0prenom;nom;email;categorie;emploi\u00a0», trouvé «\u00a0nom;prenom;email\u00a0» "
        "(colonnes manquantes\u00a0: categorie, emploi)."
    ]
    response = import_csv(
        django_app, hr_contact, session, b"prenom;nom;email;categorie;emploi\nCamille;Durand\n", status=400
    )
    assert messages_of(response) == [
        "Ligne 2\u00a0: 5 colonnes attendues (séparateur\u00a0: point-virgule), 2 trouvées."
    ]
    response = import_csv(django_app, hr_contact, session, b"prenom;nom;email;categorie;emploi\n", status=400)
    assert messages_of(response) == [
        "Le fichier ne contient aucune ligne sous l'en-tête\u00a0: ajoutez une ligne par enregistrement."
    ]
    assert session.registrations.count() == 0


def test_staff_csv_names_an_unknown_employer_by_line(django_app, delegation_staff, session, other_commune):
    ContractPartyFactory(contract=session.action.programme_line.contract, collectivity=other_commune)
    content = (
        "prenom;nom;email;categorie;emploi;employeur\n"
        f"Camille;Durand;camille.durand@mairie.example.fr;C;;{other_commune.code}\n"
        "Louis;Petit;louis.petit@mairie.example.fr;C;;99999\n"
    ).encode()
    response = import_csv(django_app, delegation_staff, session, content, status=400)
    assert messages_of(response) == [
        "Ligne 3\u00a0: collectivité employeur — aucune collectivité ne correspond à «\u00a099999\u00a0» "
        "(code INSEE, SIREN ou nom exact)."
    ]
    assert session.registrations.count() == 0


def test_an_hr_contact_cannot_register_in_a_session_they_do_not_see(django_app, other_hr_contact, session):
    response = django_app.get(batch_url(session), user=other_hr_contact, expect_errors=True)
    assert response.status_code == 404
    assert session.registrations.count() == 0


def test_closed_session_offers_no_form(django_app, hr_contact, session):
    session.status = "cancelled"
    session.save(update_fields=["status"])
    page = django_app.get(batch_url(session), user=hr_contact)
    assert {"registration-batch-form", "registration-import-form"} & set(page.forms) == set()
    assert "Les inscriptions sont closes pour cette session." in page.text


def test_lines_form_reports_the_forms_and_the_services_errors_in_one_round(django_app, hr_contact, session, commune):
    RegistrationFactory(session=session, employer=commune, email=AGENTS[1][2])
    page = django_app.get(batch_url(session), user=hr_contact)
    form = page.forms["registration-batch-form"]
    fill_lines(form, AGENTS)
    form["form-0-email"] = "pas-une-adresse"  # refused by the form
    response = form.submit(status=400)  # line 2 is refused by the service (already registered)

    assert messages_of(response) == [
        "Ligne 1\u00a0: e-mail — Saisissez une adresse e-mail valide.",
        "Ligne 2\u00a0: e-mail — Cet agent (même adresse e-mail) est déjà inscrit à cette session.",
    ]
    assert [div.text for div in response.html.select("tbody .text-danger")] == [
        "Saisissez une adresse e-mail valide.",
        "Cet agent (même adresse e-mail) est déjà inscrit à cette session.",
    ]
    assert statuses(session) == [(AGENTS[1][2], RegistrationStatus.CONFIRMED)]


def test_csv_reports_every_line_and_every_field_at_once(django_app, delegation_staff, session, commune):
    RegistrationFactory(session=session, employer=commune, email="deja@mairie.example.fr")
    content = (
        "prenom;nom;email;categorie;emploi;employeur\n"
        f"Cam\x00ille;Durand;camille@mairie.example.fr;C;;{commune.code}\n"  # the reader's
        f"Louis;Petit;pas-une-adresse;D;;{commune.code}\n"  # the service's, two fields at once
        f"Paul;Blanc;deja@mairie.example.fr;C;;{commune.code}\n"  # the service's, after the lock
        f"Inès;Moreau;ines@mairie.example.fr;B;;{commune.code}\n"  # fine
    ).encode()
    response = import_csv(django_app, delegation_staff, session, content, status=400)

    assert messages_of(response) == [
        "Ligne 2\u00a0: prénom — caractère nul (NUL) interdit dans une cellule.",
        "Ligne 3\u00a0: Catégorie invalide\u00a0: A, B ou C.\u00a0; e-mail — Saisissez une adresse e-mail valide.",
        "Ligne 4\u00a0: e-mail — Cet agent (même adresse e-mail) est déjà inscrit à cette session.",
    ]
    assert statuses(session) == [("deja@mairie.example.fr", RegistrationStatus.CONFIRMED)]


def test_csv_with_a_nul_byte_or_a_200_kb_cell_answers_its_line_not_a_500(django_app, hr_contact, session):
    """Issue 21's two 500s: a NUL byte handed to PostgreSQL, a cell over the csv module's 131,072 characters."""
    content = (
        "prenom;nom;email;categorie;emploi\n"
        "Camille;Du\x00rand;camille@mairie.example.fr;C;\n"
        f"Louis;Petit;louis@mairie.example.fr;C;{'x' * 200_000}\n"
    ).encode()
    response = import_csv(django_app, hr_contact, session, content, status=400)

    assert response.status_code == 400
    assert messages_of(response) == [
        "Ligne 2\u00a0: nom — caractère nul (NUL) interdit dans une cellule.",
        "Ligne 3\u00a0: emploi — 200\u00a0000 caractères, 200 au plus.",
    ]
    assert statuses(session) == []


def test_csv_saved_by_excel_in_windows_1252_with_commas(django_app, hr_contact, session, commune):
    content = "Prénom,Nom,E-mail,Catégorie,Emploi\r\nInès,Moreau,ines@mairie.example.fr,Catégorie B,Rédactrice\r\n"
    import_csv(django_app, hr_contact, session, content.encode("cp1252")).follow()
    assert list(session.registrations.values_list("first_name", "category", "job")) == [("Inès", "B", "Rédactrice")]


def test_the_upload_states_its_limits_before_anything_is_sent(django_app, hr_contact, session):
    page = django_app.get(batch_url(session), user=hr_contact)
    help_text = page.html.select_one("#id_file_helptext").text.strip()
    assert help_text == (
        "Fichier CSV de 2\u00a0Mo et 10\u00a0000 lignes au plus, enregistré par un tableur (séparateur point-virgule, "
        "virgule ou tabulation\u00a0; encodage UTF-8 ou Windows-1252)."
    )
    assert "Un fichier de plus de 500 lignes est importé en arrière-plan" in page.text
