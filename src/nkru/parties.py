"""Parties and places: countries, regions, places, organizations and persons.

Countries are ISO 3166-1 alpha-3 codes, or ISO 3166-3 codes for countries
that no longer exist (``SUN``, the Soviet Union); regions are ISO 3166-2
codes. The code lists come from :mod:`pycountry`; nkru adds none of its own.

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
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pycountry

from nkru._core.deprecation import moved_names
from nkru._core.text import instance_of, text_validator
from nkru.errors import ValidationError

__all__ = [
    "Country",
    "Location",
    "Organization",
    "OrganizationKind",
    "Party",
    "Person",
    "Place",
    "PlaceKind",
    "Region",
]

_NAME_LENGTH = 300


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
