from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "putright.casework"
    label = "casework"
