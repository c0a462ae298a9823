"""When a target's office answers the phone, and whether it is open at a given instant.

Editors write hours as ``"Mon-Fri 09:00-17:00; Sat 10:00-12:00"``: segments separated by ``;``,
each a list of days (``Mon``, ``Mon-Fri``, ``Mon,Wed``) followed by one or more time ranges
(``09:00-12:00, 13:00-17:00``) in the target's own time zone. ``24:00`` closes at midnight.
Everything is computed in the target's zone with ``zoneinfo``, so "9 am" stays 9 am local
across a daylight-saving change.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import formats, translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DAY_ALIASES = {name[:3].lower(): i for i, name in enumerate(DAY_NAMES)} | {
    name.lower(): i for i, name in enumerate(DAY_NAMES)
}
_TIME = r"(\d{1,2})(?::(\d{2}))?"
_RANGE = re.compile(rf"^{_TIME}\s*-\s*{_TIME}$")
# Generic names for zones that switch between a standard and a daylight abbreviation, so a
# supporter reads "PT" all year rather than having to know which half of the year it is.
_GENERIC_ABBREVIATIONS = {
    "PST": "PT",
    "PDT": "PT",
    "MST": "MT",
    "MDT": "MT",
    "CST": "CT",
    "CDT": "CT",
    "EST": "ET",
    "EDT": "ET",
    "AKST": "AKT",
    "AKDT": "AKT",
}


class OfficeHoursError(ValueError):
    """The hours text cannot be read. The message is written for the editor who typed it."""


# weekday (0 = Monday) -> sorted, non-overlapping (open_minute, close_minute) pairs
Schedule = dict[int, list[tuple[int, int]]]


def parse(text: str) -> Schedule:
    """Read an office-hours text into a weekly schedule; raises OfficeHoursError."""
    schedule: Schedule = {day: [] for day in range(7)}
    for segment in (text or "").split(";"):
        segment = segment.strip()
        if not segment:
            continue
        match = re.match(r"^([A-Za-z][A-Za-z,\-\s]*?)\s+(\d.*)$", segment)
        if not match:
            raise OfficeHoursError(f'"{segment}": write the days, then the hours, e.g. "Mon-Fri 09:00-17:00".')
        days = _parse_days(match.group(1))
        ranges = [_parse_range(part) for part in match.group(2).split(",") if part.strip()]
        for day in days:
            schedule[day].extend(ranges)
    for day, ranges in schedule.items():
        ranges.sort()
        for (_, first_close), (second_open, _) in zip(ranges, ranges[1:], strict=False):
            if second_open < first_close:
                raise OfficeHoursError(f"The hours on {DAY_NAMES[day]} overlap.")
    return schedule


def validate(text: str) -> None:
    parse(text)


def _parse_days(text: str) -> list[int]:
    days = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        ends = part.split("-")
        if len(ends) > 2:
            raise OfficeHoursError(f'"{part}" is not a day or a range of days like "Mon-Fri".')
        numbers = [_day_number(end) for end in ends]
        if len(numbers) == 1:
            days.append(numbers[0])
        else:
            first, last = numbers
            # "Sat-Mon" wraps over the weekend.
            span = (last - first) % 7
            days.extend((first + offset) % 7 for offset in range(span + 1))
    if not days:
        raise OfficeHoursError('Name the days first, e.g. "Mon-Fri 09:00-17:00".')
    return days


def _day_number(name: str) -> int:
    try:
        return _DAY_ALIASES[name.lower()]
    except KeyError:
        raise OfficeHoursError(f'"{name}" is not a day. Use Mon, Tue, Wed, Thu, Fri, Sat or Sun.') from None


def _parse_range(text: str) -> tuple[int, int]:
    match = _RANGE.match(text.strip())
    if not match:
        raise OfficeHoursError(f'"{text.strip()}" is not a time range. Write it like 09:00-17:00.')
    open_h, open_m, close_h, close_m = (int(g) if g else 0 for g in match.groups())
    opens, closes = open_h * 60 + open_m, close_h * 60 + close_m
    for hour, minute in ((open_h, open_m), (close_h, close_m)):
        if hour > 24 or minute > 59 or (hour == 24 and minute):
            raise OfficeHoursError(f'"{text.strip()}" has a time that does not exist. Use 00:00 to 24:00.')
    if closes <= opens:
        raise OfficeHoursError(f'"{text.strip()}" closes before it opens. Use 24-hour times, e.g. 13:00-17:00.')
    return opens, closes


def zone_abbreviation(moment: datetime) -> str:
    """The short zone name at this instant: "PT" for Pacific, else what the zone calls itself."""
    name = moment.tzname() or ""
    if name in _GENERIC_ABBREVIATIONS:
        return _GENERIC_ABBREVIATIONS[name]
    if name[:1] in "+-":  # zones without a letter abbreviation, e.g. Asia/Phnom_Penh gives "+07"
        return f"UTC{name}"
    return name


def clock(moment: datetime) -> str:
    """9 am, 5:30 pm, noon, midnight in English; the active language's own time format otherwise."""
    if not (translation.get_language() or "en").startswith("en"):
        return formats.time_format(moment.replace(tzinfo=None).time())
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    if moment.hour == 12 and moment.minute == 0:
        return "noon"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d} {suffix}" if moment.minute else f"{hour} {suffix}"


@dataclass(frozen=True)
class OfficeState:
    """Whether an office is open at one instant, and when that changes (aware datetimes)."""

    known: bool
    is_open: bool = False
    closes_at: datetime | None = None
    opens_at: datetime | None = None
    now: datetime | None = None

    @property
    def label(self) -> str:
        if not self.known:
            return gettext("Office hours not listed")
        if self.is_open:
            return gettext("Open now until %(time)s %(zone)s") % {
                "time": clock(self.closes_at),
                "zone": zone_abbreviation(self.closes_at),
            }
        if self.opens_at is None:
            return gettext("Closed")
        return gettext("Closed, opens %(day)s %(time)s %(zone)s") % {
            "day": self._day(self.opens_at),
            "time": clock(self.opens_at),
            "zone": zone_abbreviation(self.opens_at),
        }

    def _day(self, moment: datetime) -> str:
        days_ahead = (moment.date() - self.now.astimezone(moment.tzinfo).date()).days
        if days_ahead == 0:
            return gettext("today")
        if days_ahead == 1:
            return gettext("tomorrow")
        return str(WEEKDAYS[moment.weekday()])


def _at(day: date, minute: int, zone: ZoneInfo) -> datetime:
    if minute >= 24 * 60:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)


def office_state(*, office_hours: str, time_zone: str, at: datetime) -> OfficeState:
    """Open or closed at the aware instant ``at``; unreadable hours or zone count as unknown."""
    try:
        schedule = parse(office_hours)
        zone = ZoneInfo(time_zone)
    except (OfficeHoursError, ZoneInfoNotFoundError, ValueError):
        return OfficeState(known=False, now=at)
    if not any(schedule.values()):
        return OfficeState(known=False, now=at)
    local = at.astimezone(zone)
    today = local.date()
    # Opening hours are wall-clock times in the target's zone: comparing local times (same
    # tzinfo) keeps "09:00" meaning 9 am on both sides of a DST change, while the datetimes we
    # return stay aware, so their UTC instant and abbreviation (PST or PDT) are the right ones.
    for opens, closes in schedule[local.weekday()]:
        open_at, close_at = _at(today, opens, zone), _at(today, closes, zone)
        if open_at <= local < close_at:
            return OfficeState(known=True, is_open=True, closes_at=close_at, now=at)
    for offset in range(8):
        day = today + timedelta(days=offset)
        for opens, _ in schedule[day.weekday()]:
            open_at = _at(day, opens, zone)
            if open_at > local:
                return OfficeState(known=True, is_open=False, opens_at=open_at, now=at)
    return OfficeState(known=True, now=at)
