"""Ids: prefixed by kind, sorting by creation time."""

from latchkey.rules import ids


def test_ids_sort_by_creation_and_keep_their_shape():
    first, second = ids.new_id(ids.ASSESSMENT), ids.new_id(ids.ASSESSMENT)
    assert ids.is_id(first, ids.ASSESSMENT) and ids.is_id(second, ids.ASSESSMENT)
    assert first[:16] <= second[:16]
