import datetime as dt

import pytest

from tests.builders import PASSWORD

from .factories import make_rt, make_warga


@pytest.fixture
def household(tree):
    """A rumah tangga in Dasawisma Mawar: Budi (kepala), Siti (istri), Ani (anak, 8)."""
    rt = make_rt(tree.mawar, tree.kader)
    budi = make_warga(
        rt,
        tree.kader,
        kepala=True,
        nama="Budi Santoso",
        jenis_kelamin="L",
        tanggal_lahir=dt.date(1985, 3, 2),
        status_dalam_keluarga="kepala_keluarga",
    )
    siti = make_warga(rt, tree.kader, nama="Siti Aminah")
    ani = make_warga(
        rt,
        tree.kader,
        nama="Ani",
        tanggal_lahir=dt.date.today().replace(year=dt.date.today().year - 8, day=1),
        status_perkawinan="belum_kawin",
        status_dalam_keluarga="anak",
        pendidikan="sd",
    )
    rt.refresh_from_db()
    return {"rt": rt, "budi": budi, "siti": siti, "ani": ani, "keluarga": rt.keluarga.get()}


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


__all__ = ["PASSWORD"]
