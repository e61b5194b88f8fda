from django import forms
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.contrib.auth.forms import UserCreationForm as BaseUserCreationForm
from django.core.exceptions import ValidationError

from .models import User


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "role", "delegation", "collectivity"]


class UserChangeForm(BaseUserChangeForm):
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


# --- Accounts -------------------------------------------------------------------------------------


class ThrottledPasswordResetForm(forms.Form):
    """Django's reset form, answering the same whether or not the address has an account.

    The e-mail leaves through a Celery task (``partnership.tasks.password_reset_send``), so the page
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
        from django.conf import settings

        from .auth import client_ip
        from .ratelimit import allow

        cleaned = super().clean()
        ip = client_ip(self.request) if self.request is not None else ""
        if not allow(f"password-reset:ip:{ip}", limit=settings.PASSWORD_RESET_MAX_PER_IP, window_seconds=3600):
            raise ValidationError(
                "Trop de demandes de réinitialisation depuis votre connexion. Réessayez dans une heure."
            )
        return cleaned

    def save(self, **kwargs) -> None:
        import hashlib

        from django.conf import settings

        from .dispatch import enqueue
        from .ratelimit import allow
        from .tasks import password_reset_send

        email = self.cleaned_data["email"].strip().lower()
        digest = hashlib.sha256(email.encode()).hexdigest()
        if not allow(
            f"password-reset:email:{digest}", limit=settings.PASSWORD_RESET_MAX_PER_EMAIL, window_seconds=3600
        ):
            return
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if user.has_usable_password():
                enqueue(password_reset_send, user.pk)


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
        from agreements.forms import CollectivityField

        from .enums import Role
        from .selectors import INVITABLE_ROLES

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in Role if role in INVITABLE_ROLES]
        self.fields["collectivity"] = CollectivityField()
        self.order_fields(["role", "collectivity", "first_name", "last_name", "email", "function", "phone"])
