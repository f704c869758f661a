"""Readers and writers of the formats nkru's data comes in and goes out as.

Formats depend on the model, never the reverse: this package imports the
model, the table and the rates; nothing below it imports this package.
"""
