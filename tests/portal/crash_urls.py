"""The site's URLs and one that fails, to see the 500 page as a person would."""

from django.urls import path

from config.urls import urlpatterns as site


def crash(request):
    raise RuntimeError("a bug, for the test of the 500 page")


urlpatterns = [path("crash/", crash), *site]
