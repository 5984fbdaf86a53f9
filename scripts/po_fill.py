"""Fill a gettext catalog from a JSON dictionary {msgid: msgstr} and report what is left.

Usage: python scripts/po_fill.py path/to/django.po translations.json
Entries already translated keep their text unless the JSON names them. Fuzzy flags are
cleared for entries the JSON fills. Prints the msgids still untranslated.
"""

import json
import sys

import polib


def main(po_path, json_path):
    with open(json_path, encoding="utf-8") as handle:
        translations = json.load(handle)
    po = polib.pofile(po_path)
    po.metadata["Language"] = "id"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    if "fuzzy" in po.metadata_is_fuzzy or po.metadata_is_fuzzy:
        po.metadata_is_fuzzy = []
    for entry in po:
        text = translations.get(entry.msgid)
        if text is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: text}
        else:
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
    po.save()
    left = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    for msgid in left:
        print("UNTRANSLATED:", json.dumps(msgid, ensure_ascii=False))
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
