"""Forms of signing: the signer's code, signature and refusal, the verification upload, the délégué's
countersignature (the same form), and the delegation's replacement of a signer."""

from django import forms
from django.core.exceptions import ValidationError

from .phrases import consent_statement


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code reçu par e-mail",
        max_length=7,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}),
    )


class SignForm(forms.Form):
    """The signature of ``signature_request``'s signer, on the portal or (the délégué) in the application;
    the consent sentence fits the signer (``phrases.consent_statement``)."""

    consent = forms.BooleanField(error_messages={"required": "Cochez la case pour confirmer votre accord."})
    name = forms.CharField(label="Vos prénom et nom", max_length=150)
    function = forms.CharField(label="Votre fonction", max_length=150)
    document_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, signature_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_statement(signature_request)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Indiquez le motif de votre refus."},
    )


class VerificationForm(forms.Form):
    # A contract of the platform weighs a few hundred kilobytes: a larger file is not read at all.
    MAX_BYTES = 20 * 1024 * 1024

    file = forms.FileField(label="Contrat au format PDF")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError("Le fichier dépasse 20 Mo : ce n'est pas un contrat de la plateforme.")
        return upload


class ReplaceSignerForm(forms.Form):
    name = forms.CharField(label="Nom du nouveau signataire", max_length=150)
    email = forms.EmailField(label="Son e-mail")
    function = forms.CharField(
        label="Sa fonction", max_length=150, help_text="Par exemple : premier adjoint, par délégation du maire."
    )
