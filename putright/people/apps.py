from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "putright.people"
    label = "people"
    verbose_name = "Residents and homes"
