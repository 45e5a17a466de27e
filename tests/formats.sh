#!/bin/sh
# formats.sh - every report format on every compliant and violating
# fixture, checked by its real consumer's schema and read back:
#   sarif     validated against the official SARIF 2.1.0 JSON schema
#             (tests/schemas/sarif-schema-2.1.0.json) with
#             python3-jsonschema, and GitHub code scanning's upload rules
#   junit     validated against the Jenkins xunit plugin's junit-10.xsd
#             (tests/schemas/junit-10.xsd) with xmllint (libxml2)
#   github    workflow commands, one per finding, none forged
#   markdown  verdict, counts, one table row per finding
# Each is compared with the JSON report of the same run. Run by
# `make check`, which sets PRIVCHECK and SRCDIR.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"
for tool in jq xmllint python3; do
    command -v "$tool" >/dev/null || {
        echo "FAIL: $tool is needed (see .ci/run)"
        exit 2
    }
done

fx=$SRCDIR/fixtures
schemas=$SRCDIR/tests/schemas
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-formats.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

ok() { pass=$((pass + 1)); echo "PASS: $1"; }
nok() {
    fail=$((fail + 1))
    echo "FAIL: $1: $2"
    return 0
}

# report FORMAT OUT MANIFEST...: run from the source tree (relative
# paths, as CI does); sets status.
report() {
    format=$1
    out=$2
    shift 2
    status=0
    (cd "$SRCDIR" && "$PRIVCHECK" check --format "$format" "$@") \
        >"$out" 2>"$tmp/err" || status=$?
}

# args FIXTURE: what to check for a fixture. A waivers fixture names the
# manifest it waives and the day (see tests/fixtures.sh).
args() {
    if grep -q 'urn:privcheck:waivers:1' "$1"; then
        echo "--today $(sed -n 's/^ *today: *//p' "$1" | head -n 1)" \
            "--waivers $1 $(sed -n 's/^ *manifest: *//p' "$1" | head -n 1)"
    else
        echo "$1"
    fi
}

cd "$SRCDIR"
set -- fixtures/compliant-*.xml fixtures/violations/*.xml
nman=$#
n=0
sarifs=
junits=
for m in "$@"; do
    n=$((n + 1))
    base=$(basename "$m" .xml)
    # shellcheck disable=SC2046 # fixture paths have no spaces
    report json "$tmp/$n.json" $(args "$m")
    jstatus=$status
    for f in text sarif junit github markdown; do
        # shellcheck disable=SC2046
        report "$f" "$tmp/$n.$f" $(args "$m")
        if [ "$status" -ne "$jstatus" ]; then
            nok "$base $f" "exit $status, but $jstatus with --format json"
        fi
    done
    sarifs="$sarifs $tmp/$n.sarif"
    junits="$junits $tmp/$n.junit"
    echo "$m" >"$tmp/$n.name"
done

# ------------------------------------------------------------ SARIF
# shellcheck disable=SC2086 # lists of paths without spaces
if python3 "$SRCDIR/tests/validate-sarif.py" \
    "$schemas/sarif-schema-2.1.0.json" $sarifs >"$tmp/verdicts" 2>&1; then
    ok "SARIF of all $nman fixtures valid against the official SARIF 2.1.0 schema ($(grep -c '^VALID' "$tmp/verdicts") verdicts VALID)"
else
    nok "SARIF schema validation" "$(grep -v '^VALID' "$tmp/verdicts" | head -n 20)"
fi

bad=
i=0
while [ "$i" -lt "$n" ]; do
    i=$((i + 1))
    # One run; a ruleId on every result whose ruleIndex names that rule;
    # the results are the JSON findings, in order, with their
    # fingerprints and lines; relative URIs under %SRCROOT%; the exit
    # status recorded.
    if ! jq -e -n --slurpfile s "$tmp/$i.sarif" --slurpfile j "$tmp/$i.json" \
        --argjson rc "$(jq 'if .counts.error > 0 then 1 else 0 end' "$tmp/$i.json")" '
        ($s[0].runs | length == 1) and
        ($s[0].runs[0] as $run
         | ($run.results | length) == ($j[0].findings | length)
         and all($run.results[]; (.ruleId | type == "string")
                 and $run.tool.driver.rules[.ruleIndex].id == .ruleId
                 and (.locations[0].physicalLocation.artifactLocation
                      | .uriBaseId == "%SRCROOT%" and (.uri | startswith("/") | not))
                 and .message.text != "")
         and ([$run.results[] | [.ruleId, .partialFingerprints["privcheck/v1"],
                                 .locations[0].physicalLocation.region.startLine]]
              == [$j[0].findings[] | [.id, .fingerprint, .line]])
         and ($run.tool.driver.rules | length) > 40
         and all($run.tool.driver.rules[]; .shortDescription.text != ""
                 and .help.text != "" and .help.markdown != ""
                 and (.defaultConfiguration.level | IN("error","warning","note")))
         and $run.invocations[0].exitCode == $rc
         and $run.properties.policy.sha256 == $j[0].policy.sha256
         and $run.properties.rules.sha256 == $j[0].rules.sha256
         and $run.properties.manifests[0].sha256 == $j[0].manifests[0].sha256)
    ' >/dev/null; then
        bad="$bad $(cat "$tmp/$i.name")"
    fi
done
[ -z "$bad" ] && ok "SARIF results are the JSON findings, with ruleIndex, fingerprints, lines, %SRCROOT% URIs, the exit status and the input hashes" ||
    nok "SARIF content" "differs from the JSON report for:$bad"

# Grouped findings: each result lists the others about its element.
report sarif "$tmp/g.sarif" fixtures/violations/INT-002.xml
if jq -e '[.runs[0].results[] | select(.ruleId == "INT-002" or .ruleId == "PUR-002")
           | (.relatedLocations | length)] == [2, 2, 2]
          and all(.runs[0].results[].relatedLocations[]?;
                  (.message.text | startswith("also ")) and (.id | type == "number"))' \
    "$tmp/g.sarif" >/dev/null; then
    ok "SARIF relatedLocations: the three findings on one field each relate the other two"
else
    nok "SARIF relatedLocations" "$(jq -c '[.runs[0].results[] | [.ruleId, (.relatedLocations // [] | length)]]' "$tmp/g.sarif")"
fi

# The issue's acceptance line, verbatim.
rm -f "$tmp/r.sarif"
status=0
"$PRIVCHECK" check --format sarif --output "$tmp/r.sarif" \
    fixtures/violations/SEN-001.xml >/dev/null 2>&1 || status=$?
if [ "$status" -eq 1 ] && python3 "$SRCDIR/tests/validate-sarif.py" \
    "$schemas/sarif-schema-2.1.0.json" "$tmp/r.sarif" >"$tmp/v1" 2>&1; then
    ok "check --format sarif --output r.sarif fixtures/violations/SEN-001.xml: exit 1, $(cat "$tmp/v1")"
else
    nok "SARIF of SEN-001 to a file" "exit $status; $(cat "$tmp/v1" 2>/dev/null)"
fi

# ------------------------------------------------------------ JUnit
# shellcheck disable=SC2086
if xmllint --noout --schema "$schemas/junit-10.xsd" $junits \
    >"$tmp/xverdicts" 2>&1; then
    ok "JUnit of all $nman fixtures valid against junit-10.xsd ($(grep -c ' validates$' "$tmp/xverdicts") files validate)"
else
    nok "JUnit schema validation" "$(grep -v ' validates$' "$tmp/xverdicts" | head -n 20)"
fi

# A manifest's suite has a case per rule over manifests; the rules over
# waivers have theirs in the waivers file's suite (below).
nrules=$("$PRIVCHECK" rules | tail -n 1 | cut -d' ' -f1)
mcases=$(grep -c '<testcase ' "$tmp/1.junit" || :)
bad=
i=0
while [ "$i" -lt "$n" ]; do
    i=$((i + 1))
    errors=$(jq '[.findings[] | select(.severity == "error" and (.suppressed | not))] | length' "$tmp/$i.json")
    nsuites=$((1 + $(jq '.waivers | length' "$tmp/$i.json")))
    ncases=$mcases
    [ "$nsuites" -gt 1 ] && ncases=$nrules
    cases=$(grep -c '<testcase ' "$tmp/$i.junit" || :)
    failures=$(grep -c '<failure ' "$tmp/$i.junit" || :)
    suites=$(grep -c '<testsuite ' "$tmp/$i.junit" || :)
    lines=$(jq -r '.findings[] | select(.severity == "error" and (.suppressed | not)) | "\(.file):\(.line): error: [\(.id)]"' "$tmp/$i.json")
    missing=$(printf '%s\n' "$lines" | while read -r l; do
        [ -z "$l" ] || grep -qF "$l" "$tmp/$i.junit" || echo "$l"
    done)
    if [ "$suites" -ne "$nsuites" ] || [ "$cases" -ne "$ncases" ] ||
        [ "$failures" -ne "$errors" ] || [ -n "$missing" ]; then
        bad="$bad $(cat "$tmp/$i.name")($suites suites, $cases cases, $failures failures for $errors errors${missing:+, missing $missing})"
    fi
done
[ -z "$bad" ] && ok "JUnit: one suite per manifest and per waivers file, a test case per rule over manifests ($mcases) or over waivers (the rest of $nrules), a failure with file:line per error that counts" ||
    nok "JUnit content" "$bad"

report junit "$tmp/two.junit" fixtures/compliant-telehealth.xml \
    fixtures/violations/SEN-001.xml
if [ "$(grep -c '<testsuite ' "$tmp/two.junit")" -eq 2 ] &&
    grep -q 'testsuite name="fixtures/violations/SEN-001.xml" tests="[0-9]*" failures="1"' "$tmp/two.junit" &&
    grep -q 'policy §2 \[s2.ssn-billing\]: &quot;Your social security number' "$tmp/two.junit"; then
    ok "JUnit: two manifests are two suites; the failure quotes the clause"
else
    nok "JUnit two manifests" "$(grep '<testsuite ' "$tmp/two.junit")"
fi

# ------------------------------------------------------------ GitHub
bad=
i=0
while [ "$i" -lt "$n" ]; do
    i=$((i + 1))
    total=$(jq '.findings | length' "$tmp/$i.json")
    cmds=$(grep -c '^::\(error\|warning\|notice\) ' "$tmp/$i.github" || :)
    all=$(wc -l <"$tmp/$i.github")
    want=$(jq -r '.findings[] | if .suppressed then "::notice file=\(.file),line=\(.line),title=waived%3A \(.id) " else "::\(if .severity == "note" then "notice" else .severity end) file=\(.file),line=\(.line),title=\(.id) " end' "$tmp/$i.json")
    missing=$(printf '%s\n' "$want" | while read -r l; do
        [ -z "$l" ] || grep -qF "$l" "$tmp/$i.github" || echo "$l"
    done)
    if [ "$cmds" -ne $((total + 1)) ] || [ "$all" -ne "$cmds" ] ||
        [ -n "$missing" ] || ! tail -n 1 "$tmp/$i.github" | grep -q '^::notice title=privcheck::'; then
        bad="$bad $(cat "$tmp/$i.name")"
    fi
done
[ -z "$bad" ] && ok "GitHub: one annotation per finding at its file and line, then the totals; nothing else" ||
    nok "GitHub content" "$bad"

# ------------------------------------------------------------ Markdown
bad=
i=0
while [ "$i" -lt "$n" ]; do
    i=$((i + 1))
    total=$(jq '.findings | length' "$tmp/$i.json")
    rows=$(grep -cE '^\| .* \| [0-9]* \| (error|warning|note) \| [A-Z][A-Z0-9]*-[0-9]{3} \| ' \
        "$tmp/$i.markdown" || :)
    errors=$(jq '.counts.error' "$tmp/$i.json")
    verdict=passed
    [ "$errors" -gt 0 ] && verdict=failed
    if [ "$rows" -ne "$total" ] ||
        ! head -n 1 "$tmp/$i.markdown" | grep -q "privcheck: $verdict\$" ||
        ! grep -q "^\*\*$errors error" "$tmp/$i.markdown"; then
        bad="$bad $(cat "$tmp/$i.name")($rows rows for $total)"
    fi
done
[ -z "$bad" ] && ok "Markdown: the verdict, the counts, one row per finding" ||
    nok "Markdown content" "$bad"

# Grouped by element: the element is named once, on its group's first row.
report markdown "$tmp/g.md" fixtures/violations/INT-002.xml
if [ "$(grep -c '^| flow\\\[calendar-reminders\\\] |' "$tmp/g.md")" -eq 1 ] &&
    [ "$(grep -c '^|  | 21 | error | ' "$tmp/g.md")" -eq 2 ]; then
    ok "Markdown groups the three findings on one field under its flow"
else
    nok "Markdown grouping" "$(grep '^|' "$tmp/g.md")"
fi

# ------------------------------------------------------------ hostile
# A manifest whose field names (tokens: anything but white space) and a
# waiver reason carry markup, CDATA ends, percent signs, a forged workflow
# command and table pipes, through every format: each stays what its
# consumer accepts, and shows the strings as text.
mkdir -p "$tmp/h"
cat >"$tmp/h/evil.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<application xmlns="urn:privcheck:manifest:1" name="evil-app" version="&lt;b&gt;1&amp;2&lt;/b&gt;">
  <audience jurisdictions="US-UT" min-age="18"/>
  <stores>
    <store id="db" kind="database" region="US" encrypted-at-rest="true"/>
  </stores>
  <flows>
    <flow id="f" subject="customer" source="signup-form" collection="direct" purpose="account" to="db" transport="tls1.3">
      <field name="&lt;script&gt;alert(1)&lt;/script&gt;]]&gt;%0A::error::x|*y*"/>
      <field name="a,b:c%25d"/>
    </flow>
  </flows>
  <retention>
    <keep store="db" categories="*" while="account-active" after-closure="P30D"/>
  </retention>
</application>
XML
printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
    '<waivers xmlns="urn:privcheck:waivers:1">' \
    '  <waiver rule="COL-002" object="flow[f]/field[a,b:c%2525d]" reason="&lt;/summary&gt;&lt;script&gt;x&lt;/script&gt; ]]&gt; 100% | ::warning::y" approved-by="x&amp;y" expires="2026-09-30"/>' \
    '</waivers>' >"$tmp/h/w.xml"
hbad=
for f in json sarif junit github markdown text; do
    status=0
    (cd "$tmp/h" && "$PRIVCHECK" check --fail-on never --today 2026-06-01 \
        --waivers w.xml --format "$f" evil.xml) >"$tmp/h/out.$f" 2>"$tmp/err" ||
        status=$?
    [ "$status" -eq 0 ] || hbad="$hbad $f(exit $status)"
done
# The waiver names the field by its object path, where '%' is %25.
jq -e '[.findings[] | select(.id == "COL-002") | .suppressed] == [false, true]
       and ([.findings[] | select(.suppressed)][0].suppression.reason
            | startswith("</summary><script>"))' \
    "$tmp/h/out.json" >/dev/null || hbad="$hbad json-content"
python3 "$SRCDIR/tests/validate-sarif.py" "$schemas/sarif-schema-2.1.0.json" \
    "$tmp/h/out.sarif" >/dev/null 2>&1 || hbad="$hbad sarif-schema"
xmllint --noout --schema "$schemas/junit-10.xsd" "$tmp/h/out.junit" \
    >/dev/null 2>&1 || hbad="$hbad junit-schema"
grep -q '<script>' "$tmp/h/out.junit" && hbad="$hbad junit-raw-markup"
grep -q '<script>' "$tmp/h/out.markdown" && hbad="$hbad markdown-raw-markup"
grep -v '^::\(error\|warning\|notice\) ' "$tmp/h/out.github" | grep -q . &&
    hbad="$hbad github-forged-line"
# In the message '%' is encoded, so the name's "%0A" is not a newline;
# in the title property ':' and ',' are too.
grep -q "field '<script>alert(1)</script>]]>%250A::error::x|\\*y\\*'" \
    "$tmp/h/out.github" || hbad="$hbad github-message"
grep -q 'title=waived%3A COL-002 ' "$tmp/h/out.github" || hbad="$hbad github-title"
[ "$(grep -c '^| ' "$tmp/h/out.markdown")" -ge 4 ] || hbad="$hbad markdown-rows"
[ -z "$hbad" ] && ok "hostile names and a hostile waiver through every format: schemas hold, nothing raw, nothing forged" ||
    nok "hostile strings" "$hbad"

# ------------------------------------------------------------ disclosures
# A report that prints only the disclosures' counts is made from an
# audit that counted them and kept no item (pc_disclosure_items); its
# counts are the JSON report's, which keeps every item.
bad=
i=0
while [ "$i" -lt "$n" ]; do
    i=$((i + 1))
    counts='"\(.clear) clear, \(.vague) vague, \(.omitted) omitted, \(.incorrect) incorrect"'
    want=$(jq -r ".disclosures.counts | $counts" "$tmp/$i.json")
    sarif=$(jq -r ".runs[0].properties.disclosures | $counts" "$tmp/$i.sarif")
    junit=
    for k in clear vague omitted incorrect; do
        v=$(xmllint --xpath "sum(//property[@name='disclosures.$k']/@value)" \
            "$tmp/$i.junit")
        junit="$junit${junit:+, }$v $k"
    done
    text=$(sed -n '/^privcheck: disclosures: /{
        s/ (--format .*//
        s/^privcheck: disclosures: //p
    }' "$tmp/$i.text")
    md=$(sed -n 's/.*<summary>Disclosures: \(.*\)<\/summary>.*/\1/p' \
        "$tmp/$i.markdown")
    if [ "$want" = "0 clear, 0 vague, 0 omitted, 0 incorrect" ]; then
        [ -z "$text$md" ] || bad="$bad $(cat "$tmp/$i.name")"
    elif [ "$sarif" != "$want" ] || [ "$junit" != "$want" ] ||
        [ "$text" != "$want" ] || [ "$md" != "$want" ]; then
        bad="$bad $(cat "$tmp/$i.name")[json: $want; sarif: $sarif; junit: $junit; text: $text; markdown: $md]"
    fi
done
[ -z "$bad" ] && ok "disclosure counts of all $nman fixtures agree in json, sarif, junit, text and markdown" ||
    nok "disclosure counts" "$bad"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
