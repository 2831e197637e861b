from anymail.urls import urlpatterns as anymail_urlpatterns
from django.contrib import admin
from django.urls import include, path

from putright.accounts.admin import restrict_admin_to_administrators
from putright.core.views import keep_alive

restrict_admin_to_administrators(admin.site)

INBOUND_WEBHOOKS = [p for p in anymail_urlpatterns if p.name and "inbound" in p.name]

urlpatterns = [
    path("", include("putright.accounts.urls")),
    path("organisation/", include("putright.organisation.urls")),
    path("cases/", include("putright.casework.urls")),
    path("", include("putright.privacy.urls")),
    path("outbox/", include("putright.outbox.urls")),
    path("compensation/", include("putright.redress.urls")),
    path("inbound/", include("putright.inbound.urls")),
    path("learning/", include("putright.learning.urls")),
    path("ombudsman/", include("putright.ombudsman.urls")),
    path("reports/", include("putright.reporting.urls")),
    # Published reports, for anyone without signing in (Code 8.1 and 8.2: on the website). The
    # published self-assessment sits beside them; its views are selfassessment's, which
    # reporting may not import (it sits above reporting in the layers).
    path(
        "published-reports/self-assessment/",
        include("putright.selfassessment.public_urls"),
    ),
    path("published-reports/", include("putright.reporting.public_urls")),
    path("self-assessments/", include("putright.selfassessment.urls")),
    path("contacts/", include("putright.contacts.urls")),
    path("actions/", include("putright.tracking.urls")),
    # Providers' inbound-mail webhooks (django-anymail), filed by putright.inbound; only the
    # inbound ones: PutRight does not use delivery tracking.
    path("anymail/", include((INBOUND_WEBHOOKS, "anymail"))),
    path("admin/", admin.site.urls),
    path("session/keep-alive/", keep_alive, name="keep-alive"),
]

handler500 = "putright.accounts.views.server_error"
