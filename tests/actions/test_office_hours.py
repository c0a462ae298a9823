from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from actions.office_hours import OfficeHoursError, clock, office_state, parse
from tests.factories import TargetFactory

UTC = ZoneInfo("UTC")
LA = "America/Los_Angeles"
WEEKDAYS = "Mon-Fri 09:00-17:00; Sat 10:00-12:00"


def state_at(utc: str, hours: str = WEEKDAYS, zone: str = LA):
    return office_state(office_hours=hours, time_zone=zone, at=datetime.fromisoformat(utc).replace(tzinfo=UTC))


def test_parse_reads_days_ranges_and_lists():
    schedule = parse("Mon-Thu 08:30-12:00, 13:00-16:30; Fri 08:30-12:00; Sat,Sun 10-11")
    assert schedule[0] == [(510, 720), (780, 990)]
    assert schedule[4] == [(510, 720)]
    assert schedule[5] == schedule[6] == [(600, 660)]


def test_parse_wraps_day_ranges_over_the_weekend():
    assert [day for day, ranges in parse("Sat-Mon 10:00-12:00").items() if ranges] == [0, 5, 6]


@pytest.mark.parametrize(
    "text, message",
    [
        ("Mon-Fri", "write the days, then the hours"),
        ("Mo-Fr 09:00-17:00", '"Mo" is not a day'),
        ("Mon-Fri 9am-5pm", "is not a time range"),
        ("Mon-Fri 17:00-09:00", "closes before it opens"),
        ("Mon-Fri 09:00-25:00", "does not exist"),
        ("Mon 09:00-12:00, 11:00-13:00", "overlap"),
    ],
)
def test_parse_rejects_bad_text_with_an_editor_facing_message(text, message):
    with pytest.raises(OfficeHoursError, match=message):
        parse(text)


@pytest.mark.django_db
def test_target_clean_puts_the_error_on_the_office_hours_field():
    target = TargetFactory.build(office_hours="Weekdays 9-5")
    with pytest.raises(ValidationError) as error:
        target.full_clean(exclude=["photo"])
    assert "office_hours" in error.value.message_dict
    assert "is not a day" in error.value.message_dict["office_hours"][0]
    target.office_hours = "Mon-Fri 09:00-17:00"
    target.full_clean(exclude=["photo"])


def test_clock_words():
    day = datetime(2026, 3, 2)
    assert [clock(day.replace(hour=h, minute=m)) for h, m in [(9, 0), (17, 30), (12, 0), (0, 0), (0, 15)]] == [
        "9 am",
        "5:30 pm",
        "noon",
        "midnight",
        "12:15 am",
    ]


# Monday 2 March 2026, Pacific Standard Time (UTC-8): 09:00 PST is 17:00 UTC.
@pytest.mark.parametrize(
    "utc, label",
    [
        ("2026-03-02T16:59:59", "Closed, opens today 9 am PT"),
        ("2026-03-02T17:00:00", "Open now until 5 pm PT"),
        ("2026-03-03T00:59:59", "Open now until 5 pm PT"),
        ("2026-03-03T01:00:00", "Closed, opens tomorrow 9 am PT"),
        # Friday 6 March 17:00 PST, then Saturday's short hours, then Monday.
        ("2026-03-07T01:00:00", "Closed, opens tomorrow 10 am PT"),
        ("2026-03-07T19:30:00", "Open now until noon PT"),
        ("2026-03-07T20:00:00", "Closed, opens Monday 9 am PT"),
    ],
)
def test_state_around_opening_and_closing_times(utc, label):
    assert state_at(utc).label == label


def test_state_is_correct_across_the_spring_daylight_saving_change():
    # DST starts Sunday 8 March 2026 in the US: Monday 9 am is now 16:00 UTC, not 17:00.
    sunday = state_at("2026-03-08T20:00:00")
    assert sunday.label == "Closed, opens tomorrow 9 am PT"
    assert sunday.opens_at.astimezone(UTC) == datetime(2026, 3, 9, 16, 0, tzinfo=UTC)
    assert sunday.opens_at.tzname() == "PDT"
    assert state_at("2026-03-09T15:59:00").is_open is False
    monday = state_at("2026-03-09T16:00:00")
    assert monday.is_open and monday.closes_at.astimezone(UTC) == datetime(2026, 3, 10, 0, 0, tzinfo=UTC)
    # The same UTC instant a week earlier (standard time) was still 8 am there: closed.
    assert state_at("2026-03-02T16:00:00").is_open is False


def test_state_is_correct_across_the_autumn_change_in_europe():
    # Europe leaves summer time on Sunday 25 October 2026: 09:00 in London is 08:00 UTC on Friday
    # 23 October (BST) and 09:00 UTC on Monday 26 October (GMT).
    london = "Europe/London"
    assert state_at("2026-10-23T08:00:00", zone=london).label == "Open now until 5 pm BST"
    friday_evening = state_at("2026-10-23T16:00:00", zone=london)
    assert friday_evening.label == "Closed, opens tomorrow 10 am BST"
    saturday = state_at("2026-10-24T11:00:00", zone=london)
    assert saturday.label == "Closed, opens Monday 9 am GMT"
    assert saturday.opens_at.astimezone(UTC) == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    assert state_at("2026-10-26T08:30:00", zone=london).is_open is False
    assert state_at("2026-10-26T09:00:00", zone=london).is_open is True


def test_the_same_instant_differs_by_time_zone():
    # Monday 2 March 2026 15:00 UTC: 10 am in New York, 7 am in Los Angeles, 10 pm in Phnom Penh.
    instant = "2026-03-02T15:00:00"
    assert state_at(instant, zone="America/New_York").label == "Open now until 5 pm ET"
    assert state_at(instant, zone=LA).label == "Closed, opens today 9 am PT"
    assert state_at(instant, zone="Asia/Phnom_Penh").label == "Closed, opens tomorrow 9 am UTC+07"


def test_midnight_closing_and_unknown_hours():
    late = state_at("2026-03-03T07:30:00", hours="Mon 18:00-24:00")  # 23:30 Monday PST
    assert late.label == "Open now until midnight PT"
    assert state_at("2026-03-03T07:30:00", hours="").label == "Office hours not listed"
    assert state_at("2026-03-03T07:30:00", zone="Mars/Base").known is False
