#!/usr/bin/env python3
"""validate-sarif.py SCHEMA FILE... - validate SARIF logs against the
official SARIF 2.1.0 JSON schema (tests/schemas/sarif-schema-2.1.0.json)
with python3-jsonschema, formats (uri, date-time) checked where the
library can. Prints one verdict line per file; exits 1 if any is invalid,
2 if the validator itself cannot run."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("FAIL: python3-jsonschema is needed (apt-get install python3-jsonschema)")
    sys.exit(2)


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=jsonschema.FormatChecker())
    bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            bad += 1
            print("INVALID: %s: %d error(s)" % (path, len(errors)))
            for e in errors[:5]:
                where = "/".join(str(p) for p in e.absolute_path)
                print("    at /%s: %s" % (where, e.message))
        else:
            print("VALID: %s (%s, %s)" % (path, cls.__name__, schema.get("id", "")))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
