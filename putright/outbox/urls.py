"""The outbox's screens, included at ``outbox/`` by the project's URLs."""

from django.urls import path

from putright.outbox.views import FailedEmailsView, ResendView

app_name = "outbox"
urlpatterns = [
    path("failed/", FailedEmailsView.as_view(), name="failed"),
    path("failed/<int:pk>/resend/", ResendView.as_view(), name="resend"),
]
