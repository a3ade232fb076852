"""Issue 12: NIK and No. KK are 16 ASCII digits after NFKC, wherever they enter (form, service, workbook).
Before, ``^\\d{16}$`` accepted any Unicode digit, and the same NIK in other digits was saved beside the
original."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dasawisma import services
from dasawisma.models import Keluarga, Warga
from dasawisma.validators import validate_nik, validate_no_kk
from dasawisma.workbook import columns as c
from dasawisma.workbook.importer import workbook_import
from tests.dasawisma.factories import make_rt, make_warga
from tests.dasawisma.test_views import warga_post
from tests.workbook.conftest import counts, valid_rows

NIK = "3306104201900002"
FULLWIDTH = NIK.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
LAST_FULLWIDTH = NIK[:-1] + "２"
ARABIC_INDIC = NIK.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
EXTENDED_ARABIC = NIK.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
DEVANAGARI_LAST = NIK[:-1] + "२"


@pytest.mark.parametrize("value", [FULLWIDTH, LAST_FULLWIDTH, "３３０６ １０４２ ０１９０ ０００２"])
def test_fullwidth_digits_become_the_same_ascii_number(value):
    assert validate_nik(value) == NIK
    assert validate_no_kk(value) == NIK


@pytest.mark.parametrize("value", [ARABIC_INDIC, EXTENDED_ARABIC, DEVANAGARI_LAST, NIK[:-1] + "\u0662"])
def test_other_unicode_digits_are_refused_with_a_message(value):
    assert value.isdigit()  # digits to Python: the old ``\\d`` check took them
    with pytest.raises(ValidationError) as e:
        validate_nik(value)
    assert e.value.messages == ["NIK harus 16 angka 0-9 saja (ada huruf, tanda atau angka lain)."]
    with pytest.raises(ValidationError) as e:
        validate_no_kk(value)
    assert e.value.messages == ["No. KK harus 16 angka 0-9 saja (ada huruf, tanda atau angka lain)."]


def test_service_stores_ascii_and_finds_the_duplicate(tree):
    rt = make_rt(tree.mawar, tree.kader)
    make_warga(rt, tree.kader, nik=NIK, jenis_kelamin="P")
    with pytest.raises(ValidationError) as e:
        make_warga(rt, tree.kader, nik=LAST_FULLWIDTH, jenis_kelamin="P")
    assert "nik" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        make_warga(rt, tree.kader, nik=ARABIC_INDIC, jenis_kelamin="P")
    assert e.value.message_dict["nik"] == ["NIK harus 16 angka 0-9 saja (ada huruf, tanda atau angka lain)."]
    assert Warga.objects.filter(nik__isnull=False).count() == 1


@pytest.mark.parametrize(
    "nik, expected",
    [
        (FULLWIDTH, "NIK sudah terdaftar untuk warga lain"),
        (LAST_FULLWIDTH, "NIK sudah terdaftar untuk warga lain"),
        (ARABIC_INDIC, "NIK harus 16 angka 0-9 saja"),
    ],
)
def test_form_refuses_the_same_nik_in_other_digits(tree, client, nik, expected):
    rt = make_rt(tree.mawar, tree.kader)
    w = make_warga(rt, tree.kader, nik=NIK, jenis_kelamin="P")
    client.force_login(tree.kader)
    url = reverse("dasawisma:warga_create", kwargs={"rumah_tangga_id": rt.pk})
    r = client.post(url, warga_post(keluarga=w.keluarga_id, nik=nik))
    assert r.status_code == 200
    html = r.content.decode()
    assert expected in html
    assert Warga.objects.count() == 1


def test_form_no_kk_baru_in_arabic_indic_digits_is_refused(tree, client):
    rt = make_rt(tree.mawar, tree.kader)
    client.force_login(tree.kader)
    url = reverse("dasawisma:warga_create", kwargs={"rumah_tangga_id": rt.pk})
    r = client.post(url, warga_post(no_kk_baru=ARABIC_INDIC, nik=""))
    assert "No. KK harus 16 angka 0-9 saja" in r.content.decode()
    assert not Keluarga.objects.exists() and not Warga.objects.exists()


def test_keluarga_service_normalizes_fullwidth_no_kk(tree):
    rt = make_rt(tree.mawar, tree.kader)
    k = services.keluarga_create(rumah_tangga=rt, no_kk=FULLWIDTH, actor=tree.kader)
    assert k.no_kk == NIK
    with pytest.raises(ValidationError):
        services.keluarga_create(rumah_tangga=rt, no_kk=NIK, actor=tree.kader)


def test_workbook_refuses_arabic_indic_nik_and_writes_nothing(tree, book):
    rows = valid_rows()
    rows[c.SHEET_WARGA][0]["nik"] = ARABIC_INDIC
    rows[c.SHEET_WARGA][1]["no_kk"] = EXTENDED_ARABIC
    before = counts()
    result = workbook_import(source=book(rows), actor=tree.desa, filename="data.xlsx")
    assert not result.ok
    msgs = {(i.sheet, i.row, i.column): i.reason for i in result.issues}
    assert "harus 16 angka 0-9 saja" in msgs[(c.SHEET_WARGA, 2, "nik")]
    assert "harus 16 angka 0-9 saja" in msgs[(c.SHEET_WARGA, 3, "no_kk")]
    assert counts() == before


def test_workbook_reads_fullwidth_nik_as_the_ascii_one(tree, book):
    rows = valid_rows()
    rows[c.SHEET_WARGA][0]["nik"] = "３３０６１０１７０５８００００１"
    result = workbook_import(source=book(rows), actor=tree.desa, filename="data.xlsx")
    assert result.ok, result.issues
    assert Warga.objects.filter(nik="3306101705800001").count() == 1
