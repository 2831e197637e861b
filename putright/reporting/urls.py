"""The reports' pages, included at ``reports/`` by the project's URLs."""

from django.urls import path

from putright.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.annual, name="annual"),
]
