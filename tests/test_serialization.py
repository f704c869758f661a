"""Strictness and error reporting of nkru's converter."""

from __future__ import annotations

import json
from typing import Any

import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkru import strategies as nst
from nkru.dataset import Claim, Dataset
from nkru.errors import StructureError
from nkru.measures import Measure, Qualifier
from nkru.parties import Country, Organization, OrganizationKind, Place, PlaceKind, Region
from nkru.periods import Period
from nkru.records import Event, EventKind, Flow, Purpose, Shipment, TradeFlow
from nkru.serialization import converter, from_dict, from_json, make_converter, to_dict, to_json
from nkru.units import money, quantity


def _dataset() -> Dataset:
    flow = TradeFlow(
        id="tf.1",
        reporter=Country("RUS"),
        partner=Country("PRK"),
        flow=Flow.EXPORT,
        period=Period.months(2005, 1, 9),
        amount=Measure(money(168.7e6, "USD"), resolution=1e5),
    )
    ships = tuple(
        Shipment(
            id=f"sh.{n}",
            mass=Measure(quantity(1000 * n, "t"), Qualifier.APPROXIMATE),
            route=Place(name="Khasan", kind=PlaceKind.BORDER_STATION, country=Country("RUS"), region=Region("RU-PRI")),
            purpose=Purpose.COMMERCIAL,
        )
        for n in range(5)
    )
    event = Event(id="ev.1", kind=EventKind.VISIT, period=Period.year(2011), title="Visit", related=("tf.1",))
    return Dataset(trade_flows=(flow,), shipments=ships, events=(event,))


def _problems(data: Any, cls: type = Dataset) -> dict[str, str]:
    with pytest.raises(StructureError) as info:
        from_dict(data, cls)
    return {p.path: p.reason for p in info.value.problems}


class TestShape:
    def test_quantities_are_number_and_unit(self) -> None:
        assert to_dict(Measure(quantity(6092, "t"))) == {"value": {"magnitude": 6092.0, "unit": "metric_ton"}}

    def test_parties_in_unions_are_tagged(self) -> None:
        assert to_dict(Place(name="Khasan", country=Country("RUS")))["country"] == {"type": "country", "code": "RUS"}

    def test_defaults_are_omitted_and_restored(self) -> None:
        data = to_dict(Period.year(2005))
        assert data == {"start": "2005-01-01", "end": "2005-12-31", "precision": "year"}
        assert from_dict(data, Period) == Period.year(2005)

    def test_own_converter_leaves_the_global_one_alone(self) -> None:
        assert converter is not cattrs.global_converter
        assert make_converter() is not converter
        with pytest.raises(Exception):  # noqa: B017 - cattrs' own default error, whatever it is
            cattrs.structure({"start": "2005-01-01", "end": "2005-12-31", "precision": "year"}, Period)


class TestErrors:
    def test_every_bad_field_is_listed_with_its_path(self) -> None:
        data = to_dict(_dataset())
        data["shipments"][3]["mass"]["value"]["unit"] = "zorks"
        data["shipments"][1]["mass"]["value"]["magnitude"] = "12"
        data["trade_flows"][0]["period"]["end"] = "2005-02-30"
        data["events"][0]["kind"] = "party"
        data["shipments"][0]["route"]["region"] = {"type": "region", "code": "RU-ZZZ"}
        problems = _problems(data)
        assert set(problems) == {
            "$.shipments[3].mass.value.unit",
            "$.shipments[1].mass.value.magnitude",
            "$.trade_flows[0].period.end",
            "$.events[0].kind",
            "$.shipments[0].route.region.code",
        }
        assert problems["$.shipments[3].mass.value.unit"] == "cannot read 'zorks' at character 0: unknown unit 'zorks'"
        assert problems["$.shipments[1].mass.value.magnitude"] == "must be a number (got '12')"

    def test_validator_errors_name_the_field(self) -> None:
        data = to_dict(_dataset())
        data["shipments"][2]["mass"]["value"]["magnitude"] = -1
        assert _problems(data) == {"$.shipments[2].mass": "must not be negative (got <Quantity(-1.0, 'metric_ton')>)"}

    def test_unknown_keys_are_refused(self) -> None:
        data = to_dict(_dataset())
        data["trade_flows"][0]["colour"] = "red"
        assert "$.trade_flows[0]" in _problems(data)

    def test_missing_required_field(self) -> None:
        data = to_dict(_dataset())
        del data["trade_flows"][0]["reporter"]
        assert "$.trade_flows[0].reporter" in _problems(data)

    @pytest.mark.parametrize(
        "bad",
        [None, True, "x" * 100_000, [], {}, 1e308 * 10, 10**400, {"magnitude": 1, "unit": "t", "x": 1}],
    )
    def test_junk_quantity(self, bad: Any) -> None:
        data = to_dict(_dataset())
        data["shipments"][0]["mass"]["value"] = bad
        problems = _problems(data)
        assert all(path.startswith("$.shipments[0].mass.value") for path in problems)

    def test_bad_tags(self) -> None:
        data = to_dict(_dataset())
        data["shipments"][0]["route"]["country"] = {"type": "planet", "code": "RUS"}
        assert _problems(data) == {
            "$.shipments[0].route.country.type": "must be one of country (got 'planet')",
        }

    def test_strings_are_not_lists(self) -> None:
        data = to_dict(_dataset())
        data["events"][0]["related"] = "tf.1"
        assert _problems(data) == {"$.events[0].related": "must be a list (got 'tf.1')"}

    def test_bools_are_not_numbers(self) -> None:
        assert _problems({"document": "d", "start": True, "end": 2, "quote": "ab"}, cls=type(_source())) == {
            "$.start": "must be a whole number (got True)"
        }


def _source() -> Any:
    from nkru.records import Source  # noqa: PLC0415

    return Source(document="d", start=0, end=2, quote="ab")


class TestJson:
    def test_round_trip_identity(self) -> None:
        ds = _dataset()
        text = to_json(ds)
        assert from_json(text, Dataset) == ds
        assert to_json(from_json(text, Dataset)) == text

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("{", "is not valid JSON"),
            ('{"trade_flows": [NaN]}', "is not valid JSON"),
            ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
            (b"\xff\xfe", "is not UTF-8"),
        ],
    )
    def test_bad_json(self, text: str | bytes, reason: str) -> None:
        with pytest.raises(StructureError, match=reason):
            from_json(text, Dataset)

    def test_nan_is_not_written(self) -> None:
        with pytest.raises(ValueError, match="Out of range float values"):
            json.dumps(float("nan"), allow_nan=False)
        # and a Measure can never hold one to begin with; see test_measures.

    def test_floats_come_back_bit_for_bit(self) -> None:
        for magnitude in (0.1, 1.97e9, 172.3e6, 5e-324, 1.7976931348623157e308, 34716.0):
            m = Measure(quantity(magnitude, "USD"))
            back = from_json(to_json(m), Measure)
            assert back.value is not None
            assert back.value.magnitude.hex() == magnitude.hex()


class TestRenamedAmount:
    """``value``, the records' old name of ``amount``, is read from documents until nkru 0.3."""

    def test_amount_is_written(self) -> None:
        data = to_dict(_dataset())["trade_flows"][0]
        assert data["amount"] == {"value": {"magnitude": 168.7e6, "unit": "USD"}, "resolution": 1e5}
        assert "value" not in data

    def test_old_key_of_a_trade_flow_is_read_with_a_warning(self) -> None:
        data = to_dict(_dataset())
        flow = data["trade_flows"][0]
        data["trade_flows"][0] = {("value" if key == "amount" else key): item for key, item in flow.items()}
        with pytest.warns(DeprecationWarning, match='field name "value" in a TradeFlow document is deprecated'):
            assert from_dict(data, Dataset) == _dataset()

    def test_old_key_and_inferred_name_of_a_shipment_are_read_with_a_warning(self) -> None:
        new = Shipment(id="sh.1", amount=Measure(money(3.5e9, "RUR")), inferred=("amount", "period"))
        old = {"id": "sh.1", "inferred": ["value", "period"], "value": {"value": {"magnitude": 3.5e9, "unit": "RUR"}}}
        with pytest.warns(DeprecationWarning, match='field name "value" in a Shipment document is deprecated'):
            assert from_json(json.dumps(old), Shipment) == new

    def test_both_keys_are_refused(self) -> None:
        data = to_dict(_dataset())["trade_flows"][0]
        data["value"] = data["amount"]
        assert _problems(data, TradeFlow) == {"$": "extra fields found ('value')"}

    def test_old_claim_field_is_read_with_a_warning(self) -> None:
        data = {"id": "c", "kind": "direction", "subjects": ["a", "b"], "field": "value", "direction": "increase"}
        with pytest.warns(DeprecationWarning, match=r'Claim\(field="value"\) is deprecated'):
            claim = from_dict(data, Claim)
        assert claim.field == "amount"
        assert "field" not in to_dict(claim)


class TestRenamedTag:
    """The tag ``organisation`` of nkru 0.1 is read, never written, until 0.3."""

    KAMAZ = Organization(name="Kamaz", kind=OrganizationKind.COMPANY, country=Country("RUS"))

    def test_new_tag_is_written(self) -> None:
        shipment = Shipment(id="sh.1", channel=self.KAMAZ)
        assert to_dict(shipment)["channel"] == {
            "type": "organization",
            "name": "Kamaz",
            "kind": "company",
            "country": {"type": "country", "code": "RUS"},
        }

    def test_old_tag_is_read_with_a_warning(self) -> None:
        old = {
            "id": "sh.1",
            "channel": {
                "type": "organisation",
                "name": "Kamaz",
                "kind": "company",
                "country": {"type": "country", "code": "RUS"},
            },
        }
        with pytest.warns(DeprecationWarning, match='the type tag "organisation" is deprecated .* use "organization"'):
            assert from_json(json.dumps(old), Shipment) == Shipment(id="sh.1", channel=self.KAMAZ)

    def test_unknown_tags_still_name_the_new_one(self) -> None:
        data = {"id": "sh.1", "channel": {"type": "organisations", "name": "Kamaz"}}
        assert _problems(data, Shipment) == {
            "$.channel.type": "must be one of country, region, organization, person (got 'organisations')"
        }


class TestMeasureFastPath:
    """The fast Measure hook accepts and refuses exactly what cattrs' generated hook does."""

    def test_a_range_without_its_value_key_is_refused(self) -> None:
        # 'value' has no default: a range writes it as null, and leaving it out is an error.
        data = {"qualifier": "range", "lower": {"magnitude": 1, "unit": "t"}, "upper": {"magnitude": 2, "unit": "t"}}
        with pytest.raises(StructureError) as info:
            from_dict(data, Measure)
        assert info.value.paths == ("$.value",)
        assert from_dict({**data, "value": None}, Measure).lower == quantity(1, "t")

    @staticmethod
    def _outcome(function: Any, data: Any) -> Any:
        try:
            return ("ok", to_dict(function(data)))
        except Exception as exc:
            return ("error", type(exc).__name__)

    @given(
        nst.measures(),
        st.sampled_from(["value", "qualifier", "lower", "upper", "status", "resolution", "colour"]),
        st.one_of(
            st.none(), st.just("approximate"), st.just("x"), st.integers(), st.just({"magnitude": 1, "unit": "t"})
        ),
        st.booleans(),
    )
    def test_same_outcome_as_cattrs(self, measure: Measure, key: str, junk: Any, delete: bool) -> None:
        data = to_dict(measure)
        if delete:
            data.pop(key, None)
        else:
            data[key] = junk
        generic = converter.gen_structure_attrs_fromdict(Measure)
        fast = self._outcome(lambda d: converter.structure(d, Measure), data)
        slow = self._outcome(lambda d: generic(d, Measure), data)
        assert fast == slow
