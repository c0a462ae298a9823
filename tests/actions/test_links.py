import time

import pytest
from django.core import signing

from actions.links import LinkError, action_link_read, action_link_token, action_link_url
from tests.factories import SupporterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def supporter():
    return SupporterFactory()


def test_a_link_reads_back_to_its_supporter(supporter):
    token = action_link_token(kind="sign", campaign_id=7, supporter=supporter)
    link = action_link_read(token=token, kind="sign", campaign_id=7)
    assert link.supporter == supporter and link.kind == "sign" and link.campaign_id == 7


def test_the_token_holds_no_name_or_email_and_a_256_bit_signature(supporter):
    token = action_link_token(kind="sign", campaign_id=7, supporter=supporter)
    assert supporter.email.split("@")[0] not in token and supporter.first_name not in token
    signature = token.rsplit(":", 1)[1]
    assert len(signature) == 43  # base64 of a whole HMAC-SHA256: 256 bits


def test_tampered_link_is_refused(supporter):
    token = action_link_token(kind="sign", campaign_id=7, supporter=supporter)
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(LinkError) as error:
        action_link_read(token=altered, kind="sign", campaign_id=7)
    assert error.value.reason == "invalid"
    # Swapping in another supporter's payload breaks the signature too.
    other = action_link_token(kind="sign", campaign_id=7, supporter=SupporterFactory())
    spliced = other.split(":")[0] + ":" + ":".join(token.split(":")[1:])
    with pytest.raises(LinkError):
        action_link_read(token=spliced, kind="sign", campaign_id=7)


def test_expired_link_is_refused(supporter, monkeypatch, settings):
    settings.ACTION_LINK_MAX_AGE = 30 * 24 * 3600
    thirty_one_days_ago = signing.b62_encode(int(time.time()) - 31 * 24 * 3600)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: thirty_one_days_ago)
    token = action_link_token(kind="sign", campaign_id=7, supporter=supporter)
    monkeypatch.undo()
    with pytest.raises(LinkError) as error:
        action_link_read(token=token, kind="sign", campaign_id=7)
    assert error.value.reason == "expired"
    settings.ACTION_LINK_MAX_AGE = 32 * 24 * 3600  # the expiry is a setting
    assert action_link_read(token=token, kind="sign", campaign_id=7).supporter == supporter


def test_wrong_purpose_is_refused(supporter):
    token = action_link_token(kind="share", campaign_id=7, supporter=supporter)
    with pytest.raises(LinkError):
        action_link_read(token=token, kind="sign", campaign_id=7)


def test_wrong_campaign_is_refused(supporter):
    token = action_link_token(kind="sign", campaign_id=7, supporter=supporter)
    with pytest.raises(LinkError):
        action_link_read(token=token, kind="sign", campaign_id=8)


def test_link_url_points_at_the_campaign_go_route(supporter):
    url = action_link_url(campaign_url="https://example.org/kang/", kind="call", campaign_id=3, supporter=supporter)
    assert url.startswith("https://example.org/kang/go/call/") and url.endswith("/")
    token = url.split("/go/call/")[1].rstrip("/").replace("/", ":")
    assert action_link_read(token=token, kind="call", campaign_id=3).supporter == supporter


def test_unknown_kind_has_no_link(supporter):
    with pytest.raises(ValueError):
        action_link_token(kind="donate", campaign_id=3, supporter=supporter)
