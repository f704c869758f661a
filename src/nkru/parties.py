"""Parties and places: countries, regions, places, organizations and persons.

Countries are ISO 3166-1 alpha-3 codes, or ISO 3166-3 codes for countries
that no longer exist (``SUN``, the Soviet Union); regions are ISO 3166-2
codes. The code lists come from :mod:`pycountry`. The one list nkru keeps
of its own is :data:`COMTRADE_AREAS`: the reporters and partners of UN
Comtrade that are no country (the World, groups, "nes" areas), each an
:class:`Area`.

>>> from nkru.parties import Country, Region
>>> Country("PRK").name
"Korea, Democratic People's Republic of"
>>> Country("SUN").is_historic, Country("SUN").numeric
(True, '810')
>>> Region("RU-PRI").name, Region("RU-PRI").country
('Primorskiy kray', Country(code='RUS'))
>>> Country("XYZ")
Traceback (most recent call last):
...
nkru.errors.ValidationError: code: is not an ISO 3166-1 or ISO 3166-3 alpha-3 country code (got 'XYZ')
"""

from __future__ import annotations

import enum
import functools
import json
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs
import pycountry

from nkru._core.deprecation import moved_names
from nkru._core.text import instance_of, text_validator
from nkru.errors import ValidationError

__all__ = [
    "COMTRADE_AREAS",
    "Area",
    "AreaKind",
    "Country",
    "Location",
    "Organization",
    "OrganizationKind",
    "Party",
    "Person",
    "Place",
    "PlaceKind",
    "Region",
    "area_kind",
    "comtrade_area",
]

_NAME_LENGTH = 300
_CODE_LENGTH = 20


@functools.cache
def _iso_index(standard: str, key: str) -> dict[str, dict[str, str]]:
    """Entries of one of pycountry's ISO data files, by ``key``.

    pycountry's own databases build objects (and, for ISO 3166-2, a parent
    hierarchy of ~5,000 entries, about 70 ms here) on first use; nkru reads
    the same JSON files into plain dicts, which keeps
    :func:`nkru.load_seed_dataset` inside its time budget.
    """
    path = Path(pycountry.DATABASE_DIR) / f"iso{standard}.json"
    entries = json.loads(path.read_text(encoding="utf-8"))[standard]
    return {entry[key]: entry for entry in entries if key in entry}


def _country_record(code: str) -> dict[str, str] | None:
    """The ISO 3166-1 entry for an alpha-3 code, else the ISO 3166-3 (historic) one."""
    return _iso_index("3166-1", "alpha_3").get(code) or _iso_index("3166-3", "alpha_3").get(code)


def _region_record(code: str) -> dict[str, str] | None:
    if len(code) > 10 or not code.isascii():
        return None
    return _iso_index("3166-2", "code").get(code)


def _check_country(_instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or _country_record(value) is None:
        raise ValidationError(attribute.name, value, "is not an ISO 3166-1 or ISO 3166-3 alpha-3 country code")


def _check_region(_instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or _region_record(value) is None:
        raise ValidationError(attribute.name, value, "is not an ISO 3166-2 subdivision code")


@attrs.frozen
class Country:
    """A country by its ISO 3166 alpha-3 code, historic ones included.

    Args:
        code: ISO 3166-1 alpha-3 (``PRK``, ``RUS``) or ISO 3166-3 (``SUN``).
    """

    code: str = attrs.field(validator=_check_country)

    @property
    def name(self) -> str:
        """The ISO short name."""
        return self._record["name"]

    @property
    def numeric(self) -> str:
        """The ISO 3166 numeric code, which is also the UN M49 code Comtrade uses."""
        return self._record["numeric"]

    @property
    def is_historic(self) -> bool:
        """True for a country that no longer exists (ISO 3166-3)."""
        return self.code not in _iso_index("3166-1", "alpha_3")

    @property
    def _record(self) -> dict[str, str]:
        record = _country_record(self.code)
        if record is None:  # pragma: no cover - validated on construction
            raise ValidationError("code", self.code, "is not an ISO 3166 alpha-3 country code")
        return record

    @classmethod
    def lookup(cls, text: str) -> Country:
        """Find a country by alpha-2, alpha-3, numeric code or name.

        Raises:
            ValidationError: nothing matches.

        >>> Country.lookup("408"), Country.lookup("RU")
        (Country(code='PRK'), Country(code='RUS'))
        """
        if not isinstance(text, str):
            raise ValidationError("country", text, "must be text")
        if 0 < len(text) <= _NAME_LENGTH:
            for registry in (pycountry.countries, pycountry.historic_countries):
                try:
                    return cls(str(registry.lookup(text).alpha_3))
                except LookupError:
                    continue
        raise ValidationError("country", text, "no country has this code or name")


@attrs.frozen
class Region:
    """A first-level subdivision by its ISO 3166-2 code (``RU-PRI``, ``RU-AMU``)."""

    code: str = attrs.field(validator=_check_region)

    @property
    def name(self) -> str:
        """The ISO 3166-2 name, in the romanisation ISO uses."""
        record = _region_record(self.code)
        if record is None:  # pragma: no cover - validated on construction
            raise ValidationError("code", self.code, "is not an ISO 3166-2 subdivision code")
        return record["name"]

    @property
    def country(self) -> Country:
        """The country the region belongs to."""
        country = _iso_index("3166-1", "alpha_2").get(self.code.split("-")[0])
        if country is None:  # pragma: no cover - ISO 3166-2 codes start with a current country
            raise ValidationError("code", self.code, "belongs to no current country")
        return Country(country["alpha_3"])


class PlaceKind(enum.Enum):
    """What kind of place a :class:`Place` is."""

    CITY = "city"
    TOWN = "town"
    BORDER_STATION = "border_station"
    BORDER_CROSSING = "border_crossing"
    BUILDING = "building"
    FACILITY = "facility"
    AREA = "area"
    """A named area that is no ISO subdivision ("Siberia", "the Far East")."""
    OTHER = "other"


@attrs.frozen(kw_only=True)
class Place:
    """A named place: a city, a border station, a building, an area.

    >>> Place(name="Khasan", kind=PlaceKind.BORDER_STATION, country=Country("RUS"), region=Region("RU-PRI")).name
    'Khasan'
    """

    name: str = attrs.field(validator=text_validator(_NAME_LENGTH))
    kind: PlaceKind = attrs.field(default=PlaceKind.OTHER, validator=instance_of(PlaceKind))
    country: Country | None = attrs.field(default=None, validator=instance_of(Country, optional=True))
    region: Region | None = attrs.field(default=None, validator=instance_of(Region, optional=True))

    def __attrs_post_init__(self) -> None:
        if self.region is not None and self.country is not None and self.region.country != self.country:
            raise ValidationError("region", self.region.code, f"is not in {self.country.code}")


class OrganizationKind(enum.Enum):
    """What kind of body an :class:`Organization` is."""

    GOVERNMENT = "government"
    COMPANY = "company"
    INTERNATIONAL = "international"
    AGENCY = "agency"
    MEDIA = "media"
    OTHER = "other"


@attrs.frozen(kw_only=True)
class Organization:
    """An organization: a government body, a company, an international programme.

    >>> Organization(name="Kamaz", kind=OrganizationKind.COMPANY, country=Country("RUS")).country.code
    'RUS'
    """

    name: str = attrs.field(validator=text_validator(_NAME_LENGTH))
    kind: OrganizationKind = attrs.field(default=OrganizationKind.OTHER, validator=instance_of(OrganizationKind))
    country: Country | None = attrs.field(default=None, validator=instance_of(Country, optional=True))


@attrs.frozen(kw_only=True)
class Person:
    """A person, with the country they act for and their role, if stated.

    >>> Person(name="Viktor Ishayev", role="presidential envoy to the Far East", country=Country("RUS")).role
    'presidential envoy to the Far East'
    """

    name: str = attrs.field(validator=text_validator(_NAME_LENGTH))
    country: Country | None = attrs.field(default=None, validator=instance_of(Country, optional=True))
    role: str | None = attrs.field(default=None, validator=attrs.validators.optional(text_validator(_NAME_LENGTH)))


class AreaKind(enum.Enum):
    """What a reporter or partner of UN Comtrade stands for, which says what may be added to what.

    World and groups contain countries (adding them to countries counts
    twice); "nes" areas and the special categories hold trade that no
    country's row holds (adding them to countries is right: the World is
    the sum of all of them).
    """

    COUNTRY = "country"
    """A country, by its ISO 3166 alpha-3 code."""
    WORLD = "world"
    """The World, every partner together (Comtrade code 0)."""
    GROUP = "group"
    """A group of countries, such as the EU (97), or an area nkru does not know (it may overlap countries)."""
    NES = "nes"
    """An area "not elsewhere specified", trade whose country the reporter does not give (490, 899 ...)."""
    SPECIAL = "special"
    """Bunkers (837), free zones (838), special categories (839), trade with no partner country."""


@attrs.frozen(kw_only=True)
class Area:
    """A reporter or partner of UN Comtrade that is no country: the World, a group, an "nes" area.

    Args:
        code: The code nkru's tables use for it: Comtrade's ISO-like code
            (``W00``, ``S19``, ``_X``), or the numeric code as text if
            Comtrade gives none.
        comtrade: Comtrade's numeric area code (UN M49 style), if known.
        name: Comtrade's name for it.
        kind: What it stands for.

    >>> comtrade_area(490)
    Area(code='S19', comtrade=490, name='Other Asia, nes', kind=<AreaKind.NES: 'nes'>)
    """

    code: str = attrs.field(validator=text_validator(_CODE_LENGTH))
    comtrade: int | None = attrs.field(default=None, validator=instance_of(int, optional=True))
    name: str = attrs.field(validator=text_validator(_NAME_LENGTH))
    kind: AreaKind = attrs.field(validator=instance_of(AreaKind))

    def __attrs_post_init__(self) -> None:
        if self.kind is AreaKind.COUNTRY:
            raise ValidationError("kind", self.kind.value, "an Area is no country; use Country")


def _areas(*rows: tuple[int, str, str, AreaKind]) -> dict[int, Area]:
    return {number: Area(code=code, comtrade=number, name=name, kind=kind) for number, code, name, kind in rows}


#: Comtrade's reporters and partners that are no country, by Comtrade's numeric code. From UN Comtrade's
#: documentation of its reference areas (as summarised in the shared data's README): partner 0 is the World
#: (ISO-like ``W00`` in Comtrade Plus, ``WLD`` in Comtrade Classic); 97 the EU; "nes" = not elsewhere specified,
#: 490 "Other Asia, nes" (which is Taiwan: see ``taiwan=`` of :func:`nkru.read_comtrade`), 899 "Areas, nes";
#: 837 Bunkers, 838 Free zones, 839 Special categories; 568, 577, 636, 527 the regional "nes" areas. Where
#: Comtrade's documentation gives no ISO-like code, the numeric code stands for it; a file's own ISO-like code
#: is used when it gives one.
COMTRADE_AREAS: Final[Mapping[int, Area]] = MappingProxyType(
    _areas(
        (0, "W00", "World", AreaKind.WORLD),
        (97, "97", "European Union", AreaKind.GROUP),
        (490, "S19", "Other Asia, nes", AreaKind.NES),
        (527, "527", "Oceania, nes", AreaKind.NES),
        (568, "568", "Other Europe, nes", AreaKind.NES),
        (577, "577", "Other Africa, nes", AreaKind.NES),
        (636, "636", "Rest of America, nes", AreaKind.NES),
        (837, "837", "Bunkers", AreaKind.SPECIAL),
        (838, "838", "Free zones", AreaKind.SPECIAL),
        (839, "839", "Special categories", AreaKind.SPECIAL),
        (899, "_X", "Areas, nes", AreaKind.NES),
    )
)

#: Other spellings Comtrade uses for an area's ISO-like code: Comtrade Classic writes the World ``WLD``.
_ALIASES: Final[Mapping[str, int]] = MappingProxyType({"WLD": 0})
_BY_CODE: Final[Mapping[str, Area]] = MappingProxyType({area.code: area for area in COMTRADE_AREAS.values()})


def comtrade_area(key: int | str) -> Area | None:
    """The area Comtrade names by a numeric code (``490``) or ISO-like code (``S19``, ``WLD``); None if unknown.

    >>> comtrade_area("WLD").code, comtrade_area(0).kind
    ('W00', <AreaKind.WORLD: 'world'>)
    >>> comtrade_area(408) is None  # the DPRK: a country, no area
    True
    """
    if isinstance(key, int) and not isinstance(key, bool):
        return COMTRADE_AREAS.get(key)
    if isinstance(key, str):
        number = _ALIASES.get(key)
        return COMTRADE_AREAS[number] if number is not None else _BY_CODE.get(key)
    return None


def area_kind(code: str) -> AreaKind | None:
    """The kind of the party a table's reporter or partner code names: a country or an area nkru knows.

    Returns:
        :attr:`AreaKind.COUNTRY` for an ISO 3166 alpha-3 code, the area's kind
        for a code of :data:`COMTRADE_AREAS`, None for any other code.

    >>> area_kind("PRK"), area_kind("W00"), area_kind("S19"), area_kind("XYZ")
    (<AreaKind.COUNTRY: 'country'>, <AreaKind.WORLD: 'world'>, <AreaKind.NES: 'nes'>, None)
    """
    if not isinstance(code, str):
        return None
    area = _BY_CODE.get(code)
    if area is not None:
        return area.kind
    return AreaKind.COUNTRY if _country_record(code) is not None else None


Party = Country | Region | Organization | Person
"""Who can act, give, receive, report or be reported on."""

Location = Country | Region | Place
"""Where something is, comes from or goes to."""

if TYPE_CHECKING:
    Organisation = Organization
    OrganisationKind = OrganizationKind

#: The British spellings of nkru 0.1, served until 0.3 with a DeprecationWarning: nkru spells as pint and pandas do.
__getattr__ = moved_names(
    __name__,
    {"Organisation": "nkru.parties:Organization", "OrganisationKind": "nkru.parties:OrganizationKind"},
)
