"""The kader's dasawisma page (app dasawisma) shows what is due now, from reporting's panel (dasawisma.panels).

Issue 10 changed the rules: the list starts at the start of reporting (not the day the row was made),
counts only periods in which the dasawisma was registered (``aktif_sejak``), and the running month
cannot be submitted before it ends."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pkk.models import Unit
from reporting.models import AwalPelaporan, Laporan
from reporting.periods import previous_month
from reporting.selectors_cycle import due_now

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def _section(html: str) -> str:
    start = html.index('id="jatuh-tempo"')
    return html[start : html.index("</section>", start)]


def test_registered_today_lists_the_running_month_without_a_submit_button(tree):
    today = timezone.localdate()
    Unit.objects.filter(pk=tree.mawar.pk).update(aktif_sejak=today)
    c = client_for(tree.kader)
    url = reverse("dasawisma:dasawisma_home", kwargs={"unit_id": tree.mawar.pk})
    section = _section(c.get(url).content.decode())
    assert "Periode berjalan" in section
    assert 'value="buku3"' not in section  # no submit form: the month has not ended
    resp = c.post(
        reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.mawar.pk}),
        {"jenis": "buku3", "periode": f"{today:%Y-%m}", "next": url},
        follow=True,
    )
    assert "belum berakhir" in resp.content.decode()
    assert not Laporan.objects.exists()


def test_last_month_is_submitted_from_the_kader_page(tree):
    today = timezone.localdate()
    last = previous_month(today)
    Unit.objects.filter(pk=tree.mawar.pk).update(aktif_sejak=last)
    c = client_for(tree.kader)
    url = reverse("dasawisma:dasawisma_home", kwargs={"unit_id": tree.mawar.pk})
    section = _section(c.get(url).content.decode())
    assert section.count('value="buku3"') == 1 and f'value="{last:%Y-%m}"' in section
    assert "Belum diajukan" in section and f'name="next" value="{url}"' in section
    resp = c.post(
        reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.mawar.pk}),
        {"jenis": "buku3", "periode": f"{last:%Y-%m}", "next": url},
    )
    assert resp.status_code == 302 and resp["Location"] == url
    assert Laporan.objects.filter(unit=tree.mawar, periode=last).exists()
    section = _section(c.get(url).content.decode())
    assert "Menunggu verifikasi" in section and f'value="{last:%Y-%m}"' not in section


def test_missed_months_from_the_start_of_reporting_are_listed(tree):
    today = timezone.localdate()
    AwalPelaporan.objects.create(kabupaten=tree.kab, mulai=dt.date(today.year - 1, 1, 1))
    items = due_now(Unit.objects.get(pk=tree.mawar.pk), today)
    keys = {(i.jenis, i.periode) for i in items}
    # Every month since January of last year, owed and never submitted, is listed (late, still submittable).
    for m in range(1, 13):
        assert ("buku3", dt.date(today.year - 1, m, 1)) in keys
    assert ("buku2", dt.date(today.year - 1, 1, 1)) in keys
    overdue = [i for i in items if i.periode.year < today.year]
    assert overdue and all(i.lewat and i.can_submit for i in overdue)


def test_fixed_day_due_list(tree, settings):
    """On 10 March 2026, reporting since 2025-06: February (deadline 5 March, passed) and March (running)
    are listed, January too while never submitted, and Buku II 2025; nothing before June 2025."""
    settings.PKK_REPORTING_START = "2025-06"
    today = dt.date(2026, 3, 10)
    mawar = Unit.objects.get(pk=tree.mawar.pk)
    items = due_now(mawar, today)
    keys = [(i.jenis, i.periode) for i in items]
    assert ("buku3", dt.date(2026, 3, 1)) in keys and ("buku3", dt.date(2026, 2, 1)) in keys
    assert ("buku3", dt.date(2026, 1, 1)) in keys and ("buku3", dt.date(2025, 6, 1)) in keys
    assert ("buku3", dt.date(2025, 5, 1)) not in keys
    assert ("buku2", dt.date(2025, 1, 1)) in keys  # deadline in January, passed, never submitted
    assert ("buku2", dt.date(2026, 1, 1)) not in keys
    march = next(i for i in items if i.periode == dt.date(2026, 3, 1))
    assert march.berjalan and not march.can_submit
    Laporan.objects.create(
        unit=mawar,
        jenis="buku3",
        periode=dt.date(2026, 1, 1),
        status=Laporan.Status.DITERIMA,
        submitted_by=tree.kader,
        submitted_at=timezone.make_aware(dt.datetime(2026, 2, 3, 9)),
    )
    keys = [(i.jenis, i.periode) for i in due_now(mawar, today)]
    assert ("buku3", dt.date(2026, 1, 1)) not in keys


def test_desa_sees_the_list_without_submit_buttons(tree):
    html = client_for(tree.desa).get(reverse("dasawisma:dasawisma_home", kwargs={"unit_id": tree.mawar.pk}))
    section = _section(html.content.decode())
    assert "Belum diajukan" in section
    assert not re.search(r"<form[^>]*laporan_ajukan|Ajukan</button>", section)
    assert reverse("reporting:laporan_saya") not in section
