"""Ombudsman casework screens, included at ``ombudsman/`` by the project's URLs."""

from django.urls import path

from putright.ombudsman import views

app_name = "ombudsman"
urlpatterns = [
    path("", views.case_list, name="cases"),
    path("new/", views.case_new, name="case-new"),
    path("summary/", views.summary, name="summary"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/<slug:step>/", views.case_step, name="step"),
    path("<int:pk>/<slug:record>/<int:item>/<slug:step>/", views.item_step, name="item-step"),
]
