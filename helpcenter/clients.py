"""Who sent a request: the client's address, seen through exactly the reverse proxies the operator
trusts (``DJANGO_TRUSTED_PROXY_HOPS``).

Each proxy appends the address it received the request from to ``X-Forwarded-For``; everything
to the left of what our own proxies wrote was sent by the client and can say anything. With N
trusted hops the client is the N-th entry from the right, the one the outermost trusted proxy
appended. With 0 hops, or a header shorter than N (a request that did not come through every
proxy), the header is ignored and the client is the peer of the connection, as Werkzeug's
``ProxyFix`` does.

No raw address is ever stored: rate limits keep a keyed hash of it (``client_fingerprint``), and
the admin's sign-in lockouts, which need something shaped like an address, a pseudonymous one
made from that hash (``pseudonymous_address``).
"""

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    peer = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_HOPS
    if hops < 1:
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < hops:
        return peer
    return forwarded[-hops].strip() or peer


def client_fingerprint(request: HttpRequest) -> str:
    """A keyed hash of the client's network: the same client gets the same value, and nobody
    without the secret key can tell which address it was.

    An IPv6 client usually holds a whole /64 and can change its address within it at will: the
    /64 is what tells clients apart, as one IPv4 address does."""
    digest = hmac.new(settings.SECRET_KEY.encode(), _network(client_address(request)).encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def _network(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def pseudonymous_address(request: HttpRequest) -> str:
    """The fingerprint written as an IPv6 address of the private range fd00::/8, for libraries
    that store an address (django-axes)."""
    return str(ipaddress.IPv6Address(bytes.fromhex("fd" + client_fingerprint(request)[:30])))
