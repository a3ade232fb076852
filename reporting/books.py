"""The two books of the rekap, one identifier each, used everywhere in code (issue 13, "one name per concept").

- ``BUKU_II``: the annual book (Buku II, one year, reference date 31 December; lampiran 4.14-4.17).
- ``BUKU_III``: the monthly book (Buku III, one month; lampiran 4.18-4.19).

Each has exactly two spellings outside Python, both data that stays as it is: the stored value
(``"buku2"``/``"buku3"`` in ``Laporan.jenis``, ``KunciPeriode.jenis``... and every form that posts ``jenis``)
and the user-visible URL segment (``/tahunan/``, ``/bulanan/``), which is also the ``buku`` stored in an
``ExportJob``'s params. ``SEGMENT`` is the one place that maps a book to its segment (``urls.py`` and
``exports.py`` read it).
"""

from __future__ import annotations

from django.db import models


class JenisLaporan(models.TextChoices):
    BUKU_II = "buku2", "Buku II (tahunan)"
    BUKU_III = "buku3", "Buku III (bulanan)"


BUKU_II = JenisLaporan.BUKU_II
BUKU_III = JenisLaporan.BUKU_III

# The URL path segment of each book's report pages, also the "buku" of a stored export job.
SEGMENT: dict[str, str] = {BUKU_II: "tahunan", BUKU_III: "bulanan"}

__all__ = ["BUKU_II", "BUKU_III", "SEGMENT", "JenisLaporan"]
