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
