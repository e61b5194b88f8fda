from django import forms

from .registry import ReminderKind


class PreferencesForm(forms.Form):
    """One box per optional reminder the user may receive; checked means « je le reçois »."""

    def __init__(self, *args, kinds: list[ReminderKind], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.key] = forms.BooleanField(label=kind.label, required=False)

    def enabled(self) -> list[str]:
        return [key for key, value in self.cleaned_data.items() if value]
