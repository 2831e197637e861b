"""Contacts beside complaints, included at ``contacts/`` by the project's URLs."""

from django.urls import path

from putright.contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("enquiries/", views.enquiries, name="enquiries"),
    path("enquiries/new/", views.enquiry_new, name="enquiry-new"),
    path("enquiries/<int:pk>/", views.enquiry_detail, name="enquiry"),
    path("enquiries/<int:pk>/change/", views.enquiry_edit, name="enquiry-edit"),
    path("service-requests/", views.service_requests, name="service-requests"),
    path("service-requests/new/", views.service_request_new, name="service-request-new"),
    path("service-requests/<int:pk>/", views.service_request_detail, name="service-request"),
    path(
        "service-requests/<int:pk>/change/",
        views.service_request_edit,
        name="service-request-edit",
    ),
    path(
        "service-requests/<int:pk>/review/",
        views.service_request_review,
        name="service-request-review",
    ),
    path(
        "service-requests/<int:pk>/complaint/",
        views.service_request_link,
        name="service-request-link",
    ),
    path("compliments/", views.compliments, name="compliments"),
    path("compliments/new/", views.compliment_new, name="compliment-new"),
    path("compliments/<int:pk>/", views.compliment_detail, name="compliment"),
    path("compliments/<int:pk>/change/", views.compliment_edit, name="compliment-edit"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/new/", views.survey_new, name="survey-new"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
    path("surveys/<int:pk>/response/", views.survey_response, name="survey-response"),
    path("follow-ups/", views.follow_ups, name="follow-ups"),
    path("follow-ups/<int:pk>/", views.follow_up, name="follow-up"),
    path("log/", views.contacts, name="contacts"),
    path("log/new/", views.contact_new, name="contact-new"),
    path("log/<int:pk>/", views.contact_detail, name="contact"),
    path("log/<int:pk>/change/", views.contact_edit, name="contact-edit"),
    path("demand/", views.demand, name="demand"),
]
