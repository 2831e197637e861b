from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "putright.demo"
    label = "demo"
