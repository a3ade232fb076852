"""Writes of dasawisma data, one module per record around one shared write flow:

- ``common``: the flow every write shares (versioned save, ``Riwayat`` audit row, ``ConflictError``);
- ``rumah_tangga``: a household, its kepala;
- ``warga``: a person and the keluarga (No. KK) they belong to, a death, a move away;
- ``kehamilan``: a pregnancy and its end (a live birth is then added as a warga);
- ``pindah``: moving a rumah tangga to another dasawisma, a dasawisma to another RT, within one desa.

``from dasawisma import services; services.warga_create(...)`` is the way in: the public names of every
module are here.
"""

from .common import CONFLICT_MESSAGE, ConflictError
from .kehamilan import KEHAMILAN_FIELDS, OPEN_PREGNANCY_MESSAGE, kehamilan_create, kehamilan_end, kehamilan_update
from .pindah import dasawisma_move, place_label, rumah_tangga_move
from .rumah_tangga import RUMAH_TANGGA_FIELDS, SUMBER_AIR_FIELDS, kepala_set, rumah_tangga_create, rumah_tangga_update
from .warga import (
    KK_TAKEN_MESSAGE,
    WARGA_DATE_FIELDS,
    WARGA_FIELDS,
    KeluargaTaken,
    keluarga_create,
    warga_create,
    warga_die,
    warga_move,
    warga_update,
)

__all__ = [
    "CONFLICT_MESSAGE",
    "KEHAMILAN_FIELDS",
    "KK_TAKEN_MESSAGE",
    "OPEN_PREGNANCY_MESSAGE",
    "RUMAH_TANGGA_FIELDS",
    "SUMBER_AIR_FIELDS",
    "WARGA_DATE_FIELDS",
    "WARGA_FIELDS",
    "ConflictError",
    "KeluargaTaken",
    "dasawisma_move",
    "kehamilan_create",
    "kehamilan_end",
    "kehamilan_update",
    "keluarga_create",
    "kepala_set",
    "place_label",
    "rumah_tangga_create",
    "rumah_tangga_move",
    "rumah_tangga_update",
    "warga_create",
    "warga_die",
    "warga_move",
    "warga_update",
]
