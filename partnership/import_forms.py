"""The upload form of every CSV import: one file field that states the limits before anyone sends a file."""

from django import forms
from django.conf import settings
from django.utils.formats import number_format

from .csvimport import CsvFormat, size_text


class CsvImportForm(forms.Form):
    file = forms.FileField(label="Fichier CSV")

    def __init__(self, *args, csv_format: CsvFormat, label: str = "Fichier CSV", **kwargs):
        super().__init__(*args, **kwargs)
        self.csv_format = csv_format
        field = self.fields["file"]
        field.label = label
        field.help_text = (
            f"Fichier CSV de {csv_format.limits_text}, enregistré par un tableur (séparateur point-virgule, "
            "virgule ou tabulation\u00a0; encodage UTF-8 ou Windows-1252)."
        )
        field.widget.attrs["accept"] = ".csv,text/csv"

    @property
    def sync_max_lines(self) -> str:
        """« 500 »: beyond this many lines, the file goes to a worker and « Mes imports » (the pages say so)."""
        return number_format(settings.IMPORT_SYNC_MAX_LINES, force_grouping=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.csv_format.max_bytes:
            raise forms.ValidationError(
                f"Le fichier pèse {size_text(upload.size)}\u00a0: {size_text(self.csv_format.max_bytes)} au plus par "
                "import. Découpez-le en plusieurs fichiers."
            )
        return upload
