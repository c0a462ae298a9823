"""Reads for the campaign overview's split by language (issue 14).

Every language of a campaign files its actions under the one campaign id; each action keeps the
language of the page it was taken on (``Action.language``). This one read counts them per
language and kind, from the action log (one grouped query over the campaign's index).
"""

from django.conf import settings
from django.db.models import Count

from actions.models import Action


def actions_by_language(*, campaign_id: int) -> list[dict]:
    """[{"language": "Khmer", "code": "km", "counts": {kind: n}, "total": n}] of counted actions,
    in LANGUAGES order; actions from before languages existed count as the default language."""
    names = dict(settings.LANGUAGES)
    rows = (
        Action.objects.filter(campaign_id=campaign_id, flagged=False)
        .values("language", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_code: dict[str, dict[str, int]] = {}
    for row in rows:
        code = row["language"] or settings.LANGUAGE_CODE
        by_code.setdefault(code, {})
        by_code[code][row["kind"]] = by_code[code].get(row["kind"], 0) + row["n"]
    order = [code for code, _ in settings.LANGUAGES] + sorted(set(by_code) - set(names))
    return [
        {"code": code, "language": names.get(code, code), "counts": by_code[code], "total": sum(by_code[code].values())}
        for code in order
        if code in by_code
    ]
