"""The kader's household list loads all households of the dasawisma in one query and pages them in Python
(no COUNT query): paging, order and links must be what they were."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dasawisma.models import RumahTangga
from dasawisma.views.home import PAGE_SIZE

from .factories import make_rt

pytestmark = pytest.mark.django_db


def test_households_are_paged_in_id_order_with_links(tree, client):
    client.force_login(tree.kader)
    for _ in range(PAGE_SIZE + 1):
        make_rt(tree.mawar, tree.kader)
    ids = list(RumahTangga.objects.filter(dasawisma=tree.mawar).order_by("id").values_list("id", flat=True))
    url = reverse("dasawisma:dasawisma_home", kwargs={"unit_id": tree.mawar.pk})

    first = client.get(url).content.decode()
    shown = [int(x) for x in re.findall(r'data-rumah-tangga="(\d+)"', first)]
    assert shown == ids[:PAGE_SIZE]
    assert f"Rumah tangga ({len(ids)})" in first
    assert "Halaman 1 dari 2" in first
    detail = reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": ids[0]})
    assert f'href="{detail}" data-rumah-tangga="{ids[0]}"' in first

    second = client.get(url, {"page": 2}).content.decode()
    assert [int(x) for x in re.findall(r'data-rumah-tangga="(\d+)"', second)] == ids[PAGE_SIZE:]
    assert "Halaman 2 dari 2" in second
