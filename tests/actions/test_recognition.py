from django.test import RequestFactory

from actions.recognition import client_address


def _request(peer: str, forwarded: str = ""):
    meta = {"REMOTE_ADDR": peer}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **meta)


def test_the_client_behind_trusted_proxies_is_the_right_most_untrusted_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8:ffff::/48"]
    assert client_address(_request("10.1.2.3", "198.51.100.9, 203.0.113.4, 10.9.9.9")) == "203.0.113.4"
    assert client_address(_request("2001:db8:ffff::1", "2001:db8::77")) == "2001:db8::77"
    # Not a trusted peer: its X-Forwarded-For is not believed.
    assert client_address(_request("192.0.2.8", "203.0.113.4")) == "192.0.2.8"
    # A trusted peer passing something that is not an address: the peer itself.
    assert client_address(_request("10.1.2.3", "not-an-address")) == "10.1.2.3"


def test_a_changed_list_of_trusted_proxies_applies_to_the_next_request(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("10.1.2.3", "203.0.113.4")) == "203.0.113.4"
    settings.TRUSTED_PROXIES = ["192.168.0.0/16"]
    assert client_address(_request("10.1.2.3", "203.0.113.4")) == "10.1.2.3"
    settings.TRUSTED_PROXIES = []
    assert client_address(_request("10.1.2.3", "203.0.113.4")) == "10.1.2.3"
