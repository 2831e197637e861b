"""Putting things right: the compensation payments register, included at ``compensation/``.

The steps on one payment (accept, decline, approve, pay) are case screens, in casework."""

from django.urls import path

from putright.redress.views import RegisterCsvView, RegisterView, RegisterXlsxView

app_name = "redress"
urlpatterns = [
    path("register/", RegisterView.as_view(), name="register"),
    path("register/export.csv", RegisterCsvView.as_view(), name="register-csv"),
    path("register/export.xlsx", RegisterXlsxView.as_view(), name="register-xlsx"),
]
