"""The site's URLs plus the baseline views a benchmark compares against.

The baseline is a bare Django view behind the same middleware (sessions, CSRF, auth, messages,
security, WhiteNoise) under the same gunicorn, so a ratio to it isolates what the engine's own
code costs. Only ``bench.settings`` uses this URLconf.
"""

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path

from advocacy.urls import handler500  # noqa: F401 (the site's 503 page, as in production)
from advocacy.urls import urlpatterns as site_urlpatterns


def baseline(request):
    """GET: a tiny page. POST: read the form (CSRF already checked) and redirect, like signing."""
    if request.method == "POST":
        request.POST.get("email")
        return HttpResponseRedirect("/bench/baseline/")
    return HttpResponse("ok", content_type="text/plain")


# The site's own list is appended, not included: its language prefixes (i18n_patterns) are only
# allowed in a root URLconf.
urlpatterns = [path("bench/baseline/", baseline, name="bench_baseline"), *site_urlpatterns]
