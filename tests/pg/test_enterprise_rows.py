"""The 企业 tab's plain rows (``queries.enterprise_rows``) on both backends: the live enterprises of
``list_enterprises``, in its order, with every field the tab and its edit dialog show."""

from __future__ import annotations

FIELDS = ("id", "name", "name_initials", "credit_code", "industry", "address", "legal_representative",
          "contact_phone", "liaison")


def test_enterprise_rows_are_the_live_enterprises_in_list_order(any_db):
    from inspector.core.records.enterprises import create_enterprise, delete_enterprise, list_enterprises
    from inspector.db.queries import enterprise_rows

    create_enterprise(any_db, name="潋江食品有限公司", industry="食品加工", address="鼎龙路3号",
                      legal_representative="赵敏", contact_phone="0797-5321000", liaison="钱进")
    create_enterprise(any_db, name="兴国县赣南冷链物流有限公司", industry="冷库/涉氨制冷")
    gone = create_enterprise(any_db, name="长冈化工有限公司", industry="危险化学品经营")
    delete_enterprise(any_db, gone.id)
    with any_db.session() as session:
        rows = enterprise_rows(session)
    expected = [tuple(getattr(e, name) for name in FIELDS) for e in list_enterprises(any_db)]
    assert [tuple(getattr(r, name) for name in FIELDS) for r in rows] == expected
    assert [r.name for r in rows] == ["潋江食品有限公司", "兴国县赣南冷链物流有限公司"]  # by pinyin initials
    assert rows[0].liaison == "钱进" and not hasattr(rows[0], "__dict__")
