"""The client's address behind reverse proxies: only the hops the operator trusts are believed,
so a client cannot choose its own identity (and escape rate limits) with X-Forwarded-For."""

import pytest
from django.test import RequestFactory, override_settings

from helpcenter.clients import client_address, client_fingerprint
from tests.test_settings import run_django

PEER = "10.0.0.5"  # the machine that opened the connection to the app


def request_with(forwarded_for: str | None = None):
    extra = {"REMOTE_ADDR": PEER}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/fr/", **extra)


@override_settings(TRUSTED_PROXY_HOPS=0)
@pytest.mark.parametrize("forwarded_for", [None, "203.0.113.7", "198.51.100.1, 203.0.113.7"])
def test_it_ignores_x_forwarded_for_without_trusted_hops(forwarded_for):
    assert client_address(request_with(forwarded_for)) == PEER


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_it_takes_the_address_one_trusted_proxy_appended():
    assert client_address(request_with("203.0.113.7")) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_it_ignores_what_the_client_wrote_before_the_proxys_entry():
    assert client_address(request_with("192.0.2.66, 192.0.2.67,203.0.113.7")) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_HOPS=2)
def test_it_takes_the_address_the_outermost_of_two_proxies_appended():
    # Load balancer appended the client, then nginx appended the load balancer.
    assert client_address(request_with("203.0.113.7, 10.0.0.2")) == "203.0.113.7"
    assert client_address(request_with("192.0.2.66, 203.0.113.7, 10.0.0.2")) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_HOPS=2)
@pytest.mark.parametrize("forwarded_for", [None, "", "203.0.113.7"])
def test_it_falls_back_to_the_peer_when_fewer_proxies_wrote_than_trusted(forwarded_for):
    assert client_address(request_with(forwarded_for)) == PEER


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_it_falls_back_to_the_peer_on_an_empty_entry():
    assert client_address(request_with("203.0.113.7, ")) == PEER


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), TRUSTED_PROXY_HOPS=0)
def test_a_client_sent_x_forwarded_for_does_not_change_the_rate_limit_identity():
    # DJANGO_BEHIND_PROXY trusts X-Forwarded-Proto only; it says nothing about X-Forwarded-For.
    assert client_fingerprint(request_with("203.0.113.7")) == client_fingerprint(request_with())
    assert client_fingerprint(request_with("198.51.100.9")) == client_fingerprint(request_with())


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_spoofed_prefixes_do_not_change_the_rate_limit_identity():
    assert client_fingerprint(request_with("192.0.2.66, 203.0.113.7")) == client_fingerprint(
        request_with("203.0.113.7")
    )
    assert client_fingerprint(request_with("203.0.113.7")) != client_fingerprint(request_with("203.0.113.8"))


def request_from(address: str):
    return RequestFactory().get("/fr/", REMOTE_ADDR=address)


def test_an_ipv6_client_is_its_64_network_whatever_address_it_picks_in_it():
    same_network = ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9")
    assert client_fingerprint(request_from(same_network[0])) == client_fingerprint(request_from(same_network[1]))
    assert client_fingerprint(request_from("2001:db8:1:2::1")) != client_fingerprint(request_from("2001:db8:1:3::1"))
    assert client_fingerprint(request_from("::ffff:192.0.2.1")) == client_fingerprint(request_from("192.0.2.1"))


def test_a_proxy_whose_hops_are_not_set_is_reported_by_the_checks():
    warned = run_django(["check"], DJANGO_BEHIND_PROXY="1")
    assert "helpcenter.W001" in warned.stderr + warned.stdout
    fine = run_django(["check"], DJANGO_BEHIND_PROXY="1", DJANGO_TRUSTED_PROXY_HOPS="1")
    assert "helpcenter.W001" not in fine.stderr + fine.stdout
