"""One rumah tangga as rows: its keluarga (No. KK), warga and kehamilan, with the events of the twelve
months before ``today`` (deaths by age, moves, ongoing pregnancies with some KEK, live births whose baby is a
warga with ``ibu`` set and a matching ended kehamilan, miscarriages, stillbirths: what the monthly Buku III
counts)."""

from __future__ import annotations

import datetime as dt

from dasawisma.models import Kehamilan, Keluarga, RumahTangga, Warga

from .vocab import SEBAB_MENINGGAL, TEMPAT_LAHIR, W_AGAMA, W_HOUSEHOLD, W_JENIS_KB, asfr, mortality


class Households:
    """Part of :class:`demo.generator.Generator` (its state, the people it draws, the row tables)."""

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


def _d(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)
