import datetime as dt

import pytest

from kegiatan import services
from tests.photos_util import jpeg_upload


def make_kegiatan(
    unit, *, actor=None, tanggal=dt.date(2025, 3, 4), pokja="IV", program_pokok=7, judul="Posyandu", photos=(), **extra
):
    data = {
        "tanggal": tanggal,
        "tempat": "Balai Desa",
        "pokja": pokja,
        "program_pokok": program_pokok,
        "judul": judul,
        "uraian": "Penimbangan balita dan penyuluhan gizi.",
        "jumlah_peserta": 30,
        **extra,
    }
    return services.kegiatan_create(
        unit=unit, data=data, photos=list(photos), actor=actor, nama=None if actor else "Uji"
    )


@pytest.fixture
def posyandu(tree):
    """A kegiatan of Desa Kaliboto reported by its TP PKK (persona ``desa``) with one photo."""
    from pkk.photos import prepare_photo

    return make_kegiatan(tree.kaliboto, actor=tree.desa, photos=[prepare_photo(jpeg_upload("posyandu.jpg"))])
