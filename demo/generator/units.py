"""The unit tree below each desa: dusun (most desa; kelurahan and some desa have none), RW, RT and dasawisma of
10-20 rumah tangga each, and how many households each desa gets."""

from __future__ import annotations

import random

from pkk.models import Kind, Level, Unit
from pkk.services import fill_missing_paths

from .vocab import DASAWISMA_NAMES, DUSUN_NAMES, W_RT_SIZE


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


class UnitTree:
    """Part of :class:`demo.generator.Generator` (its state: ``r``, ``now``, ``counts``, ``new_id``, ``weighted``)."""

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
