"""The reports' pages, included at ``reports/`` by the project's URLs."""

from django.urls import path

from putright.reporting import edition_views, views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:year>/", views.annual, name="annual"),
    path("<int:year>/complaints/<str:key>/", views.complaints, name="drill"),
    path("editions/", edition_views.edition_list, name="editions"),
    path("editions/new/<int:year>/<slug:part>/", edition_views.edition_new, name="edition-new"),
    path("editions/<int:pk>/", edition_views.edition_detail, name="edition"),
    path(
        "editions/<int:pk>/download/<slug:fmt>/",
        edition_views.edition_download,
        name="edition-download",
    ),
    path("editions/<int:pk>/words/", edition_views.edition_words, name="edition-words"),
    path("editions/<int:pk>/response/", edition_views.edition_response, name="edition-response"),
    path("editions/<int:pk>/publish/", edition_views.edition_publish, name="edition-publish"),
    path("tp09/<int:year>/", edition_views.tp09, name="tp09"),
]
