"""A warga's rumah tangga, No. KK and dasawisma are those of its keluarga and rumah tangga (PostgreSQL).

The Buku II roll-up counts JML KK as the distinct keluarga of the active warga of a dasawisma
(``reporting.rollup.sql.tahunan_dasawisma_select``) and attributes households to the warga's dasawisma. That
equals DOMAIN.md's "distinct No. KK among the household's active warga" only when every warga carries its
keluarga's rumah tangga and No. KK, and its rumah tangga's dasawisma. The services and the workbook import
always write them so; these composite foreign keys make the database refuse anything else, and
``ON UPDATE CASCADE`` carries a corrected No. KK or a household moved to another dasawisma into its warga.

PostgreSQL only (SQLite cannot add a constraint to an existing table); no model state.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE dasawisma_keluarga ADD CONSTRAINT keluarga_id_rt_kk UNIQUE (id, rumah_tangga_id, no_kk)",
    "ALTER TABLE dasawisma_rumahtangga ADD CONSTRAINT rumahtangga_id_dasawisma UNIQUE (id, dasawisma_id)",
    "ALTER TABLE dasawisma_warga ADD CONSTRAINT warga_keluarga_consistent"
    " FOREIGN KEY (keluarga_id, rumah_tangga_id, no_kk)"
    " REFERENCES dasawisma_keluarga (id, rumah_tangga_id, no_kk) ON UPDATE CASCADE",
    "ALTER TABLE dasawisma_warga ADD CONSTRAINT warga_rumah_tangga_consistent"
    " FOREIGN KEY (rumah_tangga_id, dasawisma_id)"
    " REFERENCES dasawisma_rumahtangga (id, dasawisma_id) ON UPDATE CASCADE",
]
BACKWARD = [
    "ALTER TABLE dasawisma_warga DROP CONSTRAINT IF EXISTS warga_rumah_tangga_consistent",
    "ALTER TABLE dasawisma_warga DROP CONSTRAINT IF EXISTS warga_keluarga_consistent",
    "ALTER TABLE dasawisma_rumahtangga DROP CONSTRAINT IF EXISTS rumahtangga_id_dasawisma",
    "ALTER TABLE dasawisma_keluarga DROP CONSTRAINT IF EXISTS keluarga_id_rt_kk",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("dasawisma", "0002_perf_warga_event_dates")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
