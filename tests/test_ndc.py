"""NDCs on claim lines: label forms to 11 digits (5-4-2), the N4 segment, bad NDCs named.

The NDCs here are made-up numbers in the right shapes (synthetic), not real products.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivigcalc.billing import ndc
from ivigcalc.errors import InputError


@pytest.mark.parametrize(
    ("written", "eleven"),
    [
        ("1234-5678-90", "01234567890"),  # 4-4-2: zero in front of the labeler
        ("12345-678-90", "12345067890"),  # 5-3-2: zero in front of the product
        ("12345-6789-0", "12345678900"),  # 5-4-1: zero in front of the package
        ("12345-6789-01", "12345678901"),  # already 5-4-2
        ("12345678901", "12345678901"),  # 11 digits, no hyphens
        (" 1234-5678-90 ", "01234567890"),
    ],
)
def test_label_forms_become_eleven_digits(written: str, eleven: str) -> None:
    assert ndc.normalize(written) == eleven


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("1234567890", "10 digits and no hyphens"),  # which segment is short? unknowable
        ("123-5678-90", "is not an NDC"),  # 3-4-2 is no NDC shape
        ("1234-567-89", "is not an NDC"),  # 4-3-2 is 9 digits
        ("12345-6789-012", "is not an NDC"),
        ("12a45-6789-01", "is not an NDC"),
        ("123456789012", "is not an NDC"),
        ("", "is not an NDC"),
    ],
)
def test_malformed_ndcs_are_named(written: str, says: str) -> None:
    with pytest.raises(InputError) as raised:
        ndc.normalize(written)
    assert raised.value.field == "NDC"
    assert says in str(raised.value)
    assert "4-4-2" in str(raised.value)  # and the accepted forms are shown


def test_n4_segment_in_paper_claim_form() -> None:
    segment = ndc.parse_segment("1234-5678-90", "un", "1")
    assert segment.text == "N401234567890 UN1"
    assert segment.hyphenated == "01234-5678-90"
    assert segment.converted


def test_eleven_digits_are_not_marked_converted() -> None:
    segment = ndc.parse_segment("12345678901", "ML", "100.500")
    assert not segment.converted
    assert segment.quantity == Decimal("100.5")
    assert segment.text == "N412345678901 ML100.5"  # no trailing zeros


@pytest.mark.parametrize("qualifier", ["UN", "ML", "GR", "ME", "F2"])
def test_every_qualifier_is_accepted(qualifier: str) -> None:
    assert ndc.parse_segment("12345678901", qualifier, "2").qualifier == qualifier


@pytest.mark.parametrize("qualifier", ["XX", "MG", "U1", "EA"])
def test_unknown_qualifier_is_named(qualifier: str) -> None:
    with pytest.raises(InputError) as raised:
        ndc.parse_segment("12345678901", qualifier, "1")
    assert raised.value.field == ndc.QUALIFIER_FIELD
    assert qualifier in str(raised.value)
    assert "UN (unit)" in str(raised.value)


@pytest.mark.parametrize("quantity", ["0", "1.2345", "-1", "1e3", "abc", "12345678"])
def test_bad_quantity_is_named(quantity: str) -> None:
    with pytest.raises(InputError) as raised:
        ndc.parse_segment("12345678901", "UN", quantity)
    assert raised.value.field == "NDC quantity"
    assert f"'{quantity}' is not an NDC quantity; accepts a number above zero with at most " \
        "3 decimals" in str(raised.value)


def test_missing_qualifier_and_quantity() -> None:
    with pytest.raises(InputError, match="no unit qualifier"):
        ndc.parse_segment("12345678901", None, None)


@given(labeler=st.integers(0, 99999), product=st.integers(0, 9999),
       package=st.integers(0, 99), shape=st.sampled_from(["4-4-2", "5-3-2", "5-4-1"]))
def test_zero_fill_keeps_each_segment(labeler: int, product: int, package: int,
                                      shape: str) -> None:
    """Whatever the 10-digit shape, the 11-digit form keeps each segment's value."""
    widths = [int(w) for w in shape.split("-")]
    values = [labeler % 10 ** widths[0], product % 10 ** widths[1], package % 10 ** widths[2]]
    written = "-".join(str(v).zfill(w) for v, w in zip(values, widths, strict=True))
    eleven = ndc.normalize(written)
    assert len(eleven) == 11
    assert (int(eleven[:5]), int(eleven[5:9]), int(eleven[9:])) == tuple(values)
