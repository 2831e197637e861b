"""Email in: the triage queue, a message, logging a complaint from it, its attachments."""

from django.urls import path

from putright.inbound import views

app_name = "inbound"
urlpatterns = [
    path("", views.triage, name="triage"),
    path("<int:pk>/", views.MessageView.as_view(), name="message"),
    path("<int:pk>/log/", views.MessageLogView.as_view(), name="log"),
    path(
        "<int:pk>/attachments/<int:attachment>/",
        views.attachment,
        name="attachment",
    ),
]
