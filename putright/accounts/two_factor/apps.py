from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class TwoFactorConfig(AppConfig):
    name = "putright.accounts.two_factor"
    label = "two_factor"
    verbose_name = "Two-factor authentication"

    def ready(self) -> None:
        from putright.accounts.two_factor import checks  # noqa: F401  (registers the checks)
        from putright.accounts.two_factor.policy import assess_at_sign_in

        user_logged_in.connect(assess_at_sign_in, dispatch_uid="putright-two-factor-sign-in")
