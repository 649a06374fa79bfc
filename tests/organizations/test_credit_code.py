import pytest

from catalog_app.credit_code import (
    check_character,
    is_valid_credit_code,
    make_credit_code,
)

# Published codes of well-known companies (from their business licences).
VALID = [
    "914403001922038216",  # Huawei Technologies Co., Ltd.
    "91440300708461136T",  # Tencent Technology (Shenzhen)
    "91110000802100433B",
    "91350100M000100Y43",
]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes(code):
    assert is_valid_credit_code(code)


def test_lower_case_and_spaces_are_tolerated():
    assert is_valid_credit_code(" 91440300708461136t ")


@pytest.mark.parametrize(
    "code",
    [
        "",
        "91440300708461136",      # 17 characters
        "91440300708461136TX",    # 19 characters
        "914403001922038217",     # wrong check digit
        "91440300708461136I",     # I is not in the alphabet
        "9144030070846113OT",     # O is not in the alphabet
        "01440300708461136T",     # registration authority 0 does not exist
        "91440300708461136Z",
    ],
)
def test_invalid_codes(code):
    assert not is_valid_credit_code(code)


def test_every_single_character_typo_is_detected():
    code = "914403001922038216"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(17):
        for replacement in alphabet:
            if replacement == code[position]:
                continue
            mistyped = code[:position] + replacement + code[position + 1:]
            assert not is_valid_credit_code(mistyped), mistyped


def test_make_credit_code_round_trips():
    code = make_credit_code("91440114MA5D12345")
    assert len(code) == 18 and is_valid_credit_code(code)
    assert check_character(code[:17]) == code[17]
