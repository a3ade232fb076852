"""The kader's dasawisma page (app dasawisma) shows what is due now, rendered by reporting's tag."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pkk.models import Unit
from reporting.models import Laporan
from reporting.templatetags.reporting_cycle import due_now

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def _section(html: str) -> str:
    start = html.index('id="jatuh-tempo"')
    return html[start : html.index("</section>", start)]


def test_kader_page_shows_due_list_and_submits_back_to_it(tree):
    today = timezone.localdate()
    c = client_for(tree.kader)
    url = reverse("dasawisma:dasawisma_home", kwargs={"unit_id": tree.mawar.pk})
    section = _section(c.get(url).content.decode())
    # Registered today: only this month's Buku III (and this year's Buku II in December).
    assert section.count('value="buku3"') == 1 and f'value="{today:%Y-%m}"' in section
    assert section.count('value="buku2"') == (1 if today.month == 12 else 0)
    assert "Belum diajukan" in section and f'name="next" value="{url}"' in section
    assert reverse("reporting:laporan_saya") in section
    resp = c.post(
        reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.mawar.pk}),
        {"jenis": "buku3", "periode": f"{today:%Y-%m}", "next": url},
    )
    assert resp.status_code == 302 and resp["Location"] == url
    assert Laporan.objects.filter(dasawisma=tree.mawar, periode=today.replace(day=1)).exists()
    section = _section(c.get(url).content.decode())
    assert "Menunggu verifikasi" in section and f'value="{today:%Y-%m}"' not in section


def test_old_dasawisma_sees_overdue_months_not_the_far_future(tree):
    today = timezone.localdate()
    Unit.objects.filter(pk=tree.mawar.pk).update(created_at=timezone.make_aware(dt.datetime(today.year - 2, 1, 1, 9)))
    mawar = Unit.objects.get(pk=tree.mawar.pk)
    items = due_now(mawar, today)
    keys = {(i.jenis, i.periode) for i in items}
    # Every month of this year owed and not submitted is listed (overdue ones too).
    for m in range(1, today.month + 1):
        assert ("buku3", dt.date(today.year, m, 1)) in keys
    # This year's Buku II is due only next January: listed in December only.
    assert (("buku2", dt.date(today.year, 1, 1)) in keys) == (today.month == 12)


def test_fixed_day_due_list(tree):
    """On 10 March 2026, for a dasawisma registered in 2024: February (deadline 5 March, passed) and
    March are listed; January too while never submitted; not once submitted."""
    today = dt.date(2026, 3, 10)
    Unit.objects.filter(pk=tree.mawar.pk).update(created_at=timezone.make_aware(dt.datetime(2024, 6, 1, 9)))
    mawar = Unit.objects.get(pk=tree.mawar.pk)
    keys = [(i.jenis, i.periode) for i in due_now(mawar, today)]
    assert ("buku3", dt.date(2026, 3, 1)) in keys and ("buku3", dt.date(2026, 2, 1)) in keys
    assert ("buku3", dt.date(2026, 1, 1)) in keys
    assert ("buku2", dt.date(2025, 1, 1)) in keys  # deadline in January, passed, never submitted
    assert ("buku2", dt.date(2026, 1, 1)) not in keys
    Laporan.objects.create(
        dasawisma=mawar,
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
