"""Document configuration: what a county or park may change without touching code.

The defaults live in ``resources/documents.yaml`` (the single source of default
values).  :func:`load_config` reads that file, merges an optional user file and an
optional ``overrides`` dict over it (nested mappings are merged key by key), and
validates the result into frozen dataclasses.  Anything malformed raises
:class:`inspector.errors.UserError` with one Chinese sentence naming the setting.
"""

from __future__ import annotations

import os
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Mapping, get_args, get_origin, get_type_hints

import yaml

from inspector.errors import UserError
from inspector.paths import resources_dir

from .model import DocumentKind

CONFIG_FILE_NAME = "documents.yaml"
PAGE_NUMBER_POSITIONS = ("center", "alternate")
_BLANK_OK = {"blank_ok": True}


@dataclass(frozen=True)
class KindTexts:
    """One text per document kind (titles, number prefixes)."""

    record: str
    order: str
    review: str
    park: str
    measure: str
    referral: str

    def of(self, kind: DocumentKind | str) -> str:
        return getattr(self, DocumentKind(kind).value)


@dataclass(frozen=True)
class AuthorityConfig:
    name: str  # 兴国县应急管理局
    abbreviation: str  # 机关代字 兴
    department_label: str  # 应急管理部门 (一式两份 sentence)
    header_line: str = field(default="", metadata=_BLANK_OK)  # 安全生产行政执法文书
    contact_phone: str = field(default="", metadata=_BLANK_OK)


@dataclass(frozen=True)
class NumberingConfig:
    prefixes: KindTexts
    draft_label: str  # （草稿，未编号）


@dataclass(frozen=True)
class ParkConfig:
    committee: str  # 兴国经济技术开发区管理委员会
    office: str  # its safety office
    self_reference: str  # 我局 / 我办
    escalation_body: str  # 兴国县应急管理局（或相关行业主管部门）
    contact_phone: str = field(default="", metadata=_BLANK_OK)
    red_header: bool = True


@dataclass(frozen=True)
class AppealConfig:
    reconsideration_days: int
    reconsideration_body: str  # 兴国县人民政府
    litigation_period: str  # 6个月
    court: str  # to verify: Ganzhou may centralise administrative cases


@dataclass(frozen=True)
class MeasureConfig:
    """现场处理措施决定书: its legal basis and its own remedy sentence."""

    legal_basis: str  # 《中华人民共和国安全生产法》第六十五条第一款第（三）项
    order_reference: str  # what the order prints instead of the measure


@dataclass(frozen=True)
class ReferralConfig:
    """移送书: matters outside the authority's competence, handed to the competent body."""

    recipient: str  # 兴国县消防救援大队
    legal_basis: str  # 《中华人民共和国安全生产法》第六十九条


@dataclass(frozen=True)
class MatterConfig:
    """One subject matter that is not the authority's own (消防): how a finding is recognised."""

    name: str  # 消防安全
    sectors: tuple[str, ...] = ()  # checklist sectors wholly of this matter
    keywords: tuple[str, ...] = ()  # words in the basis / major clause / item text
    own_law: tuple[str, ...] = ()  # citations of the authority's own law: outside ``sectors`` they keep it ours
    major_label: str = ""  # 【重大火灾隐患】 (printed instead of the major-accident marker)
    major_standard: str = ""  # GB 35181: a major hazard of this matter must be judged after it


@dataclass(frozen=True)
class CompetenceConfig:
    """Which matters each document kind may carry (safety = the authority's own)."""

    fire: MatterConfig
    record: tuple[str, ...]
    order: tuple[str, ...]
    review: tuple[str, ...]
    park: tuple[str, ...]
    measure: tuple[str, ...]
    referral: tuple[str, ...]

    def allows(self, kind: DocumentKind | str, matter: str) -> bool:
        return matter in getattr(self, DocumentKind(kind).value)


@dataclass(frozen=True)
class LabelsConfig:
    titles: KindTexts
    officer_signature: str
    record_officer_signature: str
    park_inspector_signature: str
    enterprise_signature: str
    record_enterprise_signature: str
    review_enterprise_signature: str
    park_enterprise_signature: str
    seal: str
    park_seal: str
    major_marker: str
    photo_appendix: str
    witness_signature: str
    refusal_heading: str
    review_photo_appendix: str
    verify_caption: str


@dataclass(frozen=True)
class FontRoleConfig:
    """System font files tried in order, then a file from ``resources/fonts``."""

    bundled: str
    system: tuple[str, ...] = ()
    fake_bold: bool = False


@dataclass(frozen=True)
class FontsConfig:
    body: FontRoleConfig  # 仿宋 role
    title: FontRoleConfig  # 小标宋 role
    heading: FontRoleConfig  # 黑体 role
    page_number: FontRoleConfig  # 宋体 role
    fallback: str  # bundled file used for glyphs the chosen font lacks


@dataclass(frozen=True)
class LayoutConfig:
    page_numbers_enforcement: str = "center"
    page_numbers_park: str = "alternate"
    qr_code: bool = True
    qr_size_mm: float = 22.0
    photos_per_row: int = 2


@dataclass(frozen=True)
class DocumentConfig:
    authority: AuthorityConfig
    numbering: NumberingConfig
    park: ParkConfig
    appeal: AppealConfig
    measure: MeasureConfig
    referral: ReferralConfig
    competence: CompetenceConfig
    labels: LabelsConfig
    fonts: FontsConfig
    layout: LayoutConfig
    to_verify: tuple[str, ...] = ()  # dotted keys whose default still needs checking

    def title(self, kind: DocumentKind | str) -> str:
        return self.labels.titles.of(kind)

    def issuer(self, kind: DocumentKind | str) -> str:
        if DocumentKind(kind) is DocumentKind.PARK:
            return self.park.committee + self.park.office
        return self.authority.name


def bundled_config() -> "DocumentConfig":
    """The bundled configuration, read once per process."""
    global _BUNDLED
    if _BUNDLED is None:
        _BUNDLED = load_config()
    return _BUNDLED


_BUNDLED: "DocumentConfig | None" = None


def bundled_config_path() -> Path:
    return resources_dir() / CONFIG_FILE_NAME


def load_config(path: str | os.PathLike | None = None,
                overrides: Mapping[str, Any] | None = None) -> DocumentConfig:
    """Bundled defaults, then the file at ``path``, then ``overrides``; validated."""
    merged = _read_yaml(bundled_config_path())
    if path is not None:
        merged = _merge(merged, _read_yaml(Path(path)))
    if overrides:
        if not isinstance(overrides, Mapping):
            raise UserError("文书配置的覆盖项应为设置表（键: 值）。")
        merged = _merge(merged, overrides)
    config = _build(DocumentConfig, merged, "")
    _check_semantics(config, merged)
    return config


def format_number(config: DocumentConfig, kind: DocumentKind | str, year: int, seq: int) -> str:
    """``（兴）应急责改〔2025〕12号``; park: ``兴经开安改〔2025〕3号`` (no padding, no 第)."""
    kind = DocumentKind(kind)
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ValueError(f"year must be a four-digit int, got {year!r}")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValueError(f"seq must be a positive int, got {seq!r}")
    prefix = config.numbering.prefixes.of(kind)
    if kind is DocumentKind.PARK:
        return f"{prefix}\u3014{year}\u3015{seq}号"
    return f"（{config.authority.abbreviation}）{prefix}\u3014{year}\u3015{seq}号"


# --- reading and merging -------------------------------------------------------------

def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"找不到文书配置文件 {path}。") from None
    except UnicodeDecodeError:
        raise UserError(f"文书配置文件 {path} 不是 UTF-8 编码，请用 UTF-8 保存。") from None
    except OSError as exc:
        raise UserError(f"无法读取文书配置文件 {path}：{exc.strerror or exc}。") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行附近" if mark is not None else ""
        raise UserError(f"文书配置文件 {path} {where}格式有误，不是有效的 YAML。") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UserError(f"文书配置文件 {path} 的内容应为“键: 值”形式的设置表。")
    return data


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = _merge(result[key], value)
        else:
            result[key] = value
    return result


# --- validation ------------------------------------------------------------------------

def _build(cls: type, raw: Any, path: str) -> Any:
    if not isinstance(raw, Mapping):
        raise UserError(f"文书配置项“{path or '（顶层）'}”应为设置表（键: 值）。")
    known = {f.name for f in fields(cls)}
    for key in raw:
        if key not in known:
            raise UserError(f"文书配置中有无法识别的设置项“{_join(path, str(key))}”，请检查拼写。")
    hints = get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in fields(cls):
        dotted = _join(path, f.name)
        if f.name not in raw:
            if f.default is MISSING and f.default_factory is MISSING:
                raise UserError(f"文书配置缺少设置项“{dotted}”。")
            continue
        values[f.name] = _convert(hints[f.name], raw[f.name], dotted, f.metadata)
    return cls(**values)


def _convert(tp: Any, value: Any, dotted: str, meta: Mapping[str, Any]) -> Any:
    if is_dataclass(tp):
        return _build(tp, value, dotted)
    if get_origin(tp) is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UserError(f"文书配置项“{dotted}”应为文字列表。")
        return tuple(v.strip() for v in value if v.strip())
    if tp is bool:
        if not isinstance(value, bool):
            raise UserError(f"文书配置项“{dotted}”应为 true 或 false。")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise UserError(f"文书配置项“{dotted}”应为整数。")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise UserError(f"文书配置项“{dotted}”应为数字。")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise UserError(f"文书配置项“{dotted}”应为文字（数字请加引号）。")
        text = value.strip()
        if not text and not meta.get("blank_ok"):
            raise UserError(f"文书配置项“{dotted}”不能为空。")
        return text
    raise TypeError(f"unsupported config field type {tp!r} ({get_args(tp)})")


def _check_semantics(config: DocumentConfig, merged: Mapping[str, Any]) -> None:
    layout = config.layout
    for key in ("page_numbers_enforcement", "page_numbers_park"):
        if getattr(layout, key) not in PAGE_NUMBER_POSITIONS:
            raise UserError(f"文书配置项“layout.{key}”只能是 center（居中）或 alternate（单页居右、双页居左）。")
    if not 2 <= layout.photos_per_row <= 3:
        raise UserError("文书配置项“layout.photos_per_row”应为 2 或 3。")
    if not 15 <= layout.qr_size_mm <= 35:
        raise UserError("文书配置项“layout.qr_size_mm”应在 15 到 35 毫米之间。")
    for kind in DocumentKind:
        unknown = [m for m in getattr(config.competence, kind.value) if m not in ("safety", "fire")]
        if unknown:
            raise UserError(f"文书配置项“competence.{kind.value}”只能列 safety（安全生产）或 fire（消防）。")
    if not 1 <= config.appeal.reconsideration_days <= 365:
        raise UserError("文书配置项“appeal.reconsideration_days”应为 1 到 365 之间的天数。")
    for kind in DocumentKind:
        prefix = config.numbering.prefixes.of(kind)
        if "|" in prefix or any(ch.isspace() for ch in prefix):
            raise UserError(f"文书配置项“numbering.prefixes.{kind.value}”不能含空格或“|”。")
    for dotted in config.to_verify:
        if not _has_path(merged, dotted):
            raise UserError(f"文书配置项“to_verify”中的“{dotted}”不是已有的设置项。")


def _has_path(tree: Mapping[str, Any], dotted: str) -> bool:
    node: Any = tree
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
