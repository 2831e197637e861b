from django.urls import path

from putright.privacy import views

app_name = "privacy"
urlpatterns = [
    path("residents/<int:pk>/subject-access/", views.subject_access, name="subject-access"),
]
