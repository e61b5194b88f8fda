"""The e-mail of the statistics exchange. Called by ``stats.services.export_notify``."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from .datasets import dataset_label
from .models import ExportRequest


def download_link(export: ExportRequest) -> str:
    return settings.SITE_URL + export.get_absolute_url()


def send_export_ready(export: ExportRequest) -> None:
    """Tell the requester their export is ready, with the (login-protected) download link."""
    label = dataset_label(export.dataset)
    body = render_to_string(
        "stats/emails/export_ready.txt",
        {
            "export": export,
            "label": label,
            "download_url": download_link(export),
            "exports_url": settings.SITE_URL + reverse("stats:export_list"),
        },
    )
    EmailMessage(subject=f"Votre export est prêt : {label}", body=body, to=[export.requested_by.email]).send()
