import pytest
from django.db import IntegrityError, connection, transaction

from pkk.models import Level, Unit
from pkk.scope import accessible_units, unit_in_scope
from pkk.services import unit_create, unit_move

pytestmark = pytest.mark.django_db


def test_subtree_is_one_indexed_range_query(tree):
    names = sorted(u.name for u in Unit.objects.subtree(tree.kaliboto) if u.level == Level.DASAWISMA)
    assert names == ["Anggrek", "Mawar", "Melati"]
    assert not Unit.objects.subtree(tree.kaliboto).filter(pk=tree.kenanga.pk).exists()
    assert Unit.objects.subtree(tree.kab).count() == Unit.objects.count() - 1


def test_database_refuses_level_that_does_not_fit_parent(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(level=Level.RT, name="99", parent=tree.kaliboto)  # RT directly under desa
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("UPDATE pkk_unit SET parent_id = %s WHERE id = %s", [tree.kab.pk, tree.mawar.pk])
    # RW directly under a desa is allowed (no dusun)
    Unit.objects.create(level=Level.RW, name="05", parent=tree.kaliboto)


def test_scope_is_the_subtree_of_assignments(tree):
    assert set(accessible_units(tree.kader)) == {tree.mawar}
    assert unit_in_scope(tree.desa, tree.anggrek)
    assert not unit_in_scope(tree.desa, tree.kenanga)
    assert not unit_in_scope(tree.nobody, tree.kab)


def test_move_rt_rewrites_paths(tree):
    rw2 = unit_create(level=Level.RW, name="02", parent=tree.krajan)
    unit_move(unit=tree.rt2, new_parent=rw2)
    tree.anggrek.refresh_from_db()
    assert tree.anggrek.path.startswith(rw2.path)
    assert set(Unit.objects.subtree(rw2)) == {rw2, Unit.objects.get(pk=tree.rt2.pk), tree.anggrek}
