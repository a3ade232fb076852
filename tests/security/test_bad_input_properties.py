"""Issue 12: property-based bad input (hypothesis) over every form the product posts. Starting from a valid
body (tests/security/test_write_sweep.py ``cases``), some fields get malformed values: impossible dates,
negative and huge numbers, 10,000-character strings, control characters, ids of another desa's objects.
Never a 500; a refused post shows Indonesian messages (no Django English default) and changes nothing
(a digest of every row of our apps, before and after)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dasawisma.models import Keluarga, RumahTangga, Warga
from tests.security.test_write_sweep import WRITERS, cases, fingerprint

pytestmark = pytest.mark.django_db

FORMS = [
    "dasawisma:rumah_tangga_create", "dasawisma:rumah_tangga_update", "dasawisma:keluarga_create",
    "dasawisma:kepala_set", "dasawisma:warga_create", "dasawisma:warga_update", "dasawisma:warga_meninggal",
    "dasawisma:warga_pindah", "dasawisma:kehamilan_create", "dasawisma:kehamilan_update",
    "dasawisma:kehamilan_selesai", "akun:baru", "wilayah:unit_tambah", "wilayah:unit_ubah_nama",
    "wilayah:unit_pindah", "wilayah:pengurus", "reporting:laporan_ajukan", "reporting:laporan_kembalikan",
    "reporting:kunci_tutup", "reporting:kunci_buka", "password_change",
]  # fmt: skip
PREFERENCE = ("kader", "desa", "ketua_rt", "pembina", "admin")
ENGLISH = ("This field is required", "Enter a valid", "Select a valid choice", "Ensure this value",
           "Null characters are not allowed", "is not a valid", "Enter a whole number")  # fmt: skip

BAD_TEXT = st.one_of(
    st.sampled_from(
        [
            "2025-02-30",
            "2025-13-01",
            "0000-00-00",
            "9999-99-99",
            "31-12-2025",
            "-1",
            "-999999",
            "99999999999999999999",
            "1e309",
            "NaN",
            "0x10",
            "３３０６",
            "٣٣٠٦",
            "",
            " ",
            "\u202e",
            "\x01\x02\x1b[0m",
            "\ufeff",
            "=1+1",
            "<script>alert(1)</script>",
            "null",
            "None",
            "a\x00b",
            "[]",
        ]
    ),  # fmt: skip
    st.sampled_from(["a" * 10_000, ("Sri " * 2_500), "9" * 10_000]),  # 10,000 characters
    st.text(alphabet=st.characters(min_codepoint=1, max_codepoint=0x1F), min_size=1, max_size=20),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def persona_for(name: str) -> str:
    return next(p for p in PREFERENCE if p in WRITERS[name])


@pytest.fixture
def other_ids(tree):
    """Ids of objects in Desa Kedungpucang, posted as select values on Kaliboto's forms."""
    rt = RumahTangga.objects.create(dasawisma=tree.kenanga, kode="RT-KENANGA-9", alamat="Jl. Kenanga")
    keluarga = Keluarga.objects.create(rumah_tangga=rt, no_kk="3306101203047777")
    w = Warga.objects.create(
        dasawisma=tree.kenanga, rumah_tangga=rt, keluarga=keluarga, no_kk=keluarga.no_kk,
        no_registrasi="3306162004202500009", nama="Warga Kenanga", jenis_kelamin="P", tanggal_lahir=dt.date(1990, 1, 1),
        status_perkawinan="kawin", status_dalam_keluarga="istri", agama="islam", pendidikan="sma",
    )  # fmt: skip
    return [str(x) for x in (rt.pk, keluarga.pk, w.pk, tree.kenanga.pk, tree.kp_rt1.pk, tree.kedungpucang.pk)]


@pytest.mark.parametrize("name", FORMS)
def test_malformed_posts_never_500_and_change_nothing_when_refused(name, tree, world, book, other_ids):
    kwargs, body = cases(tree, world, book())[name]
    url = reverse(name, kwargs=kwargs)
    client = Client()
    client.force_login(getattr(tree, persona_for(name)))
    fields = sorted(body)
    value = st.one_of(BAD_TEXT, st.sampled_from(other_ids))

    @settings(max_examples=15, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])  # fmt: skip
    @given(st.dictionaries(st.sampled_from(fields), value, min_size=1))
    def run(bad: dict[str, str]) -> None:
        data = {**body, **bad}
        with transaction.atomic():
            before = fingerprint()
            if name == "password_change":
                client.force_login(tree.users[persona_for(name)])
            resp = client.post(url, data)
            after = fingerprint()
            transaction.set_rollback(True)
        shown = {k: (v[:40] + "…" if len(v) > 40 else v) for k, v in bad.items()}
        assert resp.status_code < 500, (name, shown, resp.status_code)
        if resp.status_code in (302, 204):
            return  # accepted: the malformed values were still valid input for those fields
        html = resp.content.decode(errors="replace")
        english = [e for e in ENGLISH if e in html]
        assert not english, (name, shown, english)
        assert after == before, (name, shown, "a refused post changed data")

    run()
