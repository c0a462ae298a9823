"""The web process's start-up objects, set aside from Python's garbage collector.

A web process holds about a quarter of a million long-lived objects once Django, Wagtail and the
URLconf are loaded (modules, classes, functions, model and form metadata). None of them is ever
garbage, but every full collection walks all of them: about 120 ms on the bench's host, during
which every thread of that process stops. Requests allocate enough for a full collection every
few thousand requests, so each web process paused for that long about every minute at a few
hundred signatures a second, which is tail latency for whoever was waiting on it.

``gc.freeze()`` moves every object alive at that moment into a generation the collector no longer
visits. Objects created later are collected exactly as before, so a cycle made by a request is
still freed; only the start-up objects are no longer re-examined.
"""

import gc

from django.urls import get_resolver


def freeze_startup_objects() -> int:
    """Load what the first request would (every view module, through the URLconf), collect what is
    garbage already, then freeze the rest. Returns how many objects were frozen."""
    get_resolver().url_patterns  # noqa: B018 (imports the URLconf and every view module it names)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
