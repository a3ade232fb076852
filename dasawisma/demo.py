"""Synthetic, deterministic dasawisma data for the demo (``seed_demo``) and the benchmark (``bench``).

``generate(desa_units=..., total_households=..., seed=..., today=...)`` builds, under each given desa,
dusun (most desa; kelurahan and some desa have none), RW, RT and dasawisma (10-20 rumah tangga each), then
rumah tangga, keluarga (No. KK), warga and kehamilan:

* households of realistic shapes (couples with children, three generations, widows, single parents,
  elderly couples, young singles, a second KK in some houses); children come from age-specific fertility
  of the mother, so the age pyramid, the births of the last twelve months and the balita follow from it;
* Javanese names by sex and generation, Islam for most, statuses consistent (kepala keluarga, istri,
  anak, orang tua, mertua ...), NIK 16 digits encoding birth date and sex (day + 40 for women) with a few
  deliberate mismatches for the data-quality list, No. KK 16 digits, No. Registrasi per desa and year;
* the last twelve months before ``today``: deaths by age, moves, ongoing pregnancies (some KEK), live
  births (the baby is a warga with ``ibu`` set and a matching ended kehamilan), miscarriages, stillbirths.

The same seed and ``today`` give the same rows (one ``random.Random(seed)`` consumed in a fixed order).
Rows get explicit ids (reserved above the current maximum) so that facts can point at each other before
they are written; PostgreSQL sequences are reset afterwards. Writing is ``bulk_create`` in batches, or
``COPY ... FROM STDIN`` (psycopg 3) on PostgreSQL, which is what the benchmark uses at 810,000 warga.
Columns a later migration adds are filled with the field's default, so the generator grows with the models.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from pkk.models import Kind, Level, Unit
from pkk.services import fill_missing_paths, kind_from_code, unit_create

from .models import Kehamilan, Keluarga, RumahTangga, Warga

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo_wilayah.json"

# --------------------------------------------------------------------------------------------------
# Names and vocabularies
# --------------------------------------------------------------------------------------------------

# Older generation (born before ~1975): mostly one-word Javanese names.
OLD_MALE = (
    "Sukiman Paijo Sutarno Suparman Slamet Wagiman Sarno Karto Suwarno Parmin Tukiran Sumarno Supardi "
    "Mulyono Sugiyono Kasiman Poniman Wiryo Harjo Sastro Marto Suradi Sukardi Sunarto Wardoyo Ngadiman "
    "Sadimin Legiman Jumadi Samijo Tumino Prapto Mujiono Suroso Rahmat Darmo Kusno Wakijo Sutrisno "
    "Mardi Sudarmo Sumardi Suyatno Paimin Pairan Daliman Sadiyo Kliwon Ponijan Ngatijo Partono Sarjono "
    "Sukijan Tarno Wiyono Dalimin Sumadi Juwadi Warsito Kamto Tukimin Sutopo"
).split()
OLD_FEMALE = (
    "Sukinem Tukiyem Paiyem Painem Sumiyati Suparmi Sri Wagiyem Ngatinem Tumini Sumarni Poniyem Suwarni "
    "Jumiyem Sarinah Partini Kasinem Tuminah Sulastri Suyatmi Marsini Sukarti Parinem Wartini Ngadinah "
    "Sainem Legiyem Kamisah Rubiyah Sutini Satinah Sumirah Wakinem Katinem Mujiyem Rukiyah Wasiyah "
    "Darsini Tarmi Supiyah Siti Muryani Suginem Ponirah Sadiyem Karsih Wiji Mursinah Juminten Sriyatun "
    "Warsinah Jamilah Tukinah Samini Ngadiyem Sukirah Paijem Sumini Kemi Tarsih"
).split()
# Born ~1975-1995.
MID_MALE = (
    "Agus Budi Joko Bambang Eko Heru Hadi Dwi Teguh Wahyu Yudi Bayu Anton Slamet Tri Rudi Sigit Arif "
    "Hendro Puji Nanang Yanto Catur Dedi Edi Hari Purwanto Susanto Prasetyo Widodo Nugroho Setiawan "
    "Kurniawan Haryanto Wibowo Gunawan Riyanto Sugeng Sapto Yoga Ari Andi Doni Feri Gatot Imam Joni "
    "Kris Lilik Marno Narto Rohmat Rokhim Sodik Taufik Untung Wawan Yusuf Zainal Ahmad Mohamad"
).split()
MID_FEMALE = (
    "Sri Dwi Tri Endang Rini Wahyuni Sulistyowati Purwanti Yuliani Siti Nur Ani Eni Lestari Handayani "
    "Sumarsih Kartini Tutik Yati Retno Dewi Wulan Suryani Ningsih Rahayu Astuti Setyowati Rusmini "
    "Maryati Suprapti Winarti Mulyani Indah Ika Umi Fitri Lilis Murni Ratna Sari Yuli Evi Heni Atik "
    "Anik Titik Ernawati Kustini Nurul Istiqomah Khotimah Musrifah Rohmah Sholikhah Wiwik Yayuk Erni"
).split()
# Born after ~1995.
NEW_MALE = (
    "Muhammad Rizky Fajar Dimas Aditya Bagus Ilham Rafi Galih Reza Yoga Danu Arya Bima Satria Dafa Fikri "
    "Rendi Aldi Farhan Naufal Haikal Akbar Alif Zaki Rafa Arkan Azka Fatih Kenzo Raka Daffa Gilang Hafiz "
    "Irfan Kevin Lutfi Nanda Rehan Restu Rangga Rizal Surya Tegar Wisnu Yusuf Zidan Abimanyu Bintang "
    "Danendra Evan Hanif Ibnu Juna Keenan Malik Nizam Pandu Raditya Shaka"
).split()
NEW_FEMALE = (
    "Aisyah Putri Nadia Salsabila Anisa Zahra Nabila Aulia Dinda Intan Rahma Alya Citra Dewi Fitria "
    "Hana Kirana Laila Nayla Rania Syifa Tiara Vina Wulan Yasmin Zaskia Amelia Azzahra Bunga Cahya "
    "Delima Elsa Fani Ghina Hasna Ilma Jihan Khansa Latifa Maharani Nurul Oktavia Permata Qonita "
    "Rizka Sekar Tsabita Ulya Vania Widya Yumna Zalfa Adinda Almira Anindya Aqila Arumi Kayla"
).split()
SECOND_MALE = (
    "Santoso Prasetyo Wibowo Saputra Nugroho Setiawan Kurniawan Pratama Hidayat Wijaya Purnomo Susilo "
    "Permana Ramadhan Firmansyah Maulana Hakim Syahputra Adi Putra Hermawan Sulistyo Utomo Wicaksono "
    "Wardana Aditama Nurrohman Riyadi Saifudin Mustofa"
).split()
SECOND_FEMALE = (
    "Wahyuni Lestari Rahayu Handayani Susanti Wulandari Safitri Puspitasari Rahmawati Anggraini "
    "Kurniasih Pertiwi Ningrum Utami Maharani Ramadhani Nurhayati Setyaningsih Purwaningsih Astuti "
    "Fitriani Indriani Oktaviani Permatasari Kusumawati Nurjanah Solikhah Damayanti Hapsari Azizah"
).split()

DUSUN_NAMES = (
    "Krajan Kauman Ngasem Karanganyar Sidomulyo Kedungrejo Sumberan Ngemplak Kalisat Pucung Gunungsari "
    "Sendang Tegalsari Jetis Ngrandu Wonosari Kebonagung Klepu Dukuh Banaran Kedondong Gedangan Sawahan "
    "Kalipucang Ngaglik Bulu Watugajah Kaliwatu Sabrang Ngrapah Plumbon Sidoharjo Kepuh Ngampel Glagah"
).split()
DASAWISMA_NAMES = [
    "Mawar",
    "Melati",
    "Anggrek",
    "Kenanga",
    "Dahlia",
    "Flamboyan",
    "Cempaka",
    "Teratai",
    "Tulip",
    "Seruni",
    "Kamboja",
    "Bougenville",
    "Lily",
    "Sakura",
    "Asoka",
    "Kantil",
    "Soka",
    "Aster",
    "Lavender",
    "Edelweis",
    "Gardenia",
    "Alamanda",
    "Nusa Indah",
    "Krisan",
    "Sedap Malam",
]
TEMPAT_LAHIR = ["Magelang", "Kebumen", "Wonosobo", "Yogyakarta", "Kulon Progo", "Semarang", "Jakarta", "Banyumas"]
PEKERJAAN_L = [
    ("Petani", 30),
    ("Buruh tani", 14),
    ("Wiraswasta", 12),
    ("Buruh harian lepas", 12),
    ("Karyawan swasta", 10),
    ("Pedagang", 7),
    ("Tukang kayu", 3),
    ("Sopir", 3),
    ("PNS", 3),
    ("Guru", 2),
    ("Perangkat desa", 1),
]
PEKERJAAN_P = [
    ("Mengurus rumah tangga", 40),
    ("Petani", 15),
    ("Pedagang", 12),
    ("Buruh tani", 8),
    ("Wiraswasta", 8),
    ("Karyawan swasta", 8),
    ("Buruh harian lepas", 4),
    ("Guru", 3),
    ("PNS", 2),
]
JENIS_KB = [("Suntik", 45), ("Pil", 15), ("Implan", 12), ("IUD", 12), ("MOW", 6), ("Kondom", 4), ("MOP", 1)]
SEBAB_MENINGGAL = ["Sakit", "Usia lanjut", "Sakit jantung", "Stroke", "Kecelakaan", "Demam berdarah"]

# Age-specific fertility (births per woman per year) by 5-year group from 15 (Central Java, TFR ~2.2).
ASFR = {15: 0.032, 20: 0.105, 25: 0.128, 30: 0.108, 35: 0.064, 40: 0.022, 45: 0.004}
# Annual probability of dying by age group (rough life table).
MORTALITY = [
    (1, 0.015),
    (5, 0.001),
    (15, 0.0004),
    (40, 0.001),
    (50, 0.003),
    (60, 0.007),
    (70, 0.018),
    (80, 0.045),
    (90, 0.10),
    (200, 0.18),
]

YEAR = 365.2425

DEMO_PASSWORD = "pkk-demo-2026"


class Weighted:
    """A constant discrete distribution, drawn by bisecting cumulative weights."""

    def __init__(self, pairs):
        self.values = [v for v, _ in pairs]
        self.cum = list(itertools.accumulate(w for _, w in pairs))
        self.total = self.cum[-1]


W_RT_SIZE = Weighted([(1, 2), (2, 4), (3, 3), (4, 1)])  # dasawisma per RT
W_HEAD_AGE = Weighted([((25, 34), 22), ((35, 44), 28), ((45, 54), 27), ((55, 64), 17), ((65, 75), 6)])
W_PENDIDIKAN_OLD = Weighted(
    [("tidak_sekolah", 15), ("tidak_tamat_sd", 25), ("sd", 40), ("smp", 10), ("sma", 8), ("s1", 2)]
)
W_PENDIDIKAN_MID = Weighted([("tidak_tamat_sd", 8), ("sd", 35), ("smp", 25), ("sma", 24), ("diploma", 3), ("s1", 5)])
W_PENDIDIKAN_NEW = Weighted([("sd", 8), ("smp", 22), ("sma", 48), ("diploma", 7), ("s1", 15)])
W_PEKERJAAN_L = Weighted(PEKERJAAN_L)
W_PEKERJAAN_P = Weighted(PEKERJAAN_P)
W_HOUSEHOLD = Weighted(
    [("nuclear", 58), ("extended", 12), ("widow", 12), ("single_parent", 5), ("elderly", 8), ("single", 3)]
)
W_AGAMA = Weighted([("islam", 965), ("kristen", 15), ("katolik", 15), ("buddha", 2), ("hindu", 1), ("kepercayaan", 2)])
W_JENIS_KB = Weighted(JENIS_KB)
ASFR_BY_AGE = [0.0] * 16 + [ASFR[(k // 5) * 5] for k in range(16, 50)] + [0.0] * 200


def asfr(age: int) -> float:
    if age < 15 or age >= 50:
        return 0.0
    return ASFR[(age // 5) * 5]


def mortality(age: int) -> float:
    for limit, q in MORTALITY:
        if age < limit:
            return q
    return MORTALITY[-1][1]


# --------------------------------------------------------------------------------------------------
# Fixture of real units
# --------------------------------------------------------------------------------------------------


def load_fixture(path: Path = FIXTURE) -> dict[str, Unit]:
    """Get-or-create the hand-written units by code (idempotent); returns {code: Unit}."""
    rows = json.loads(Path(path).read_text(encoding="utf-8"))["units"]
    out: dict[str, Unit] = {}
    existing = {u.code: u for u in Unit.objects.filter(code__in=[r["code"] for r in rows])}
    for row in rows:
        code = row["code"]
        unit = existing.get(code)
        if unit is None:
            parent_code = code.rsplit(".", 1)[0] if "." in code else None
            parent = out.get(parent_code) if parent_code else None
            if parent is None and parent_code:
                parent = Unit.objects.get(code=parent_code)
            unit = unit_create(
                level=row["level"],
                name=row["name"],
                parent=parent,
                code=code,
                kind=kind_from_code(code, row["level"]),
            )
        out[code] = unit
    return out


def load_wilayah_csv(path: Path, root: str = "33.06") -> dict[str, Unit]:
    """Fallback loader of an official ``code,name,level`` CSV for one kabupaten (bulk, per level)."""
    import csv

    from pkk.wilayah_import import open_csv

    with open_csv(path) as fh:
        rows = [
            r
            for r in csv.DictReader(fh)
            if r["code"] == root.split(".")[0] or r["code"] == root or r["code"].startswith(root + ".")
        ]
    by_code = {u.code: u for u in Unit.objects.filter(code__in=[r["code"] for r in rows])}
    now = timezone.now()
    for level in (Level.PROVINSI, Level.KABUPATEN, Level.KECAMATAN, Level.DESA):
        new = []
        for r in rows:
            if r["level"] != level or r["code"] in by_code:
                continue
            parent = by_code.get(r["code"].rsplit(".", 1)[0]) if "." in r["code"] else None
            new.append(
                Unit(
                    level=level,
                    name=r["name"],
                    code=r["code"],
                    kind=kind_from_code(r["code"], level),
                    parent=parent,
                    created_at=now,
                    updated_at=now,
                )
            )
        Unit.objects.bulk_create(new, batch_size=1000)
        by_code.update({u.code: u for u in Unit.objects.filter(code__in=[u.code for u in new])})
    fill_missing_paths()
    return {u.code: u for u in Unit.objects.filter(code__in=list(by_code))}


# --------------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------------


class _Table:
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


class _Sink:
    def __init__(self, *, use_copy: bool, batch_size: int = 5000):
        self.use_copy = use_copy
        self.batch_size = batch_size

    def write(self, table: _Table) -> None:
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


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    sql = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if sql:
        with connection.cursor() as cur:
            for stmt in sql:
                cur.execute(stmt)


# --------------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------------


@dataclass
class GenerateResult:
    counts: dict[str, int] = field(default_factory=dict)
    dasawisma_by_desa: dict[int, list[int]] = field(default_factory=dict)  # desa id -> dasawisma ids
    seconds: float = 0.0


def distribute(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to ``weights`` summing to ``total`` (largest remainder)."""
    s = sum(weights) or 1.0
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    rest = total - sum(out)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)
    for i in order[:rest]:
        out[i] += 1
    return out


def split_sizes(r: random.Random, n: int, lo: int, hi: int) -> list[int]:
    """Sizes in [lo, hi] summing to n (a single smaller group when n < lo)."""
    if n <= hi:
        return [n] if n > 0 else []
    sizes = []
    left = n
    while left > hi:
        s = r.randint(lo, hi)
        if left - s < lo:
            s = left - lo
        sizes.append(s)
        left -= s
    sizes.append(left)
    return sizes


class _Generator:
    def __init__(self, *, seed: int, today: dt.date, use_copy: bool, progress: Callable[[str], None] | None):
        self.r = random.Random(seed)
        self.today = today
        self.t_ord = today.toordinal()
        self.year_ago = self.t_ord - 365
        self.sink = _Sink(use_copy=use_copy)
        self.progress = progress or (lambda msg: None)
        self.now = timezone.now()
        self.counts: dict[str, int] = defaultdict(int)
        self.nik_seq: dict[str, int] = defaultdict(int)
        self.kk_seq: dict[str, int] = defaultdict(int)
        self.reg_seq: dict[str, int] = {}
        self.taken_nik: set[str] = set()
        self.taken_kk: set[str] = set()
        self.rt_t = _Table(
            RumahTangga,
            [
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
            ],
        )
        self.kk_t = _Table(Keluarga, ["id", "created_at", "updated_at", "rumah_tangga_id", "no_kk"])
        self.w_t = _Table(
            Warga,
            [
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
            ],
        )
        self.h_t = _Table(
            Kehamilan,
            [
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
            ],
        )
        self.ids = {m: _next_id(m) for m in (Unit, RumahTangga, Keluarga, Warga, Kehamilan)}

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

    def name(self, sex: str, born: int) -> str:
        r = self.r
        year = dt.date.fromordinal(born).year
        if year < 1975:
            first = r.choice(OLD_MALE if sex == "L" else OLD_FEMALE)
            return first if r.random() < 0.75 else f"{first} {r.choice(OLD_MALE if sex == 'L' else OLD_FEMALE)}"
        if year < 1996:
            first = r.choice(MID_MALE if sex == "L" else MID_FEMALE)
            second = r.choice(SECOND_MALE if sex == "L" else SECOND_FEMALE)
            return first if r.random() < 0.2 else f"{first} {second}"
        first = r.choice(NEW_MALE if sex == "L" else NEW_FEMALE)
        second = r.choice(SECOND_MALE if sex == "L" else SECOND_FEMALE)
        if r.random() < 0.3:
            return f"{first} {r.choice(NEW_MALE if sex == 'L' else NEW_FEMALE)} {second}"
        return f"{first} {second}"

    # ---------------------------------------------------------------- unit tree

    def build_tree(self, desa_list: list[Unit], households: list[int]):
        """Dusun/RW/RT/dasawisma under each desa; returns [(desa, [(dasawisma_id, n_households, alamat)])]."""
        r = self.r
        levels: dict[str, list[Unit]] = {Level.DUSUN: [], Level.RW: [], Level.RT: [], Level.DASAWISMA: []}
        plan = []
        now = self.now

        def unit(level, name, parent_id):
            uid = self.new_id(Unit)
            levels[level].append(
                Unit(
                    id=uid, level=level, name=name, parent_id=parent_id, kind=Kind.NONE, created_at=now, updated_at=now
                )
            )
            return uid

        for desa, n_hh in zip(desa_list, households, strict=True):
            dw_sizes = split_sizes(r, n_hh, 10, 20)
            rt_groups = []
            i = 0
            while i < len(dw_sizes):
                k = min(len(dw_sizes) - i, self.weighted(W_RT_SIZE))
                rt_groups.append(dw_sizes[i : i + k])
                i += k
            rw_groups = []
            i = 0
            while i < len(rt_groups):
                k = min(len(rt_groups) - i, r.randint(2, 6))
                rw_groups.append(rt_groups[i : i + k])
                i += k
            with_dusun = desa.kind != Kind.KELURAHAN and r.random() < 0.7
            # Children already under the desa (generating next to existing data): their names stay unique,
            # and RW numbers continue after the highest one in the desa.
            existing = list(
                Unit.objects.filter(parent=desa, is_active=True, level__in=[Level.DUSUN, Level.RW]).values_list(
                    "level", "name"
                )
            )
            taken_names = {n.lower() for lvl, n in existing if lvl == Level.DUSUN}
            rw_numbers = [
                int(n)
                for n in Unit.objects.subtree(desa).filter(level=Level.RW).values_list("name", flat=True)
                if n.isdigit()
            ]
            if with_dusun:
                dusun_groups = []
                i = 0
                while i < len(rw_groups):
                    k = min(len(rw_groups) - i, r.randint(1, 3))
                    dusun_groups.append(rw_groups[i : i + k])
                    i += k
                # Names unique among the desa's active dusun, also next to existing ones (a database constraint).
                free = [n for n in DUSUN_NAMES if n.lower() not in taken_names]
                names = r.sample(free, min(len(dusun_groups), len(free)))
                extra = (f"Dusun {n}" for n in range(1, 10_000) if f"dusun {n}" not in taken_names)
                names += [next(extra) for _ in range(len(dusun_groups) - len(names))]
                parents = [(unit(Level.DUSUN, names[j], desa.pk), names[j], g) for j, g in enumerate(dusun_groups)]
            else:
                parents = [(desa.pk, "", rw_groups)]
            dasawisma = []
            rw_no = max(rw_numbers, default=0)
            for parent_id, dusun_name, rws in parents:
                for rts in rws:
                    rw_no += 1
                    rw_id = unit(Level.RW, f"{rw_no:02d}", parent_id)
                    for rt_no, dws in enumerate(rts, start=1):
                        rt_id = unit(Level.RT, f"{rt_no:02d}", rw_id)
                        start = r.randrange(len(DASAWISMA_NAMES))
                        for j, size in enumerate(dws):
                            nm = DASAWISMA_NAMES[(start + j) % len(DASAWISMA_NAMES)]
                            dw_id = unit(Level.DASAWISMA, nm, rt_id)
                            alamat = (f"Dusun {dusun_name}, " if dusun_name else "") + f"RT {rt_no:02d}/RW {rw_no:02d}"
                            dasawisma.append((dw_id, size, alamat))
            plan.append((desa, dasawisma))
        for level in (Level.DUSUN, Level.RW, Level.RT, Level.DASAWISMA):
            Unit.objects.bulk_create(levels[level], batch_size=2000)
            self.counts[level] += len(levels[level])
        fill_missing_paths()
        return plan

    # ---------------------------------------------------------------- households

    def children_of(self, mother_born: int, *, max_stay_age: int = 200, scale: float = 1.0) -> list[dict]:
        """Births of a mother by age-specific fertility; children who still live at home."""
        r = self.r
        kids = []
        last = -10_000
        for k in range(16, 46):
            start = mother_born + int(k * YEAR)
            if start > self.t_ord:
                break
            if r.random() < ASFR_BY_AGE[k] * scale * 1.25:
                born = start + r.randrange(365)
                if born > self.t_ord or born - last < 540:
                    continue
                last = born
                a = self.age(born)
                stay = 1.0 if a < 18 else 0.8 if a < 23 else 0.45 if a < 28 else 0.2 if a < 36 else 0.04
                if a < max_stay_age and r.random() < stay:
                    kids.append(self.person("L" if r.random() < 0.51 else "P", born, "anak", "belum_kawin"))
        return kids

    def person(self, sex: str, born: int, status: str, kawin: str) -> dict:
        return {"sex": sex, "born": born, "status": status, "kawin": kawin, "mother": None}

    def family(self, kind: str) -> list[dict]:
        r, p = self.r, self.person
        if kind in ("nuclear", "extended"):
            a = self.weighted(W_HEAD_AGE)
            h_born = self.born_for_age(r.uniform(*a))
            w_born = h_born + int(r.randint(-2, 8) * YEAR) + r.randrange(-200, 200)
            w_born = min(w_born, self.t_ord - int(19 * YEAR))
            head = p("L", h_born, "kepala_keluarga", "kawin")
            wife = p("P", w_born, "istri", "kawin")
            kids = self.children_of(w_born)
            for c in kids:
                c["mother"] = wife
            fam = [head, wife, *kids]
            if kind == "extended":
                parent_born = h_born - int(r.randint(22, 34) * YEAR) - r.randrange(365)
                if self.t_ord - parent_born < 95 * YEAR:
                    status = "orang_tua" if r.random() < 0.6 else "mertua"
                    fam.append(p("P" if r.random() < 0.75 else "L", parent_born, status, "cerai_mati"))
            return fam
        if kind == "widow":
            sex = "P" if r.random() < 0.72 else "L"
            head = p(sex, self.born_for_age(r.uniform(55, 88)), "kepala_keluarga", "cerai_mati")
            fam = [head]
            if r.random() < 0.4:
                child_born = head["born"] + int(r.randint(20, 38) * YEAR)
                fam.append(p("L" if r.random() < 0.5 else "P", child_born, "anak", "belum_kawin"))
                if sex == "P":
                    fam[-1]["mother"] = head
            if r.random() < 0.15:
                fam.append(
                    p("L" if r.random() < 0.5 else "P", self.born_for_age(r.uniform(3, 17)), "cucu", "belum_kawin")
                )
            return fam
        if kind == "single_parent":
            head = p(
                "P",
                self.born_for_age(r.uniform(28, 55)),
                "kepala_keluarga",
                "cerai_hidup" if r.random() < 0.6 else "cerai_mati",
            )
            kids = self.children_of(head["born"], scale=0.8)
            for c in kids:
                c["mother"] = head
            return [head, *kids]
        if kind == "elderly":
            h_born = self.born_for_age(r.uniform(58, 84))
            w_born = h_born + int(r.randint(0, 7) * YEAR)
            return [p("L", h_born, "kepala_keluarga", "kawin"), p("P", w_born, "istri", "kawin")]
        # young single
        return [
            p("L" if r.random() < 0.6 else "P", self.born_for_age(r.uniform(20, 35)), "kepala_keluarga", "belum_kawin")
        ]

    def young_couple(self) -> list[dict]:
        """A second KK in the house: a married child with spouse (menantu) and small children."""
        r, p = self.r, self.person
        h_born = self.born_for_age(r.uniform(22, 34))
        w_born = h_born + int(r.randint(-1, 5) * YEAR)
        w_born = min(w_born, self.t_ord - int(19 * YEAR))
        head = p("L", h_born, "kepala_keluarga", "kawin")
        wife = p("P", w_born, "istri", "kawin")
        kids = self.children_of(w_born, scale=1.3)
        for c in kids:
            c["mother"] = wife
        return [head, wife, *kids]

    # ---------------------------------------------------------------- rows

    def nik(self, kec6: str, born: int, sex: str) -> str | None:
        r = self.r
        a = self.t_ord - born
        if (a < 365 and r.random() < 0.45) or r.random() < 0.02:
            return None
        d = dt.date.fromordinal(born)
        day = d.day + (40 if sex == "P" else 0)
        month, yy = d.month, d.year % 100
        x = r.random()
        if x < 0.004:  # a wrong day in the NIK (data-quality list)
            day = (day % 28) + 1 + (40 if sex == "P" else 0)
        elif x < 0.007:  # sex encoded wrongly
            day = d.day + (0 if sex == "P" else 40)
        prefix = f"{kec6}{day:02d}{month:02d}{yy:02d}"
        while True:
            self.nik_seq[prefix] += 1
            nik = f"{prefix}{self.nik_seq[prefix]:04d}"
            if nik not in self.taken_nik:
                return nik

    def no_kk(self, kec6: str) -> str:
        d = dt.date.fromordinal(self.t_ord - self.r.randrange(int(18 * YEAR)))
        prefix = f"{kec6}{d.day:02d}{d.month:02d}{d.year % 100:02d}"
        while True:
            self.kk_seq[prefix] += 1
            kk = f"{prefix}{self.kk_seq[prefix]:04d}"
            if kk not in self.taken_kk:
                return kk

    def registrasi(self, reg_prefix_digits: str, year: int, width: int) -> str:
        key = f"{reg_prefix_digits}{year:04d}"
        n = self.reg_seq.get(key, 0) + 1
        self.reg_seq[key] = n
        return f"{key}{n:0{width}d}"

    def pendidikan(self, age: int, born_year: int) -> str:
        r = self.r
        if age < 7:
            return "tidak_sekolah"
        if age < 13:
            return "tidak_tamat_sd"
        if age < 16:
            return "sd"
        if age < 19:
            return "smp"
        if born_year < 1960:
            return self.weighted(W_PENDIDIKAN_OLD)
        if born_year < 1980:
            return self.weighted(W_PENDIDIKAN_MID)
        if r.random() < 0.02:
            return "s2"
        return self.weighted(W_PENDIDIKAN_NEW)

    def pekerjaan(self, age: int, sex: str) -> str:
        if age < 5:
            return ""
        if age < 19:
            return "Pelajar/mahasiswa"
        if age < 23 and self.r.random() < 0.4:
            return "Pelajar/mahasiswa"
        if age >= 65 and self.r.random() < 0.5:
            return "Tidak bekerja" if self.r.random() < 0.7 else "Pensiunan"
        if self.r.random() < 0.06:
            return "Belum/tidak bekerja"
        return self.weighted(W_PEKERJAAN_L if sex == "L" else W_PEKERJAAN_P)

    def household(self, desa_ctx: dict, dw_id: int, alamat: str) -> None:
        r = self.r
        kind = self.weighted(W_HOUSEHOLD)
        families = [self.family(kind)]
        if kind in ("nuclear", "extended", "widow") and r.random() < 0.12:
            young = self.young_couple()
            # the married child of the house, or the spouse of one (menantu)
            first = families[0]
            mother = next((m for m in first if m["status"] == "istri"), first[0] if first[0]["sex"] == "P" else None)
            if r.random() < 0.5:
                young[1]["mother"] = mother  # the daughter of the house
            families.append(young)
        rt_id = self.new_id(RumahTangga)
        agama = self.weighted(W_AGAMA)
        kec6, reg_digits, reg_width = desa_ctx["kec6"], desa_ctx["reg_digits"], desa_ctx["reg_width"]
        now, t_ord, year_ago = self.now, self.t_ord, self.year_ago
        w_rows, h_rows = self.w_t.rows, self.h_t.rows
        kepala_id = None
        has_pregnant = False
        for fam in families:
            kk_id = self.new_id(Keluarga)
            no_kk = self.no_kk(kec6)
            self.kk_t.rows.append((kk_id, now, now, rt_id, no_kk))
            for m in fam:
                m["id"] = self.new_id(Warga)
            # balita in the family (for posyandu/BKB/menyusui of the mother)
            for m in fam:
                born = m["born"]
                sex = m["sex"]
                a = self.age(born)
                # events of the last twelve months
                died = moved = None
                sebab = ""
                if r.random() < mortality(a):
                    died = max(born, year_ago) + r.randrange(max(1, t_ord - max(born, year_ago) + 1))
                    sebab = "Usia lanjut" if a >= 75 and r.random() < 0.5 else r.choice(SEBAB_MENINGGAL)
                elif 18 <= a < 45 and r.random() < 0.012 or r.random() < 0.003:
                    moved = max(born, year_ago) + r.randrange(max(1, t_ord - max(born, year_ago) + 1))
                m["died"], m["moved"], m["sebab"], m["age"] = died, moved, sebab, a
                if kepala_id is None and died is None and moved is None and a >= 17:
                    kepala_id = m["id"]
            # pregnancies of the women of the family
            for m in fam:
                if m["sex"] != "P" or m["kawin"] != "kawin":
                    continue
                a = m["age"]
                if not 15 <= a <= 49:
                    continue
                kek = r.random()
                kek_val = True if kek < 0.13 else (None if kek < 0.2 else False)
                births = [c for c in fam if c["mother"] is m and t_ord - c["born"] <= 365]
                if births and m["died"] is not None and m["died"] < max(c["born"] for c in births):
                    m["died"], m["sebab"] = None, ""
                busy_until = 0
                for c in births:  # live births of the last twelve months
                    mulai = c["born"] - r.randint(255, 290)
                    h_rows.append(
                        (
                            self.new_id(Kehamilan),
                            now,
                            now,
                            m["id"],
                            dw_id,
                            _d(mulai),
                            _d(mulai + 280),
                            kek_val,
                            _d(c["born"]),
                            "lahir_hidup",
                            1,
                        )
                    )
                    busy_until = max(busy_until, c["born"] + 60)
                    if m["died"] is None and r.random() < 0.002:  # maternal death within 42 days
                        d = c["born"] + r.randint(0, 42)
                        if d <= t_ord:
                            m["died"], m["sebab"] = d, "Perdarahan pascapersalinan"
                if m["died"] is not None or m["moved"] is not None:
                    continue
                x = r.random()
                f = asfr(a)
                if x < f * 0.75 and t_ord - busy_until > 60:  # ongoing pregnancy
                    mulai = t_ord - r.randrange(30, 270)
                    if mulai > busy_until:
                        h_rows.append(
                            (
                                self.new_id(Kehamilan),
                                now,
                                now,
                                m["id"],
                                dw_id,
                                _d(mulai),
                                _d(mulai + 280),
                                kek_val,
                                None,
                                "",
                                1,
                            )
                        )
                        has_pregnant = m["hamil"] = True
                elif x < f * 0.95 and not births:  # miscarriage or stillbirth in the last twelve months
                    selesai = t_ord - r.randrange(365)
                    still = r.random() < 0.1
                    mulai = selesai - (r.randint(200, 270) if still else r.randint(42, 140))
                    h_rows.append(
                        (
                            self.new_id(Kehamilan),
                            now,
                            now,
                            m["id"],
                            dw_id,
                            _d(mulai),
                            _d(mulai + 280),
                            kek_val,
                            _d(selesai),
                            "lahir_mati" if still else "keguguran",
                            1,
                        )
                    )
            # warga rows
            for m in fam:
                born, sex, a = m["born"], m["sex"], m["age"]
                bd = dt.date.fromordinal(born)
                female_pus = sex == "P" and m["kawin"] == "kawin" and 15 <= a <= 49
                has_baby = any(c["mother"] is m and t_ord - c["born"] < 730 for c in fam)
                entry_year = max(bd.year, self.today.year - r.randint(0, 3))
                kb = female_pus and not m.get("hamil") and r.random() < 0.62
                w_rows.append(
                    (
                        m["id"],
                        now,
                        now,
                        dw_id,
                        rt_id,
                        kk_id,
                        no_kk,
                        "",
                        self.registrasi(reg_digits, entry_year, reg_width),
                        self.nik(kec6, born, sex),
                        self.name(sex, born),
                        sex,
                        "Purworejo" if r.random() < 0.85 else r.choice(TEMPAT_LAHIR),
                        bd,
                        m["kawin"],
                        m["status"],
                        agama,
                        self.pendidikan(a, bd.year),
                        self.pekerjaan(a, sex),
                        kb,
                        self.weighted(W_JENIS_KB) if kb else "",
                        (a < 5 and r.random() < 0.75) or (has_baby and r.random() < 0.6),  # aktif posyandu
                        has_baby and r.random() < 0.35,  # ikut BKB
                        a >= 17 and r.random() < 0.45,  # tabungan
                        r.choice(("paket_a", "paket_b", "paket_c", "kf"))
                        if 15 <= a <= 60 and r.random() < 0.01
                        else "",
                        3 <= a <= 6 and r.random() < 0.55,  # PAUD
                        a >= 20 and r.random() < 0.12,  # koperasi
                        ("fisik" if r.random() < 0.6 else "non_fisik") if r.random() < 0.012 else "",
                        a >= 13 and r.random() < (0.08 if a >= 60 else 0.02 if a >= 40 else 0.003),  # tiga buta
                        has_baby and r.random() < 0.85,  # menyusui
                        r.random() < (0.93 if bd.year >= 2010 else 0.8 if bd.year >= 1990 else 0.5),  # akta
                        m["mother"]["id"] if m["mother"] is not None and "id" in m["mother"] else None,
                        _d(m["died"]),
                        m["sebab"] if m["died"] else "",
                        _d(m["moved"]),
                        1,
                    )
                )
        if kepala_id is None:
            kepala_id = families[0][0]["id"]
        sumur = r.random() < 0.72
        pdam = r.random() < (0.15 if sumur else 0.8)
        sungai = r.random() < 0.02
        lain = not (sumur or pdam or sungai) or r.random() < 0.03
        self.rt_t.rows.append(
            (
                rt_id,
                now,
                now,
                dw_id,
                "",
                alamat,
                kepala_id,
                "sehat" if r.random() < 0.86 else "tidak_sehat",
                r.random() < 0.7,
                r.random() < 0.6,
                r.random() < 0.82,
                r.choice((0, 1, 1, 1, 1, 2)) if r.random() < 0.8 else None,
                True if has_pregnant else (None if r.random() < 0.8 else False),
                pdam,
                sumur,
                sungai,
                lain,
                "beras" if r.random() < 0.99 else "non_beras",
                r.random() < 0.1,
                r.random() < 0.4,
                r.random() < 0.08,
                r.random() < 0.5,
                1,
            )
        )

    def flush(self) -> None:
        for t in (self.rt_t, self.kk_t, self.w_t, self.h_t):
            n = len(t.rows)
            self.counts[t.model._meta.model_name] += n
            self.sink.write(t)


def _d(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


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
    g = _Generator(seed=seed, today=today, use_copy=use_copy, progress=progress)
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

    from .registrasi import SEQUENCE_WIDTH, registrasi_prefix

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


# --------------------------------------------------------------------------------------------------
# Demo accounts
# --------------------------------------------------------------------------------------------------

DEMO_ACCOUNTS = [
    # username, role, unit code or (desa code, "dasawisma")
    ("admin.purworejo", "admin_kabupaten", "33.06"),
    ("pembina.bener", "pembina_kecamatan", "33.06.16"),
    ("desa.kaliboto", "tp_pkk_desa", "33.06.16.2006"),
    ("kader.kaliboto", "kader", ("33.06.16.2006", "dasawisma")),
    ("kader.kedungpucang", "kader", ("33.06.16.2004", "dasawisma")),
    # Outsiders, so that every role has someone in another unit (a crawl replays URLs with them).
    ("pembina.grabag", "pembina_kecamatan", "33.06.01"),
    ("desa.kedungpucang", "tp_pkk_desa", "33.06.16.2004"),
]


def create_demo_accounts(password: str = DEMO_PASSWORD) -> list[tuple[str, str, Unit]]:
    from django.contrib.auth import get_user_model

    from pkk.models import RoleAssignment

    User = get_user_model()
    out = []
    for username, role, where in DEMO_ACCOUNTS:
        if isinstance(where, tuple):
            desa = Unit.objects.get(code=where[0])
            unit = Unit.objects.subtree(desa).filter(level=Level.DASAWISMA).order_by("path").first()
            if unit is None:
                continue
        else:
            unit = Unit.objects.get(code=where)
        user, created = User.objects.get_or_create(username=username)
        if created or not user.has_usable_password():
            user.set_password(password)
            user.save()
        RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
        out.append((username, role, unit))
    return out


def households_to_warga(n: int) -> int:
    """Rough warga count for ``n`` households (for messages)."""
    return math.ceil(n * 3.45)
