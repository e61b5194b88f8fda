from django.urls import path

from .views import portal as views

app_name = "signing"

urlpatterns = [
    path("signature/<str:token>/", views.PortalView.as_view(), name="portal"),
    path("signature/<str:token>/code/", views.SendCodeView.as_view(), name="send_code"),
    path("signature/<str:token>/verifier/", views.VerifyCodeView.as_view(), name="verify_code"),
    path("signature/<str:token>/document.pdf", views.PortalDocumentView.as_view(), name="document"),
    path("signature/<str:token>/contrat-signe.pdf", views.PortalFinalDocumentView.as_view(), name="final_document"),
    path("signature/<str:token>/signer/", views.SignView.as_view(), name="sign"),
    path("signature/<str:token>/refuser/", views.DeclineView.as_view(), name="decline"),
    path("verification/", views.VerificationView.as_view(), name="verify"),
]
