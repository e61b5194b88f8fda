"""Forms of the trainings pages: they parse and validate input; services do the writing."""

import re
from datetime import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q

from agreements.models import ProgrammeLine, Theme
from events.models import Speaker
from partnership.enums import CollectivityUse
from partnership.forms import CollectivityField, IdMultipleChoiceField
from partnership.models import Collectivity

from . import phrases
from .enums import ActionMode, AgentCategory, AttendanceStatus, Period, RegistrationStatus
from .models import TrainingScheme

HALF_DAY_LINE = re.compile(r"^(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\s+(.+)$")
PERIOD_WORDS = {
    "matin": [Period.MORNING],
    "après-midi": [Period.AFTERNOON],
    "apres-midi": [Period.AFTERNOON],
    "journée": [Period.MORNING, Period.AFTERNOON],
    "journee": [Period.MORNING, Period.AFTERNOON],
}


def parse_half_days(text: str) -> list:
    """``12/03/2026 journée`` / ``13/03/2026 matin`` lines → sorted (date, period) pairs."""
    half_days, errors = set(), []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = HALF_DAY_LINE.match(line)
        words = PERIOD_WORDS.get(match.group(2).strip().lower()) if match else None
        day = None
        if match:
            for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
                try:
                    day = datetime.strptime(match.group(1), fmt).date()
                    break
                except ValueError:
                    continue
        if day is None or words is None:
            errors.append(
                f"Ligne {number} : « {line} » — écrivez par exemple « 12/03/2026 journée » ou « 12/03/2026 matin »."
            )
            continue
        half_days.update((day, period) for period in words)
    if errors:
        raise forms.ValidationError(errors)
    if not half_days:
        raise forms.ValidationError(phrases.NO_HALF_DAY)
    return sorted(half_days)


def format_half_days(half_days) -> str:
    by_day: dict = {}
    for half_day in half_days:
        by_day.setdefault(half_day.date, set()).add(half_day.period)
    lines = []
    for day, periods in sorted(by_day.items()):
        word = "journée" if len(periods) == 2 else ("matin" if Period.MORNING in periods else "après-midi")
        lines.append(f"{day:%d/%m/%Y} {word}")
    return "\n".join(lines)


class CollectivityCodeField(forms.CharField):
    """A collectivité typed by its INSEE code (commune) or SIREN (EPCI): no 35,000-option select."""

    def __init__(self, *, communes_only=False, **kwargs):
        self.communes_only = communes_only
        kwargs.setdefault("max_length", 9)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        code = value.strip().upper()
        collectivities = Collectivity.objects.select_related("department")
        if self.communes_only:
            collectivities = collectivities.filter(kind="commune")
        found = collectivities.filter(code=code).first() or collectivities.filter(siren=code).first()
        if found is None:
            what = "commune" if self.communes_only else "collectivité"
            raise forms.ValidationError(f"Aucune {what} ne porte le code « {code} » (code INSEE ou SIREN).")
        return found


class TrainingActionForm(forms.Form):
    title = forms.CharField(label="Intitulé", max_length=255)
    # Chosen on the contract's page (« Programmer une action » on a line of its programme), kept hidden: a
    # list of every line of a delegation's contracts would be thousands of options.
    programme_line = forms.ModelChoiceField(
        label="Ligne de programme du contrat",
        queryset=ProgrammeLine.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    scheme = forms.ModelChoiceField(label="Dispositif", queryset=TrainingScheme.objects.filter(is_active=True))
    theme = forms.ModelChoiceField(label="Thème", queryset=Theme.objects.filter(is_active=True))
    mode = forms.ChoiceField(label="Modalité", choices=ActionMode.choices)
    audience = forms.MultipleChoiceField(
        label="Public", choices=AgentCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    duration_days = forms.DecimalField(label="Durée (jours)", min_value=0.5, max_digits=4, decimal_places=1)
    objectives = forms.CharField(label="Objectifs", widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, delegation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme_line"].queryset = ProgrammeLine.objects.filter(
            contract__delegation=delegation
        ).select_related("contract")
        self.helper = FormHelper()
        self.helper.form_tag = False


class SessionForm(forms.Form):
    half_days = forms.CharField(
        label="Demi-journées",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Une ligne par jour : « 12/03/2026 journée », « 13/03/2026 matin » ou « 13/03/2026 après-midi ».",
    )
    venue = CollectivityCodeField(label="Commune du lieu (code INSEE)", communes_only=True)
    address = forms.CharField(label="Adresse", max_length=255, required=False)
    capacity = forms.IntegerField(label="Nombre de places", min_value=1, max_value=10000)
    trainers = IdMultipleChoiceField(
        label="Formateurs",
        queryset=Speaker.objects.filter(is_active=True, anonymised_at__isnull=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        if session is not None:
            # A trainer who has left the network since stays offered on the sessions they were booked
            # for: otherwise saving the session, even unchanged, would silently take them off it.
            self.fields["trainers"].queryset = Speaker.objects.filter(
                Q(is_active=True, anonymised_at__isnull=True) | Q(pk__in=session.trainers.values("pk"))
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_half_days(self):
        return parse_half_days(self.cleaned_data["half_days"])


class RegistrationForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="E-mail de l'agent")
    category = forms.ChoiceField(label="Catégorie", choices=AgentCategory.choices)
    job = forms.CharField(label="Emploi occupé", max_length=200, required=False)
    employer = CollectivityField(label="Collectivité employeur", use=CollectivityUse.EMPLOYER)

    def __init__(self, *args, employer_forced=False, **kwargs):
        super().__init__(*args, **kwargs)
        if employer_forced:
            # An HR contact registers their own agents: the service forces the employer.
            del self.fields["employer"]
        self.helper = FormHelper()
        self.helper.form_tag = False


class AttendanceForm(forms.Form):
    """The whole feuille d'émargement in one form: one field per (registration, half-day)."""

    CHOICES = [("", "—"), *AttendanceStatus.choices]

    def __init__(self, *args, half_days, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.half_days, self.rows = half_days, rows
        for row in rows:
            for half_day, status in row.cells:
                name = self.field_name(row.registration.pk, half_day.pk)
                self.fields[name] = forms.ChoiceField(
                    label=f"{row.registration.full_name} – {half_day}",
                    choices=self.CHOICES,
                    required=False,
                    initial=status,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )

    @staticmethod
    def field_name(registration_id: int, half_day_id: int) -> str:
        return f"presence_{registration_id}_{half_day_id}"

    def grid(self):
        """Rows of bound fields for the template, in the order of the rows and half-days."""
        return [
            (row, [self[self.field_name(row.registration.pk, half_day.pk)] for half_day, _status in row.cells])
            for row in self.rows
        ]

    def marks(self) -> dict:
        marks = {}
        for row in self.rows:
            for half_day, _status in row.cells:
                value = self.cleaned_data.get(self.field_name(row.registration.pk, half_day.pk), "")
                marks[(row.registration.pk, half_day.pk)] = value
        return marks


class RegistrationRowForm(RegistrationForm):
    """One line of the several-agents form: a line left blank is no agent, not an error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")
        self.fields["category"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["category"].choices = [("", "—"), *AgentCategory.choices]


class BaseRegistrationRowFormSet(forms.BaseFormSet):
    def agents(self) -> list[tuple[int, dict]]:
        """(line number as the user sees it, cleaned data) of every filled line."""
        return [
            (number, form.cleaned_data)
            for number, form in enumerate(self.forms, start=1)
            if form.has_changed() and form.cleaned_data
        ]


REGISTRATION_ROWS = 5
REGISTRATION_MAX_ROWS = 100
RegistrationRowFormSet = forms.formset_factory(
    RegistrationRowForm,
    formset=BaseRegistrationRowFormSet,
    extra=REGISTRATION_ROWS,
    max_num=REGISTRATION_MAX_ROWS,
    absolute_max=REGISTRATION_MAX_ROWS,
    validate_max=True,
)


class RegistrationFilterForm(forms.Form):
    """Filters of the registrations list; every field optional, an empty form lists everything.

    The session comes from the link of a session's page (« Inscriptions à cette session ») and stays in a
    hidden field: a list of every session of a delegation's history would be thousands of options.
    """

    session = forms.ModelChoiceField(label="Session", queryset=None, required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(label="Statut", required=False, choices=[("", "Tous"), *RegistrationStatus.choices])
    start = forms.DateField(
        label="Sessions du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda s: f"{s.action.title} – {s.start_date:%d/%m/%Y}"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "La fin de la période précède son début.")
        return cleaned
