from django.contrib import admin
from django.urls import include, path

from putright.accounts.admin import restrict_admin_to_administrators
from putright.core.views import keep_alive

restrict_admin_to_administrators(admin.site)

urlpatterns = [
    path("", include("putright.accounts.urls")),
    path("organisation/", include("putright.organisation.urls")),
    path("cases/", include("putright.casework.urls")),
    path("", include("putright.privacy.urls")),
    path("admin/", admin.site.urls),
    path("session/keep-alive/", keep_alive, name="keep-alive"),
]

handler500 = "putright.accounts.views.server_error"
