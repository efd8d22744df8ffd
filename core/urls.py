from django.contrib.auth import views as auth_views
from django.urls import path

from . import api_token_views, notification_views, views

app_name = "core"

urlpatterns = [
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("varsler/", notification_views.notification_list, name="notifications"),
    path("konto/api-nokler/", api_token_views.api_token_list, name="api_tokens"),
    path(
        "konto/api-nokler/<int:token_id>/trekk-tilbake/",
        api_token_views.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("logg-inn/kode/", views.otp_verify, name="otp"),
    path("logg-inn/tofaktor/", views.otp_setup, name="otp_setup"),
    path("logg-ut/", views.LogoutView.as_view(), name="logout"),
    path("passord/glemt/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "passord/sendt/",
        auth_views.PasswordResetDoneView.as_view(template_name="core/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("passord/ny/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "passord/endret/",
        auth_views.PasswordResetCompleteView.as_view(template_name="core/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
