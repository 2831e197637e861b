"""A URLconf for tests of the error pages: the project's URLs plus a view that fails."""

from django.urls import path

from putright.urls import handler500
from putright.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise RuntimeError("something went wrong")


urlpatterns = [*project_urlpatterns, path("broken/", broken)]

__all__ = ["handler500", "urlpatterns"]
