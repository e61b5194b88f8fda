"""The core's forms and fields: accounts, the collectivité picker, choices in French alphabetical order."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.contrib.auth.forms import UserCreationForm as BaseUserCreationForm
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.urls import reverse_lazy
from django.utils.html import format_html

from . import task_names
from .auth import client_ip
from .dispatch import enqueue
from .enums import INVITABLE_ROLES, CollectivityUse, Role
from .models import Collectivity, User
from .ratelimit import allow, email_key
from .selectors import collectivity_lookup
from .services import collectivity_check_covered_by_cnfpt, collectivity_requires_coverage, user_check_collectivity
from .text import french_sort_key


class UserScopeMixin:
    """The user admin's forms refuse what the invitation refuses: a signatory or HR contact of Paris."""

    def clean(self):
        cleaned_data = super().clean()
        if "role" in cleaned_data and "collectivity" in cleaned_data:
            try:
                user_check_collectivity(role=cleaned_data["role"], collectivity=cleaned_data["collectivity"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


class UserCreationForm(UserScopeMixin, BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "role", "delegation", "collectivity"]


class UserChangeForm(UserScopeMixin, BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id; an id beyond 64 bits is an invalid choice, not a database error.

    SQLite cannot bind such an integer in the ``pk__in`` query (OverflowError, a 500).
    """

    def _check_values(self, value):
        for pk in value:
            if isinstance(pk, str) and pk.strip().lstrip("+-").isdigit() and abs(int(pk)) >= 2**63:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


class FrenchOrderIterator(ModelChoiceIterator):
    """A model choice field's options in French alphabetical order (``french_sort_key`` of their labels).

    For the short lists (18 regions, 18 delegations) the database would sort by bytes: set a field's
    ``iterator`` to this class (``in_french_order(field)``).
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = sorted(self.queryset, key=lambda obj: french_sort_key(str(self.field.label_from_instance(obj))))
        for obj in rows:
            yield self.choice(obj)


def in_french_order(field: forms.ModelChoiceField) -> forms.ModelChoiceField:
    field.iterator = FrenchOrderIterator
    return field


def collectivity_label(collectivity: Collectivity) -> str:
    """The text shown in, and read back from, the collectivité picker: ``42218 – Saint-Étienne (42)``."""
    return f"{collectivity.code} – {collectivity.name} ({collectivity.department.code})"


class CollectivityPickerWidget(forms.TextInput):
    """A labelled text input that JavaScript turns into a combobox with a listbox (WAI-ARIA pattern).

    Without JavaScript it stays a text input: the field reads back a name, an INSEE code or a SIREN.
    ``static/js/collectivity-picker.js`` fills the listbox from the ``collectivity_search`` endpoint; the
    options of collectivités the CNFPT does not cover are marked, and disabled where ``requires_coverage``.
    """

    def __init__(self, attrs=None, *, requires_coverage: bool = False):
        base = {
            "autocomplete": "off",
            "spellcheck": "false",
            "placeholder": "Nom, code INSEE ou SIREN",
            "data-collectivity-picker": reverse_lazy("collectivity_search"),
        }
        if requires_coverage:
            base["data-requires-coverage"] = "true"
        super().__init__({**base, **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        input_html = super().render(name, value, attrs, renderer)
        input_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        return format_html(
            '<div class="collectivity-picker">{}'
            '<ul class="collectivity-picker-options list-group" id="{}-options" role="listbox" hidden></ul>'
            '<div class="visually-hidden" id="{}-status" role="status" aria-live="polite"></div></div>',
            input_html,
            input_id,
            input_id,
        )


SHOWN_CANDIDATES = 5


class CollectivityField(forms.CharField):
    """One collectivité, searched by name or typed as a code; the Paris rule applies according to ``use``."""

    default_error_messages = {
        "required": "Choisissez la collectivité dans la liste (recherchez-la par son nom, son code INSEE ou son "
        "SIREN).",
        "unknown": "Aucune collectivité ne correspond à « %(value)s »\u00a0: choisissez-la dans la liste proposée "
        "ou saisissez son code INSEE ou son SIREN.",
        "ambiguous": "Plusieurs collectivités correspondent à « %(value)s »\u00a0: %(candidates)s. Choisissez-en une "
        "dans la liste proposée ou saisissez son code INSEE ou son SIREN.",
    }

    def __init__(self, *, use: CollectivityUse, **kwargs):
        self.use = use
        kwargs.setdefault("label", "Collectivité")
        kwargs.setdefault("max_length", 250)
        kwargs.setdefault("widget", CollectivityPickerWidget(requires_coverage=collectivity_requires_coverage(use)))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Collectivity):
            return collectivity_label(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        # The length and NUL-byte checks of a CharField apply to what was typed, before any query.
        for validator in self.validators:
            validator(text)
        lookup = collectivity_lookup(text)
        if lookup.candidates:
            shown = ", ".join(f"« {collectivity_label(c)} »" for c in lookup.candidates[:SHOWN_CANDIDATES])
            others = len(lookup.candidates) - SHOWN_CANDIDATES
            if others > 0:
                shown += f" et {others} autre{'s' if others > 1 else ''}"
            raise ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"value": text, "candidates": shown}
            )
        if lookup.found is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown", params={"value": text})
        return lookup.found

    def validate(self, value):
        super().validate(value)
        collectivity_check_covered_by_cnfpt(collectivity=value, use=self.use)

    def run_validators(self, value):
        # Already run on the typed text in ``to_python``: the value is a collectivité by now.
        pass


# --- Accounts -------------------------------------------------------------------------------------


class ThrottledPasswordResetForm(forms.Form):
    """Django's reset form, answering the same whether or not the address has an account.

    The e-mail leaves through a Celery task (``partnership.task_names.PASSWORD_RESET_SEND``), so the page
    takes as long for an unknown address as for a known one. An IP address asking too often is told
    to wait; an address asked for too often simply receives nothing more (telling would reveal it).
    """

    email = forms.EmailField(
        label="Adresse e-mail", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        ip = client_ip(self.request) if self.request is not None else ""
        if not allow(f"password-reset:ip:{ip}", limit=settings.PASSWORD_RESET_MAX_PER_IP, window_seconds=3600):
            raise ValidationError(
                "Trop de demandes de réinitialisation depuis votre connexion. Réessayez dans une heure."
            )
        return cleaned

    def save(self, **kwargs) -> None:
        email = self.cleaned_data["email"].strip().lower()
        if not allow(
            email_key("password-reset", email), limit=settings.PASSWORD_RESET_MAX_PER_EMAIL, window_seconds=3600
        ):
            return
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if user.has_usable_password():
                enqueue(task_names.PASSWORD_RESET_SEND, user.pk)


class AccountInviteForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=[])
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="Adresse e-mail", max_length=254)
    function = forms.CharField(
        label="Fonction", max_length=100, required=False, help_text="Par exemple : maire, présidente, DRH."
    )
    phone = forms.CharField(label="Téléphone", max_length=30, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in Role if role in INVITABLE_ROLES]
        # Whom to invite is not yet what they will do: the Paris rule bites when they sign or register.
        self.fields["collectivity"] = CollectivityField(use=CollectivityUse.EVENT)
        self.order_fields(["role", "collectivity", "first_name", "last_name", "email", "function", "phone"])
