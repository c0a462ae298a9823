"""The site's URLs plus the baseline views a benchmark compares against.

The baseline is a bare Django view behind the same middleware (sessions, CSRF, auth, messages,
security, WhiteNoise) under the same gunicorn, so a ratio to it isolates what the engine's own
code costs. Only ``bench.settings`` uses this URLconf.
"""

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import include, path


def baseline(request):
    """GET: a tiny page. POST: read the form (CSRF already checked) and redirect, like signing."""
    if request.method == "POST":
        request.POST.get("email")
        return HttpResponseRedirect("/bench/baseline/")
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/baseline/", baseline, name="bench_baseline"),
    path("", include("advocacy.urls")),
]
