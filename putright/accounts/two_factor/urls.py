"""The second factor's pages, in the ``accounts`` namespace (included by accounts.urls)."""

from django.urls import path

from putright.accounts.two_factor import views

urlpatterns = [
    path("sign-in/code/", views.enter_code, name="two-factor-code"),
    path("sign-in/backup-code/", views.enter_backup_code, name="two-factor-backup-code"),
    path("account/two-factor/", views.overview, name="two-factor"),
    path("account/two-factor/set-up/", views.set_up, name="two-factor-set-up"),
    path(
        "account/two-factor/backup-codes/",
        views.backup_codes,
        name="two-factor-backup-codes",
    ),
    path(
        "account/two-factor/backup-codes/new/",
        views.new_backup_codes,
        name="two-factor-new-backup-codes",
    ),
]
