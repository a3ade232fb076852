"""Issue 10, people's work: the desa (kader) and the admin kabupaten (its accounts) reset a password to a
one-time password shown once, which must be changed at the next login, and edit name and assignment."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from pkk.models import RoleAssignment, SandiSementara
from pkk.services import one_time_password

pytestmark = pytest.mark.django_db
User = get_user_model()


def _reset(client, user):
    r = client.post(reverse("akun:reset_sandi", kwargs={"user_id": user.pk}))
    assert r.status_code == 200, r.status_code
    m = re.search(r'id="sandi-sementara">([a-z0-9-]+)<', r.content.decode())
    assert m, "the one-time password is shown"
    assert r["Cache-Control"] == "no-store"
    return m.group(1)


def test_one_time_password_shape():
    pw = one_time_password()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", pw)
    assert not set(pw) & set("01ilo")
    assert len({one_time_password() for _ in range(50)}) == 50


def test_desa_resets_kader_password_shown_once_and_forced_change(tree, login):
    desa = login("desa")
    password = _reset(desa, tree.kader)
    assert SandiSementara.objects.get(user=tree.kader).must_change
    # Shown once: the detail page afterwards does not carry it, nor does any stored row.
    detail = desa.get(reverse("akun:detail", kwargs={"user_id": tree.kader.pk})).content.decode()
    assert password not in detail and "belum diganti pemiliknya" in detail
    assert password not in str(list(SandiSementara.objects.values()))
    # The kader logs in with it (the real login view) and is held on the password change page.
    kader = Client()
    r = kader.post(reverse("login"), {"username": "kader", "password": password})
    assert r.status_code == 302 and r["Location"] == reverse("password_change")
    for url in (reverse("home"), reverse("dasawisma:kader_home"), reverse("reporting:laporan_saya")):
        r = kader.get(url)
        assert r.status_code == 302 and r["Location"] == reverse("password_change"), url
    page = kader.get(reverse("password_change"))
    assert page.status_code == 200 and 'id="wajib-ganti"' in page.content.decode()
    r = kader.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "kebun-mawar-2026", "new_password2": "kebun-mawar-2026"},
    )
    assert r.status_code == 302
    assert kader.get(reverse("dasawisma:kader_home")).status_code == 302  # to its dasawisma now
    assert kader.get(reverse("dasawisma:kader_home"), follow=True).status_code == 200
    s = SandiSementara.objects.get(user=tree.kader)
    assert not s.must_change and s.changed_at is not None and s.reset_by == tree.desa
    # A later login with the own password is not held.
    again = Client()
    r = again.post(reverse("login"), {"username": "kader", "password": "kebun-mawar-2026"})
    assert r.status_code == 302 and r["Location"] != reverse("password_change")


def test_reset_ends_the_old_password(tree, login):
    from tests.builders import PASSWORD

    _reset(login("desa"), tree.kader)
    tree.kader.refresh_from_db()
    assert not tree.kader.check_password(PASSWORD)


def test_reset_scope(tree, login):
    url = reverse("akun:reset_sandi", kwargs={"user_id": tree.kader.pk})
    assert login("desa_kp").post(url).status_code == 404  # TP PKK desa of another desa
    assert login("kader_melati").post(url).status_code == 404  # not a manager: no account scope
    assert login("pembina").post(url).status_code == 404
    assert login("desa").get(url).status_code == 405  # POST only
    # A desa manages kader only: another role inside its desa answers 403.
    assert login("desa").post(reverse("akun:reset_sandi", kwargs={"user_id": tree.ketua_rt.pk})).status_code == 403
    assert not SandiSementara.objects.exists()
    # The admin kabupaten resets any account of its kabupaten, e.g. a TP PKK desa.
    _reset(login("admin"), tree.desa)
    assert SandiSementara.objects.get(user=tree.desa).reset_by == tree.admin


def test_desa_edits_kader_name_and_dasawisma(tree, login):
    desa = login("desa")
    url = reverse("akun:ubah", kwargs={"user_id": tree.kader.pk})
    assert desa.get(url).status_code == 200
    r = desa.post(url, {"name": "Sri Wahyuni", "role": "kader", "unit": tree.anggrek.pk})
    assert r.status_code == 302
    tree.kader.refresh_from_db()
    a = RoleAssignment.objects.get(user=tree.kader)
    assert tree.kader.first_name == "Sri Wahyuni" and a.unit == tree.anggrek and a.role == "kader"
    # Outside the desa (Kenanga of Kedungpucang) is not a choice; nor another role.
    r = desa.post(url, {"name": "Sri", "role": "kader", "unit": tree.kenanga.pk})
    assert r.status_code == 200 and "Wilayah tidak ditemukan di wilayah Anda" in r.content.decode()
    r = desa.post(url, {"name": "Sri", "role": "tp_pkk_desa", "unit": tree.kaliboto.pk})
    assert r.status_code == 200 and RoleAssignment.objects.get(user=tree.kader).role == "kader"
    r = desa.post(url, {"name": "", "role": "kader", "unit": tree.anggrek.pk})
    assert r.status_code == 200 and "Nama lengkap wajib diisi" in r.content.decode()


def test_admin_edits_role_and_unit_within_kabupaten(tree, login):
    admin = login("admin")
    url = reverse("akun:ubah", kwargs={"user_id": tree.kader_grabag.pk})
    r = admin.post(url, {"name": "Bu Dahlia", "role": "tp_pkk_desa", "unit": tree.harjobinangun.pk})
    assert r.status_code == 302
    a = RoleAssignment.objects.get(user=tree.kader_grabag)
    assert (a.role, a.unit) == ("tp_pkk_desa", tree.harjobinangun)
    r = admin.post(url, {"name": "Bu Dahlia", "role": "kader", "unit": tree.harjobinangun.pk})
    assert r.status_code == 200 and "harus pada tingkat" in r.content.decode()


def test_edit_scope(tree, login):
    url = reverse("akun:ubah", kwargs={"user_id": tree.kader.pk})
    assert login("desa_kp").get(url).status_code == 404
    assert login("desa_kp").post(url, {"name": "x"}).status_code == 404
    assert login("kader").get(url).status_code == 404
    assert login("pembina").get(url).status_code == 404
    assert login("desa").get(reverse("akun:ubah", kwargs={"user_id": tree.ketua_rt.pk})).status_code == 403
    assert login("desa").get(reverse("akun:ubah", kwargs={"user_id": tree.desa.pk})).status_code == 403  # oneself
    anon = Client().get(url)
    assert anon.status_code == 302 and anon["Location"].startswith("/masuk/")
