#!/bin/sh
# baseline.sh - baselines end to end (DESIGN §6b): a finding the prior
# JSON report has is unchanged and does not count, any other is new and
# counts, and the prior's findings that are gone are absent (fixed); the
# text summary, JSON, SARIF (validated) and Markdown say so; a baseline
# made under another policy or rules is used with a warning; anything that
# is not a privcheck JSON report fails the run (exit 2). Run by `make
# check`.
set -eu

: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"
name=baseline
show='[.findings[] | [.id, .baseline, .suppressed]], .absent, .baseline'
. "$SRCDIR/tests/gate-lib.sh"

fx=$SRCDIR/fixtures
cp "$fx/violations/SHR-001.xml" "$tmp/sale.xml"
cp "$fx/violations/RET-005.xml" "$tmp/ret.xml"
run check --format json --fail-on never --output prior.json sale.xml ret.xml
expect "the prior report" 0
nprior=$(jq '.findings | length' "$tmp/prior.json")

# The next change: one field of the sold flow dropped (its PUR-002 is
# fixed), a new manifest with an SSN (new), the rest unchanged.
awk '/listings-data-deal/ { deal = 1 } deal && /work_email/ { deal = 0; next } { print }' \
    "$fx/violations/SHR-001.xml" >"$tmp/sale.xml"
cp "$fx/violations/SEN-001.xml" "$tmp/ssn.xml"

run check --format json --baseline prior.json sale.xml ret.xml ssn.xml
expect "new, unchanged and absent findings, in the JSON" 1 \
    "[.findings[] | select(.baseline == \"new\") | .id] == [\"SEN-001\"]
     and ([.findings[] | select(.baseline == \"unchanged\")] | length) == $nprior - 1
     and all(.findings[] | select(.baseline == \"unchanged\");
             .suppressed and .suppression.kind == \"baseline\")
     and ([.absent[] | .id] == [\"PUR-002\"])
     and (.absent[0].message | test(\"work_email\"))
     and .baseline.new == 1 and .baseline.unchanged == $nprior - 1
     and .baseline.absent == 1 and .baseline.same_policy and .baseline.same_rules
     and .baseline.file == \"prior.json\"
     and .counts.error == 1 and .counts.suppressed == $nprior - 1"

run check --baseline prior.json sale.xml ret.xml ssn.xml
if [ "$status" -eq 1 ] &&
    grep -q "^privcheck: 3 manifests, 1 error, 0 warnings, 0 notes; 1 new, $((nprior - 1)) unchanged, 1 fixed\$" "$tmp/out" &&
    grep -q '^fixed: sale.xml:[0-9]*: \[PUR-002\] ' "$tmp/out" &&
    grep -q '^ssn.xml:15: error: \[SEN-001\]' "$tmp/out" &&
    ! grep -q ': error: \[SHR-001\]' "$tmp/out"; then
    ok "the text summary: 1 new, $((nprior - 1)) unchanged, 1 fixed"
else
    nok "the text summary" "exit $status: $(tail -n 1 "$tmp/out")"
fi

# Only new findings fail, at every level.
for level in error warning note; do
    run check --fail-on "$level" --baseline prior.json sale.xml ret.xml
    s1=$status
    run check --fail-on "$level" sale.xml ret.xml
    s2=$status
    if [ "$s1" -eq 0 ] && [ "$s2" -eq 1 ]; then
        ok "--fail-on $level: known findings exit 0 with the baseline (1 without)"
    else
        nok "--fail-on $level with a baseline" "exit $s1 with, $s2 without"
    fi
done
run check --fail-on error --baseline prior.json sale.xml ret.xml ssn.xml
expect "--fail-on error: a new error fails" 1

# SARIF and Markdown.
run check --format sarif --baseline prior.json sale.xml ret.xml ssn.xml
cp "$tmp/out" "$tmp/b.sarif"
if python3 "$SRCDIR/tests/validate-sarif.py" \
    "$SRCDIR/tests/schemas/sarif-schema-2.1.0.json" "$tmp/b.sarif" >"$tmp/v" 2>&1 &&
    jq -e '[.runs[0].results[] | .baselineState] | (map(select(. == "new")) | length) == 1
           and (map(select(. == "absent")) | length) == 1
           and (map(select(. == "unchanged")) | length) > 0' "$tmp/b.sarif" >/dev/null &&
    jq -e '[.runs[0].results[] | select(.baselineState == "absent")][0]
           | .kind == "pass" and .level == "none" and .ruleId == "PUR-002"' \
        "$tmp/b.sarif" >/dev/null; then
    ok "SARIF: baselineState new, unchanged and absent; $(cat "$tmp/v")"
else
    nok "SARIF with a baseline" "$(cat "$tmp/v")"
fi
run check --format markdown --baseline prior.json sale.xml ret.xml ssn.xml
if grep -q "^Since the baseline: \*\*1 new\*\*, $((nprior - 1)) unchanged, 1 fixed" "$tmp/out" &&
    grep -q '^### Fixed since the baseline' "$tmp/out" &&
    grep -q 'known from the baseline' "$tmp/out"; then
    ok "Markdown: the counts, the known ones folded, the fixed one listed"
else
    nok "Markdown with a baseline" "$(head -n 5 "$tmp/out")"
fi

# A waived finding the baseline knows: the waiver is the reason shown.
ssnfp=$(cd "$tmp" && "$PRIVCHECK" check --format json ssn.xml 2>/dev/null |
    jq -r '.findings[0].fingerprint') || :
run check --format json --fail-on never --output prior2.json ssn.xml
printf '<waivers xmlns="urn:privcheck:waivers:1">\n  <waiver fingerprint="%s" reason="r" approved-by="a" expires="2026-08-01"/>\n</waivers>\n' \
    "$ssnfp" >"$tmp/w.xml"
run check --format json --today 2026-06-01 --waivers w.xml --baseline prior2.json ssn.xml
expect "waived and known: suppressed by the waiver, unchanged in the baseline" 0 \
    '.findings[0] | .suppression.kind == "waiver" and .baseline == "unchanged"'

# Another policy or other rules: used, with a warning.
jq '.policy.sha256 = "0000000000000000000000000000000000000000000000000000000000000000"' \
    "$tmp/prior.json" >"$tmp/other.json"
run check --format json --baseline other.json sale.xml ret.xml
if [ "$status" -eq 0 ] &&
    grep -q '^other.json: warning: this baseline was made with another policy' "$tmp/err" &&
    jq -e '.baseline.same_policy == false and .baseline.same_rules' "$tmp/out" >/dev/null; then
    ok "a baseline of another policy is used, with a warning"
else
    nok "another policy" "exit $status"
fi
jq '.rules.sha256 = "1111111111111111111111111111111111111111111111111111111111111111"' \
    "$tmp/prior.json" >"$tmp/other.json"
run check --baseline other.json sale.xml ret.xml
if [ "$status" -eq 0 ] &&
    grep -q '^other.json: warning: this baseline was made with other rules' "$tmp/err"; then
    ok "a baseline of other rules is used, with a warning"
else
    nok "other rules" "exit $status"
fi

# Not a privcheck JSON report: exit 2, no report, and where.
bad() {
    name=$1
    want=$2
    run check --format json --output r.json --baseline bad.json sale.xml
    if [ "$status" -eq 2 ] && grep -q "$want" "$tmp/err" &&
        [ ! -e "$tmp/r.json" ]; then
        ok "$name: exit 2, no report"
    else
        nok "$name" "exit $status"
    fi
}
printf '{"report_version": 1, "tool": {"name": "privcheck"},\n  "findings": [}\n' >"$tmp/bad.json"
bad "broken JSON" '^bad.json:2:[0-9]*: error: not JSON'
printf '[]\n' >"$tmp/bad.json"
bad "a JSON array" 'not a privcheck JSON report: the top level is not an object'
jq '.tool.name = "other"' "$tmp/prior.json" >"$tmp/bad.json"
bad "another tool's report" 'tool.name is not "privcheck"'
jq '.report_version = 2' "$tmp/prior.json" >"$tmp/bad.json"
bad "another report version" 'report_version 2'
jq 'del(.findings[0].fingerprint)' "$tmp/prior.json" >"$tmp/bad.json"
bad "a finding without a fingerprint" 'findings\[0\]: "fingerprint" is not 16 hex digits'
jq '.findings[0].fingerprint = "../../etc/passwd"' "$tmp/prior.json" >"$tmp/bad.json"
bad "a fingerprint that is not one" 'findings\[0\]'
jq '.findings[0].severity = "fatal"' "$tmp/prior.json" >"$tmp/bad.json"
bad "an unknown severity" '"severity" is not error, warning or note'
printf '{"report_version": 1, "report_version": 1}\n' >"$tmp/bad.json"
bad "a key twice" 'duplicate object key'
cp "$tmp/b.sarif" "$tmp/bad.json"
bad "a SARIF file" 'no "report_version"'
jq '.findings[0] = 7' "$tmp/prior.json" >"$tmp/bad.json"
bad "a finding that is not an object" 'findings\[0\]: not an object'
jq '.findings[0].message = 7' "$tmp/prior.json" >"$tmp/bad.json"
bad "a number for a string" 'findings\[0\]: a string field holds something else'
jq 'del(.findings[0].id)' "$tmp/prior.json" >"$tmp/bad.json"
bad "a finding without a rule id" 'findings\[0\]: no "id"'
jq '.findings[0].line = "nine"' "$tmp/prior.json" >"$tmp/bad.json"
bad "a line that is not a number" 'findings\[0\]: "line" is not a line number'
jq '.findings[0].line = 0' "$tmp/prior.json" >"$tmp/bad.json"
bad "line 0" 'findings\[0\]: "line" is not a line number'
jq '.policy.sha256 = 1' "$tmp/prior.json" >"$tmp/bad.json"
bad "a sha256 that is not a string" 'a sha256 is not a string'
jq 'del(.findings)' "$tmp/prior.json" >"$tmp/bad.json"
bad "no findings" 'no "findings" array'
rm -f "$tmp/bad.json"
mkdir "$tmp/bad.json"
bad "a directory" 'not a regular file'
rmdir "$tmp/bad.json"
bad "a missing file" 'bad.json'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
