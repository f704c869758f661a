"""Lossless JSON and dict forms of every nkru type, through nkru's own cattrs converter.

Quantities become ``{"magnitude": 830000.0, "unit": "metric_ton"}`` (a number
and a unit, never a string to re-parse); dates become ISO 8601 strings; enums
their values; the party and place unions carry a ``"type"`` tag. Structuring
is strict: a string where a number belongs, an unknown key, a nan, a unit
nkru's grammar does not read, are all errors, and one
:class:`~nkru.errors.StructureError` lists every bad field with its path.

>>> from nkru.measures import Measure
>>> from nkru.units import quantity
>>> text = to_json(Measure(quantity(830_000, "t")))
>>> text
'{"value": {"magnitude": 830000.0, "unit": "metric_ton"}}'
>>> from_json(text, Measure) == Measure(quantity(830_000, "t"))
True
>>> from_json('{"value": {"magnitude": "lots", "unit": "MT"}}', Measure)
Traceback (most recent call last):
...
nkru.errors.StructureError: cannot build Measure: 2 problems: $.value.magnitude: must be a number (got 'lots'); $.value.unit: cannot read 'MT' at character 0: ambiguous unit 'MT': pint's 'MT' is a megatesla; write 't' for metric tonnes

The converter is nkru's own; cattrs' global converter is never touched.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, TypeVar

import cattrs
import pint
from cattrs.cols import homogenous_tuple_structure_factory, is_sequence
from pint.facets.plain import PlainUnit

from nkru._core.deprecation import warn_deprecated
from nkru._core.numbers import float_or_problem, underflows
from nkru._core.text import SHOWN, clip, shown
from nkru.dataset import Claim, Dataset
from nkru.errors import FieldError, NkruError, StructureError, ValidationError
from nkru.measures import Measure, ObsStatus, Qualifier
from nkru.parties import Country, Organization, Person, Place, Region
from nkru.records import Event, Shipment, Source, TradeFlow
from nkru.units import format_unit, make_quantity, unit

__all__ = ["converter", "from_dict", "from_json", "make_converter", "to_dict", "to_json"]

T = TypeVar("T")

#: Classes that appear inside unions (parties, places) and their tags.
_TAGGED: Final[dict[str, type]] = {
    "country": Country,
    "region": Region,
    "place": Place,
    "organization": Organization,
    "person": Person,
}
_TAG_OF: Final[dict[type, str]] = {cls: tag for tag, cls in _TAGGED.items()}
#: Tags of nkru 0.1, read (never written) until 0.3 with a DeprecationWarning.
_OLD_TAGS: Final = {"organisation": "organization"}

#: Largest JSON text :func:`from_json` reads (bytes of UTF-8); bigger input is refused.
MAX_JSON_BYTES: Final = 256 * 1024 * 1024
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


class _ProblemError(ValueError):
    """A field-level problem raised inside a hook; its message is shown as is."""


def _structure_float(value: Any, _type: Any) -> float:
    # JSON's numbers only: a Fraction or Decimal in a dict would be rounded to a float without a word.
    result = float_or_problem(value) if isinstance(value, (int, float)) else "must be a number"
    if isinstance(result, str):
        raise _ProblemError(f"{result} (got {shown(value)})")
    if isinstance(value, int) and int(result) != value:
        # A float cannot hold this integer; rounding it would change the figure without a word.
        raise _ProblemError(
            f"has more digits than a float keeps (got {shown(value)}); nkru keeps figures as floats:"
            f" write the float you mean, {result!r}"
        )
    return result


def _structure_int(value: Any, _type: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _ProblemError(f"must be a whole number (got {shown(value)})")
    return value


def _structure_str(value: Any, _type: Any) -> str:
    if not isinstance(value, str):
        raise _ProblemError(f"must be text (got {shown(value)})")
    return value


def _structure_bool(value: Any, _type: Any) -> bool:
    if not isinstance(value, bool):
        raise _ProblemError(f"must be true or false (got {shown(value)})")
    return value


def _structure_date(value: Any, _type: Any) -> dt.date:
    if not isinstance(value, str) or _DATE.match(value) is None:
        raise _ProblemError(f"must be a date as YYYY-MM-DD (got {shown(value)})")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _ProblemError(f"is not a calendar date (got {shown(value)})") from None


def _keys(keys: set[Any]) -> str:
    """Name unexpected keys, clipped: a document with 10,000 junk keys gives a one-line message."""
    names = sorted(shown(str(key)) for key in keys)
    more = f", and {len(names) - 5} more" if len(names) > 5 else ""
    return ", ".join(names[:5]) + more


def _unstructure_quantity(value: pint.Quantity[float]) -> dict[str, Any]:
    return {"magnitude": float(value.magnitude), "unit": format_unit(value.units)}


def _structure_quantity(value: Any, _type: Any) -> pint.Quantity[float]:
    if not isinstance(value, Mapping):
        raise _ProblemError(f"must be an object with magnitude and unit (got {shown(value)})")
    extra = set(value) - {"magnitude", "unit"}
    errors: list[Exception] = []
    if extra:
        errors.append(_with_note(_ProblemError(f"unexpected keys {_keys(extra)}"), None))
    magnitude: float | None = None
    units: PlainUnit | None = None
    try:
        magnitude = _structure_float(value["magnitude"], float)
    except KeyError:
        errors.append(_with_note(_ProblemError("is required"), "magnitude"))
    except _ProblemError as exc:
        errors.append(_with_note(exc, "magnitude"))
    try:
        raw_unit = value["unit"]
        if not isinstance(raw_unit, str):
            raise _ProblemError(f"must be text (got {shown(raw_unit)})")
        units = unit(raw_unit)
    except KeyError:
        errors.append(_with_note(_ProblemError("is required"), "unit"))
    except (_ProblemError, NkruError) as exc:
        errors.append(_with_note(exc, "unit"))
    if errors or magnitude is None or units is None:
        raise cattrs.ClassValidationError("bad quantity", errors, pint.Quantity)
    return make_quantity(magnitude, units)


def _is_quantity_type(kind: Any) -> bool:
    origin = typing.get_origin(kind) or kind
    return isinstance(origin, type) and issubclass(origin, pint.Quantity)


def _with_note(exc: Exception, field: str | None) -> Exception:
    if field is not None:
        exc.__notes__ = [cattrs.AttributeValidationNote(f"Structuring field {field}", field, Any)]
    return exc


def _is_tagged_union(kind: Any) -> bool:
    if typing.get_origin(kind) not in (typing.Union, types.UnionType):
        return False
    members = [m for m in typing.get_args(kind) if m is not type(None)]
    return bool(members) and all(m in _TAG_OF for m in members)


def _union_hooks(conv: cattrs.Converter) -> None:
    def structure_union(value: Any, kind: Any) -> Any:
        members = typing.get_args(kind)
        if value is None and type(None) in members:
            return None
        if not isinstance(value, Mapping):
            raise _ProblemError(f"must be an object with a 'type' (got {shown(value)})")
        tag = value.get("type")
        if isinstance(tag, str) and tag in _OLD_TAGS:
            warn_deprecated(f'the type tag "{tag}"', f'"{_OLD_TAGS[tag]}"', stacklevel=2)
            tag = _OLD_TAGS[tag]
        cls = _TAGGED.get(tag) if isinstance(tag, str) else None
        if cls is None or cls not in members:
            allowed = ", ".join(_TAG_OF[m] for m in members if m in _TAG_OF)
            problem = _with_note(_ProblemError(f"must be one of {allowed} (got {shown(tag)})"), "type")
            raise cattrs.ClassValidationError("bad tag", [problem], dict)
        body = {key: item for key, item in value.items() if key != "type"}
        return conv.structure(body, cls)

    conv.register_structure_hook_func(_is_tagged_union, structure_union)

    def unstructure_union(value: Any) -> Any:
        if value is None:
            return None
        return {"type": _TAG_OF[type(value)], **conv.unstructure(value, type(value))}

    conv.register_unstructure_hook_func(_is_tagged_union, unstructure_union)


def _is_plain_optional(kind: Any) -> bool:
    """``X | None`` for one type X that is not a tagged record type."""
    if typing.get_origin(kind) not in (typing.Union, types.UnionType):
        return False
    members = typing.get_args(kind)
    return len(members) == 2 and type(None) in members and not any(m in _TAG_OF for m in members)


def _optional_hooks(conv: cattrs.Converter) -> None:
    """Structure ``X | None`` through X's hook, looked up once rather than on every value as cattrs does."""

    def factory(kind: Any) -> Callable[[Any, Any], Any]:
        (inner,) = (m for m in typing.get_args(kind) if m is not type(None))
        hook = conv.get_structure_hook(inner)

        def structure(value: Any, _kind: Any) -> Any:
            return None if value is None else hook(value, inner)

        return structure

    conv.register_structure_hook_factory(_is_plain_optional, factory)


def _strict_tuples(conv: cattrs.Converter) -> None:
    def factory(kind: Any, converter: Any) -> Callable[[Any, Any], Any]:
        inner = homogenous_tuple_structure_factory(kind, converter)

        def structure(value: Any, kind: Any) -> Any:
            if not isinstance(value, (list, tuple)):
                raise _ProblemError(f"must be a list (got {shown(value)})")
            return inner(value, kind)

        return structure

    conv.register_structure_hook_factory(_is_homogeneous_tuple, factory)


def _is_homogeneous_tuple(kind: Any) -> bool:
    return bool(is_sequence(kind)) and typing.get_origin(kind) is tuple


def make_converter() -> cattrs.Converter:
    """Build a fresh converter configured for every nkru type.

    Most users want the module's :data:`converter` (or :func:`to_dict` and
    friends); a new one is for users who add hooks of their own without
    touching nkru's.

    >>> conv = make_converter()
    >>> conv.unstructure(Country("PRK"))
    {'code': 'PRK'}
    """
    conv = cattrs.Converter(detailed_validation=True, forbid_extra_keys=True, omit_if_default=True)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook_func(_is_quantity_type, _structure_quantity)
    conv.register_unstructure_hook_func(_is_quantity_type, _unstructure_quantity)
    _strict_tuples(conv)
    _optional_hooks(conv)
    _union_hooks(conv)
    conv.register_structure_hook(Measure, _measure_structure(conv))
    for record_type in (TradeFlow, Shipment):
        conv.register_structure_hook(record_type, _renamed_amount_structure(conv, record_type))
    # Last: the Dataset hook looks up the hooks of its fields once, when it is made.
    conv.register_structure_hook(Dataset, _dataset_structure(conv))
    return conv


def _renamed_amount_structure(conv: cattrs.Converter, cls: type[T]) -> Callable[[Any, Any], T]:
    """Structure a TradeFlow or Shipment, reading ``value``, the old name of ``amount``, until nkru 0.3.

    The old name is read as a key when the document has no ``amount`` (one
    with both is refused, as any unknown key is) and as an entry of
    ``inferred``.
    """
    generic = conv.gen_structure_attrs_fromdict(cls)
    name = cls.__name__

    def structure(value: Any, _type: Any) -> T:
        if isinstance(value, Mapping):
            old_key = "value" in value and "amount" not in value
            inferred = value.get("inferred")
            old_inferred = inferred if isinstance(inferred, list) and "value" in inferred else None
            if old_key or old_inferred is not None:
                warn_deprecated(f'the field name "value" in a {name} document', '"amount"', stacklevel=2)
                value = {("amount" if key == "value" and old_key else key): item for key, item in value.items()}
                if old_inferred is not None:
                    value["inferred"] = ["amount" if item == "value" else item for item in old_inferred]
        return generic(value, cls)

    return structure


_MEASURE_KEYS: Final = frozenset({"value", "qualifier", "lower", "upper", "status", "resolution"})


def _measure_structure(conv: cattrs.Converter) -> Callable[[Any, Any], Measure]:
    """Structure a Measure quickly when its data is good, through cattrs when it is not.

    Measures are most of a record's structuring time (two or three quantities
    each), and cattrs' generated hook dispatches every optional field. The
    fast path reads a well-formed dict directly; on *any* problem it hands
    the same data to cattrs' generated hook, which raises the detailed,
    path-carrying errors, so both paths accept and refuse exactly the same input.
    """
    generic = conv.gen_structure_attrs_fromdict(Measure)

    def structure(value: Any, _type: Any) -> Measure:
        if type(value) is dict and value.keys() <= _MEASURE_KEYS:
            try:
                return _fast_measure(value)
            except Exception:  # noqa: BLE001, S110 - the generic hook below reports it properly
                pass
        return generic(value, Measure)

    return structure


def _fast_measure(value: dict[str, Any]) -> Measure:
    # Absent keys take the defaults; an explicit null is only allowed where the field is optional.
    raw = value["value"]  # required, even when null (a range given by its bounds)
    lower, upper, resolution = (value.get(key) for key in ("lower", "upper", "resolution"))
    return Measure(
        None if raw is None else _structure_quantity(raw, None),
        Qualifier(_structure_str(value["qualifier"], str)) if "qualifier" in value else Qualifier.EXACT,
        None if lower is None else _structure_quantity(lower, None),
        None if upper is None else _structure_quantity(upper, None),
        ObsStatus(_structure_str(value["status"], str)) if "status" in value else ObsStatus.REPORTED,
        None if resolution is None else _structure_float(resolution, float),
    )


def _dataset_structure(conv: cattrs.Converter) -> Callable[[Any, Any], Dataset]:
    """Structure a Dataset: fields first, then the links between records."""
    fields = {name: kind for name, kind in typing.get_type_hints(Dataset).items() if not name.startswith("_")}
    hooks = {name: conv.get_structure_hook(kind) for name, kind in fields.items()}

    def structure(value: Any, _type: Any) -> Dataset:
        if not isinstance(value, Mapping):
            raise _ProblemError(f"must be an object (got {shown(value)})")
        errors: list[Exception] = []
        extra = set(value) - set(fields)
        if extra:
            errors.append(_ProblemError(f"extra fields found ({_keys(extra)})"))
        parts: dict[str, Any] = {}
        for name, kind in fields.items():
            if name not in value:
                continue
            try:
                parts[name] = hooks[name](value[name], kind)
            except Exception as exc:  # noqa: BLE001 - collected and reported with its path below
                errors.append(_with_note(exc, name))
        if errors:
            raise cattrs.ClassValidationError("bad dataset", errors, Dataset)
        return Dataset(**parts)

    return structure


converter: Final[cattrs.Converter] = make_converter()
"""nkru's converter, shared by :func:`to_dict`, :func:`from_dict` and the JSON functions."""


def to_dict(value: Any) -> Any:
    """Return the plain (JSON-ready) form of any nkru value.

    >>> to_dict(Country("SUN"))
    {'code': 'SUN'}
    """
    return converter.unstructure(value)


def from_dict(data: Any, cls: type[T]) -> T:
    """Build a ``cls`` from its plain form, checking every field.

    Raises:
        StructureError: one or more fields are bad; it lists each with its path.

    >>> from_dict({"code": "PRK"}, Country)
    Country(code='PRK')
    """
    try:
        return converter.structure(data, cls)
    except cattrs.errors.StructureHandlerNotFoundError:
        # A caller's mistake (from_json(text, "TradeFlow")); cattrs' own error would name its internals.
        raise StructureError(
            _name(cls), (FieldError("$", "is not a type nkru builds; pass a class such as nkru.TradeFlow"),)
        ) from None
    except (cattrs.BaseValidationError, NkruError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise _structure_error(exc, cls) from None
    except RecursionError:
        raise StructureError(_name(cls), (FieldError("$", "is nested too deeply"),)) from None


def to_json(value: Any, *, indent: int | None = None) -> str:
    """Return JSON text for any nkru value; :func:`from_json` reads it back unchanged.

    Floats are written with Python's shortest round-tripping ``repr``, so
    magnitudes come back bit for bit; nan and infinity are refused.
    """
    return json.dumps(to_dict(value), ensure_ascii=False, allow_nan=False, indent=indent)


def from_json(text: str | bytes, cls: type[T]) -> T:
    """Build a ``cls`` from JSON text, checking every field.

    Raises:
        StructureError: the text is not JSON, is too large, or fields are bad.

    >>> from_json('{"code": "RUS"}', Country)
    Country(code='RUS')
    """
    if isinstance(text, bytes):
        if len(text) > MAX_JSON_BYTES:
            raise StructureError(_name(cls), (FieldError("$", f"input exceeds {MAX_JSON_BYTES} bytes"),))
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise StructureError(_name(cls), (FieldError("$", f"is not UTF-8 (byte {exc.start})"),)) from None
    if not isinstance(text, str):
        raise StructureError(_name(cls), (FieldError("$", "JSON must be given as str or bytes"),))
    if len(text) > MAX_JSON_BYTES:
        raise StructureError(_name(cls), (FieldError("$", f"input exceeds {MAX_JSON_BYTES} characters"),))
    try:
        data = json.loads(
            text, parse_constant=_refuse_constant, parse_float=_json_float, object_pairs_hook=_unique_keys
        )
    except _JSONContentError as exc:
        raise StructureError(_name(cls), (FieldError("$", str(exc)),)) from None
    except ValueError as exc:
        raise StructureError(_name(cls), (FieldError("$", f"is not valid JSON: {exc}"),)) from None
    except RecursionError:
        raise StructureError(_name(cls), (FieldError("$", "is nested too deeply"),)) from None
    return from_dict(data, cls)


class _JSONContentError(ValueError):
    """Well-formed JSON that nkru refuses before structuring: the data would change silently.

    json.loads reports neither a path nor a position to these hooks, so the
    message names the key or the number instead.
    """


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number nkru accepts")


def _json_float(text: str) -> float:
    """Read a JSON number with a fraction or exponent; refuse one that a float would turn into 0."""
    value = float(text)
    if underflows(text, value):
        raise _JSONContentError(f"the number {shown(text)} is too small for a float: it would be read as 0")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object, refusing a key given twice (json.loads would keep the last one silently)."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _JSONContentError(f"an object has the key {shown(key)} twice")
            seen.add(key)
    return result


def _name(cls: Any) -> str:
    return getattr(cls, "__name__", repr(cls))


def _format(exc: BaseException, _type: Any) -> str:
    if isinstance(exc, _ProblemError):
        return str(exc)
    if isinstance(exc, NkruError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "is required"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"extra fields found ({_keys(exc.extra_fields)})"
    if isinstance(exc, AttributeError) and str(exc).endswith(("attribute 'keys'", "attribute 'items'")):
        # cattrs looked for a mapping's keys on a list or a string.
        return f"must be an object with the fields of {_name(_type)}"
    if isinstance(exc, ValueError) and _type is not None and isinstance(_type, type) and issubclass(_type, Mapping):
        return str(exc)
    return cattrs.v.format_exception(exc, _type)


def _structure_error(exc: BaseException, cls: Any) -> StructureError:
    return StructureError(_name(cls), tuple(_problems(exc, "$", None)))


def _problems(exc: BaseException, path: str, kind: Any) -> Iterator[FieldError]:
    """Each bad field under ``exc``, its JSON path built from cattrs' notes, as cattrs.transform_error walks.

    A field found in a note extends the path with ``.name``, an item of a list
    with ``[index]``; problems without a note sit at ``path`` itself.
    """
    if isinstance(exc, cattrs.IterableValidationError):
        items, rest = exc.group_exceptions()
        for sub, item in items:
            yield from _problems(sub, f"{path}[{item.index!r}]", item.type)
    elif isinstance(exc, cattrs.ClassValidationError):
        fields, rest = exc.group_exceptions()
        for sub, field in fields:
            yield from _problems(sub, f"{path}.{field.name}", field.type)
    elif isinstance(exc, ValidationError):
        # A validator names the field it rejects, inside the record at ``path``.
        yield FieldError(f"{path}.{exc.field}", f"{exc.reason} (got {clip(exc.value, SHOWN, count=True)})")
        return
    else:
        yield FieldError(path, _format(exc, kind))
        return
    for sub in rest:
        yield from _problems(sub, path, None)


def _all_types() -> tuple[type, ...]:
    """Every public nkru type the converter handles (used by tests and strategies)."""
    from nkru.measures import Measure  # noqa: PLC0415 - keep the module's import list short
    from nkru.periods import Period  # noqa: PLC0415

    return (
        Country,
        Region,
        Place,
        Organization,
        Person,
        Source,
        TradeFlow,
        Shipment,
        Event,
        Claim,
        Dataset,
        Measure,
        Period,
    )
