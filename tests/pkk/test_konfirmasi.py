"""Issue 10, people's work: actions that remove or freeze something ask first (data-confirm + a no-JS
required checkbox), and a kader whose dasawisma was deactivated is told so."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from pkk.services import unit_set_active

pytestmark = pytest.mark.django_db


def _form_for(html: str, action: str) -> str:
    """The <form ...> ... </form> whose action is ``action``."""
    m = re.search(r'<form[^>]*action="' + re.escape(action) + r'"[^>]*>.*?</form>', html, re.S)
    assert m, f"no form posting to {action}"
    return m.group(0)


def _asks(form_html: str) -> None:
    assert re.search(r'data-confirm="[^"]{10,}"', form_html), "the form must carry data-confirm with a message"
    noscript = re.search(r"<noscript>.*?</noscript>", form_html, re.S)
    assert noscript and 'type="checkbox"' in noscript.group(0) and " required" in noscript.group(0)


def test_confirm_js_is_loaded_on_every_page_and_has_no_inline_handlers(tree, login):
    html = login("desa").get(reverse("wilayah:struktur", kwargs={"unit_id": tree.kaliboto.pk})).content.decode()
    assert '/static/js/confirm.js"' in html
    assert "onclick=" not in html and "onsubmit=" not in html
    assert 'style="' not in html  # the tree's indent moved to static/css/struktur.css (CSP)


def test_nonaktifkan_unit_asks(tree, login):
    html = login("desa").get(reverse("wilayah:struktur", kwargs={"unit_id": tree.kaliboto.pk})).content.decode()
    form = _form_for(html, reverse("wilayah:unit_nonaktifkan", kwargs={"unit_id": tree.mawar.pk}))
    _asks(form)
    assert "Dasawisma Mawar" in form


def test_nonaktifkan_account_asks(tree, login):
    html = login("desa").get(reverse("akun:detail", kwargs={"user_id": tree.kader.pk})).content.decode()
    _asks(_form_for(html, reverse("akun:nonaktifkan", kwargs={"user_id": tree.kader.pk})))


def test_kunci_periode_asks(tree, login):
    html = (
        login("desa")
        .get(reverse("reporting:kunci", kwargs={"unit_id": tree.kaliboto.pk}), {"tahun": dt.date.today().year - 1})
        .content.decode()
    )
    _asks(_form_for(html, reverse("reporting:kunci_tutup", kwargs={"unit_id": tree.kaliboto.pk})))


def test_kembalikan_laporan_asks(tree, login):
    from django.utils import timezone

    from reporting.models import JenisLaporan, Laporan

    laporan = Laporan.objects.create(
        unit=tree.mawar,
        jenis=JenisLaporan.BUKU_III,
        periode=dt.date(2025, 3, 1),
        submitted_at=timezone.now(),
        submitted_by=tree.kader,
    )
    html = login("desa").get(reverse("reporting:laporan_detail", kwargs={"laporan_id": laporan.pk})).content.decode()
    _asks(_form_for(html, reverse("reporting:laporan_kembalikan", kwargs={"laporan_id": laporan.pk})))


def test_kader_of_a_deactivated_dasawisma_is_told_so(tree, login):
    unit_set_active(unit=tree.mawar, active=False)
    c = login("kader")
    home = c.get(reverse("home"))
    assert home.status_code == 200
    text = home.content.decode()
    assert 'id="tugas-nonaktif"' in text and "Dasawisma Mawar" in text and "dinonaktifkan" in text
    # The data pages refuse, and the refusal says why.
    r = c.get(reverse("dasawisma:kader_home"))
    assert r.status_code == 403 and "Dasawisma Mawar" in r.content.decode() and "dinonaktifkan" in r.content.decode()
    r = c.get(reverse("dasawisma:dasawisma_home", kwargs={"unit_id": tree.mawar.pk}))
    assert r.status_code in (403, 404) and "dinonaktifkan" in r.content.decode()
    # Another kader (active dasawisma) sees no such notice.
    other = login("kader_melati").get(reverse("dasawisma:kader_home"), follow=True)
    assert other.status_code == 200 and "tugas-nonaktif" not in other.content.decode()
