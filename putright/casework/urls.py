"""Caseworking screens: queues, the case file and every lifecycle action.

Each views module keeps its own ``urlpatterns``; this joins them under one namespace. The case
file comes last because its ``<reference>/`` pattern would otherwise swallow fixed paths.
"""

from putright.casework.views import (
    case_file,
    intake,
    letters,
    queues,
    raised,
    redress,
    responses,
)

app_name = "casework"
urlpatterns = [
    *queues.urlpatterns,
    *raised.urlpatterns,
    *intake.urlpatterns,
    *responses.urlpatterns,
    *letters.urlpatterns,
    *redress.urlpatterns,
    *case_file.urlpatterns,
]
