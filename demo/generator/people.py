"""The people of a household: family shapes (couples with children, three generations, widows, single
parents, elderly couples, young singles, a second KK in some houses), children by the mother's age-specific
fertility, names by sex and generation, NIK (birth date and sex encoded, a few deliberate mismatches for
the data-quality list), No. KK, No. Registrasi, schooling and occupation."""

from __future__ import annotations

import datetime as dt

from .vocab import (
    ASFR_BY_AGE,
    MID_FEMALE,
    MID_MALE,
    NEW_FEMALE,
    NEW_MALE,
    OLD_FEMALE,
    OLD_MALE,
    SECOND_FEMALE,
    SECOND_MALE,
    W_HEAD_AGE,
    W_PEKERJAAN_L,
    W_PEKERJAAN_P,
    W_PENDIDIKAN_MID,
    W_PENDIDIKAN_NEW,
    W_PENDIDIKAN_OLD,
    YEAR,
)


class People:
    """Part of :class:`demo.generator.Generator` (its state: ``r``, ``today``, ``t_ord``, sequences, ``age``...)."""

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

    # ---------------------------------------------------------------- families

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

    # ---------------------------------------------------------------- numbers and attributes

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
