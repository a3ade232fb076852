"""Synthetic, deterministic dasawisma data for the demo (``seed_demo``) and the benchmark (``bench``).

``generate(desa_units=..., total_households=..., seed=..., today=...)`` builds, under each given desa, the
unit tree (:mod:`.units`), then rumah tangga, keluarga (No. KK), warga and kehamilan (:mod:`.households`,
drawing people from :mod:`.people` and the vocabularies of :mod:`.vocab`), written by :mod:`.writer`:

* households of realistic shapes; children come from age-specific fertility of the mother, so the age
  pyramid, the births of the last twelve months and the balita follow from it;
* Javanese names by sex and generation, Islam for most, statuses consistent (kepala keluarga, istri,
  anak, orang tua, mertua ...), NIK 16 digits encoding birth date and sex (day + 40 for women) with a few
  deliberate mismatches for the data-quality list, No. KK 16 digits, No. Registrasi per desa and year;
* the last twelve months before ``today``: deaths by age, moves, ongoing pregnancies (some KEK), live
  births (the baby is a warga with ``ibu`` set and a matching ended kehamilan), miscarriages, stillbirths.

The same seed and ``today`` give the same rows (one ``random.Random(seed)`` consumed in a fixed order: the
parts of :class:`Generator` share it). Rows get explicit ids (reserved above the current maximum) so that
facts can point at each other before they are written; PostgreSQL sequences are reset afterwards. Writing
is ``bulk_create`` in batches, or ``COPY ... FROM STDIN`` (psycopg 3) on PostgreSQL, which is what the
benchmark uses at 810,000 warga.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from dasawisma.models import Kehamilan, Keluarga, RumahTangga, Warga
from pkk.models import Kind, Unit

from .households import Households
from .people import People
from .units import UnitTree, distribute
from .vocab import YEAR, Weighted
from .writer import (
    KEHAMILAN_COLUMNS,
    KELUARGA_COLUMNS,
    RUMAH_TANGGA_COLUMNS,
    WARGA_COLUMNS,
    Sink,
    Table,
    next_id,
    reset_sequences,
)


@dataclass
class GenerateResult:
    counts: dict[str, int] = field(default_factory=dict)
    dasawisma_by_desa: dict[int, list[int]] = field(default_factory=dict)  # desa id -> dasawisma ids
    seconds: float = 0.0


class Generator(UnitTree, People, Households):
    """The generator's state (the one random stream, reserved ids, sequences, row tables) and the helpers its
    parts share; the parts (unit tree, people, households) are mixins in their own modules."""

    def __init__(self, *, seed: int, today: dt.date, use_copy: bool, progress: Callable[[str], None] | None):
        self.r = random.Random(seed)
        self.today = today
        self.t_ord = today.toordinal()
        self.year_ago = self.t_ord - 365
        self.sink = Sink(use_copy=use_copy)
        self.progress = progress or (lambda msg: None)
        self.now = timezone.now()
        self.counts: dict[str, int] = defaultdict(int)
        self.nik_seq: dict[str, int] = defaultdict(int)
        self.kk_seq: dict[str, int] = defaultdict(int)
        self.reg_seq: dict[str, int] = {}
        self.taken_nik: set[str] = set()
        self.taken_kk: set[str] = set()
        self.rt_t = Table(RumahTangga, RUMAH_TANGGA_COLUMNS)
        self.kk_t = Table(Keluarga, KELUARGA_COLUMNS)
        self.w_t = Table(Warga, WARGA_COLUMNS)
        self.h_t = Table(Kehamilan, KEHAMILAN_COLUMNS)
        self.ids = {m: next_id(m) for m in (Unit, RumahTangga, Keluarga, Warga, Kehamilan)}

    # ---------------------------------------------------------------- helpers

    def new_id(self, model) -> int:
        i = self.ids[model]
        self.ids[model] = i + 1
        return i

    def weighted(self, w: Weighted):
        return w.values[bisect.bisect_right(w.cum, self.r.random() * w.total)]

    def age(self, born: int, on: int | None = None) -> int:
        on = self.t_ord if on is None else on
        b, o = dt.date.fromordinal(born), dt.date.fromordinal(on)
        return o.year - b.year - ((o.month, o.day) < (b.month, b.day))

    def born_for_age(self, age_years: float) -> int:
        return self.t_ord - int(age_years * YEAR) - self.r.randrange(365)

    def flush(self) -> None:
        for t in (self.rt_t, self.kk_t, self.w_t, self.h_t):
            n = len(t.rows)
            self.counts[t.model._meta.model_name] += n
            self.sink.write(t)


def generate(
    *,
    desa_units: list[Unit],
    households_per_desa: int | dict[int, int] | None = None,
    total_households: int | None = None,
    seed: int = 2026,
    today: dt.date,
    use_copy: bool | None = None,
    progress: Callable[[str], None] | None = None,
    flush_every: int = 20_000,
    trust_foreign_keys: bool = False,
) -> GenerateResult:
    """Generate the tree below ``desa_units`` and its dasawisma data. Deterministic for (seed, today).

    Give either ``households_per_desa`` (an int, or {desa id: n}) or ``total_households`` (spread over the
    kecamatan evenly, then over their desa with kelurahan twice as big and +-40% noise).

    ``trust_foreign_keys`` (PostgreSQL, superuser; the benchmark's own database): skip the foreign-key
    triggers inside this transaction (``SET LOCAL session_replication_role = replica``). The rows are
    consistent by construction (tests check it); at 810,000 warga the deferred checks cost about a minute
    at commit.
    """
    started = time.perf_counter()
    use_copy = connection.vendor == "postgresql" if use_copy is None else use_copy
    desa_list = sorted(desa_units, key=lambda u: (u.code or "", u.pk))
    g = Generator(seed=seed, today=today, use_copy=use_copy, progress=progress)
    r = g.r
    if total_households is not None:
        by_kec: dict[int, list[int]] = defaultdict(list)
        for i, d in enumerate(desa_list):
            by_kec[d.parent_id].append(i)
        kec_ids = sorted(by_kec)
        kec_share = distribute(total_households, [r.uniform(0.85, 1.12) for _ in kec_ids])
        households = [0] * len(desa_list)
        for kec_id, share in zip(kec_ids, kec_share, strict=True):
            idx = by_kec[kec_id]
            weights = [(2.0 if desa_list[i].kind == Kind.KELURAHAN else 1.0) * r.uniform(0.6, 1.4) for i in idx]
            for i, n in zip(idx, distribute(share, weights), strict=True):
                households[i] = n
    elif isinstance(households_per_desa, dict):
        households = [households_per_desa.get(d.pk, 0) for d in desa_list]
    else:
        households = [int(households_per_desa or 0)] * len(desa_list)

    from dasawisma.registrasi import SEQUENCE_WIDTH, registrasi_prefix

    # Unique numbers already in use where we generate (re-runs next to other data).
    kec6_all = {(d.code or "")[:8].replace(".", "") for d in desa_list}
    for k6 in kec6_all:
        g.taken_nik.update(Warga.objects.filter(nik__startswith=k6).values_list("nik", flat=True))
        g.taken_kk.update(Keluarga.objects.filter(no_kk__startswith=k6).values_list("no_kk", flat=True))

    with transaction.atomic():
        if trust_foreign_keys and connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SET LOCAL session_replication_role = replica")
        plan = g.build_tree(desa_list, households)
        g.progress(f"unit: {dict(g.counts)}")
        result = GenerateResult()
        for desa, dasawisma in plan:
            digits = registrasi_prefix(desa, 2000)[:-4]
            for existing in Warga.objects.filter(no_registrasi__startswith=digits).values_list(
                "no_registrasi", flat=True
            ):
                key, tail = existing[: len(digits) + 4], existing[len(digits) + 4 :]
                if tail.isdigit():
                    g.reg_seq[key] = max(g.reg_seq.get(key, 0), int(tail))
            ctx = {
                "kec6": (desa.code or "33060000")[:8].replace(".", "").ljust(6, "0")[:6],
                "reg_digits": digits,
                "reg_width": SEQUENCE_WIDTH,
            }
            result.dasawisma_by_desa[desa.pk] = [dw for dw, _, _ in dasawisma]
            for dw_id, n_hh, alamat in dasawisma:
                for _ in range(n_hh):
                    g.household(ctx, dw_id, alamat)
            if len(g.w_t.rows) >= flush_every:
                g.flush()
                g.progress(f"warga: {g.counts['warga']:,}")
        g.flush()
        if connection.vendor == "postgresql":
            reset_sequences([Unit, RumahTangga, Keluarga, Warga, Kehamilan])
    result.counts = dict(g.counts)
    result.seconds = time.perf_counter() - started
    return result
