from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "putright.contacts"
    label = "contacts"
    verbose_name = "Contacts beside complaints"
