"""The floor for an export: json.load the store and write every record with the csv module."""

import csv
import json
import sys

with open(sys.argv[1], encoding="utf-8") as source:
    data = json.load(source)
with open(sys.argv[2], "w", newline="", encoding="utf-8") as target:
    writer = csv.writer(target)
    for table in ("students", "attempts"):
        for record in data.get(table, {}).values():
            writer.writerow(record.values())
