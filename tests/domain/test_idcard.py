"""Mainland ID numbers (GB 11643): check digit, validation, gender, masking."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proctor.domain import idcard

# Examples printed in GB 11643-1999 itself, so they do not depend on our code.
KNOWN_VALID = ["11010519491231002X", "440524188001010014"]

ids = st.builds(
    idcard.make_id,
    region=st.builds(
        lambda p, rest: p + rest,
        st.sampled_from(sorted(idcard.PROVINCES)),
        st.text("0123456789", min_size=4, max_size=4),
    ),
    birth=st.dates(date(1900, 1, 1), date(2099, 12, 31)),
    sequence=st.integers(0, 999),
)


@pytest.mark.parametrize("number", KNOWN_VALID)
def test_published_examples_are_valid(number):
    assert idcard.check_digit(number[:17]) == number[17]
    assert idcard.id_problem(number) is None


def test_check_digit_by_hand():
    # 11010519491231002: weighted sum 167, 167 % 11 = 2 -> "X"
    body = "11010519491231002"
    assert sum(int(d) * w for d, w in zip(body, idcard.WEIGHTS, strict=True)) % 11 == 2
    assert idcard.check_digit(body) == "X"
    assert idcard.check_digit("33030219800101123") == "0"


@pytest.mark.parametrize(
    "number, words",
    [
        ("11010519491231002", "18 characters"),
        ("1101051949123100X2", "first 17"),
        ("11010519491231002Y", "last character"),
        ("99010519491231002X", "region"),
        ("110105199002300023", "birth date"),
        ("110105194912310021", "check digit is wrong (expected X)"),
    ],
)
def test_problems_are_named(number, words):
    problem = idcard.id_problem(number)
    assert problem is not None and words in problem.en and problem.zh


def test_lower_case_x_is_normalised_not_accepted_raw():
    assert not idcard.is_valid("11010519491231002x")
    assert idcard.is_valid(idcard.normalize(" 11010519491231002x "))


def test_gender_and_birth_date():
    assert idcard.gender("11010519491231002X") == "女"  # 17th digit 2: even
    assert idcard.gender("440524188001010014") == "男"  # 17th digit 1: odd
    assert idcard.birth_date("440524188001010014") == date(1880, 1, 1)


def test_mask_id_shows_first_six_and_last_four():
    assert idcard.mask_id("11010519491231002X") == "110105********002X"
    assert idcard.mask_id("G12345678") == "*****5678"
    assert idcard.mask_id("123") == "***"
    assert idcard.mask_id("") == ""


@given(ids)
def test_generated_ids_always_validate(number):
    assert idcard.is_valid(number)
    assert idcard.gender(number) == ("男" if int(number[16]) % 2 else "女")


@given(ids, st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_error_is_caught(number, pos, delta):
    wrong = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1 :]
    assert idcard.check_digit(wrong[:17]) != number[17]


@given(ids, st.integers(0, 15))
def test_adjacent_swap_is_caught(number, pos):
    a, b = number[pos], number[pos + 1]
    swapped = number[:pos] + b + a + number[pos + 2 :]
    assert (idcard.check_digit(swapped[:17]) == number[17]) == (a == b)
