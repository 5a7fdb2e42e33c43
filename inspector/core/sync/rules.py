"""What a stored row may hold, declared once and checked in bulk on every merged row and by ``check``.

The rules come from the SQLModel tables in :mod:`inspector.db.models` (column type, nullability,
``max_length``) and the validation metadata declared beside them there (``ROW_CHOICES``,
``ROW_TEXT_LIMITS``, ``ROW_JSON``, ``CLOCK_COLUMNS``, ``ROW_INT_RANGES``). For each table they are
turned into one pydantic ``TypeAdapter`` over row tuples, validated strictly, batch by batch, in
pydantic's compiled core:

* ids and references: canonical lowercase UUID text (36 characters);
* time stamps: the app's fixed-width UTC text ``2025-03-07T08:30:00.000000Z``, a real date, not
  before 2000, and for clock stamps (``updated_at`` …) not later than the export's own creation
  time plus :data:`CLOCK_SKEW` (a ``9999-…`` ``updated_at`` would otherwise win every later conflict);
* dates ``YYYY-MM-DD`` from 2000 on; integers exact (``rev='abc'`` is refused, not crashed on); booleans 0/1;
* codes within their enumerations; JSON columns parse to a list of ids or an object;
* text without NUL, within its length limit; SHA-256 columns 64 lowercase hex digits.

:func:`first_problem` names the table, row id and field of the first bad row in Chinese.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Iterable, Sequence

CLOCK_SKEW = timedelta(minutes=10)
EARLIEST = "2000-01-01T00:00:00.000000Z"
EARLIEST_FOREIGN = "0001-01-01T00:00:00.000000Z"  # a camera's clock: whatever it said
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
STAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
NO_NUL_PATTERN = r"^[^\x00]*$"
JSON_LIMIT = 4_000_000
_UUID = re.compile(UUID_PATTERN)
_STAMP = re.compile(STAMP_PATTERN)


@dataclass(frozen=True)
class RowProblem:
    table: str
    row_id: str
    column: str
    reason: str

    def sentence(self) -> str:
        from inspector.core.sync.report import TABLE_NAMES

        name = TABLE_NAMES.get(self.table, self.table)
        return f"{name}表（{self.table}）的记录 {self.row_id} 的字段 {self.column} {self.reason}"


@dataclass(frozen=True)
class Bounds:
    """The latest clock stamp a row may carry (the export's creation time plus the skew)."""

    latest: str

    @classmethod
    def after(cls, moment_text: str, skew: timedelta = CLOCK_SKEW) -> "Bounds":
        moment = datetime.fromisoformat(moment_text.replace("Z", "+00:00"))
        return cls((moment + skew).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))

    @classmethod
    def now(cls) -> "Bounds":
        return cls.after(datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


def first_problem(table: str, columns: Sequence[str], rows: list[tuple], bounds: Bounds) -> RowProblem | None:
    """The first rule broken by ``rows`` (tuples in ``columns`` order), or None."""
    found = problems_in(table, columns, rows, bounds)
    return found[0] if found else None


def problems_in(table: str, columns: Sequence[str], rows: list[tuple], bounds: Bounds) -> list[RowProblem]:
    """Every rule broken by ``rows`` (tuples in ``columns`` order), in row order."""
    from pydantic import ValidationError

    adapter = _adapter(table, tuple(columns))
    try:
        adapter.validate_python(rows, strict=True, context=bounds)
    except ValidationError as exc:
        return [_problem(table, columns, rows, error) for error in exc.errors(include_url=False, include_input=False)]
    return []


def validated_columns(table: str, columns: Iterable[str]) -> bool:
    """Whether every one of ``columns`` is a column of ``table`` as the models declare it."""
    return set(columns) <= set(_fields(table))


def printable(value: Any, limit: int = 40) -> str:
    """A value as it may appear inside a one-line message: control characters shown as ``?``, cut short."""
    text = value.hex() if isinstance(value, bytes) else str(value)
    text = "".join("?" if ord(ch) < 32 or ord(ch) == 127 else ch for ch in text[:limit])
    return text + ("…" if len(str(value)) > limit else "")


def valid_stamp(text: Any) -> bool:
    """Whether ``text`` is a real time in the app's fixed-width UTC format, from 2000 on."""
    if not isinstance(text, str) or _STAMP.match(text) is None or text < EARLIEST:
        return False
    try:
        datetime.fromisoformat(text[:-1])
    except ValueError:
        return False
    return True


def is_uuid(text: Any) -> bool:
    return isinstance(text, str) and _UUID.match(text) is not None


def _problem(table: str, columns: Sequence[str], rows: list[tuple], error: dict) -> RowProblem:
    location = error["loc"]
    row_index = location[0] if location and isinstance(location[0], int) else 0
    column_index = location[1] if len(location) > 1 and isinstance(location[1], int) else None
    row = rows[row_index] if row_index < len(rows) else ()
    key = "id" if "id" in columns else "row_id" if "row_id" in columns else None
    id_index = list(columns).index(key) if key else None
    row_id = printable(row[id_index]) if id_index is not None and row else "?"
    if column_index is None:
        return RowProblem(table, row_id, "?", f"列数不对（{error['msg']}）")
    column = columns[column_index] if column_index < len(columns) else "?"
    return RowProblem(table, row_id, column, _reason(table, column, error))


def _reason(table: str, column: str, error: dict) -> str:
    kind = error["type"]
    if kind == "rule":
        return error["msg"]
    label = _label(table, column)
    if kind == "string_pattern_mismatch" and label == "文字":
        return "含有 NUL 字符（不允许）"
    if kind in ("string_pattern_mismatch", "string_type", "int_type", "bytes_type", "literal_error",
                "int_parsing", "none_required", "is_instance_of", "tuple_type", "list_type"):
        if kind == "literal_error":
            return f"取值不在允许范围内（应为{label}）"
        if column in ("id", "device_id") or label == "记录编号（UUID）":
            return "不是有效的记录编号（应为 UUID）"
        return f"类型或格式不对（应为{label}）"
    if kind == "string_too_long":
        return f"过长（上限 {error.get('ctx', {}).get('max_length', '?')} 字）"
    if kind in ("greater_than_equal", "less_than_equal"):
        return "超出允许范围"
    return f"不符合要求（应为{label}）"


def _label(table: str, column: str) -> str:
    from inspector.db import models

    choices = models.ROW_CHOICES.get((table, column))
    if choices:
        return "、".join(c or "（空）" for c in choices) + " 之一"
    annotation, max_length = _fields(table).get(column, (None, None))
    base = _base(annotation)
    if base is datetime:
        return "UTC 时间，如 2026-03-01T08:00:00.000000Z"
    if base is date:
        return "日期 YYYY-MM-DD"
    if base is bool:
        return "0 或 1"
    if base is int:
        return "整数"
    if base is bytes:
        return "二进制数据"
    if (table, column) in models.ROW_JSON:
        return "JSON 编号列表" if models.ROW_JSON[(table, column)] == "ids" else "JSON 对象"
    if max_length == 36:
        return "记录编号（UUID）"
    if max_length == 64:
        return "SHA-256 十六进制值"
    return "文字"


# --- building the validators from the models --------------------------------------------------

@lru_cache(maxsize=None)
def _adapter(table: str, columns: tuple[str, ...]):
    from pydantic import TypeAdapter

    fields = _fields(table)
    types = tuple(_column_type(table, name, *fields[name]) for name in columns)
    return TypeAdapter(list[tuple[types]])  # type: ignore[valid-type]


@lru_cache(maxsize=None)
def _fields(table: str) -> dict[str, tuple[Any, int | None]]:
    """column -> (annotation, max_length) for a table, read from its SQLModel class."""
    from annotated_types import MaxLen
    from sqlmodel import SQLModel

    from inspector.db import models  # noqa: F401  (registers every table)

    model = next(m for m in _all_models(SQLModel) if getattr(m, "__tablename__", None) == table)
    result = {}
    for name, info in model.model_fields.items():
        max_length = next((m.max_length for m in info.metadata if isinstance(m, MaxLen)), None)
        result[name] = (info.annotation, max_length)
    return result


def _all_models(base) -> Iterable[type]:
    for sub in base.__subclasses__():
        yield sub
        yield from _all_models(sub)


def _base(annotation):
    import typing

    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType", None)) and args:
        return _base(args[0])
    return typing.get_origin(annotation) or annotation


def _nullable(annotation) -> bool:
    import typing

    return type(None) in typing.get_args(annotation)


def _column_type(table: str, column: str, annotation, max_length: int | None):
    from typing import Annotated, Literal, Optional

    from pydantic import AfterValidator, Field, StringConstraints

    from inspector.db import models

    base, key = _base(annotation), (table, column)
    if key in models.ROW_CHOICES:
        kind: Any = Literal[models.ROW_CHOICES[key]]  # type: ignore[valid-type]
    elif base is datetime:
        kind = Annotated[str, StringConstraints(pattern=STAMP_PATTERN), AfterValidator(_stamp_checker(key))]
    elif base is date:
        kind = Annotated[str, StringConstraints(pattern=DATE_PATTERN), AfterValidator(_real_date)]
    elif base is bool:
        kind = Literal[0, 1]
    elif base is int:
        low, high = models.ROW_INT_RANGES.get(key, (-(2**63), 2**63 - 1))
        kind = Annotated[int, Field(ge=low, le=high)]
    elif base is bytes:
        kind = bytes
    elif key in models.ROW_JSON:
        checker = _id_list if models.ROW_JSON[key] == "ids" else _json_object
        kind = Annotated[str, StringConstraints(max_length=JSON_LIMIT), AfterValidator(checker)]
    elif max_length == 36 and column not in ("device_id", "assigned_device_id") or column == "id":
        kind = Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
    elif max_length == 64:
        kind = Annotated[str, StringConstraints(pattern=SHA256_PATTERN)]
    else:
        limit = min(max_length or models.TEXT_LIMIT, models.ROW_TEXT_LIMITS.get(key, models.TEXT_LIMIT))
        if column == "device_id":  # the id of the device that made the row ("" in rows made before there was one)
            kind = Annotated[str, StringConstraints(pattern=r"^(|" + UUID_PATTERN[1:-1] + ")$")]
        else:
            kind = Annotated[str, StringConstraints(max_length=limit, pattern=NO_NUL_PATTERN)]
    return Optional[kind] if _nullable(annotation) else kind


def _rule_error(message: str):
    from pydantic_core import PydanticCustomError

    return PydanticCustomError("rule", message)


def _stamp_checker(key: tuple[str, str]):
    from inspector.db import models

    clock = key[1] in models.CLOCK_COLUMNS
    earliest = EARLIEST_FOREIGN if key in models.FOREIGN_CLOCK_COLUMNS else EARLIEST

    def check(value: str, info) -> str:
        try:
            datetime.fromisoformat(value[:-1])
        except ValueError:
            raise _rule_error("不是有效的时间（日期或时刻不存在）") from None
        if value < earliest:
            raise _rule_error(f"时间 {value} 早于 {earliest[:4]} 年，不可信")
        bounds = info.context
        if clock and bounds is not None and value > bounds.latest:
            raise _rule_error(f"时间 {value} 晚于导出时间（电脑时钟不准或文件被改动）")
        return value

    return check


def _real_date(value: str) -> str:
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise _rule_error("不是有效的日期") from None
    if parsed.year < 2000:  # no upper bound: a date picker lets a deadline be any later year
        raise _rule_error(f"日期 {value} 早于 2000 年，不可信")
    return value


def _json(value: str):
    try:
        return json.loads(value)
    except ValueError:
        raise _rule_error("不是有效的 JSON") from None


def _id_list(value: str) -> str:
    parsed = _json(value)
    if not isinstance(parsed, list) or not all(is_uuid(item) for item in parsed):
        raise _rule_error("应为记录编号（UUID）的 JSON 列表")
    return value


def _json_object(value: str) -> str:
    if not isinstance(_json(value), dict):
        raise _rule_error("应为 JSON 对象")
    return value
