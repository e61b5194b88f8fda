"""Forms of signing: the signer's code, signature and refusal, the verification upload, the délégué's
countersignature, and the delegation's replacement of a signer."""

from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code reçu par e-mail",
        max_length=7,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}),
    )


class SignForm(forms.Form):
    consent = forms.BooleanField(
        label="J'ai lu le contrat ci-dessus et j'accepte de le signer électroniquement au nom de ma collectivité.",
        error_messages={"required": "Cochez la case pour confirmer votre accord."},
    )
    name = forms.CharField(label="Vos prénom et nom", max_length=150)
    function = forms.CharField(label="Votre fonction", max_length=150)
    document_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Indiquez le motif de votre refus."},
    )


class VerificationForm(forms.Form):
    file = forms.FileField(label="Contrat au format PDF")


class CountersignForm(SignForm):
    consent = forms.BooleanField(
        label="J'ai lu le contrat et j'accepte de le contresigner électroniquement au nom du CNFPT.",
        error_messages={"required": "Cochez la case pour confirmer votre accord."},
    )


class ReplaceSignerForm(forms.Form):
    name = forms.CharField(label="Nom du nouveau signataire", max_length=150)
    email = forms.EmailField(label="Son e-mail")
    function = forms.CharField(
        label="Sa fonction", max_length=150, help_text="Par exemple : premier adjoint, par délégation du maire."
    )
