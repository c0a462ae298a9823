"""What the site answers when the database is unreachable: a plain 503, never a stack trace.

The page is a static template rendered without a request context, so rendering it needs no
database, session or cache. Nothing is kept between requests, so the site recovers by itself
as soon as the database answers again (Django opens a fresh connection per request).
"""

import logging
import sys

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.defaults import server_error

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable_response() -> HttpResponse:
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database outage raised by a view or its template into the plain 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            # The class name only: the message can carry connection details.
            logger.error("database unavailable (%s); answered 503", type(exception).__name__)
            return database_unavailable_response()
        return None


def handler500(request):
    """Also catches outages raised outside views (in middleware), which skip process_exception."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable_response()
    try:
        return server_error(request)
    except Exception:
        return HttpResponseServerError("<h1>Server error</h1>", content_type="text/html")
