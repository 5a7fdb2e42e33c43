"""统一社会信用代码 (GB 32100-2015): normalisation, check character, generation for demos."""

from __future__ import annotations

import random

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalize(code: str) -> str:
    return code.strip().upper().replace(" ", "")


def check_character(first17: str) -> str:
    total = sum(CHARSET.index(char) * weight for char, weight in zip(first17, WEIGHTS))
    return CHARSET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why ``code`` is not a valid credit code, in Chinese, or None when it is valid."""
    code = normalize(code)
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，现为 {len(code)} 位"
    bad = sorted({char for char in code if char not in CHARSET})
    if bad:
        return f"统一社会信用代码含有不允许的字符：{''.join(bad)}"
    if not code[2:8].isdigit():
        return "统一社会信用代码第 3–8 位应为行政区划代码（数字）"
    if check_character(code[:17]) != code[17]:
        return f"统一社会信用代码校验位错误（应为 {check_character(code[:17])}）"
    return None


def typing_problem(code: str) -> str | None:
    """What is already wrong with the first characters of a code being typed (None: fine so far)."""
    code = normalize(code)
    if len(code) >= 18:
        return problem(code)
    bad = sorted({char for char in code if char not in CHARSET})
    if bad:
        return f"统一社会信用代码含有不允许的字符：{''.join(bad)}"
    if not code[2:8].isdigit() and len(code) > 2:
        return "统一社会信用代码第 3–8 位应为行政区划代码（数字）"
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None


def generate(rng: random.Random, region: str = "360732") -> str:
    """A valid code for a company registered in 兴国县 (360732) — demo data only."""
    body = "91" + region + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + check_character(body)
