"""Forms of the access requests: the requester's (their function), the decider's (accept as…, refuse because…)."""

from django import forms

from ..enums import AccessRequestAudience, Role
from ..models import Delegation
from .services import DECIDABLE_ROLES


class AccessRequestForm(forms.Form):
    """What the requester adds to what ProConnect vouches for (name, e-mail and SIRET are not typed)."""

    function = forms.CharField(
        label="Votre fonction",
        max_length=100,
        help_text="Par exemple\u00a0: directrice des ressources humaines, gestionnaire formation.",
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    phone = forms.CharField(
        label="Téléphone professionnel (facultatif)",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    message = forms.CharField(
        label="Message à la délégation (facultatif)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AccessRequestAcceptForm(forms.Form):
    """The role the account opens with: fixed for a collectivité or the AMF, chosen for the CNFPT's people."""

    role = forms.ChoiceField(label="Rôle", choices=[])
    delegation = forms.ModelChoiceField(
        label="Délégation (agent de délégation régionale)",
        queryset=Delegation.objects.order_by("name"),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args, audience: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, Role(role).label) for role in DECIDABLE_ROLES[audience]]
        self.fields["role"].initial = DECIDABLE_ROLES[audience][0].value
        if audience != AccessRequestAudience.CNFPT:
            self.fields["role"].widget = forms.HiddenInput()
            del self.fields["delegation"]


class AccessRequestRefuseForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        max_length=1000,
        help_text="Envoyé tel quel à la personne, par e-mail.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
