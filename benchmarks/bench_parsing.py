"""Time nkru's text grammars on ordinary and hostile input.

Run: ``.venv/bin/python benchmarks/bench_parsing.py``

Prints, for each input, the best time of several runs and its ratio to a
baseline measured in the same run (``parse_quantity("830,000 tons")``), and
the time per character as adversarial inputs grow, which stays flat if the
grammars are linear. Exits with status 1 if any input takes 100 ms or more
(issue 2's bound), so it can gate a CI job; tests never time anything.
"""

from __future__ import annotations

import contextlib
import sys
import timeit

from nkru.errors import ParseError
from nkru.parsing import parse_measure, parse_period, parse_quantity

LIMIT_SECONDS = 0.1

HOSTILE = {
    "exponent tower": "9**9**9**9",
    "deep nesting (20 kB)": "(" * 10_000 + "1" + ")" * 10_000,
    "100 kB of digits": "1" * 100_000,
    "100 kB of letters": "a" * 100_000,
    "500 digits": "9" * 500,
    "nan": "nan",
    "1e999": "1e999",
    "full-width digits": "\uff11\uff12\uff13 t",
    "RTL mark": "5\u200f t",
    "currency after number": "1.97$ billion",
    "two units added": "5 kg + 3 t",
    "empty": "",
}

GROWING = {
    "thousands groups": "1,000",
    "number words": "ninety ",
    "adjectives": "big ",
    "dashes": "1-",
    "scale words": "million ",
    "period words": "early ",
}


def best_of(function: object, text: object, repeat: int = 5, number: int = 20) -> float:
    def call() -> None:
        with contextlib.suppress(ParseError):
            function(text)  # type: ignore[operator]

    return min(timeit.repeat(call, repeat=repeat, number=number)) / number


def main() -> int:
    baseline = best_of(parse_quantity, "830,000 tons")
    print(f"baseline parse_quantity('830,000 tons'): {baseline * 1e6:.1f} µs")
    worst = 0.0
    print(f"\n{'input':28} {'quantity µs':>12} {'measure µs':>11} {'period µs':>10} {'ratio':>7}")
    for name, text in HOSTILE.items():
        times = [best_of(reader, text) for reader in (parse_quantity, parse_measure, parse_period)]
        worst = max(worst, *times)
        print(
            f"{name:28} {times[0] * 1e6:12.1f} {times[1] * 1e6:11.1f} {times[2] * 1e6:10.1f} {max(times) / baseline:7.1f}"
        )
    print(f"\n{'growing input':20} " + " ".join(f"{n:>9}" for n in (50, 100, 200, 400, 500)) + "   (ns per character)")
    for name, unit in GROWING.items():
        cells = []
        for size in (50, 100, 200, 400, 500):
            text = (unit * size)[:size]
            seconds = max(best_of(parse_quantity, text), best_of(parse_measure, text))
            worst = max(worst, seconds)
            cells.append(f"{seconds / size * 1e9:9.0f}")
        print(f"{name:20} " + " ".join(cells))
    print(f"\nslowest call: {worst * 1e3:.3f} ms (limit {LIMIT_SECONDS * 1e3:.0f} ms)")
    return 0 if worst < LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
