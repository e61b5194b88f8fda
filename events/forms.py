"""The events' forms: an event and its programme, registration, check-in, feedback, speakers' search and profile."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F

from partnership import permissions
from partnership.enums import CollectivityKind, CollectivityUse
from partnership.forms import CollectivityField, IdMultipleChoiceField, in_french_order
from partnership.models import Delegation, MayorsAssociation, Region

from .enums import ExpertiseTheme, ParticipantQuality
from .models import SPEAKER_PERSONAL_FIELDS, Event, EventFeedback, Speaker

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AssociationChoiceField(IdMultipleChoiceField):
    """The AMF and the departmental associations, each named with its département, searchable by both."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.department.code})" if obj.department_id else obj.name


class EventForm(forms.ModelForm):
    """Create or edit an event. The delegation is chosen by national staff only."""

    online_url = forms.URLField(label="Lien de connexion", required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label="Nombre de places",
        min_value=1,
        error_messages={"min_value": "Il faut au moins une place."},
    )
    # The collectivité picker of the whole application; events stay open to Paris.
    venue_commune = CollectivityField(
        use=CollectivityUse.EVENT,
        label="Commune du lieu",
        required=False,
        help_text="Tapez le nom de la commune (« st etienne ») ou son code INSEE, puis choisissez dans la liste. "
        "Laisser vide pour un événement en ligne.",
    )
    mayors_associations = AssociationChoiceField(
        label="AMF et associations départementales de maires co-organisatrices",
        queryset=MayorsAssociation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Cochez l'AMF et chaque association départementale qui co-organise ; la recherche filtre la liste.",
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "topic",
            "theme",
            "description",
            "delegation",
            "mayors_associations",
            "starts_at",
            "ends_at",
            "venue_address",
            "online_url",
            "capacity",
            "registration_closes_at",
        ]
        widgets = {
            "starts_at": DATETIME_INPUT,
            "ends_at": DATETIME_INPUT,
            "registration_closes_at": DATETIME_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if permissions.is_national_staff(user):
            in_french_order(self.fields["delegation"]).queryset = Delegation.objects.all()
            self.fields["delegation"].empty_label = "CNFPT national"
        else:
            del self.fields["delegation"]
        # The AMF first, then the departmental associations by département.
        self.fields["mayors_associations"].queryset = MayorsAssociation.objects.select_related("department").order_by(
            F("department__code").asc(nulls_first=True), "name"
        )
        if self.instance.venue_commune_id:
            self.initial["venue_commune"] = self.instance.venue_commune
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        order = list(self.fields)
        order.remove("venue_commune")
        order.insert(order.index("venue_address"), "venue_commune")
        self.order_fields(order)
        # The co-organisers: a list of checkboxes that ``static/js/choice-filter.js`` makes searchable.
        self.helper.layout = Layout(
            *(
                Div(name, css_class="choice-filter", data_choice_filter="Rechercher une association (nom, département)")
                if name == "mayors_associations"
                else name
                for name in self.fields
            )
        )

    def clean_venue_commune(self):
        venue = self.cleaned_data["venue_commune"]
        if venue is not None and venue.kind != CollectivityKind.COMMUNE:
            raise ValidationError(f"« {venue.name} » est une intercommunalité : choisissez la commune du lieu.")
        return venue

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        closes_at = cleaned.get("registration_closes_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "La fin doit être postérieure au début.")
        if starts_at and closes_at and closes_at > starts_at:
            self.add_error("registration_closes_at", "Les inscriptions doivent être closes au plus tard au début.")
        has_venue = cleaned.get("venue_commune") or "venue_commune" in self.errors
        if not has_venue and not cleaned.get("online_url"):
            raise ValidationError("Indiquez la commune du lieu ou un lien de connexion en ligne.")
        return cleaned

    def _post_clean(self):
        # The model's own checks run in the service (full_clean); here only the form's.
        pass

    def event_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}
        fields.pop("delegation", None)
        fields.pop("mayors_associations", None)
        fields["venue_commune"] = self.cleaned_data["venue_commune"]
        return fields

    def delegation(self):
        if "delegation" in self.fields:
            return self.cleaned_data["delegation"]
        return self.user.delegation


class TimeSlotForm(forms.Form):
    title = forms.CharField(label="Intitulé", max_length=255)
    starts_at = forms.DateTimeField(label="Début", widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label="Fin", widget=DATETIME_INPUT)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    speakers = IdMultipleChoiceField(
        label="Intervenants",
        queryset=Speaker.objects.filter(is_active=True).order_by("last_name", "first_name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] <= cleaned["starts_at"]:
            self.add_error("ends_at", "La fin du créneau doit être postérieure à son début.")
        return cleaned


class RegistrationForm(forms.Form):
    """The public registration form; the collectivité is picked with the directory's picker (Paris included)."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="Adresse e-mail")
    quality = forms.ChoiceField(label="Qualité", choices=ParticipantQuality.choices, widget=forms.RadioSelect)
    collectivity = CollectivityField(
        label="Votre collectivité",
        use=CollectivityUse.EVENT,
        help_text="Nom de la commune ou de l'intercommunalité, code INSEE ou SIREN.",
    )
    job_title = forms.CharField(label="Fonction", max_length=200, required=False)

    def __init__(self, *args, initial_collectivity=None, **kwargs):
        super().__init__(*args, **kwargs)
        if initial_collectivity is not None:
            self.initial["collectivity"] = initial_collectivity


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = EventFeedback
        fields = ["rating", "comment"]
        labels = {"rating": "Votre note, de 1 (pas satisfait) à 5 (très satisfait)", "comment": "Commentaire"}
        widgets = {
            "rating": forms.RadioSelect(choices=[(n, str(n)) for n in range(1, 6)]),
            "comment": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_rating(self):
        rating = self.cleaned_data["rating"]
        if rating is None or not 1 <= rating <= 5:
            raise ValidationError("La note doit être comprise entre 1 et 5.")
        return rating

    def _post_clean(self):
        pass


class CheckInForm(forms.Form):
    present = IdMultipleChoiceField(
        label="Présents", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = registrations
        self.fields["present"].label_from_instance = lambda r: (
            f"{r.last_name} {r.first_name} – {r.get_quality_display()}, {r.collectivity.name}"
        )
        self.fields["present"].initial = [r.pk for r in registrations if r.checked_in_at]


class SpeakerSearchForm(forms.Form):
    q = forms.CharField(label="Recherche", required=False, max_length=100)
    theme = forms.ChoiceField(
        label="Thème",
        required=False,
        choices=[("", "Tous les thèmes"), *ExpertiseTheme.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    region = in_french_order(
        forms.ModelChoiceField(
            label="Région",
            required=False,
            queryset=Region.objects.all(),
            empty_label="Toutes les régions",
            widget=forms.Select(attrs={"class": "form-select"}),
        )
    )


class SpeakerProfileForm(forms.ModelForm):
    themes = forms.MultipleChoiceField(
        label="Thèmes d'expertise", choices=ExpertiseTheme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    consent = forms.BooleanField(
        label="J'accepte que ces informations figurent dans l'annuaire des intervenants du partenariat CNFPT – AMF.",
        required=False,
    )

    class Meta:
        model = Speaker
        # The personal fields, the regions before the availability as on the page since the start.
        fields = [*SPEAKER_PERSONAL_FIELDS]
        fields.insert(fields.index("availability"), "regions")
        widgets = {
            "regions": forms.CheckboxSelectMultiple,
            "availability": forms.Textarea(attrs={"rows": 3}),
            "bio": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        in_french_order(self.fields["regions"]).queryset = Region.objects.all()
        if self.instance.pk:
            self.fields["themes"].initial = list(self.instance.expertises.values_list("theme", flat=True))

    def _post_clean(self):
        pass

    def profile_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in SPEAKER_PERSONAL_FIELDS}
