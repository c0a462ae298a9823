"""Crowds count, scripts stay flagged: many people behind one address, over real HTTP.

Every request here goes to the live server from 127.0.0.1, so all of them share one client
address, as a rally on shared Wi-Fi or a stall's tablet does.
"""

import re
import time

import pytest
import requests
from django.core import signing

from actions.crowd import Attempt, agent_is_scripted, email_shape, pattern_in
from actions.models import Action
from actions.selectors import campaign_totals
from actions.totals import totals_fold
from tests.factories import campaign_page

PHONES = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SM-A546U) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Mobile Safari/537.36",
]
FIRST = ["Sophea", "Maria", "Dara", "Linh", "James", "Ana", "Vuthy", "Grace", "Luis", "Chenda"]
LAST = ["Keo", "Hernandez", "Nguyen", "Okafor", "Sok"]
DOMAINS = ["gmail.com", "yahoo.com", "icloud.com", "outlook.com"]


def rally_people():
    """Thirty different people: distinct names and emails in the ways people write them."""
    people = []
    for n in range(30):
        first, last = FIRST[n % 10], LAST[n // 6]
        styles = [f"{first}.{last}", f"{first[0]}{last}{1960 + 7 * n}", f"{last}_{first}", f"{first}{last[:2]}"]
        email = f"{styles[n % 4]}@{DOMAINS[n % 4]}".lower()
        people.append({"first_name": first, "last_name": last, "email": email, "fill": 12 + (n * 7) % 90})
    return people


def started(seconds_ago: float) -> str:
    return signing.dumps(int(time.time() - seconds_ago), salt="actions.forms.started")


def sign_over_http(url: str, person: dict, *, user_agent: str, started_token: str | None = None) -> int:
    """One person (a fresh browser) opens the page and signs; the status of the POST."""
    session = requests.Session()
    session.headers["User-Agent"] = user_agent
    page = session.get(url, timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    data = {
        "csrfmiddlewaretoken": csrf,
        "first_name": person["first_name"],
        "last_name": person["last_name"],
        "email": person["email"],
        "city": "San Jose",
        "postal_code": "95112",
        "country": "US",
        "website": "",
        "started": started_token or started(person.get("fill", 30)),
    }
    response = session.post(url, data=data, headers={"Referer": url}, allow_redirects=False, timeout=10)
    return response.status_code


@pytest.fixture
def rally(live_server, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_address": (10, 60, 200, 3600)}
    page = campaign_page()
    return page, live_server.url + page.url


def counted_and_flagged(page):
    totals_fold()
    flagged = Action.objects.filter(campaign_id=page.pk, flagged=True)
    assert set(flagged.values_list("flag_reason", flat=True)) <= {"rate-address"}
    return campaign_totals(campaign_id=page.pk)["sign"], flagged.count()


def test_thirty_people_signing_within_fifteen_seconds_from_one_address_all_count(rally):
    page, url = rally
    began = time.monotonic()
    for n, person in enumerate(rally_people()):
        assert sign_over_http(url, person, user_agent=PHONES[n % 3]) == 302
    assert time.monotonic() - began < 15
    assert counted_and_flagged(page) == (30, 0)


def test_a_stall_tablet_with_one_browser_for_everyone_counts_everyone(rally):
    page, url = rally
    for person in rally_people()[:15]:
        assert sign_over_http(url, person, user_agent=PHONES[0]) == 302
    assert counted_and_flagged(page) == (15, 0)


def _scripted(n):
    return {"first_name": "Sok", "last_name": "Chea", "email": f"person{n}@example.org", "fill": 30}


@pytest.mark.parametrize(
    "variant",
    ["sequential emails, one agent, instant fills", "a script's own agent", "sequential emails only", "replayed form"],
)
def test_a_scripted_burst_from_one_address_stays_flagged(rally, variant):
    page, url = rally
    people = rally_people()
    one_load = started(60)
    for n in range(30):
        if variant == "sequential emails, one agent, instant fills":
            status = sign_over_http(url, _scripted(n), user_agent=PHONES[0], started_token=started(0))
        elif variant == "a script's own agent":
            status = sign_over_http(url, people[n], user_agent="python-requests/2.34.2")
        elif variant == "sequential emails only":  # realistic agents and fill times, one name
            status = sign_over_http(url, _scripted(n), user_agent=PHONES[n % 3])
        else:  # one page load posted again and again with made-up people
            status = sign_over_http(url, people[n], user_agent=PHONES[0], started_token=one_load)
        assert status == 302
    counted, flagged = counted_and_flagged(page)
    # The first ten are within the per-address limit; after them, the replay needs a few
    # repeats of the same form before it is certain.
    assert counted == (13 if variant == "replayed form" else 10)
    assert counted + flagged == 30


def test_the_rule_reads_numbers_in_emails_and_repeated_names():
    assert email_shape("Person12@Example.org") == email_shape("person7@example.org") == "person#@example.org"
    peers = [("maria88@yahoo.com", "Maria", "Hernandez")]
    assert not pattern_in(Attempt(email="dara.keo@gmail.com", name="Dara Keo"), peers)
    assert pattern_in(Attempt(email="maria89@yahoo.com", name="Someone Else"), peers)
    assert pattern_in(Attempt(email="other@example.org", name="maria  HERNANDEZ"), peers)
    # The same person acting again is no pattern.
    assert not pattern_in(Attempt(email="Maria88@yahoo.com", name="Maria Hernandez"), peers)
    assert agent_is_scripted("") and agent_is_scripted("curl/8.5.0")
    assert agent_is_scripted("Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0.0.0 Safari/537.36")
    assert not agent_is_scripted(PHONES[0])
