"""A declarative builder for unit trees and the fixed personas every view test uses.

Tree (official codes from Kabupaten Purworejo):

    Jawa Tengah (33) > Kabupaten Purworejo (33.06)
      Kecamatan Bener (33.06.16)
        Desa Kaliboto (33.06.16.2006)  > Dusun Krajan > RW 01 > RT 01 > Dasawisma Mawar, Melati
                                                             > RT 02 > Dasawisma Anggrek
        Desa Kedungpucang (33.06.16.2004) > RW 01 (no dusun) > RT 01 > Dasawisma Kenanga
      Kecamatan Grabag (33.06.01)
        Desa Harjobinangun (33.06.01.2001) > RW 01 > RT 01 > Dasawisma Dahlia
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.auth import get_user_model

from pkk.models import Level, Role, RoleAssignment, Unit
from pkk.services import unit_create

PASSWORD = "rahasia-uji-123"


def build_units(spec, parent: Unit | None = None, out: dict | None = None) -> dict:
    """Build from nested tuples ``(key, level, name, code, [children])``; returns {key: Unit}."""
    out = {} if out is None else out
    for item in spec:
        key, level, name, code, children = item
        from pkk.services import kind_from_code

        kind = kind_from_code(code, level) if code else ""
        unit = unit_create(level=level, name=name, parent=parent, code=code, kind=kind)
        out[key] = unit
        build_units(children, unit, out)
    return out


TREE = [
    (
        "prov",
        Level.PROVINSI,
        "Jawa Tengah",
        "33",
        [
            (
                "kab",
                Level.KABUPATEN,
                "Kabupaten Purworejo",
                "33.06",
                [
                    (
                        "bener",
                        Level.KECAMATAN,
                        "Bener",
                        "33.06.16",
                        [
                            (
                                "kaliboto",
                                Level.DESA,
                                "Kaliboto",
                                "33.06.16.2006",
                                [
                                    (
                                        "krajan",
                                        Level.DUSUN,
                                        "Krajan",
                                        None,
                                        [
                                            (
                                                "rw1",
                                                Level.RW,
                                                "01",
                                                None,
                                                [
                                                    (
                                                        "rt1",
                                                        Level.RT,
                                                        "01",
                                                        None,
                                                        [
                                                            ("mawar", Level.DASAWISMA, "Mawar", None, []),
                                                            ("melati", Level.DASAWISMA, "Melati", None, []),
                                                        ],
                                                    ),
                                                    (
                                                        "rt2",
                                                        Level.RT,
                                                        "02",
                                                        None,
                                                        [
                                                            ("anggrek", Level.DASAWISMA, "Anggrek", None, []),
                                                        ],
                                                    ),
                                                ],
                                            ),
                                        ],
                                    ),
                                ],
                            ),
                            (
                                "kedungpucang",
                                Level.DESA,
                                "Kedungpucang",
                                "33.06.16.2004",
                                [
                                    (
                                        "kp_rw1",
                                        Level.RW,
                                        "01",
                                        None,
                                        [
                                            (
                                                "kp_rt1",
                                                Level.RT,
                                                "01",
                                                None,
                                                [
                                                    ("kenanga", Level.DASAWISMA, "Kenanga", None, []),
                                                ],
                                            ),
                                        ],
                                    ),
                                ],
                            ),
                        ],
                    ),
                    (
                        "grabag",
                        Level.KECAMATAN,
                        "Grabag",
                        "33.06.01",
                        [
                            (
                                "harjobinangun",
                                Level.DESA,
                                "Harjobinangun",
                                "33.06.01.2001",
                                [
                                    (
                                        "hb_rw1",
                                        Level.RW,
                                        "01",
                                        None,
                                        [
                                            (
                                                "hb_rt1",
                                                Level.RT,
                                                "01",
                                                None,
                                                [
                                                    ("dahlia", Level.DASAWISMA, "Dahlia", None, []),
                                                ],
                                            ),
                                        ],
                                    ),
                                ],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
]

# persona -> (role, unit key)
PERSONAS = {
    "admin": (Role.ADMIN_KABUPATEN, "kab"),
    "pembina": (Role.PEMBINA_KECAMATAN, "bener"),
    "pembina_grabag": (Role.PEMBINA_KECAMATAN, "grabag"),
    "desa": (Role.TP_PKK_DESA, "kaliboto"),
    "desa_kp": (Role.TP_PKK_DESA, "kedungpucang"),
    "ketua_rt": (Role.KETUA_KELOMPOK, "rt1"),
    "kader": (Role.KADER, "mawar"),
    "kader_melati": (Role.KADER, "melati"),
    "kader_kp": (Role.KADER, "kenanga"),  # the outsider for the Kaliboto personas
    "kader_grabag": (Role.KADER, "dahlia"),
}


def make_user(username: str, role: str | None = None, unit: Unit | None = None):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    if role and unit:
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return user


@dataclass
class Tree:
    units: dict
    users: dict = field(default_factory=dict)

    def __getattr__(self, name):
        units = self.__dict__.get("units", {})
        if name in units:
            return units[name]
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_tree(with_users: bool = True) -> Tree:
    units = build_units(TREE)
    tree = Tree(units=units)
    if with_users:
        for persona, (role, key) in PERSONAS.items():
            tree.users[persona] = make_user(persona, role, units[key])
        tree.users["nobody"] = make_user("nobody")
    return tree


def ns(**kw) -> SimpleNamespace:
    return SimpleNamespace(**kw)
