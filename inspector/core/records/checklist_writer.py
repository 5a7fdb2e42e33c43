"""A checklist back to its file form (what a person writes in ``checklists/*.yaml``).

The composed fields (``basis``, ``major``, ``major_clause``, ``major_label``, ``sources``) are left
out: they come from the registry when the file is loaded again.
"""

from __future__ import annotations

from inspector.core.records.checklist_model import Checklist, ChecklistItem


def file_data(checklist: Checklist) -> dict:
    return {
        "id": checklist.id, "title": checklist.title, "sector": checklist.sector, "version": checklist.version,
        "effective": checklist.effective,
        "sections": [{"title": section.title, "items": [item_data(item) for item in section.items]}
                     for section in checklist.sections],
    }


def item_data(item: ChecklistItem) -> dict:
    data: dict = {"id": item.id, "text": item.text,
                  "cite": [_cite(c.source, c.article) for c in item.cite]}
    if item.major_rule is not None:
        rule = item.major_rule
        data["major_rule"] = {"source": rule.source, "article": rule.article}
        if rule.all_of:
            data["major_rule"]["all_of"] = list(rule.all_of)
        if rule.only_for:
            data["major_rule"]["only_for"] = list(rule.only_for)
    data.update(hazard=item.hazard, requirement=item.requirement, deadline_days=item.deadline_days,
                photo_required=item.photo_required)
    if item.note:
        data["note"] = item.note
    if item.verify:
        data["verify"] = item.verify
    return data


def _cite(source: str, article: str) -> dict:
    return {"source": source, "article": article} if article else {"source": source}


def to_yaml(checklist: Checklist, header: str = "") -> str:
    import yaml

    class Flow(dict):
        pass

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow=False, indentless=False):
            return super().increase_indent(flow, False)

    Dumper.add_representer(Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True))
    data = file_data(checklist)
    for section in data["sections"]:
        for item in section["items"]:
            item["cite"] = [Flow(c) for c in item["cite"]]
    body = yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=10000, default_flow_style=False)
    comments = "".join(f"# {line}\n" for line in header.splitlines())
    return comments + body
