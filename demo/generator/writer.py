"""The bulk writer: rows as tuples in a fixed column order, written with ``bulk_create`` in batches or
``COPY ... FROM STDIN`` (psycopg 3) on PostgreSQL. Columns a later migration adds are filled with the field's
default, so the generator grows with the models.

The column lists below name what the generator provides, in the order of its row tuples. ``WARGA_COLUMNS``
overlaps ``dasawisma.services.WARGA_FIELDS`` (the form's fields); they are kept apart on purpose: this one is
a tuple layout of the demo's rows (ids, timestamps and foreign keys included), that one the fields a form
edits, and the product must not import the demo.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

RUMAH_TANGGA_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "dasawisma_id",
    "kode",
    "alamat",
    "kepala_id",
    "kriteria_rumah",
    "tempat_sampah",
    "spal",
    "mck_septic_tank",
    "jumlah_jamban",
    "stiker_p4k",
    "sumber_air_pdam",
    "sumber_air_sumur",
    "sumber_air_sungai",
    "sumber_air_lainnya",
    "makanan_pokok",
    "up2k",
    "pemanfaatan_pekarangan",
    "industri_rumah_tangga",
    "kesehatan_lingkungan",
    "version",
]
KELUARGA_COLUMNS = ["id", "created_at", "updated_at", "rumah_tangga_id", "no_kk"]
WARGA_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "dasawisma_id",
    "rumah_tangga_id",
    "keluarga_id",
    "no_kk",
    "kode",
    "no_registrasi",
    "nik",
    "nama",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "status_perkawinan",
    "status_dalam_keluarga",
    "agama",
    "pendidikan",
    "pekerjaan",
    "akseptor_kb",
    "jenis_kb",
    "aktif_posyandu",
    "ikut_bkb",
    "memiliki_tabungan",
    "kelompok_belajar",
    "ikut_paud",
    "ikut_koperasi",
    "berkebutuhan_khusus",
    "tiga_buta",
    "menyusui",
    "akta_kelahiran",
    "ibu_id",
    "tanggal_meninggal",
    "sebab_meninggal",
    "tanggal_pindah",
    "version",
]
KEHAMILAN_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "warga_id",
    "dasawisma_id",
    "tanggal_mulai",
    "hpl",
    "kek",
    "tanggal_selesai",
    "hasil",
    "version",
]


class Table:
    """Column layout of one model: the attnames the generator provides, then defaults for the rest."""

    def __init__(self, model: type[models.Model], provided: list[str]):
        self.model = model
        self.provided = provided
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        missing = [f for f in model._meta.concrete_fields if f.attname not in provided]
        self.extra_attnames = [f.attname for f in missing]
        self.extra_values = tuple(f.get_default() for f in missing)
        self.columns = [by_attname[a].column for a in provided] + [f.column for f in missing]
        self.attnames = provided + self.extra_attnames
        self.rows: list[tuple] = []


class Sink:
    def __init__(self, *, use_copy: bool, batch_size: int = 5000):
        self.use_copy = use_copy
        self.batch_size = batch_size

    def write(self, table: Table) -> None:
        rows, table.rows = table.rows, []
        if not rows:
            return
        extra = table.extra_values
        if self.use_copy:
            cols = ", ".join(connection.ops.quote_name(c) for c in table.columns)
            sql = f"COPY {connection.ops.quote_name(table.model._meta.db_table)} ({cols}) FROM STDIN"
            with connection.cursor() as cur:
                with cur.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row + extra)
        else:
            model, names = table.model, table.attnames
            objs = [model(**dict(zip(names, row + extra, strict=True))) for row in rows]
            model.objects.bulk_create(objs, batch_size=self.batch_size)


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    sql = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if sql:
        with connection.cursor() as cur:
            for stmt in sql:
                cur.execute(stmt)
