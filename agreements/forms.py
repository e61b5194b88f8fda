"""Forms of the delegation workspace for contracts: the contract, its parties and its programme."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from partnership.enums import CollectivityUse, Role
from partnership.forms import CollectivityField, IdMultipleChoiceField, in_french_order
from partnership.models import Delegation, User

from .enums import ContractStatus
from .models import Theme
from .services.drafting import PLANNED_TRAINEES_MAX, default_delegate, validate_contract_date
from .services.rows import LineData, PartyData

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContractForm(forms.Form):
    delegation = forms.ModelChoiceField(queryset=Delegation.objects.none(), label="Délégation régionale")
    title = forms.CharField(label="Intitulé", max_length=255)
    start_date = forms.DateField(label="Date de début", widget=DATE_WIDGET, validators=[validate_contract_date])
    end_date = forms.DateField(
        label="Date de fin",
        widget=DATE_WIDGET,
        required=False,
        help_text="Par défaut, trois ans après le début.",
        validators=[validate_contract_date],
    )
    delegate = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Délégué(e) régional(e) signataire", required=False
    )
    advisers = IdMultipleChoiceField(
        queryset=User.objects.none(),
        label="Conseillers formation référents",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objectives = forms.CharField(label="Objet et objectifs", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    specific_clauses = forms.CharField(
        label="Clauses particulières", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, user, delegation: Delegation | None = None, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_delegation = delegation
        if delegation is not None:
            del self.fields["delegation"]
            current = Q(role=Role.DELEGATION_STAFF, delegation=delegation, is_active=True)
        else:
            in_french_order(self.fields["delegation"]).queryset = Delegation.objects.all()
            current = Q(role=Role.DELEGATION_STAFF, is_active=True)
        staff = User.objects.filter(current).select_related("delegation")
        self.fields["delegate"].queryset = staff
        self.fields["advisers"].queryset = staff
        if contract is not None:
            # Whoever the draft names stays offered (even after leaving or changing role): saving the
            # draft unchanged must not drop its signatory or its advisers.
            named = Q(pk=contract.delegate_id) | Q(pk__in=contract.advisers.values("pk"))
            self.fields["delegate"].queryset = User.objects.filter(current | named).select_related("delegation")
            self.fields["advisers"].queryset = self.fields["delegate"].queryset
        if not self.is_bound and not self.initial.get("delegate") and delegation is not None:
            # The délégué régional is the usual countersignatory: propose them.
            delegate = default_delegate(delegation)
            if delegate is not None:
                self.initial["delegate"] = delegate.pk
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *(["delegation"] if delegation is None else []),
            "title",
            Div(Div("start_date", css_class="col-md-6"), Div("end_date", css_class="col-md-6"), css_class="row"),
            Div(
                Div("delegate", css_class="col-md-6"),
                Div("advisers", css_class="col-md-6"),
                css_class="row",
            ),
            "objectives",
            "specific_clauses",
            "version",
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", "La date de fin doit être postérieure à la date de début.")
        return cleaned

    def chosen_delegation(self) -> Delegation:
        return self.fixed_delegation or self.cleaned_data["delegation"]


# The id of the row an edit form row stands for: sent back, so the service changes that row in place.
ROW_ID = {"required": False, "min_value": 1, "max_value": 2**63 - 1, "widget": forms.HiddenInput}


class PartyForm(forms.Form):
    id = forms.IntegerField(**ROW_ID)
    collectivity = CollectivityField(use=CollectivityUse.CONTRACT_PARTY)
    signatory_name = forms.CharField(label="Nom du signataire", max_length=150)
    signatory_function = forms.CharField(label="Fonction", max_length=100, help_text="Maire, président(e)…")
    signatory_email = forms.EmailField(label="E-mail du signataire")
    deliberation_date = forms.DateField(label="Date de la délibération", widget=DATE_WIDGET, required=False)

    def to_data(self) -> PartyData:
        data = self.cleaned_data
        return PartyData(
            collectivity=data["collectivity"],
            signatory_name=data["signatory_name"],
            signatory_function=data["signatory_function"],
            signatory_email=data["signatory_email"],
            deliberation_date=data.get("deliberation_date"),
            pk=data.get("id"),
        )


class ThemeChoiceField(forms.ModelChoiceField):
    """Themes named with their family: illiteracy belongs to both families of the seed document."""

    FAMILY_SHORT = {"hr_support": "Accompagnement RH", "development_projects": "Projets du CNFPT"}

    def label_from_instance(self, obj):
        return f"{self.FAMILY_SHORT.get(obj.family, obj.get_family_display())} – {obj.label}"


class LineForm(forms.Form):
    id = forms.IntegerField(**ROW_ID)
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    theme = ThemeChoiceField(queryset=Theme.objects.filter(is_active=True), label="Thème")
    title = forms.CharField(label="Action prévue", max_length=255)
    planned_days = forms.DecimalField(label="Jours prévus", min_value=0.5, max_digits=6, decimal_places=1)
    planned_trainees = forms.IntegerField(label="Stagiaires prévus", min_value=1, max_value=PLANNED_TRAINEES_MAX)

    def __init__(self, *args, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if themes is not None:
            self.fields["theme"].queryset = themes

    def to_data(self) -> LineData:
        data = self.cleaned_data
        return LineData(
            year=data["year"],
            theme=data["theme"],
            title=data["title"],
            planned_days=data["planned_days"],
            planned_trainees=data["planned_trainees"],
            pk=data.get("id"),
        )


class BaseRequiredFormSet(forms.BaseFormSet):
    """Rows of a contract: existing rows come back whole, blank extra rows are ignored.

    As Django's model formsets do: a row the page showed (an initial form) is kept whether or not it
    changed, and goes only when its « Supprimer » box is ticked; an extra row counts once filled in.
    """

    minimum_message = ""

    def filled_forms(self):
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed()) and not self._should_delete_form(form)
        ]

    def removed_ids(self) -> list[int]:
        """Ids of the existing rows whose « Supprimer » box is ticked."""
        return [form.cleaned_data["id"] for form in self.deleted_forms if form.cleaned_data.get("id") is not None]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.minimum_message and not self.filled_forms():
            raise ValidationError(self.minimum_message)


class BasePartyFormSet(BaseRequiredFormSet):
    minimum_message = "Indiquez au moins une collectivité partie au contrat."

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = set()
        for form in self.filled_forms():
            collectivity = form.cleaned_data["collectivity"]
            if collectivity.pk in seen:
                raise ValidationError(f"{collectivity.name} figure deux fois parmi les parties.")
            seen.add(collectivity.pk)


# ``absolute_max`` and ``validate_max``: a posted TOTAL_FORMS beyond the limit is refused with a message,
# rather than building (and saving) up to a thousand more forms than the page can show.
PartyFormSet = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=1, can_delete=True, max_num=50, absolute_max=50, validate_max=True
)
LineFormSet = forms.formset_factory(
    LineForm, formset=BaseRequiredFormSet, extra=2, can_delete=True, max_num=200, absolute_max=200, validate_max=True
)


def party_initial(contract) -> list[dict]:
    return [
        {
            "id": party.pk,
            "collectivity": party.collectivity,
            "signatory_name": party.signatory_name,
            "signatory_function": party.signatory_function,
            "signatory_email": party.signatory_email,
            "deliberation_date": party.deliberation_date,
        }
        for party in contract.parties.all()
    ]


def line_initial(contract) -> list[dict]:
    return [
        {
            "id": line.pk,
            "year": line.year,
            "theme": line.theme_id,
            "title": line.title,
            "planned_days": line.planned_days,
            "planned_trainees": line.planned_trainees,
        }
        for line in contract.programme_lines.all()
    ]


class ContractFilterForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Référence, intitulé, collectivité"}),
    )
    status = forms.ChoiceField(label="Statut", required=False, choices=[("", "Tous"), *ContractStatus.choices])
    department = forms.CharField(
        label="Département", required=False, max_length=3, widget=forms.TextInput(attrs={"placeholder": "ex. 42"})
    )
    theme = forms.ModelChoiceField(label="Thème", required=False, queryset=Theme.objects.all(), empty_label="Tous")
    year = forms.IntegerField(label="Année", required=False, min_value=2000, max_value=2100)
    sort = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[
            ("-created_at", "Plus récents"),
            ("reference", "Référence"),
            ("start_date", "Date de début"),
            ("-end_date", "Date de fin"),
            ("status", "Statut"),
        ],
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class TerminateForm(ReasonForm):
    on_date = forms.DateField(label="Date de résiliation", widget=DATE_WIDGET, initial=datetime.date.today)


class AmendmentForm(forms.Form):
    title = forms.CharField(label="Objet de l'avenant", max_length=255)
    summary = forms.CharField(label="Contenu", widget=forms.Textarea(attrs={"rows": 4}))
    new_end_date = forms.DateField(label="Nouvelle date de fin (prolongation)", widget=DATE_WIDGET, required=False)


class AttachmentForm(forms.Form):
    title = forms.CharField(label="Titre du document", max_length=200)
    file = forms.FileField(label="Fichier (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG ; 10 Mo au plus)")
