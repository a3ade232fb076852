"""Indexes on Warga.tanggal_lahir and Warga.tanggal_meninggal for the roll-up (helper 'perf').

The monthly Buku III rebuild reads the births and deaths of the rebuilt months
(``reporting.rollup.sql.bulanan_events_cte``): about 2% of the warga of a year. EXPLAIN (ANALYZE, BUFFERS)
on 80,000 warga: a sequential scan filtering every warga (16 ms) becomes a BitmapOr of these two indexes
(2 ms). Plain SQL (the same on PostgreSQL and SQLite) and no model state: the indexes serve raw SQL only,
``makemigrations`` does not see them.
"""

from django.db import migrations

INDEXES = {
    "dasawisma_warga_tgl_lahir_perf": "tanggal_lahir",
    "dasawisma_warga_tgl_meninggal_perf": "tanggal_meninggal",
}


class Migration(migrations.Migration):
    dependencies = [("dasawisma", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON dasawisma_warga ({column})",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, column in INDEXES.items()
    ]
