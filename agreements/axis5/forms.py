"""The forms of axis 5: INET internships and studies for the AMF, their transitions and deliverables."""

from django import forms

from partnership.uploads import check_document

from ..enums import InternshipStatus, StudyStatus
from .models import Internship, Study

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InternshipForm(forms.ModelForm):
    class Meta:
        model = Internship
        fields = ["student_name", "student_email", "promotion", "start_date", "end_date", "tutor", "subject"]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_date") and cleaned.get("end_date") and cleaned["end_date"] < cleaned["start_date"]:
            self.add_error("end_date", "La fin du stage ne peut pas précéder son début.")
        return cleaned

    def _post_clean(self):
        # Model validation runs in the service (full_clean) on the row it writes.
        pass


class StudyForm(forms.ModelForm):
    class Meta:
        model = Study
        fields = ["subject", "requester", "requested_on", "due_on", "authors"]
        widgets = {"requested_on": DATE_INPUT, "due_on": DATE_INPUT}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("requested_on") and cleaned.get("due_on") and cleaned["due_on"] < cleaned["requested_on"]:
            self.add_error("due_on", "L'échéance ne peut pas précéder la date de la demande.")
        return cleaned

    def _post_clean(self):
        pass


class InternshipTransitionForm(forms.Form):
    target = forms.ChoiceField(choices=InternshipStatus.choices)


class StudyTransitionForm(forms.Form):
    target = forms.ChoiceField(choices=[c for c in StudyStatus.choices if c[0] != StudyStatus.DELIVERED])


class StudyDeliverForm(forms.Form):
    delivered_on = forms.DateField(label="Livrée le", widget=DATE_INPUT)
    deliverable = forms.FileField(
        label="Livrable (PDF, DOCX ou ODT, 10 Mo au plus)",
        error_messages={"required": "Le livrable est obligatoire.", "empty": "Le fichier envoyé est vide."},
    )

    def clean_deliverable(self):
        upload = self.cleaned_data["deliverable"]
        check_document(upload, what="le livrable")
        return upload
