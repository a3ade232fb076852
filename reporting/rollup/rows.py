"""Live rows of the dasawisma-tier sheets: 4.16a (per rumah tangga) and 4.18a (the month's list).

Both read a single dasawisma with a handful of queries whatever its size, using the very SQL conditions
of the stored measures (``sql.py``), so a 4.16a JUMLAH row equals the dasawisma's ``RekapTahunan`` row and
the 4.18a list counts equal its ``RekapBulanan`` row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from pkk.models import Unit

from ..measures import BUKU_II_MEASURES
from ..periods import month_bounds, year_reference
from .sql import (
    BIRTH_RESULTS,
    HOUSE_CONDITIONS,
    NIFAS_DAYS,
    PERSON_NAMES,
    RT,
    K,
    Scope,
    Sql,
    W,
    active,
    flag,
    household_subquery,
    ibu_meninggal_condition,
)


def _fetch(q: Sql, sql: str) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, q.params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _unit_id(unit: Unit | int) -> int:
    return unit if isinstance(unit, int) else unit.pk


def rumah_tangga_rows(dasawisma: Unit | int, tahun: int) -> list[dict[str, Any]]:
    """4.16a: one dict per rumah tangga of the dasawisma for year ``tahun`` (R = 31 December), one query.

    Keys: ``rumah_tangga_id``, ``kode``, ``alamat``, ``nama_kepala`` (the recorded kepala rumah tangga, or
    else the first kepala keluarga of the household, or ""), ``dihitung`` (True when the household has at
    least one warga active on R) and every BUKU_II measure name of ``reporting.measures`` (``jml_krt`` is 1
    or 0, ``jml_kk`` the distinct No. KK among its active warga). A household that is not counted (all its
    members died or moved) is listed with zeros everywhere, so the sum of the rows equals the stored
    ``RekapTahunan`` of the dasawisma. Ordered by kode, then entry order (id).
    """
    q = Sql()
    ref = year_reference(tahun)
    dw = _unit_id(dasawisma)
    h = household_subquery(q, ref, Scope(dasawisma_id=dw))
    persons = ", ".join(f"COALESCE(h.{n}, 0) AS {n}" for n in PERSON_NAMES)
    houses = ", ".join(f"{flag(f'h.rt_id IS NOT NULL AND {cond}')} AS {name}" for name, cond in HOUSE_CONDITIONS)
    sql = f"""
SELECT r.id AS rumah_tangga_id, r.kode AS kode, r.alamat AS alamat,
  COALESCE(kw.nama, (SELECT w2.nama FROM {W} w2 WHERE w2.rumah_tangga_id = r.id
                     AND w2.status_dalam_keluarga = 'kepala_keluarga' ORDER BY w2.id LIMIT 1), '') AS nama_kepala,
  {flag("h.rt_id IS NOT NULL")} AS jml_krt, COALESCE(h.jml_kk, 0) AS jml_kk, {persons}, {houses}
FROM {RT} r
LEFT JOIN ({h}) h ON h.rt_id = r.id
LEFT JOIN {W} kw ON kw.id = r.kepala_id
WHERE r.dasawisma_id = {q.p(dw)}
ORDER BY r.kode, r.id"""
    rows = _fetch(q, sql)
    for row in rows:
        row["dihitung"] = bool(row["jml_krt"])
        for name in BUKU_II_MEASURES:
            row[name] = int(row[name] or 0)
    return rows


# ------------------------------------------------------------------------------------------ 4.18a

STATUS_ORDER = ("hamil", "melahirkan", "nifas", "meninggal")
LIST_FIELDS = (
    "nama_ibu", "nama_suami", "status_ibu", "nama_bayi", "jk_bayi", "tgl_lahir", "akte",
    "nama_meninggal", "status_meninggal", "jk_meninggal", "tgl_meninggal", "sebab_meninggal", "ket",
)  # fmt: skip


def _suami_names(ibu_ids: list[int], on: dt.date) -> dict[int, str]:
    """The husband of each woman, looked up in her keluarga (one query).

    A woman recorded as istri or kepala keluarga: the man of her keluarga recorded as suami or kepala
    keluarga (one still active on ``on`` preferred). A woman recorded as anak (menantu): the only married
    man of her keluarga recorded as menantu (anak). Otherwise "".
    """
    if not ibu_ids:
        return {}
    q = Sql()
    ids = ", ".join(q.p(i) for i in ibu_ids)
    sql = f"""
SELECT ibu.id AS ibu_id, ibu.status_dalam_keluarga AS ibu_status, s.nama AS nama,
  s.status_dalam_keluarga AS status, s.status_perkawinan AS kawin, {flag(active("s", q.p(on)))} AS aktif
FROM {W} ibu JOIN {W} s ON s.keluarga_id = ibu.keluarga_id AND s.id <> ibu.id AND s.jenis_kelamin = 'L'
WHERE ibu.id IN ({ids})
ORDER BY ibu.id, s.id"""
    found: dict[int, str] = {}
    candidates: dict[int, list[dict]] = {}
    for row in _fetch(q, sql):
        candidates.setdefault(row["ibu_id"], []).append(row)
    for ibu_id, rows in candidates.items():
        ibu_status = rows[0]["ibu_status"]
        if ibu_status in ("istri", "kepala_keluarga"):
            men = [r for r in rows if r["status"] in ("suami", "kepala_keluarga")]
            men.sort(key=lambda r: (r["status"] != "suami", not r["aktif"]))
        elif ibu_status in ("anak", "menantu"):
            want = "menantu" if ibu_status == "anak" else "anak"
            men = [r for r in rows if r["status"] == want and r["kawin"] == "kawin"]
            men = men if len(men) == 1 else []
        else:
            men = []
        if men:
            found[ibu_id] = men[0]["nama"]
    return found


def buku3_dasawisma_rows(dasawisma: Unit | int, bulan: dt.date) -> list[dict[str, Any]]:
    """4.18a: the dasawisma's Buku III list for the month of ``bulan`` (F = first, L = last day), 6 queries.

    One dict per printed line; every dict has every key of ``LIST_FIELDS`` (missing values are "" or None):

    * ``nama_ibu``, ``nama_suami`` (see ``_suami_names``), ``status_ibu``: the mother's statuses in the
      month joined with "/" in the order hamil, melahirkan, nifas, meninggal (same rules as the stored
      measures: hamil on L, melahirkan = birth in M, nifas on F, meninggal = ibu meninggal in M); "" when
      the line only carries a birth or a death whose mother has no status;
    * CATATAN KELAHIRAN (a warga born in M): ``nama_bayi``, ``jk_bayi`` ("L"/"P"), ``tgl_lahir`` (date),
      ``akte`` ("ada"/"tidak");
    * CATATAN KEMATIAN (ibu meninggal, bayi = before the first birthday, balita = from the first to before
      the fifth birthday, died in M): ``nama_meninggal``, ``status_meninggal`` ("ibu"/"bayi"/"balita"),
      ``jk_meninggal``, ``tgl_meninggal`` (date), ``sebab_meninggal``;
    * ``ibu_id`` (warga id of the mother or None), ``kek`` (True when a current pregnancy is KEK), ``ket``.

    A mother has one line per birth or death (her first line carries the first of each; further ones get
    their own lines with her name repeated), so each JK/AKTE mark column sums to the stored measure. Births
    and child deaths are put on their mother's line (``Warga.ibu``); without a known mother they get their
    own line. Ordered by mother's name, then date.
    """
    dw = _unit_id(dasawisma)
    first, last = month_bounds(bulan)
    nifas_from = first - dt.timedelta(days=NIFAS_DAYS)

    # 1. Pregnancies giving the mothers' statuses (same conditions as sql.buku_iii_events_cte).
    q = Sql()
    f, lp, f42 = q.p(first), q.p(last), q.p(nifas_from)
    hamil = f"k.tanggal_mulai <= {lp} AND (k.tanggal_selesai IS NULL OR k.tanggal_selesai > {lp}) AND {active('w', lp)}"
    melahirkan = f"k.hasil IN {BIRTH_RESULTS} AND k.tanggal_selesai >= {f} AND k.tanggal_selesai <= {lp}"
    nifas = (
        f"k.hasil IN {BIRTH_RESULTS} AND k.tanggal_selesai < {f} AND k.tanggal_selesai >= {f42} AND {active('w', f)}"
    )
    sql = f"""
SELECT * FROM (
  SELECT k.warga_id AS ibu_id, w.nama AS nama, {flag(hamil)} AS hamil, {flag(f"{hamil} AND k.kek")} AS kek,
    {flag(melahirkan)} AS melahirkan, {flag(nifas)} AS nifas
  FROM {K} k JOIN {W} w ON w.id = k.warga_id
  WHERE k.dasawisma_id = {q.p(dw)}
) s WHERE s.hamil = 1 OR s.melahirkan = 1 OR s.nifas = 1"""
    statuses: dict[int, dict[str, Any]] = {}
    for row in _fetch(q, sql):
        entry = statuses.setdefault(row["ibu_id"], {"nama": row["nama"], "set": set(), "kek": False})
        for key in ("hamil", "melahirkan", "nifas"):
            if row[key]:
                entry["set"].add(key)
        entry["kek"] = entry["kek"] or bool(row["kek"])

    # 2. Deaths in M of this dasawisma: ibu (same condition as the measure), bayi, balita.
    q = Sql()
    age = q.age_at("w.tanggal_lahir", "w.tanggal_meninggal")
    sql = f"""
SELECT w.id AS id, w.nama AS nama, w.jenis_kelamin AS jk, w.tanggal_meninggal AS tgl, w.sebab_meninggal AS sebab,
  w.ibu_id AS ibu_id, {flag(ibu_meninggal_condition(q))} AS ibu, {age} AS umur
FROM {W} w
WHERE w.dasawisma_id = {q.p(dw)} AND w.tanggal_meninggal >= {q.p(first)} AND w.tanggal_meninggal <= {q.p(last)}
ORDER BY w.tanggal_meninggal, w.id"""
    deaths = []
    for row in _fetch(q, sql):
        if row["ibu"]:
            kind = "ibu"
            statuses.setdefault(row["id"], {"nama": row["nama"], "set": set(), "kek": False})["set"].add("meninggal")
        elif row["umur"] < 1:
            kind = "bayi"
        elif row["umur"] < 5:
            kind = "balita"
        else:
            continue
        deaths.append({**row, "kind": kind})

    # 3. Births in M of this dasawisma.
    q = Sql()
    sql = f"""
SELECT w.id AS id, w.nama AS nama, w.jenis_kelamin AS jk, w.tanggal_lahir AS tgl, w.akta_kelahiran AS akta,
  w.ibu_id AS ibu_id
FROM {W} w
WHERE w.dasawisma_id = {q.p(dw)} AND w.tanggal_lahir >= {q.p(first)} AND w.tanggal_lahir <= {q.p(last)}
ORDER BY w.tanggal_lahir, w.id"""
    births = _fetch(q, sql)

    # 4. Names of mothers known only through a child (births/deaths whose mother has no status).
    extra = {r["ibu_id"] for r in births + deaths if r["ibu_id"] and r["ibu_id"] not in statuses}
    extra.discard(None)
    names: dict[int, str] = {}
    if extra:
        q = Sql()
        sql = f"SELECT w.id AS id, w.nama AS nama FROM {W} w WHERE w.id IN ({', '.join(q.p(i) for i in extra)})"
        names = {r["id"]: r["nama"] for r in _fetch(q, sql)}
    suami = _suami_names(sorted(set(statuses) | extra), last)

    # Assemble the lines: one group per mother (or per orphan event).
    groups: dict[Any, dict[str, Any]] = {}

    def group_for(ibu_id: int | None, key: Any) -> dict[str, Any]:
        if ibu_id is not None and ibu_id in groups:
            return groups[ibu_id]
        if ibu_id is not None and (ibu_id in statuses or ibu_id in names):
            entry = statuses.get(ibu_id)
            nama = entry["nama"] if entry else names[ibu_id]
            st = "/".join(s for s in STATUS_ORDER if entry and s in entry["set"])
            groups[ibu_id] = {
                "ibu_id": ibu_id, "nama_ibu": nama, "nama_suami": suami.get(ibu_id, ""), "status_ibu": st,
                "kek": bool(entry and entry["kek"]), "births": [], "deaths": [],
            }  # fmt: skip
            return groups[ibu_id]
        groups[key] = {"ibu_id": None, "nama_ibu": "", "nama_suami": "", "status_ibu": "", "kek": False,
                       "births": [], "deaths": []}  # fmt: skip
        return groups[key]

    for ibu_id in statuses:
        group_for(ibu_id, None)
    for b in births:
        group_for(b["ibu_id"], ("lahir", b["id"]))["births"].append(b)
    for d in deaths:
        owner = d["id"] if d["kind"] == "ibu" else d["ibu_id"]
        group_for(owner, ("mati", d["id"]))["deaths"].append(d)

    lines: list[dict[str, Any]] = []
    ordered = sorted(groups.values(), key=lambda g: (g["nama_ibu"] == "", g["nama_ibu"].lower(), g["ibu_id"] or 0))
    for g in ordered:
        for i in range(max(1, len(g["births"]), len(g["deaths"]))):
            line = dict.fromkeys(LIST_FIELDS, "")
            line.update({"ibu_id": g["ibu_id"], "nama_ibu": g["nama_ibu"], "kek": g["kek"],
                         "tgl_lahir": None, "tgl_meninggal": None})  # fmt: skip
            if i == 0:
                line["nama_suami"] = g["nama_suami"]
                line["status_ibu"] = g["status_ibu"]
            if i < len(g["births"]):
                b = g["births"][i]
                line.update({"nama_bayi": b["nama"], "jk_bayi": b["jk"], "tgl_lahir": _date(b["tgl"]),
                             "akte": "ada" if b["akta"] else "tidak"})  # fmt: skip
            if i < len(g["deaths"]):
                d = g["deaths"][i]
                line.update({"nama_meninggal": d["nama"], "status_meninggal": d["kind"], "jk_meninggal": d["jk"],
                             "tgl_meninggal": _date(d["tgl"]), "sebab_meninggal": d["sebab"] or ""})  # fmt: skip
            lines.append(line)
    return lines
