from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from inspector.core.records import credit_code
KNOWN_VALID = ["91110108551385082Q", "91350100M000100Y43", "913607324JURQ283FH"]


def test_known_codes_are_valid():
    assert all(credit_code.is_valid(code) for code in KNOWN_VALID)
    assert credit_code.is_valid(" 91110108551385082q ")  # normalised


def test_problems_are_explained():
    assert "校验位" in credit_code.problem("91110108551385082A")
    assert "18 位" in credit_code.problem("9111010855138508")
    assert "不允许" in credit_code.problem("91110108551385082I")
    assert "行政区划" in credit_code.problem("91AB0108551385082Q")


@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=30))
def test_any_single_character_change_is_caught(seed, position, shift):
    code = credit_code.generate(random.Random(seed))
    assert credit_code.is_valid(code)
    chars = credit_code.CHARSET
    changed = code[:position] + chars[(chars.index(code[position]) + shift) % 31] + code[position + 1:]
    assert not credit_code.is_valid(changed)
