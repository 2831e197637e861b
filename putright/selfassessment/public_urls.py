"""Published self-assessments, open to anyone: included at ``published-reports/self-assessment/``
by the project's URLs, beside the published reports."""

from django.urls import path

from putright.selfassessment import views

app_name = "published-selfassessment"
urlpatterns = [
    path("<int:pk>/", views.published_assessment, name="assessment"),
    path("<int:pk>/<slug:fmt>/", views.published_assessment_download, name="download"),
]
