"""The self-assessment's screens, included at ``self-assessments/`` by the project's URLs."""

from django.urls import path

from putright.selfassessment import views

app_name = "selfassessment"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_new, name="new"),
    path("<int:pk>/", views.assessment_detail, name="assessment"),
    path("<int:pk>/provisions/<str:provision>/", views.answer_edit, name="answer"),
    path("<int:pk>/submit/", views.assessment_submit, name="submit"),
    path("<int:pk>/review/", views.assessment_review, name="review"),
    path("<int:pk>/approve/", views.assessment_approve, name="approve"),
    path("<int:pk>/publish/", views.assessment_publish, name="publish"),
    path("<int:pk>/new-version/", views.assessment_revise, name="revise"),
    path("<int:pk>/download/<slug:fmt>/", views.assessment_download, name="download"),
    path("exceptional-circumstances/", views.circumstance_list, name="circumstances"),
    path("exceptional-circumstances/new/", views.circumstance_new, name="circumstance-new"),
    path(
        "exceptional-circumstances/<int:pk>/",
        views.circumstance_detail,
        name="circumstance",
    ),
    path(
        "exceptional-circumstances/<int:pk>/change/",
        views.circumstance_edit,
        name="circumstance-edit",
    ),
]
