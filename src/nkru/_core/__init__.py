"""nkru's kernel: the helpers every subsystem shares, and nothing users import.

Each concept here has one home: numbers handed to fields (:mod:`.numbers`),
record text and message clipping (:mod:`.text`), tabular input and output
with line-numbered problems and atomic writes (:mod:`.tables`), and the
deprecation of moved names (:mod:`.deprecation`). It sits below the model:
it imports nothing of nkru's but :mod:`nkru.errors`. (The pint shortcuts for
hot paths need nkru's registry, so they live in :mod:`nkru.units`.)
"""
