"""Everything under /compte/: one's own account, passwords, invitations, and the staff's accounts page.

Pages about the user's own account (notification preferences…) belong here too.
"""

from django.urls import path

from . import account_views as views
from .proconnect import decision_views
from .proconnect import views as proconnect

urlpatterns = [
    path("", views.account, name="account"),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/modifie/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("mot-de-passe-oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe-oublie/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reinitialisation/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reinitialisation/terminee/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("invitation/<uidb64>/<token>/", views.InvitationAcceptView.as_view(), name="account_invitation"),
    path("comptes/", views.account_list, name="account_list"),
    path("comptes/inviter/", views.account_invite, name="account_invite"),
    path("comptes/<int:pk>/desactiver/", views.account_deactivate, name="account_deactivate"),
    path("comptes/<int:pk>/reactiver/", views.account_reactivate, name="account_reactivate"),
    path("comptes/<int:pk>/renvoyer-invitation/", views.account_resend_invitation, name="account_resend_invitation"),
    path("proconnect/retirer/", proconnect.unlink, name="proconnect_unlink"),
    path("demandes-acces/", decision_views.access_request_list, name="access_request_list"),
    path("demandes-acces/<int:pk>/", decision_views.access_request_detail, name="access_request_detail"),
    path("demandes-acces/<int:pk>/accepter/", decision_views.access_request_accept, name="access_request_accept"),
    path("demandes-acces/<int:pk>/refuser/", decision_views.access_request_refuse, name="access_request_refuse"),
]
