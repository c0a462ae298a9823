"""OSDI's query conventions: ``filter=modified_date gt '…'`` (OData-like) and page/per_page paging.

Both raise ``BadQuery`` naming the parameter, which the views answer with a 400.
"""

import datetime
import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte", "eq": "exact"}
CLAUSE = re.compile(r"^\s*modified_date\s+(gt|ge|lt|le|eq)\s+'([^']{1,40})'\s*$", re.IGNORECASE)


class BadQuery(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _when(text: str) -> datetime.datetime:
    value = parse_datetime(text.strip())
    if value is None and (day := parse_date(text.strip())) is not None:
        value = datetime.datetime.combine(day, datetime.time())
    if value is None:
        raise ValueError(text)
    return value if timezone.is_aware(value) else timezone.make_aware(value, datetime.UTC)


def modified_filter(text: str, *, field: str) -> dict:
    """``modified_date gt '2026-11-01T00:00:00Z' and modified_date lt '…'`` -> queryset lookups."""
    lookups = {}
    if not text:
        return lookups
    for clause in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        match = CLAUSE.match(clause)
        try:
            if match is None:
                raise ValueError(clause)
            lookups[f"{field}__{LOOKUPS[match.group(1).lower()]}"] = _when(match.group(2))
        except (ValueError, OverflowError) as exc:
            raise BadQuery("filter", "Use modified_date gt|ge|lt|le|eq '<ISO 8601 time>', joined by 'and'.") from exc
    return lookups


@dataclass(frozen=True)
class Page:
    number: int
    per_page: int
    total_records: int
    rows: list

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total_records / self.per_page))


def _positive(params, name: str, default: int) -> int:
    value = params.get(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadQuery(name, f"{name} must be a whole number of 1 or more.") from None
    if number < 1:
        raise BadQuery(name, f"{name} must be a whole number of 1 or more.")
    return number


def page_of(queryset, params) -> Page:
    """One page of ``queryset`` (already ordered): two queries, a COUNT and the page's rows."""
    per_page = min(_positive(params, "per_page", settings.OSDI_PAGE_SIZE), settings.OSDI_MAX_PAGE_SIZE)
    number = _positive(params, "page", 1)
    if number > 1_000_000:
        raise BadQuery("page", "page is too large.")
    total = queryset.count()
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page]) if start < total else []
    return Page(number=number, per_page=per_page, total_records=total, rows=rows)
