from django.apps import AppConfig


class InboundConfig(AppConfig):
    name = "putright.inbound"
    label = "inbound"
    verbose_name = "Email in"

    def ready(self) -> None:
        from anymail.signals import inbound

        from putright.inbound.webhooks import receive_inbound

        inbound.connect(receive_inbound, dispatch_uid="putright.inbound.receive_inbound")
