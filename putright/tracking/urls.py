"""Promised actions, included at ``actions/``."""

from django.urls import path

from putright.tracking.views import (
    OverdueView,
    ReassignView,
    TeamView,
    TrackerView,
    UpdateIntervalView,
)

app_name = "tracking"
urlpatterns = [
    path("", TrackerView.as_view(), name="tracker"),
    path("overdue/", OverdueView.as_view(), name="overdue"),
    path("teams/<int:pk>/", TeamView.as_view(), name="team"),
    path("<int:pk>/reassign/", ReassignView.as_view(), name="reassign"),
    path(
        "cases/<str:reference>/stages/<int:number>/update-interval/",
        UpdateIntervalView.as_view(),
        name="update-interval",
    ),
]
