from django.urls import path

from . import views
from .signing.views import countersign

app_name = "agreements"

urlpatterns = [
    path("", views.ContractListView.as_view(), name="contract_list"),
    path("nouveau/", views.ContractCreateView.as_view(), name="contract_create"),
    path("mes-contrats/", views.MyContractsView.as_view(), name="my_contracts"),
    path("a-contresigner/", countersign.CountersignListView.as_view(), name="countersign_list"),
    path("<int:pk>/", views.ContractDetailView.as_view(), name="contract_detail"),
    path("<int:pk>/modifier/", views.ContractUpdateView.as_view(), name="contract_update"),
    path("<int:pk>/pdf/", views.ContractPdfView.as_view(), name="contract_pdf"),
    path("<int:pk>/envoyer-a-la-signature/", views.ContractSubmitView.as_view(), name="contract_submit"),
    path("<int:pk>/retour-en-brouillon/", views.ContractReturnToDraftView.as_view(), name="contract_return_to_draft"),
    path("<int:pk>/resilier/", views.ContractTerminateView.as_view(), name="contract_terminate"),
    path("<int:pk>/avenants/", views.AmendmentCreateView.as_view(), name="amendment_create"),
    path("<int:pk>/documents/", views.AttachmentUploadView.as_view(), name="attachment_upload"),
    path(
        "<int:pk>/signatures/<int:request_pk>/relancer/", views.SignatureResendView.as_view(), name="signature_resend"
    ),
    path(
        "<int:pk>/signatures/<int:request_pk>/remplacer/",
        views.SignatureReplaceView.as_view(),
        name="signature_replace",
    ),
    path("<int:pk>/documents/<int:document_pk>/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("<int:pk>/contresigner/", countersign.CountersignView.as_view(), name="countersign"),
    path("<int:pk>/contresigner/code/", countersign.CountersignSendCodeView.as_view(), name="countersign_send_code"),
    path(
        "<int:pk>/contresigner/verifier/",
        countersign.CountersignVerifyCodeView.as_view(),
        name="countersign_verify_code",
    ),
    path("<int:pk>/contresigner/signer/", countersign.CountersignSignView.as_view(), name="countersign_sign"),
]
