"""The site's URLs, and the floor: a minimal view through the same middleware."""

from django.http import HttpResponse
from django.urls import path

from bench.server import FLOOR
from newsroom.urls import urlpatterns as site


def floor(request):
    return HttpResponse("ok")


urlpatterns = [path(FLOOR.strip("/") + "/", floor), *site]
