#!/bin/sh
# rules-test.sh - tools for rule authors. `privcheck rules test`: both
# packs' rule tests pass with one binary, failures say what was expected
# and what came, a test naming a rule the catalog lacks fails the load,
# and --coverage-threshold is compared exactly. `check --trace`: each
# condition of a rule, the values it read, true or false. Run by `make
# check`, which sets PRIVCHECK and SRCDIR.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"

name=rt
# shellcheck source=tests/check-lib.sh
. "$SRCDIR/tests/check-lib.sh"

run() {
    status=0
    "$PRIVCHECK" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
}

acme=$SRCDIR/tests/data/other-company

# SerenePractice: every rule is exercised by a test; 54 of its 125
# normative clauses are enforced by a rule, so 43.2% exactly.
run rules test --coverage
check "SerenePractice's rule tests pass" 0 "0 failed" \
    "rules exercised (a test expects a finding): 50 of 50 (100.0%)" \
    "normative clauses exercised by a test: 54 of 125 (43.2%)"
run rules test --coverage-threshold 43.2
check "a threshold equal to the coverage is met" 0 "coverage threshold 43.2%: met"
run rules test --coverage-threshold 43.200001
check "a threshold a millionth above it is not" 1 "coverage threshold 43.200001%: FAIL"
run rules test --coverage-threshold 101
check "a threshold over 100 is a usage error" 2 "--coverage-threshold takes a percentage"
run rules test --coverage-threshold 4x
check "a threshold that is not a number is a usage error" 2 "--coverage-threshold takes a percentage"

# Acme, with its own policy and rules and no recompilation.
run --policy "$acme/policy.xml" --rules "$acme/rules" rules test --coverage \
    --coverage-threshold 55.5
check "Acme's rule tests pass on the same binary" 0 "2 tests, 5 expectations: 2 passed, 0 failed" \
    "rules exercised (a test expects a finding): 3 of 3 (100.0%)" \
    "normative clauses exercised by a test: 5 of 9 (55.6%)" "met"

# Matrix.org's GDPR notice, a pack of another kind, on the same binary:
# 21 rules, each exercised (three of them read the pack's manifest
# extension); 37 of its 129 normative clauses (28.682...%).
mx="--policy $SRCDIR/policy/matrix-org.xml --rules $SRCDIR/rules/matrix-org"
# shellcheck disable=SC2086 # two options and their values
run $mx rules test --coverage --coverage-threshold 28.682
check "Matrix.org's rule tests pass on the same binary" 0 \
    "46 tests, 51 expectations: 46 passed, 0 failed" \
    "rules exercised (a test expects a finding): 21 of 21 (100.0%)" \
    "normative clauses exercised by a test: 37 of 129 (28.7%)" "met"
# shellcheck disable=SC2086
run $mx rules test --coverage-threshold 28.683
check "Matrix.org's coverage is below 28.683%" 1 "FAIL"
# shellcheck disable=SC2086
run $mx validate "$SRCDIR/policy/matrix-org.xml" "$SRCDIR/rules/matrix-org/matrix-org.rules.xml" \
    "$SRCDIR/rules/matrix-org/classifiers.xml" "$SRCDIR/rules/matrix-org/tests/matrix-org.tests.xml"
check "Matrix.org's policy, rules, classifiers and tests are valid" 0

# Failures: each with what was expected and what came.
mkdir -p "$tmp/rules/tests"
cp "$acme/rules/acme.rules.xml" "$acme/rules/classifiers.xml" "$tmp/rules/"
cp "$acme/violating.xml" "$tmp/violating.xml"
cat >"$tmp/rules/tests/wrong.tests.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rule-tests xmlns="urn:privcheck:ruletests:1">
  <test id="wrong-object" manifest="../../violating.xml">
    <expect rule="ACM-001" object="flow[walks]/field[bpm]"/>
  </test>
  <test id="wrong-line" manifest="../../violating.xml">
    <expect rule="ACM-003" line="99"/>
  </test>
  <test id="unwanted" manifest="../../violating.xml">
    <reject rule="ACM-002"/>
  </test>
  <test id="nothing-expected" manifest="../../violating.xml">
    <reject/>
  </test>
  <test id="right" manifest="../../violating.xml">
    <expect rule="ACM-001"/>
  </test>
</rule-tests>
XML
run --policy "$acme/policy.xml" --rules "$tmp/rules" rules test
check "failing tests exit 1, each with expected and actual" 1 \
    "5 tests, 5 expectations: 1 passed, 4 failed" \
    "wrong.tests.xml:4: FAIL wrong-object (../../violating.xml): expected [ACM-001] at flow[walks]/field[bpm]" \
    "    actual: [ACM-001] flow[ad-profile]/field[bpm] (line 18)" \
    "wrong.tests.xml:7: FAIL wrong-line (../../violating.xml): expected [ACM-003] (line 99)" \
    "    actual: [ACM-003] flow[walks]/field[gps_lat] (line 15)" \
    "wrong.tests.xml:10: FAIL unwanted (../../violating.xml): expected no [ACM-002]" \
    "wrong.tests.xml:13: FAIL nothing-expected (../../violating.xml): expected no finding"
if grep -q "FAIL right" "$tmp/out"; then
    nok "a test that holds is not reported as failing"
else
    ok "a test that holds is not reported as failing"
fi

# A test naming a rule the catalog lacks would prove nothing: it fails
# the run, with the nearest id.
cat >"$tmp/rules/tests/wrong.tests.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rule-tests xmlns="urn:privcheck:ruletests:1">
  <test id="typo" manifest="../../violating.xml">
    <reject rule="ACN-001"/>
  </test>
</rule-tests>
XML
run --policy "$acme/policy.xml" --rules "$tmp/rules" rules test
check "a rule id the catalog lacks exits 2 with a suggestion" 2 \
    "wrong.tests.xml:4: error: no rule 'ACN-001' in the catalog; did you mean 'ACM-001'?"

# A manifest that cannot be read fails closed.
sed -i 's|../../violating.xml|../../no-such.xml|; s|ACN-001|ACM-001|' "$tmp/rules/tests/wrong.tests.xml"
run --policy "$acme/policy.xml" --rules "$tmp/rules" rules test
check "a test whose manifest cannot be read exits 2" 2 "no-such.xml"

rm -r "$tmp/rules/tests"
run --policy "$acme/policy.xml" --rules "$tmp/rules" rules test
check "a pack without tests exits 2" 2 "cannot read the rule tests directory"

# ------------------------------------------------------------ check --trace
fx=$SRCDIR/fixtures
run check --trace SEN-001 "$fx/violations/SEN-001.xml"
check "--trace RULE: each condition, its operands' values, the outcome" 1 \
    "violations/SEN-001.xml:15: SEN-001: check over <field>, flow[payout-setup]/field[ssn]" \
    "    in 'sensitive.ssn' = [sensitive.ssn], field.element = [sensitive.ssn]: true" \
    "      in flow.source = [payout-wizard], element-only-from('sensitive.ssn') = [billing-settings]: false" \
    "  => a finding" "  => no finding"
if ! grep -q "check over" "$tmp/out" && grep -q "SEN-001.xml:15: error: \[SEN-001\]" "$tmp/out"; then
    ok "--trace keeps the report on standard output and the trace off it"
else
    nok "--trace keeps the report on standard output and the trace off it"
fi
fp=$("$PRIVCHECK" check --format json "$fx/violations/RGT-002.xml" |
    jq -r '.findings[] | select(.id == "RGT-002") | .fingerprint' | head -n 1)
run check --trace "$fp" "$fx/violations/RGT-002.xml"
n=$(grep -c "check over" "$tmp/err" || :)
check "--trace FINGERPRINT: that finding's element" 1 \
    "RGT-002: check over <handler>, handler[deletion]" \
    "  gt handler.response-days = [60], min(right-deadline(audience.jurisdictions, handler.right)) = [45]: true"
if [ "$n" -eq 1 ]; then
    ok "--trace FINGERPRINT traces that element alone"
else
    nok "--trace FINGERPRINT traced $n elements, want 1"
fi
run check --trace 0123456789abcdef "$fx/violations/RGT-002.xml"
check "--trace with no such rule or fingerprint exits 2" 2 \
    "no finding of these manifests has that fingerprint: 0123456789abcdef"
run check --source-root "$SRCDIR" --today 2026-06-01 \
    --waivers "$fx/violations/WVR-001.xml" --trace WVR-001 "$fx/violations/SEN-001.xml"
check "--trace a rule over waivers" 1 \
    "WVR-001.xml:9: WVR-001: check over <waiver>, waiver[SEN-001]" \
    "  eq waiver.expired = [true], 'true' = [true]: true"
run --policy "$acme/policy.xml" --rules "$acme/rules" check --trace ACM-001 "$acme/violating.xml"
check "--trace on another pack" 1 \
    "    exists element-only-from(field.element) = [wristband]: true" \
    "      in flow.source = [web-form], element-only-from(field.element) = [wristband]: false"

echo "rules-test.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
