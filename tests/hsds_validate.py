#!/usr/bin/env python3
"""Validate a kiosk-pack export-hsds tree against the HSDS 3.0 JSON Schemas.

usage: hsds_validate.py SCHEMA_DIR EXPORT_DIR
JSON form: every record of json/services.json, organizations.json and taxonomy_terms.json
against the compiled (nested) schemas. Tabular form: every row of every CSV that
tabular/datapackage.json lists, typed by the table's schema, against that schema; the CSV
header must equal the resource's declared fields. Prints one line per problem, then a count;
exit status 1 when anything failed.
"""
import csv
import json
import os
import sys

import warnings

import jsonschema

warnings.simplefilter("ignore", DeprecationWarning)


def main():
    schema_dir, out = sys.argv[1], sys.argv[2]
    base = "file://" + os.path.abspath(schema_dir) + "/"
    fmt = jsonschema.FormatChecker()
    problems = []
    count = 0

    def validator(path):
        with open(os.path.join(schema_dir, path)) as f:
            schema = json.load(f)
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
        return schema, cls(schema, resolver=jsonschema.RefResolver(base + path, schema), format_checker=fmt)

    for name, schema_path in (("services", "compiled/service.json"), ("organizations", "compiled/organization.json"),
                              ("taxonomy_terms", "taxonomy_term.json")):
        with open(os.path.join(out, "json", name + ".json")) as f:
            records = json.load(f)
        _, v = validator(schema_path)
        for rec in records:
            count += 1
            for e in v.iter_errors(rec):
                problems.append("json/%s.json %s: %s at %s" % (name, rec.get("id"), e.message, list(e.absolute_path)))

    by_path = {}
    for fn in os.listdir(schema_dir):
        if fn.endswith(".json"):
            with open(os.path.join(schema_dir, fn)) as f:
                s = json.load(f)
            if isinstance(s, dict) and s.get("path"):
                by_path[s["path"]] = fn
    with open(os.path.join(out, "tabular", "datapackage.json")) as f:
        dp = json.load(f)
    if dp.get("profile") != "tabular-data-package":
        problems.append("datapackage.json: profile is not tabular-data-package")
    for res in dp["resources"]:
        path = os.path.join(out, "tabular", res["path"])
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        declared = [fl["name"] for fl in res["schema"]["fields"]]
        if rows[0] != declared:
            problems.append("%s: header %s differs from datapackage.json %s" % (res["path"], rows[0], declared))
        if res["path"] not in by_path:
            if not res["name"].startswith("x_kiosk_"):
                problems.append("%s: neither an HSDS table nor a documented extension" % res["path"])
            continue
        schema, v = validator(by_path[res["path"]])
        props = schema["properties"]
        for n, row in enumerate(rows[1:], start=2):
            count += 1
            rec = {}
            required = schema.get("required", [])
            for col, cell in zip(rows[0], row):
                # CSV cannot tell an empty text from a missing one: a required text column's
                # empty cell is the empty string, any other empty cell is absent
                if cell == "" and not (col in required and props.get(col, {}).get("type") == "string"):
                    continue
                t = props.get(col, {}).get("type")
                rec[col] = float(cell) if t == "number" else cell
            for e in v.iter_errors(rec):
                problems.append("%s:%d: %s" % (res["path"], n, e.message))
    for p in problems[:50]:
        print(p)
    print("%d records, %d problems" % (count, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
