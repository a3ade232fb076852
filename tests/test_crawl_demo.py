"""Walk the demo as every demo account (issue 10): log in, start at the home page, follow every link.

- The demo is seeded once for this module (``seed_demo`` at a small size) inside one transaction that is
  rolled back at the end, so no other test module sees it.
- A bounded breadth-first crawl with Django's test client: URLs are grouped by their URL pattern and
  query keys, and at most ``PER_PATTERN`` instances of each group are opened (the rest are the same page
  for other objects), so the walk stays fast.
- Every page opened from a link must answer 200 (or a redirect that leads on to one): no 500, no
  exception, no Django debug page, no 403/404 (a link the account may not follow is a bug too), no
  redirect to the login page; and every object named in its URL must be inside the account's scope.
- Then every account replays the object URLs the others reached and it did not: outside its scope the
  answer is 403 or 404, inside it is a page (no 500).
"""

from __future__ import annotations

import io
import os
import time
from collections import defaultdict, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from demo.accounts import DEMO_ACCOUNTS
from pkk.celery import app as celery_app
from pkk.scope import unit_in_scope

PER_PATTERN = 3  # instances opened per (URL pattern, query keys)
MAX_PAGES = 400  # per account, a safety net
REPLAY_PER_PATTERN = 2  # object URLs of others replayed per URL pattern and account
HOUSEHOLDS = 90  # demo size: a few dasawisma per desa
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/keluar/", "/masuk/")
DEBUG_MARKERS = ("Traceback (most recent call last)", "Using the URLconf defined in", 'id="traceback"')
ACCOUNTS = [username for username, _, _ in DEMO_ACCOUNTS]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def normalise(href: str, base: str) -> str | None:
    """A same-site path (with its query) worth following, else None."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    path = parts.path
    if not path:
        return None
    if not path.startswith("/"):
        path = base.rsplit("/", 1)[0] + "/" + path
    if path.startswith(SKIP_PREFIXES):
        return None
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return path + ("?" + query if query else "")


def group_of(url: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        name = "<unresolved>" + parts.path
    return name, tuple(sorted(k for k, _ in parse_qsl(parts.query, keep_blank_values=True)))


# --------------------------------------------------------------------------------------------------
# Which unit an object URL is about (for the scope check)


def _unit_of(kwarg: str, value, user):
    """(unit, ok): the unit the object belongs to; ``ok`` False when the object is not the user's to see
    and has no unit (an export job of someone else). Unknown kwargs answer (None, True)."""
    from dasawisma.models import Kehamilan, Keluarga, RumahTangga, Warga
    from pkk.models import Unit
    from reporting.models import ExportJob, Laporan

    pk = int(value)
    if kwarg == "unit_id":
        return Unit.objects.filter(pk=pk).first(), True
    if kwarg == "laporan_id":
        lap = Laporan.objects.filter(pk=pk).first()
        return (_laporan_unit(lap) if lap else None), True
    if kwarg == "rumah_tangga_id":
        obj = RumahTangga.objects.filter(pk=pk).select_related("dasawisma").first()
        return (obj.dasawisma if obj else None), True
    if kwarg == "keluarga_id":
        obj = Keluarga.objects.filter(pk=pk).select_related("rumah_tangga__dasawisma").first()
        return (obj.rumah_tangga.dasawisma if obj else None), True
    if kwarg == "warga_id":
        obj = Warga.objects.filter(pk=pk).select_related("dasawisma").first()
        return (obj.dasawisma if obj else None), True
    if kwarg == "kehamilan_id":
        obj = Kehamilan.objects.filter(pk=pk).select_related("dasawisma").first()
        return (obj.dasawisma if obj else None), True
    if kwarg == "job_id":
        job = ExportJob.objects.filter(pk=pk).first()
        return None, job is None or job.requester_id == user.pk
    if kwarg == "user_id":
        target = get_user_model().objects.filter(pk=pk).first()
        if target is None:
            return None, True
        units = [a.unit for a in target.role_assignments.select_related("unit")]
        return None, bool(units) and all(unit_in_scope(user, u) for u in units)
    return None, True


def _laporan_unit(lap):
    return getattr(lap, "unit", None) or lap.dasawisma


def out_of_scope(user, url: str) -> list[str]:
    """Objects named in ``url`` that ``user`` may not see (empty: the page is in scope)."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return []
    bad = []
    for kwarg, value in match.kwargs.items():
        if not kwarg.endswith("_id"):
            continue
        unit, ok = _unit_of(kwarg, value, user)
        if not ok or (unit is not None and not unit_in_scope(user, unit)):
            bad.append(f"{kwarg}={value}")
    return bad


def has_object(url: str) -> bool:
    try:
        return any(k.endswith("_id") for k in resolve(urlsplit(url).path).kwargs)
    except Resolver404:
        return False


# --------------------------------------------------------------------------------------------------
# The demo, once for this module


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo at a small size in a transaction rolled back after the module. Files the demo writes
    (kegiatan photos) go to a media folder of this module, which the tests use too (``_media``)."""
    media = tmp_path_factory.mktemp("crawl-media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media / "public",
            PKK_PRIVATE_MEDIA_ROOT=media / "private",
            DEBUG=True,
            PKK_ROLLUP_TRACKS=1,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        try:
            with transaction.atomic():
                t0 = time.perf_counter()
                call_command("seed_demo", households=HOUSEHOLDS, seed=2026, stdout=io.StringIO())
                seeded = time.perf_counter() - t0
                users = {u.username: u for u in get_user_model().objects.filter(username__in=ACCOUNTS)}
                with override_settings(DEBUG=False):
                    yield {"users": users, "reached": {}, "seconds": seeded, "media": media}
                transaction.set_rollback(True)
        finally:
            celery_app.conf.task_always_eager = eager


def crawl(user) -> tuple[dict[str, int], list[str]]:
    """Breadth-first from ``/``; returns ({url: status}, problems)."""
    client = Client()
    client.force_login(user)
    seen: dict[str, int] = {}
    per_group: dict[tuple, int] = defaultdict(int)
    problems: list[str] = []
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    while queue and len(seen) < MAX_PAGES:
        url, came_from = queue.popleft()
        if url in seen:
            continue
        group = group_of(url)
        if per_group[group] >= PER_PATTERN:
            continue
        per_group[group] += 1
        try:
            resp = client.get(url)
        except Exception as exc:  # collect every failure, report them together
            seen[url] = 500
            problems.append(f"{url} (from {came_from}): raised {type(exc).__name__}: {exc}")
            continue
        seen[url] = resp.status_code
        if resp.status_code in (301, 302, 303, 307, 308):
            target = normalise(resp["Location"], url)
            if resp["Location"].startswith("/masuk/"):
                problems.append(f"{url} (from {came_from}): sent to the login page")
            elif target and target not in seen:
                queue.appendleft((target, url))
            continue
        if resp.status_code != 200:
            problems.append(f"{url} (from {came_from}): {resp.status_code}")
            continue
        bad = out_of_scope(user, url)
        if bad:
            problems.append(f"{url} (from {came_from}): outside the account's scope ({', '.join(bad)})")
        if "text/html" not in resp.get("Content-Type", ""):
            continue
        body = resp.content.decode("utf-8", "replace")
        if any(marker in body for marker in DEBUG_MARKERS):
            problems.append(f"{url} (from {came_from}): a Django debug page")
        for href in links_of(body):
            target = normalise(href, url)
            if target and target not in seen:
                queue.append((target, url))
    return seen, problems


@pytest.fixture(autouse=True)
def _media(demo_site, settings):
    settings.MEDIA_ROOT = demo_site["media"] / "public"
    settings.PKK_PRIVATE_MEDIA_ROOT = demo_site["media"] / "private"


@pytest.mark.django_db
@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_demo_account_walks_its_links_without_errors(demo_site, username):
    user = demo_site["users"].get(username)
    assert user is not None, f"seed_demo did not create {username}"
    t0 = time.perf_counter()
    seen, problems = crawl(user)
    demo_site["reached"][username] = seen
    if os.environ.get("CRAWL_VERBOSE"):
        print(username, len(seen), sorted({group_of(u)[0] for u in seen}))
    assert not problems, f"{username}: {len(problems)} problem(s) over {len(seen)} pages:\n" + "\n".join(problems)
    # the walk did reach the account's pages (home plus more than a handful)
    assert sum(1 for s in seen.values() if s == 200) >= 8, seen
    assert time.perf_counter() - t0 < 60


@pytest.mark.django_db
def test_every_account_replays_the_object_urls_others_reached(demo_site):
    reached = demo_site["reached"]
    assert set(reached) == set(ACCOUNTS), "run with the crawl tests above (same module)"
    object_urls = sorted({u for seen in reached.values() for u, s in seen.items() if s == 200 and has_object(u)})
    assert len(object_urls) > 20
    problems = []
    refused = 0
    for username, user in demo_site["users"].items():
        client = Client()
        client.force_login(user)
        tried: dict[tuple, int] = defaultdict(int)
        for url in object_urls:
            if url in reached[username]:
                continue
            group = group_of(url)
            if tried[group] >= REPLAY_PER_PATTERN:
                continue
            tried[group] += 1
            outside = out_of_scope(user, url)
            try:
                status = client.get(url).status_code
            except Exception as exc:
                problems.append(f"{username} {url}: raised {type(exc).__name__}: {exc}")
                continue
            if outside:
                if status not in (403, 404):
                    problems.append(f"{username} {url}: {status}, expected 403/404 (outside: {', '.join(outside)})")
                refused += 1
            elif status >= 500:
                problems.append(f"{username} {url}: {status}")
    assert not problems, "\n".join(problems)
    assert refused > 30  # the outsiders did try objects of other units
