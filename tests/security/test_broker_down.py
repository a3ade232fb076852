"""Issue 12: with the broker unreachable a save still answers as saved (the outbox row stays for the sweep),
and a create form posted twice with the same token makes one record."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse
from kombu.exceptions import OperationalError

from dasawisma.models import DasawismaChange, Kehamilan, RumahTangga, Warga
from pkk.celery import app as celery_app
from pkk.models import FormToken
from tests.dasawisma.factories import make_rt, make_warga, no_kk
from tests.dasawisma.test_views import rt_post, warga_post

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused at once


@pytest.fixture
def broker_down(monkeypatch):
    """Celery publishing for real (not eager) to a broker nobody answers. Celery reads CELERY_BROKER_URL from
    the environment before its configuration (CI sets it for the real-worker tests), so it is removed here."""
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    conf = celery_app.conf
    old = (conf.task_always_eager, conf.broker_url, conf.task_publish_retry_policy)
    conf.task_always_eager = False
    conf.broker_url = UNREACHABLE
    conf.task_publish_retry_policy = {"max_retries": 0}
    celery_app._pool = None  # forget any pool made for another broker
    celery_app.amqp._producer_pool = None

    # Belt and braces: in the full suite a connection kept from an earlier real-worker test could still
    # reach the live broker, so the publish itself fails as an unreachable broker makes it fail.
    def refused(*args, **kwargs):
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(celery_app, "send_task", refused)
    yield
    conf.task_always_eager, conf.broker_url, conf.task_publish_retry_policy = old
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _token(html: str) -> str:
    m = re.search(r'name="form_token" value="([0-9a-f]{32})"', html)
    assert m, "create form without a form_token"
    return m.group(1)


@pytest.mark.django_db(transaction=True)
def test_save_with_broker_down_answers_saved_and_keeps_the_outbox_row(tree, client, broker_down, caplog):
    client.force_login(tree.kader)
    url = reverse("dasawisma:rumah_tangga_create", kwargs={"unit_id": tree.mawar.pk})
    r = client.post(url, rt_post(), HTTP_X_DRAFT_SUBMIT="1")
    assert r.status_code == 204, r.content[:300]
    assert RumahTangga.objects.filter(dasawisma=tree.mawar).count() == 1
    # The refresh request is kept for the sweep (reporting.sweep_outbox), and the failure is logged.
    assert DasawismaChange.objects.filter(dasawisma=tree.mawar).count() == 1
    assert "left to the periodic sweep" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_export_job_request_with_broker_down_is_not_a_500(tree, client, broker_down):
    from reporting.models import ExportJob

    client.force_login(tree.desa)
    url = reverse("reporting:rekap_tahunan_ekspor", kwargs={"unit_id": tree.kaliboto.pk, "tahun": 2025})
    r = client.post(url, {"sampai": "dasawisma"})
    assert r.status_code == 302, r.status_code
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.ANTRI  # left for a retry; the request did not fail


def test_same_token_twice_creates_one_rumah_tangga(tree, client):
    client.force_login(tree.kader)
    url = reverse("dasawisma:rumah_tangga_create", kwargs={"unit_id": tree.mawar.pk})
    token = _token(client.get(url).content.decode())
    first = client.post(url, rt_post(form_token=token))
    second = client.post(url, rt_post(form_token=token), HTTP_X_DRAFT_SUBMIT="1")
    assert RumahTangga.objects.filter(dasawisma=tree.mawar).count() == 1
    rt = RumahTangga.objects.get()
    target = reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt.pk})
    assert first.status_code == 302 and first["Location"] == target
    assert second.status_code == 204 and second["X-Draft-Location"] == target
    # A fresh form (new token) creates a second one: the guard is per form, not per content.
    client.post(url, rt_post(form_token=_token(client.get(url).content.decode())))
    assert RumahTangga.objects.filter(dasawisma=tree.mawar).count() == 2


def test_same_token_twice_creates_one_warga_and_one_kehamilan(tree, client):
    rt = make_rt(tree.mawar, tree.kader)
    client.force_login(tree.kader)
    url = reverse("dasawisma:warga_create", kwargs={"rumah_tangga_id": rt.pk})
    token = _token(client.get(url).content.decode())
    post = warga_post(no_kk_baru=no_kk(), form_token=token)
    assert client.post(url, post).status_code == 302
    r = client.post(url, post, follow=True)
    assert Warga.objects.filter(rumah_tangga=rt).count() == 1
    assert "sudah tersimpan sebelumnya" in r.content.decode()

    ibu = make_warga(rt, tree.kader, nama="Ibu Hamil")
    url = reverse("dasawisma:kehamilan_create", kwargs={"warga_id": ibu.pk})
    token = _token(client.get(url).content.decode())
    data = {"tanggal_mulai": "2025-01-10", "kek": "unknown", "form_token": token}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Kehamilan.objects.filter(warga=ibu).count() == 1


def test_someone_elses_token_is_refused_without_creating(tree, client):
    FormToken.objects.create(token="a" * 32, user=tree.desa, kind="rumah_tangga", url="/x/")
    client.force_login(tree.kader)
    url = reverse("dasawisma:rumah_tangga_create", kwargs={"unit_id": tree.mawar.pk})
    r = client.post(url, rt_post(form_token="a" * 32))
    assert r.status_code == 200
    assert "sudah tidak berlaku" in r.content.decode()
    assert not RumahTangga.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_posts_with_one_token_at_once_create_one_record(tree):
    """Two requests racing with the same token: the second waits on the token's unique index, then goes
    where the first went."""
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent writers need PostgreSQL: the in-memory SQLite test database answers "
            "'table is locked' at once instead of waiting"
        )

    url = reverse("dasawisma:rumah_tangga_create", kwargs={"unit_id": tree.mawar.pk})
    token = "b" * 32
    results: list[int] = []

    def post():
        c = Client()
        c.force_login(tree.kader)
        try:
            results.append(c.post(url, rt_post(form_token=token)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [302, 302]
    assert RumahTangga.objects.filter(dasawisma=tree.mawar).count() == 1
