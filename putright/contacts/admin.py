"""Contacts in the Django admin: for reading only. Changes go through the screens and their
services, which check the rules and write the history."""

from django.contrib import admin

from putright.contacts.models import (
    Compliment,
    Contact,
    ContactsEvent,
    Enquiry,
    SatisfactionSurvey,
    ServiceRequest,
    SurveyFollowUp,
)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Enquiry)
class EnquiryAdmin(_ReadOnly):
    list_display = ["pk", "received_on", "enquirer_name", "enquirer_role", "due_on", "responded_on"]
    list_filter = ["enquirer_role"]
    raw_id_fields = ["resident", "complaint"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(_ReadOnly):
    list_display = ["pk", "external_reference", "category", "opened_on", "target_on", "status"]
    list_filter = ["status", "category"]
    raw_id_fields = ["resident", "complaints"]


@admin.register(Compliment)
class ComplimentAdmin(_ReadOnly):
    list_display = ["pk", "received_on", "channel", "about_team", "about_contractor"]


@admin.register(SatisfactionSurvey)
class SatisfactionSurveyAdmin(_ReadOnly):
    list_display = ["pk", "complaint", "sent_on", "score", "responded_on"]
    raw_id_fields = ["complaint"]


@admin.register(SurveyFollowUp)
class SurveyFollowUpAdmin(_ReadOnly):
    list_display = ["pk", "survey", "reason", "opened_on", "done_on"]
    raw_id_fields = ["survey", "complaint"]


@admin.register(Contact)
class ContactAdmin(_ReadOnly):
    list_display = ["pk", "received_on", "channel", "contact_type", "due_on", "answered_on"]
    list_filter = ["channel", "contact_type"]


@admin.register(ContactsEvent)
class ContactsEventAdmin(_ReadOnly):
    list_display = ["recorded_at", "action", "summary"]
    list_filter = ["action"]
