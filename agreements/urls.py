"""The contracts' pages, under /contrats/."""

from django.urls import path

from . import views
from .signing.views import countersign

app_name = "agreements"

urlpatterns = [
    path("", views.contract_list, name="contract_list"),
    path("nouveau/", views.contract_create, name="contract_create"),
    path("mes-contrats/", views.my_contracts, name="my_contracts"),
    path("a-contresigner/", countersign.countersign_list, name="countersign_list"),
    path("<int:pk>/", views.contract_detail, name="contract_detail"),
    path("<int:pk>/modifier/", views.contract_update, name="contract_update"),
    path("<int:pk>/pdf/", views.contract_pdf, name="contract_pdf"),
    path("<int:pk>/envoyer-a-la-signature/", views.contract_submit, name="contract_submit"),
    path("<int:pk>/retour-en-brouillon/", views.contract_return_to_draft, name="contract_return_to_draft"),
    path("<int:pk>/resilier/", views.contract_terminate, name="contract_terminate"),
    path("<int:pk>/avenants/", views.amendment_create, name="amendment_create"),
    path("<int:pk>/documents/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/signatures/<int:request_pk>/relancer/", views.signature_resend, name="signature_resend"),
    path(
        "<int:pk>/signatures/<int:request_pk>/remplacer/",
        views.signature_replace,
        name="signature_replace",
    ),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"),
    path("<int:pk>/contresigner/", countersign.countersign, name="countersign"),
    path("<int:pk>/contresigner/code/", countersign.countersign_send_code, name="countersign_send_code"),
    path(
        "<int:pk>/contresigner/verifier/",
        countersign.countersign_verify_code,
        name="countersign_verify_code",
    ),
    path("<int:pk>/contresigner/signer/", countersign.countersign_sign, name="countersign_sign"),
]
