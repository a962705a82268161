"""The API's anonymous throttle, keyed on the client as timeline.client_ip decides it."""

from rest_framework import throttling

from timeline.client_ip import client_ip


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request)
