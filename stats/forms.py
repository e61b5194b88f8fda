"""The statistics' forms: the dashboard's filter and an export request."""

from django import forms

from .datasets import dataset_choices
from .enums import ExportFormat
from .selectors import delegation_choices


def _delegation_field(user) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Périmètre",
        choices=[("", "France entière"), *delegation_choices(user)],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Vous ne pouvez consulter que les chiffres de votre délégation."},
    )


class DashboardFilterForm(forms.Form):
    """The dashboard's scope: national figures for everyone, one delegation for its staff (and national staff)."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"] = _delegation_field(user)

    @property
    def delegation_id(self) -> int | None:
        return self.cleaned_data.get("delegation") if self.is_valid() else None


class ExportRequestForm(forms.Form):
    dataset = forms.ChoiceField(
        label="Jeu de données",
        choices=dataset_choices,
        error_messages={"invalid_choice": "Jeu de données inconnu : choisissez un indicateur de la liste."},
    )
    format = forms.ChoiceField(
        label="Format",
        choices=ExportFormat.choices,
        error_messages={"invalid_choice": "Format inconnu : choisissez CSV ou XLSX."},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"] = _delegation_field(user)
