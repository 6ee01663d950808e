"""Ids: prefixed by kind, sorting by creation time."""

from latchkey.rules import ids


def test_ids_sort_by_creation_and_keep_their_shape():
    first, second = ids.new_id(ids.USER), ids.new_id(ids.USER)
    assert ids.is_id(first, ids.USER) and ids.is_id(second, ids.USER)
    assert first[:16] <= second[:16]
