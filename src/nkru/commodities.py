"""Commodities: a label with an optional Harmonized System (HS) code.

The source's categories ("mineral fuels", "oil products", "ferrous metal and
steel", "grain", "trucks" …) map to HS chapters (2 digits) or headings
(4 digits) through :func:`commodity`, so figures from texts line up with
Comtrade tables.

>>> from nkru.commodities import Commodity, commodity
>>> commodity("mineral fuels")
Commodity(label='mineral fuels', hs='27')
>>> commodity("refined oil").chapter
'27'
>>> Commodity("gold", hs="7108").chapter
'71'
>>> Commodity("junk", hs="99")
Traceback (most recent call last):
...
nkru.errors.ValidationError: hs: is not an HS chapter (01-97, no 77) or a 4- or 6-digit code within one (got '99')
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any, Final

import attrs

from nkru._core.text import text_validator
from nkru.errors import ValidationError

__all__ = ["HS_BY_LABEL", "Commodity", "commodity"]

_HS = re.compile(r"[0-9]{2}(?:[0-9]{2}(?:[0-9]{2})?)?\Z")


def _check_hs(_instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or _HS.match(value) is None or not _valid_chapter(value[:2]):
        raise ValidationError(
            attribute.name, value, "is not an HS chapter (01-97, no 77) or a 4- or 6-digit code within one"
        )


def _valid_chapter(chapter: str) -> bool:
    number = int(chapter)
    # HS chapter 77 is reserved for future use; 98 and 99 are national-use chapters.
    return 1 <= number <= 97 and number != 77


@attrs.frozen
class Commodity:
    """A traded good: its label as the text names it and an optional HS code.

    Args:
        label: The name of the good, as stated.
        hs: HS chapter (``"27"``), heading (``"2710"``) or subheading
            (``"271019"``), or None where the label maps to no single code.
    """

    label: str = attrs.field(validator=text_validator(200))
    hs: str | None = attrs.field(default=None, validator=_check_hs)

    @property
    def chapter(self) -> str | None:
        """The two-digit HS chapter, or None."""
        return None if self.hs is None else self.hs[:2]


#: The source's commodity words and the HS code each maps to (HS 2017 nomenclature,
#: World Customs Organization). A label spanning chapters maps to None.
HS_BY_LABEL: Final = MappingProxyType(
    {
        "mineral fuels": "27",
        "mineral fuel oil": "27",
        "mineral fuels and oil": "27",
        "petroleum": "27",
        "oil": "27",
        "oil products": "2710",
        "petroleum products": "2710",
        "refined oil": "2710",
        "fuel oil": "2710",
        "crude oil": "2709",
        "wood": "44",
        "pulp": "47",
        "wood and pulp": None,
        "fertilizers": "31",
        "ships/boats": "89",
        "ships and boats": "89",
        "iron/steel": "72",
        "iron and steel": "72",
        "ferrous metal and steel": "72",
        "ferrous metals and steel": "72",
        "machinery": "84",
        "machinery and equipment": "84",
        "electrical machinery": "85",
        "tools/cutlery": "82",
        "railroad equipment": "86",
        "raw materials": None,
        "grain": "10",
        "grains": "10",
        "food grains": "10",
        "cereals": "10",
        "wheat": "1001",
        "flour": "1101",
        "wheat flour": "1101",
        "sugar": "1701",
        "canned meat": "1602",
        "fish": "03",
        "canned fish": "1604",
        "milk": "0402",
        "canned milk": "0402",
        "medicine": "30",
        "food": None,
        "food and medicine": None,
        "trucks": "8704",
        "medium-size trucks": "8704",
    }
)


def commodity(label: str) -> Commodity:
    """Return the commodity for one of the source's category words, with its HS code.

    Matching ignores case and surrounding space. A label nkru does not know
    still gives a commodity, with no HS code.

    >>> commodity("Wheat")
    Commodity(label='wheat', hs='1001')
    >>> commodity("tebaeksan-96 trucks")
    Commodity(label='tebaeksan-96 trucks', hs=None)
    """
    if not isinstance(label, str):
        raise ValidationError("label", label, "must be text")
    key = label.strip().lower()
    return Commodity(key, HS_BY_LABEL.get(key))
