"""Small request helpers shared by every app: where to go back to, and bounded numbers from a query."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """``next`` (POST, then GET) when it is a path on this site, else ``default``.

    A bare word such as ``next=0`` used to reach ``redirect()``, which took it for a URL name
    (NoReverseMatch, a 500); an absolute URL to another host is an open redirect. Only ``/path``.
    """
    nxt = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if (
        nxt.startswith("/")
        and not nxt.startswith(("//", "/\\"))
        and nxt.isprintable()
        and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    ):
        return nxt
    return default


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for django-axes behind ``PKK_TRUSTED_PROXY_COUNT`` reverse proxies.

    Each trusted proxy appends the address it received from to X-Forwarded-For, so the client is the
    N-th entry from the right; entries further left were written by the client and are ignored (they can
    be forged). With 0 (no proxy) it is REMOTE_ADDR. Without this, behind the proxy every client had the
    proxy's address, and five wrong passwords from anyone locked a kader out.
    """
    import ipaddress

    from django.conf import settings

    count = int(getattr(settings, "PKK_TRUSTED_PROXY_COUNT", 0) or 0)
    remote = request.META.get("REMOTE_ADDR") or None
    if count <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < count:
        return remote  # not sent through all the proxies: use what we can see
    candidate = chain[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
