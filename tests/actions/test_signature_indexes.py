"""The indexes a signature writes (migration actions 0016): none that nothing reads."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pattern indexes are PostgreSQL's"),
]


def _indexes(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


def test_a_new_supporter_writes_no_pattern_index():
    definitions = _indexes("actions_supporter").values()
    assert not [d for d in definitions if "pattern_ops" in d]
    # The unique ones that dedupe and find people stay.
    assert any("UNIQUE" in d and "(email_index)" in d for d in definitions)
    assert any("UNIQUE" in d and "(referral_code)" in d for d in definitions)


def test_a_signature_writes_no_index_on_the_campaign_alone_and_lookups_by_campaign_keep_one():
    definitions = _indexes("actions_action").values()
    assert not [d for d in definitions if d.endswith("(campaign_id)")]
    assert any("(campaign_id, kind, created_at)" in d for d in definitions)
