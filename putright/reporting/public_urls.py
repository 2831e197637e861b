"""Published reports, open to anyone: included at ``published-reports/`` by the project's URLs."""

from django.urls import path

from putright.reporting import public_views

app_name = "published"
urlpatterns = [
    path("", public_views.published_list, name="index"),
    path(
        "<int:year>/<slug:part>/version-<int:version>/",
        public_views.published_edition,
        name="edition",
    ),
    path(
        "<int:year>/<slug:part>/version-<int:version>/<slug:fmt>/",
        public_views.published_download,
        name="download",
    ),
]
