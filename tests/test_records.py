"""Validation of the domain records on construction."""

from __future__ import annotations

import datetime as dt
import types
from typing import Any

import attrs
import pytest

import nkru
import nkru.parties
from nkru.commodities import Commodity, commodity
from nkru.dataset import Claim, ClaimKind, Dataset, Direction
from nkru.errors import ValidationError
from nkru.measures import Measure, Qualifier
from nkru.parties import Country, Organization, OrganizationKind, Person, Place, PlaceKind, Region
from nkru.periods import Period
from nkru.records import Event, EventKind, Flow, Purpose, Shipment, Source, TradeFlow
from nkru.units import money, quantity


def _flow(**changes: Any) -> TradeFlow:
    base: dict[str, Any] = {
        "id": "tf.1",
        "reporter": Country("RUS"),
        "partner": Country("PRK"),
        "flow": Flow.EXPORT,
        "period": Period.year(2003),
        "amount": Measure(money(96e6, "USD")),
    }
    base.update(changes)
    return TradeFlow(**base)


class TestParties:
    def test_countries(self) -> None:
        assert Country("SUN").is_historic
        assert not Country("PRK").is_historic
        assert Country("RUS").numeric == "643"
        assert Country.lookup("Russian Federation") == Country("RUS")

    @pytest.mark.parametrize("code", ["XYZ", "prk", "", "PR", 408, None, "SUHH"])
    def test_unknown_country_codes(self, code: Any) -> None:
        with pytest.raises(ValidationError):
            Country(code)

    def test_lookup_failure(self) -> None:
        with pytest.raises(ValidationError, match="no country"):
            Country.lookup("Atlantis")

    def test_regions(self) -> None:
        assert [Region(c).country for c in ("RU-PRI", "RU-AMU", "RU-KEM", "RU-MAG")] == [Country("RUS")] * 4
        with pytest.raises(ValidationError):
            Region("RU-XXX")

    def test_place_region_must_be_in_country(self) -> None:
        with pytest.raises(ValidationError, match="is not in PRK"):
            Place(name="Khasan", kind=PlaceKind.BORDER_STATION, country=Country("PRK"), region=Region("RU-PRI"))

    @pytest.mark.parametrize("name", ["", "   ", "a\x00b", "x" * 301, 5])
    def test_bad_names(self, name: Any) -> None:
        with pytest.raises(ValidationError):
            Organization(name=name, kind=OrganizationKind.COMPANY)
        with pytest.raises(ValidationError):
            Person(name=name)

    @pytest.mark.parametrize("module", [nkru.parties, nkru])
    @pytest.mark.parametrize(("old", "new"), [("Organisation", Organization), ("OrganisationKind", OrganizationKind)])
    def test_british_spellings_are_deprecated_aliases(self, module: types.ModuleType, old: str, new: type) -> None:
        with pytest.warns(
            DeprecationWarning, match=rf"{module.__name__}\.{old} is deprecated .* use nkru\.parties\.{new.__name__}"
        ):
            alias = getattr(module, old)
        assert alias is new
        assert old in dir(nkru)

    def test_old_class_name_builds_the_same_organization(self) -> None:
        with pytest.warns(DeprecationWarning, match="Organisation is deprecated"):
            old_class = nkru.parties.Organisation
        with pytest.warns(DeprecationWarning, match="OrganisationKind is deprecated"):
            old_kind = nkru.parties.OrganisationKind
        kamaz = Organization(name="Kamaz", kind=OrganizationKind.COMPANY, country=Country("RUS"))
        assert old_class(name="Kamaz", kind=old_kind.COMPANY, country=Country("RUS")) == kamaz
        assert (
            repr(kamaz)
            == "Organization(name='Kamaz', kind=<OrganizationKind.COMPANY: 'company'>, country=Country(code='RUS'))"
        )


class TestCommodity:
    def test_known_labels(self) -> None:
        assert commodity("oil products") == Commodity("oil products", "2710")
        assert commodity("grain").chapter == "10"
        assert commodity("wood and pulp").hs is None

    @pytest.mark.parametrize("hs", ["00", "77", "98", "1", "123", "27101", "abcd"])
    def test_bad_hs(self, hs: str) -> None:
        with pytest.raises(ValidationError):
            Commodity("x", hs)


class TestSource:
    def test_rejects_negative_and_bool_offsets(self) -> None:
        with pytest.raises(ValidationError):
            Source(document="d", start=-1, end=2, quote="abc")
        with pytest.raises(ValidationError):
            Source(document="d", start=True, end=2, quote="a")  # type: ignore[arg-type]

    def test_rejects_empty_span(self) -> None:
        with pytest.raises(ValidationError, match="after start"):
            Source(document="d", start=3, end=3, quote="x")


class TestTradeFlow:
    def test_valid(self) -> None:
        assert _flow().amount == Measure(money(96e6, "USD"))

    def test_needs_a_figure(self) -> None:
        with pytest.raises(ValidationError, match="needs an amount"):
            _flow(amount=None)

    def test_amount_must_be_money(self) -> None:
        with pytest.raises(ValidationError, match=r"^amount: .*money"):
            _flow(amount=Measure(quantity(5, "t")))

    def test_negative_mass(self) -> None:
        with pytest.raises(ValidationError, match="negative"):
            _flow(mass=Measure(quantity(-1, "t")))

    def test_share_must_be_dimensionless(self) -> None:
        with pytest.raises(ValidationError, match="share"):
            _flow(share=Measure(quantity(5, "t")))
        assert _flow(share=Measure(quantity(63, "percent")), share_of="exports").share_of == "exports"

    def test_share_of_without_share(self) -> None:
        with pytest.raises(ValidationError, match="without a share"):
            _flow(share_of="exports")

    def test_count_must_be_items(self) -> None:
        with pytest.raises(ValidationError, match="count"):
            _flow(count=Measure(quantity(5, "t")))

    def test_inferred_names_fields(self) -> None:
        assert _flow(inferred=("period",)).inferred == ("period",)
        with pytest.raises(ValidationError, match="not a field"):
            _flow(inferred=("colour",))

    def test_bad_id(self) -> None:
        for bad in ("", "Has Space", "UPPER", "-lead", "x" * 81):
            with pytest.raises(ValidationError):
                _flow(id=bad)

    def test_lists_are_refused_for_tuples(self) -> None:
        with pytest.raises(ValidationError, match="tuple"):
            _flow(notes=["a"])

    def test_frozen(self) -> None:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            _flow().id = "x"  # type: ignore[misc]

    def test_comtrade_codes(self) -> None:
        assert [f.comtrade_code for f in Flow] == ["X", "M", None, "RX", "RM"]

    def test_value_is_a_deprecated_alias_of_amount(self) -> None:
        flow = _flow()
        with pytest.warns(DeprecationWarning, match=r"TradeFlow\.value is deprecated .* use TradeFlow\.amount"):
            old = flow.value
        assert old == Measure(money(96e6, "USD"))
        assert old is flow.amount

    def test_value_is_no_longer_a_constructor_argument(self) -> None:
        # attrs builds the constructor from the fields; the old keyword fails loudly rather than being dropped.
        with pytest.raises(TypeError, match="value"):
            TradeFlow(  # type: ignore[call-arg]
                id="tf.1",
                reporter=Country("RUS"),
                partner=Country("PRK"),
                flow=Flow.EXPORT,
                period=Period.year(2003),
                value=Measure(money(96e6, "USD")),
            )

    def test_value_is_not_a_field_name_for_inferred(self) -> None:
        with pytest.raises(ValidationError, match=r"inferred\[0\]: is not a field of TradeFlow \(got 'value'\)"):
            _flow(inferred=("value",))


class TestRelativeLevelAndLikelyPeriod:
    def _flow(self, **fields: Any) -> TradeFlow:
        return TradeFlow(
            id="x",
            reporter=Country("RUS"),
            partner=Country("PRK"),
            flow=Flow.EXPORT,
            period=Period.year(1993),
            **fields,
        )

    def test_a_relative_level_alone_makes_a_flow(self) -> None:
        flow = self._flow(relative_level=Measure(quantity(10, "percent")), relative_base=Period.year(1990))
        assert flow.relative_level == Measure(quantity(10, "percent"))
        assert flow.relative_base == Period.year(1990)

    def test_a_relative_level_is_a_ratio(self) -> None:
        with pytest.raises(ValidationError, match="relative_level: must be a share"):
            self._flow(relative_level=Measure(money(10, "USD")))

    def test_a_base_needs_a_level_and_comes_before(self) -> None:
        with pytest.raises(ValidationError, match="relative_base: is given without a relative level"):
            self._flow(amount=Measure(money(10, "USD")), relative_base=Period.year(1990))
        with pytest.raises(ValidationError, match="relative_base: must end before the period 1993"):
            self._flow(relative_level=Measure(quantity(10, "percent")), relative_base=Period.year(1993))

    def test_a_likely_period_must_be_flagged_inferred(self) -> None:
        amount = Measure(money(172.3e6, "USD"))
        with pytest.raises(ValidationError, match="likely_period: is a reader's reading"):
            self._flow(amount=amount, likely_period=Period.months(1993, 1, 9))
        flow = self._flow(amount=amount, likely_period=Period.months(1993, 1, 9), inferred=("likely_period",))
        assert flow.likely_period == Period.months(1993, 1, 9)


class TestShipmentAndEvent:
    def test_shipment(self) -> None:
        s = Shipment(
            id="sh.1",
            commodity=commodity("sugar"),
            mass=Measure(quantity(370, "t")),
            amount=Measure(money(3.5e9, "RUR")),
            origin=Country("RUS"),
            destination=Country("PRK"),
            period=Period.month(1997, 12),
            purpose=Purpose.HUMANITARIAN_AID,
            donor=Country("RUS"),
        )
        assert s.period is not None
        assert s.period.end == dt.date(1997, 12, 31)

    def test_shipment_value_is_a_deprecated_alias_of_amount(self) -> None:
        shipment = Shipment(id="sh.1", amount=Measure(money(3.5e9, "RUR")))
        with pytest.warns(DeprecationWarning, match=r"Shipment\.value is deprecated .* use Shipment\.amount"):
            old = shipment.value
        assert old == Measure(money(3.5e9, "RUR"))
        assert Shipment(id="sh.2").amount is None

    def test_shipment_rejects_money_as_mass(self) -> None:
        with pytest.raises(ValidationError, match="mass"):
            Shipment(id="sh.1", mass=Measure(money(5, "USD")))

    def test_shipment_rejects_a_person_as_origin(self) -> None:
        with pytest.raises(ValidationError):
            Shipment(id="sh.1", origin=Person(name="x"))  # type: ignore[arg-type]

    def test_event(self) -> None:
        e = Event(id="ev.1", kind=EventKind.NUCLEAR_TEST, period=Period.month(2006, 10), title="Nuclear test")
        assert e.kind.cameo_code == "150"
        with pytest.raises(ValidationError):
            Event(id="ev.2", kind=EventKind.VISIT, period=Period.year(2011), title="")


class TestDataset:
    def test_ids_unique_and_links_checked(self) -> None:
        flow = _flow()
        with pytest.raises(ValidationError, match="two records"):
            Dataset(trade_flows=(flow, flow))
        claim = Claim(id="cl.1", kind=ClaimKind.DIRECTION, subjects=("tf.1", "tf.2"), direction=Direction.INCREASE)
        with pytest.raises(ValidationError, match=r"claims\[0\].subjects"):
            Dataset(trade_flows=(flow,), claims=(claim,))

    def test_get(self) -> None:
        ds = Dataset(trade_flows=(_flow(),))
        assert ds.get("tf.1") is ds.trade_flows[0]
        assert "tf.1" in ds
        assert len(ds) == 1
        with pytest.raises(ValidationError, match="no record"):
            ds.get("nope")

    def test_claim_validation(self) -> None:
        with pytest.raises(ValidationError, match="stated figure"):
            Claim(id="c", kind=ClaimKind.PERCENT_CHANGE, subjects=("a", "b"))
        with pytest.raises(ValidationError, match="direction"):
            Claim(id="c", kind=ClaimKind.DIRECTION, subjects=("a", "b"))
        with pytest.raises(ValidationError, match="percentage"):
            Claim(id="c", kind=ClaimKind.RATIO, subjects=("a", "b"), stated=Measure(quantity(5, "t")))
        with pytest.raises(ValidationError, match="field"):
            Claim(
                id="c",
                kind=ClaimKind.RATIO,
                subjects=("a", "b"),
                field="colour",
                stated=Measure(quantity(5, "percent")),
            )
        with pytest.raises(ValidationError, match="relates"):
            Claim(id="c", kind=ClaimKind.RATIO, subjects=("a",), stated=Measure(quantity(5, "percent")))

    def test_claim_field_defaults_to_amount(self) -> None:
        claim = Claim(id="c", kind=ClaimKind.DIRECTION, subjects=("a", "b"), direction=Direction.INCREASE)
        assert claim.field == "amount"

    def test_claim_field_value_is_a_deprecated_name_of_amount(self) -> None:
        with pytest.warns(
            DeprecationWarning, match=r'Claim\(field="value"\) is deprecated .* use Claim\(field="amount"\)'
        ):
            claim = Claim(
                id="c", kind=ClaimKind.DIRECTION, subjects=("a", "b"), field="value", direction=Direction.INCREASE
            )
        assert claim.field == "amount"
        assert claim == Claim(id="c", kind=ClaimKind.DIRECTION, subjects=("a", "b"), direction=Direction.INCREASE)

    def test_qualifier_in_flow(self) -> None:
        flow = _flow(mass=Measure(quantity(890, "t"), Qualifier.AT_MOST))
        assert flow.mass is not None
        assert flow.mass.bounds[1] == quantity(890, "t")


def test_hs_codes_are_ascii_digits() -> None:
    # Arabic-Indic digits match \d; as an HS code they would group apart from "27".
    with pytest.raises(ValidationError):
        Commodity("x", "٢٧")
