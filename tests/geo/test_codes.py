"""CBS code normalisation, validation and parent derivation (no database)."""

import pytest

from geo.codes import AreaLevel, code_is_valid, level_of_code, normalise_code, parent_code_of


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("BU05460000", "BU05460000"),
        ("bu05460000", "BU05460000"),
        ("  BU05460000  ", "BU05460000"),  # OData pads codes
        ("gm0546\n", "GM0546"),
        (None, ""),
        (546, "546"),
    ],
)
def test_normalise_code_strips_and_upper_cases_when_raw_value_given(raw, expected):
    # given / when
    code = normalise_code(raw)

    # then
    assert code == expected


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("GM0546", AreaLevel.GEMEENTE),
        ("WK054600", AreaLevel.WIJK),
        ("WK0546A1", AreaLevel.WIJK),  # letters occur when a gemeente has ≥ 100 wijken
        ("BU05460000", AreaLevel.BUURT),
        ("BU054600AB", AreaLevel.BUURT),
    ],
)
def test_code_is_valid_when_code_matches_its_level(code, level):
    # given / when / then
    assert code_is_valid(code, level)
    assert level_of_code(code) == level


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("BU123", AreaLevel.BUURT),
        ("BU0546000", AreaLevel.BUURT),  # 7 digits
        ("BU054600000", AreaLevel.BUURT),  # 9 digits
        ("bu05460000", AreaLevel.BUURT),  # not normalised
        ("BUA5460000", AreaLevel.BUURT),  # letters only allowed in the wijk/buurt part
        ("WK054600", AreaLevel.BUURT),  # a wijk code at buurt level
        ("BU05460000", AreaLevel.WIJK),
        ("GM546", AreaLevel.GEMEENTE),
        ("", AreaLevel.GEMEENTE),
    ],
)
def test_code_is_invalid_when_format_or_level_is_wrong(code, level):
    # given / when / then
    assert not code_is_valid(code, level)


def test_level_of_code_is_none_when_code_matches_no_level():
    # given / when / then
    assert level_of_code("PV28") is None


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("BU05460102", "WK054601"),
        ("WK054601", "GM0546"),
        ("GM0546", None),
        ("BU123", None),
    ],
)
def test_parent_code_of_derives_prefix_when_code_is_buurt_or_wijk(code, parent):
    # given / when / then
    assert parent_code_of(code) == parent
