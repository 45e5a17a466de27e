#!/bin/sh
# report-html.sh - the reports for legal review:
#   xml          every fixture's XML report validates against
#                checker/report.rng (xmllint)
#   disclosures  each class (clear, vague, omitted, incorrect) where the
#                fixture puts it, with its clause; stale disclosures of a
#                run of two manifests are what neither manifest does
#   html         the stylesheet hardened (no file read or write from it),
#                --stylesheet, several manifests, --output
#   browser      headless Chromium opens the report of a violating
#                manifest: sections, matrix cells and quoted clauses are
#                in the DOM, hostile strings arrive as text, and it prints
#                to a PDF of more than one page; the HTML of policy render
#                and policy diff opens with its parts
# Run by `make check`, which sets PRIVCHECK and SRCDIR.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"
# CI installs every one of them (.ci/run): a missing tool is a failure.
for tool in jq xmllint chromium; do
    command -v "$tool" >/dev/null || {
        echo "FAIL: $tool is needed (see .ci/run)"
        exit 1
    }
done

fx=$SRCDIR/fixtures
data=$SRCDIR/tests/data/report
rng=$SRCDIR/checker/report.rng
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-html.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

ok() { pass=$((pass + 1)); echo "PASS: $1"; }
nok() {
    fail=$((fail + 1))
    echo "FAIL: $1: $2"
    return 0
}

# run OUT ARGS...: privcheck check from the source tree; sets status.
run() {
    to=$1
    shift
    status=0
    (cd "$SRCDIR" && "$PRIVCHECK" check "$@") >"$to" 2>"$tmp/err" ||
        status=$?
}

# ------------------------------------------------------------ xml
# A waivers fixture names the manifest it waives and the day.
bad=
n=0
for f in "$fx"/*.xml "$fx"/violations/*.xml "$fx"/near-misses/*.xml \
    "$fx"/cases/*.xml; do
    rel=${f#"$SRCDIR"/}
    if grep -q 'urn:privcheck:waivers:1' "$f"; then
        m=$(sed -n 's/^ *manifest: *//p' "$f" | head -n 1)
        day=$(sed -n 's/^ *today: *//p' "$f" | head -n 1)
        [ -n "$m" ] || continue
        run "$tmp/r.xml" --format xml --today "${day:-2026-12-01}" \
            --waivers "$rel" "$m"
    else
        run "$tmp/r.xml" --format xml "$rel"
    fi
    n=$((n + 1))
    if [ "$status" -gt 1 ]; then
        bad="$bad $rel(exit $status)"
    elif ! xmllint --noout --relaxng "$rng" "$tmp/r.xml" 2>"$tmp/lint"; then
        bad="$bad $rel($(head -n 1 "$tmp/lint"))"
    fi
done
[ -z "$bad" ] && [ "$n" -gt 100 ] &&
    ok "the XML report of each of $n fixtures validates against report.rng" ||
    nok "XML reports" "$n fixtures;$bad"

# Several manifests, a waiver, a baseline: still valid, each manifest
# with its own rights matrix and data map.
run "$tmp/base.json" --format json --fail-on never \
    fixtures/violations/SEN-001.xml
run "$tmp/multi.xml" --format xml --today 2026-12-01 \
    --waivers tests/data/report/legal-review.waivers.xml \
    --baseline "$tmp/base.json" tests/data/report/legal-review.xml \
    fixtures/violations/SEN-001.xml fixtures/compliant-practice-web.xml
if [ "$status" -eq 1 ] && xmllint --noout --relaxng "$rng" "$tmp/multi.xml" \
    2>/dev/null &&
    [ "$(grep -c '<rights ' "$tmp/multi.xml")" -eq 3 ] &&
    [ "$(grep -c '<data-map ' "$tmp/multi.xml")" -eq 3 ] &&
    grep -q '<suppression kind="waiver"' "$tmp/multi.xml" &&
    grep -q '<suppression kind="baseline"' "$tmp/multi.xml"; then
    ok "three manifests, a waiver and a baseline in one valid XML report"
else
    nok "XML of several manifests" "exit $status"
fi

# ------------------------------------------------------------ disclosures
run "$tmp/d.json" --format json tests/data/report/legal-review.xml
cls() {
    jq -r --arg o "$1" --arg a "$2" \
        '.disclosures.items[] | select(.object == $o and .aspect == $a)
         | "\(.class) \(.clause.id // "-")"' "$tmp/d.json"
}
bad=
check_cls() {
    got=$(cls "$1" "$2")
    [ "$got" = "$3" ] || bad="$bad [$1 $2: got '$got', want '$3']"
}
check_cls 'flow[signup]/field[email]' data 'clear s2.identifiers'
check_cls 'flow[signup]/field[contact]' data 'vague s2.identifiers'
check_cls 'flow[health-survey]/field[diagnosis]' data 'omitted -'
check_cls 'flow[list-sale]/field[religion]' data 'incorrect s8.not-sold'
check_cls 'flow[signup]' purpose 'clear s3.account'
check_cls 'flow[health-survey]' purpose 'omitted -'
check_cls 'flow[list-sale]' purpose 'incorrect s8.not-sold'
check_cls 'flow[checkout]' recipient 'clear s4.share-consent'
check_cls 'flow[list-sale]' recipient 'omitted -'
# A field no classifier names is covered by nothing.
check_cls 'flow[signup]/field[<img src%3Dx onerror%3Dalert(2)>]' data \
    'omitted -'
counts=$(jq -c '.disclosures.counts' "$tmp/d.json")
[ "$counts" = '{"clear":6,"vague":1,"omitted":4,"incorrect":2}' ] ||
    bad="$bad [counts $counts]"
[ -z "$bad" ] && ok "each disclosure class where legal-review.xml puts it" ||
    nok "disclosure classes" "$bad"

# Stale disclosures across manifests: exactly what neither does. A
# category neither touches is one entry; in a category one of them uses,
# each element neither collects is one.
stale() { jq -c '[.disclosures.stale[] | "\(.kind):\(.id)"] | sort' "$1"; }
run "$tmp/a.json" --format json fixtures/compliant-practice-web.xml
run "$tmp/b.json" --format json fixtures/compliant-telehealth.xml
run "$tmp/ab.json" --format json fixtures/compliant-practice-web.xml \
    fixtures/compliant-telehealth.xml
if jq -n -e --argjson a "$(stale "$tmp/a.json")" \
    --argjson b "$(stale "$tmp/b.json")" --argjson ab "$(stale "$tmp/ab.json")" '
    def unused($l; $x): ($l | index($x)) != null or
        (($x | startswith("element:")) and
         ($l | index("category:" + ($x | ltrimstr("element:") | split(".")[0]))) != null);
    ($ab | length) < ($a | length) and ($ab | length) < ($b | length)
    and all($ab[]; unused($a; .) and unused($b; .))
    and all($a[] | select(startswith("element:") or startswith("category:") | not);
            . as $x | (unused($b; $x) | not) or ($ab | index($x)) != null)' \
    >/dev/null &&
    ! jq -e '.disclosures.stale[] | select(.id == "identifiers.email")' \
        "$tmp/a.json" >/dev/null &&
    jq -e '.disclosures.stale_by_clause | length > 0
           and all(.[]; (.disclosures | length) > 0 and (.text | length) > 0)' \
        "$tmp/ab.json" >/dev/null; then
    ok "stale disclosures of two manifests are what neither does, per clause"
else
    nok "stale disclosures" "$(stale "$tmp/ab.json")"
fi

# ------------------------------------------------------------ html
out=$tmp/report.html
run "$tmp/stdout" --today 2026-12-01 \
    --waivers tests/data/report/legal-review.waivers.xml \
    --format html --output "$out" --format text \
    tests/data/report/legal-review.xml fixtures/violations/RGT-002.xml
if [ "$status" -eq 1 ] && [ -s "$out" ] &&
    grep -q '^privcheck: 2 manifests' "$tmp/stdout" &&
    [ "$(grep -c '<table class="matrix">' "$out")" -eq 2 ] &&
    ! grep -qi '<script\|<link\|<img\|<iframe\|<object\|@import\|url(' "$out"; then
    ok "--format html --output: one page, two manifests, nothing fetched, no script"
else
    nok "HTML report" "exit $status; $(head -c 300 "$tmp/err")"
fi

# --stylesheet replaces the installed one; one that reads or writes a
# file, or includes another, is refused (exit 2) and writes nothing.
xsl() {
    printf '%s\n' '<?xml version="1.0"?>' \
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"' \
        '    xmlns:r="urn:privcheck:report:1" xmlns:exsl="http://exslt.org/common"' \
        '    extension-element-prefixes="exsl" exclude-result-prefixes="r exsl">' \
        "$1" '</xsl:stylesheet>' >"$2"
}
xsl '<xsl:output method="html"/><xsl:template match="/"><p>custom <xsl:value-of select="count(//r:finding)"/></p></xsl:template>' \
    "$tmp/custom.xsl"
xsl '<xsl:template match="/"><p><xsl:value-of select="document('"'"'/etc/passwd'"'"')"/></p></xsl:template>' \
    "$tmp/read.xsl"
xsl '<xsl:template match="/"><exsl:document href="'"$tmp"'/written.txt">x</exsl:document><p/></xsl:template>' \
    "$tmp/write.xsl"
xsl '<xsl:include href="'"$tmp"'/custom.xsl"/>' "$tmp/include.xsl"
run "$tmp/custom.html" --format html --stylesheet "$tmp/custom.xsl" \
    fixtures/violations/SEN-001.xml
[ "$status" -eq 1 ] && grep -q '<p>custom 1</p>' "$tmp/custom.html" &&
    ok "--stylesheet FILE restyles the report" ||
    nok "--stylesheet" "exit $status: $(cat "$tmp/custom.html")"
bad=
for x in read write include; do
    run "$tmp/$x.html" --format html --output "$tmp/$x.out" \
        --stylesheet "$tmp/$x.xsl" fixtures/violations/SEN-001.xml
    [ "$status" -eq 2 ] || bad="$bad $x(exit $status)"
    [ -e "$tmp/$x.out" ] && bad="$bad $x(report written)"
    grep -q 'stylesheet' "$tmp/err" || bad="$bad $x(no message)"
done
[ -e "$tmp/written.txt" ] && bad="$bad write(file created)"
grep -q 'root:' "$tmp"/*.html "$tmp"/*.out 2>/dev/null && bad="$bad read(leaked)"
[ -z "$bad" ] &&
    ok "a stylesheet may not read, write or include files: exit 2, nothing written" ||
    nok "stylesheet hardening" "$bad"

# ------------------------------------------------------------ browser
# Chromium runs as any user (root in CI, hence --no-sandbox), with its
# profile in the scratch directory.
chrome() {
    HOME=$tmp timeout 120 chromium --headless --no-sandbox --disable-gpu \
        --user-data-dir="$tmp/profile" --no-first-run "$@" 2>>"$tmp/chrome.err"
}
out=$tmp/legal.html
run "$tmp/stdout" --today 2026-12-01 \
    --waivers tests/data/report/legal-review.waivers.xml \
    --format html --output "$out" tests/data/report/legal-review.xml
chrome --dump-dom "file://$out" >"$tmp/dom.html" || true
dom=$tmp/dom.html
bad=
[ -s "$dom" ] || bad="$bad no-dom($(tail -n 2 "$tmp/chrome.err"))"
for id in summary findings rights data-map disclosures coverage waived audit; do
    grep -q "<section id=\"$id\">" "$dom" || bad="$bad section:$id"
done
# The matrix: deletion answered in 50 days is late where 45 is the law
# (California, Colorado) and within Nevada's 60; correction is missing
# in California and not required in Nevada.
cells() {
    tr '\n' ' ' <"$dom" | sed 's/<tr>/\n<tr>/g' | grep "<code class=\"muted\">$1</code>" |
        sed 's/<td class="cell /\n/g' | sed -n 's/^\([a-z-]*\)".*/\1/p' | tr '\n' ' '
}
[ "$(cells deletion)" = "late late within " ] || bad="$bad deletion:[$(cells deletion)]"
[ "$(cells correction)" = "missing missing not-required " ] ||
    bad="$bad correction:[$(cells correction)]"
[ "$(cells know)" = "within within within " ] || bad="$bad know:[$(cells know)]"
grep -q 'Cal. Civ. Code § 1798.105' "$dom" || bad="$bad statute"
# Quoted clauses, a fix, the waiver with its approver.
grep -q '“We want to clarify that we have not sold your Personal Information.”' \
    "$dom" || bad="$bad clause"
grep -q 'Do not sell personal information' "$dom" || bad="$bad fix"
grep -q 'dana.legal@example.com' "$dom" || bad="$bad waiver"
grep -q 'not-required' "$dom" || bad="$bad not-required"
# Hostile strings are text: escaped in the DOM, no element made of them.
grep -q '&lt;script&gt;alert(1)&lt;' "$dom" || bad="$bad script-text"
grep -q '&lt;img src=x onerror=alert(2)&gt;' "$dom" || bad="$bad img-text"
grep -q '&lt;b&gt;Shine the Light&lt;/b&gt;' "$dom" || bad="$bad waiver-text"
tags=$(grep -o '<[a-zA-Z][a-zA-Z0-9]*' "$dom" | sort -u | tr '\n' ' ')
case " $tags " in *" <script "* | *" <img "* | *" <b "*) bad="$bad elements:[$tags]" ;; esac
[ -z "$bad" ] &&
    ok "Chromium shows every section, the matrix cells, the quoted clauses; hostile strings are text" ||
    nok "browser DOM" "$bad"

chrome --no-pdf-header-footer --print-to-pdf="$tmp/report.pdf" "file://$out" \
    >/dev/null || true
pages=0
[ -s "$tmp/report.pdf" ] &&
    pages=$(LC_ALL=C grep -a -o '/Type */Pages*' "$tmp/report.pdf" | grep -c -v 'Pages' || true)
[ "$pages" -gt 1 ] && ok "it prints to a PDF of $pages pages" ||
    nok "PDF" "$pages pages"

# The policy documents legal reads: the rendered policy and a diff of
# two versions open in the browser with their parts, and nothing empty.
(cd "$SRCDIR" && "$PRIVCHECK" policy render --format html -o "$tmp/policy.html") \
    2>>"$tmp/err" || true
chrome --dump-dom "file://$tmp/policy.html" >"$tmp/policy.dom" || true
bad=
[ -s "$tmp/policy.dom" ] || bad="$bad no-dom"
grep -q '<h1>SerenePractice Privacy Policy</h1>' "$tmp/policy.dom" || bad="$bad title"
grep -q 'are enforced by none: an audit does not check these promises' \
    "$tmp/policy.dom" || bad="$bad unenforced"
grep -q 'Enforced by: <code>SEN-001</code>' "$tmp/policy.dom" || bad="$bad enforced-by"
grep -q 'Cal. Civ. Code § 1798.83' "$tmp/policy.dom" || bad="$bad shine-the-light"
grep -q '<th></th>' "$tmp/policy.dom" && bad="$bad empty-heading"
grep -q '<script' "$tmp/policy.dom" && bad="$bad script"
[ -z "$bad" ] && ok "Chromium opens policy render's HTML: clauses, rules, unenforced promises, statutes" ||
    nok "policy render in the browser" "$bad"

(cd "$SRCDIR" && "$PRIVCHECK" policy diff --format html \
    --manifest fixtures/compliant-practice-web.xml \
    policy/serenepractice.xml fixtures/policy-v2/serenepractice.xml) \
    >"$tmp/diff.html" 2>>"$tmp/err" || true
chrome --dump-dom "file://$tmp/diff.html" >"$tmp/diff.dom" || true
bad=
[ -s "$tmp/diff.dom" ] || bad="$bad no-dom"
grep -q '43 changes, 37 looser, 1 stricter, 5 neutral' "$tmp/diff.dom" || bad="$bad counts"
grep -q '<del>Nevada,</del>' "$tmp/diff.dom" || bad="$bad word-diff"
grep -q '<code>data-broker</code>' "$tmp/diff.dom" || bad="$bad recipient-type"
grep -q '<script' "$tmp/diff.dom" && bad="$bad script"
[ -z "$bad" ] && ok "Chromium opens policy diff's HTML: the counts, each change, the reworded words" ||
    nok "policy diff in the browser" "$bad"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
