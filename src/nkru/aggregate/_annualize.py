"""A figure for part of a calendar year as a figure for the whole year, or a refusal.

Private: :mod:`nkru.aggregate` is the public face, and documents
:data:`~nkru.aggregate.AnnualizeMethod` (autodoc reads a name's docstring
from the module that shows it).
"""

from __future__ import annotations

from typing import Literal, TypeAlias

from nkru.aggregate._spans import combined_status
from nkru.errors import ValidationError
from nkru.measures import Measure, ObsStatus
from nkru.periods import Period
from nkru.units import format_unit

__all__ = ["AnnualizeMethod", "annualize"]

#: How annualize treats a partial period: public, and documented, as nkru.aggregate.AnnualizeMethod.
AnnualizeMethod: TypeAlias = Literal["scale", "refuse"]


def annualize(measure: Measure, period: Period, method: AnnualizeMethod = "refuse") -> Measure:
    """Return a figure for ``period`` as a figure for the whole calendar year it lies in.

    A figure for a whole calendar year is returned as is. For a shorter
    period, ``method`` decides:

    - ``"refuse"`` (the default): raise, so no partial figure passes for an annual one;
    - ``"scale"``: scale value, bounds and resolution by the year's days over
      the period's days ("first nine months" of 2005: ×365/273). The
      qualifier is kept; the status becomes ESTIMATED (FORECAST stays FORECAST),
      since the rest of the year is extrapolated.

    Args:
        measure: The figure.
        period: The period it covers, within one calendar year, with exact bounds.
        method: ``"refuse"`` or ``"scale"``.

    Raises:
        ValidationError: the period is partial and ``method`` is ``"refuse"``; the
            period spans several years or has approximate bounds; an unknown method.

    >>> from nkru.units import money
    >>> round(annualize(Measure(money(273, "USD")), Period.months(2005, 1, 9), "scale").value.magnitude, 6)
    365.0
    >>> annualize(Measure(money(273, "USD")), Period.months(2005, 1, 9))
    Traceback (most recent call last):
    ...
    nkru.errors.ValidationError: period: covers 74.8% of 2005; pass method='scale' to scale it to the whole year (got '2005-01/2005-09')
    """
    if method not in ("scale", "refuse"):
        raise ValidationError("method", method, "must be 'scale' or 'refuse'")
    if not isinstance(measure, Measure):
        raise ValidationError("measure", measure, "must be an nkru Measure")
    if not isinstance(period, Period):
        raise ValidationError("period", period, "must be an nkru Period")
    if period.approximate:
        raise ValidationError(
            "period", str(period), "has approximate bounds, so the share of the year it covers is unknown"
        )
    year = period.start.year
    if period.end.year != year:
        raise ValidationError("period", str(period), "spans several calendar years; annualize each year's part")
    if period.is_whole_years:
        return measure
    if method == "refuse":
        raise ValidationError(
            "period",
            str(period),
            f"covers {period.coverage(year):.1%} of {year}; pass method='scale' to scale it to the whole year",
        )
    year_days, days = Period.year(year).days, period.days
    return measure.rescaled(
        lambda magnitude: magnitude * year_days / days,
        field="measure",
        target=f"{format_unit(measure.units)} a year",
        status=combined_status((measure.status, ObsStatus.ESTIMATED)),
    )
