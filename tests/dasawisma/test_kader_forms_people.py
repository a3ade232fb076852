"""Issue 10, people's work: the kader forms. Birth dates more than 120 years ago are refused; the NIK warning
shows a date; the baby form takes the mother's agama and does not ask pendidikan under five; the "Ibu" choice
tells two women of one name apart; pindah asks where to."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dasawisma import services
from dasawisma.forms import WargaForm
from dasawisma.models import Warga
from dasawisma.validators import nik_warnings

from .factories import make_rt, make_warga, nik_for
from .test_views import warga_post

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def test_birth_date_more_than_120_years_ago_is_refused(household, tree):
    too_old = TODAY.replace(year=TODAY.year - 121, day=1)
    with pytest.raises(ValidationError) as exc:
        make_warga(household["rt"], tree.kader, tanggal_lahir=too_old, nama="Salah Ketik")
    msg = exc.value.message_dict["tanggal_lahir"][0]
    assert msg == f"Tanggal lahir {too_old:%d-%m-%Y} lebih dari 120 tahun yang lalu; periksa tahunnya."
    ok = TODAY.replace(year=TODAY.year - 119, day=1)
    assert make_warga(household["rt"], tree.kader, tanggal_lahir=ok, nama="Mbah Tua").pk


def test_too_old_in_the_form_names_the_field(household, tree, client):
    client.force_login(tree.kader)
    url = reverse("dasawisma:warga_create", kwargs={"rumah_tangga_id": household["rt"].pk})
    r = client.post(url, warga_post(keluarga=household["keluarga"].pk, born=dt.date(1890, 5, 14)))
    assert r.status_code == 200 and "Tanggal lahir 14-05-1890 lebih dari 120 tahun" in r.content.decode()
    assert not Warga.objects.filter(nama="Sri Wahyuni").exists()


@pytest.mark.parametrize("entered, nik_date, shown", [
    (dt.date(1981, 5, 14), dt.date(1980, 5, 14), "14-05-1980"),
    (dt.date(2011, 1, 2), dt.date(2010, 1, 2), "02-01-2010"),  # century nearest the entered date
    (dt.date(1999, 1, 2), dt.date(2001, 1, 2), "02-01-2001"),
])  # fmt: skip
def test_nik_warning_shows_a_date(entered, nik_date, shown):
    (warning,) = nik_warnings(nik_for(nik_date, "L"), entered, "L")
    assert warning == (
        f"NIK menunjukkan tanggal lahir {shown}, berbeda dengan tanggal lahir yang diisi ({entered:%d-%m-%Y})."
    )


def test_baby_form_takes_agama_from_mother_and_skips_pendidikan(household, tree, client):
    siti = household["siti"]
    Warga.objects.filter(pk=siti.pk).update(agama="katolik")
    k = services.kehamilan_create(warga=siti, data={"tanggal_mulai": TODAY - dt.timedelta(days=280)}, actor=tree.kader)
    client.force_login(tree.kader)
    r = client.post(
        reverse("dasawisma:kehamilan_selesai", kwargs={"kehamilan_id": k.pk}),
        {"tanggal_selesai": TODAY.isoformat(), "hasil": "lahir_hidup", "version": k.version},
    )
    baby_url = r["Location"]
    html = client.get(baby_url).content.decode()
    agama = re.search(r'<input[^>]*name="agama"[^>]*value="katolik"[^>]*checked|<option value="katolik" selected', html)
    assert agama, "the mother's agama is preselected"
    assert re.search(r'<input type="hidden" name="pendidikan"', html), "pendidikan is not asked under five"
    post = warga_post(
        keluarga=household["keluarga"].pk,
        born=TODAY,
        nama="Bayi Siti",
        agama="katolik",
        status_perkawinan="belum_kawin",
        status_dalam_keluarga="anak",
        ibu=siti.pk,
        nik="",
    )
    post["pendidikan"] = ""
    r = client.post(baby_url, post)
    assert r.status_code == 302, r.content.decode()[:2000]
    baby = Warga.objects.get(nama="Bayi Siti")
    assert (baby.agama, baby.pendidikan, baby.ibu_id) == ("katolik", "tidak_sekolah", siti.pk)


def test_pendidikan_still_required_from_five(household, tree, client):
    client.force_login(tree.kader)
    url = reverse("dasawisma:warga_create", kwargs={"rumah_tangga_id": household["rt"].pk})
    post = warga_post(keluarga=household["keluarga"].pk, born=TODAY.replace(year=TODAY.year - 6))
    post["pendidikan"] = ""
    r = client.post(url, post)
    assert r.status_code == 200 and "Pendidikan wajib dipilih" in r.content.decode()


def test_ibu_choice_tells_two_women_of_one_name_apart(household, tree):
    other_rt = make_rt(tree.mawar, tree.kader, kode="RT-LAIN")
    make_warga(other_rt, tree.kader, nama="Siti Aminah", tanggal_lahir=dt.date(1970, 2, 3), kepala=True)
    form = WargaForm(rumah_tangga=household["rt"])
    labels = [label for value, label in form.fields["ibu"].choices if value]
    sitis = [label for label in labels if label.startswith("Siti Aminah")]
    assert len(sitis) == 2 and len(set(sitis)) == 2
    age = TODAY.year - 1990 - ((TODAY.month, TODAY.day) < (5, 17))
    assert f"Siti Aminah · {age} th · rumah tangga Budi Santoso" in sitis
    assert any("rumah tangga Siti Aminah (RT-LAIN)" in label for label in sitis)
    assert not any(label.startswith("Budi") for label in labels)  # women only


def test_pindah_asks_where_to(household, tree, client):
    ani = household["ani"]
    client.force_login(tree.kader)
    url = reverse("dasawisma:warga_pindah", kwargs={"warga_id": ani.pk})
    assert 'name="pindah_ke"' in client.get(url).content.decode()
    r = client.post(
        url, {"tanggal_pindah": TODAY.isoformat(), "pindah_ke": "  Kota   Semarang ", "version": ani.version}
    )
    assert r.status_code == 302
    ani.refresh_from_db()
    assert ani.tanggal_pindah == TODAY and ani.pindah_ke == "Kota Semarang"
    html = client.get(reverse("dasawisma:warga_detail", kwargs={"warga_id": ani.pk})).content.decode()
    assert f"Pindah {TODAY:%d-%m-%Y} ke Kota Semarang" in html
    # Optional: a move without a destination is recorded too.
    budi = household["budi"]
    services.warga_move(warga=budi, tanggal=TODAY, version=budi.version, actor=tree.kader)
    budi.refresh_from_db()
    assert budi.tanggal_pindah == TODAY and budi.pindah_ke == ""
