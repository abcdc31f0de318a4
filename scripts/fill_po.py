"""Fill a catalogue's Arabic translations from a Python dict file: fill_po.py PO DICT.py"""

import runpy
import sys

from babel.messages.pofile import read_po, write_po

po_path, dict_path = sys.argv[1], sys.argv[2]
table = runpy.run_path(dict_path)["AR"]
with open(po_path, "rb") as handle:
    catalog = read_po(handle, locale="ar")
for message in catalog:
    if message.id and message.id in table:
        message.string = table[message.id]
        message.flags.discard("fuzzy")
with open(po_path, "wb") as handle:
    write_po(handle, catalog, sort_output=True)
