#!/bin/sh
# cli.sh - end-to-end checks of the privcheck command line: help and
# version, validating the real policy and broken copies of it (exit 2 with
# file:line), rendering the policy, and refusing what is not a privcheck
# input. Run by `make check`, which sets PRIVCHECK and SRCDIR.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"

policy=$SRCDIR/policy/serenepractice.xml
small=$SRCDIR/tests/data/policy/good.xml
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

# run ARGS...: run privcheck; stdout, stderr and status are kept.
run() {
    status=0
    "$PRIVCHECK" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
}

ok() {
    pass=$((pass + 1))
    echo "PASS: $1"
}

# nok NAME WHY: a failure, with what privcheck printed.
nok() {
    fail=$((fail + 1))
    echo "FAIL: $1: $2"
    sed -n '1,20s/^/    stdout: /p' "$tmp/out"
    sed -n '1,20s/^/    stderr: /p' "$tmp/err"
}

# check NAME WANT-STATUS [TEST-COMMAND...]: the last run exited with
# WANT-STATUS and the optional shell test holds.
check() {
    name=$1
    want=$2
    shift 2
    if [ "$status" -ne "$want" ]; then
        nok "$name" "exit status $status, want $want"
    elif [ $# -gt 0 ] && ! "$@"; then
        nok "$name" "output check failed: $*"
    else
        ok "$name"
    fi
}

has_out() { grep -q -e "$1" "$tmp/out"; }
has_err() { grep -q -F -e "$1" "$tmp/err"; }

# ------------------------------------------------------------ basics
run --help
check "--help exits 0 and mentions validate" 0 has_out validate
check "--help describes classify's options" 0 sh -c '
    grep -q "^  --context TABLE  *classify: " "$1" &&
    grep -q "^  --explain  *classify: " "$1"' sh "$tmp/out"

run --version
check "--version prints the version" 0 has_out '^privcheck [0-9][0-9.]*'

run
check "no command is a usage error" 2

run frobnicate
check "an unknown command is a usage error" 2 has_err "unknown command"

# ------------------------------------------------------------ validate
run validate "$policy"
check "validate the real policy" 0 has_out valid

run validate "$small"
check "validate a small policy" 0

# A copy with one cited clause id broken, on a one-line element so that
# libxml2's line (that of the start tag's end) is the element's line.
line=$(grep -n '^ *<right id="[^"]*" [^>]*clauses="[^"]*"/>$' "$policy" |
    head -n 1 | cut -d: -f1)
if [ -z "$line" ]; then
    nok "broken clause reference" "no one-line <right> in $policy"
else
    cited=$(sed -n "${line}p" "$policy" |
        sed 's/.*clauses="\([^" ]*\).*/\1/')
    sed "${line}s/clauses=\"$cited/clauses=\"s99.no-such-clause/" \
        "$policy" >"$tmp/broken.xml"
    run validate "$tmp/broken.xml"
    check "a dangling clause reference (was $cited) fails at line $line" 2 \
        has_err "$tmp/broken.xml:$line: error: unknown clause 's99.no-such-clause'"
fi

# Several broken policies at once: every file is checked, exit 2.
run validate "$small" "$SRCDIR/tests/data/policy/dup-id.xml" \
    "$SRCDIR/tests/data/policy/unknown-right.xml"
check "every file of several is checked" 2 \
    sh -c 'grep -q "dup-id.xml:[0-9]*: error: duplicate" "$1" &&
           grep -q "unknown-right.xml:[0-9]*: error: unknown right" "$1" &&
           grep -q "good.xml: valid" "$2"' sh "$tmp/err" "$tmp/out"

printf '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"/>\n' \
    >"$tmp/page.xml"
run validate "$tmp/page.xml"
check "a non-privcheck XML file is refused" 2 has_err "not a privcheck file"

printf 'not < xml at all' >"$tmp/junk.xml"
run validate "$tmp/junk.xml"
check "a file that is not XML is refused" 2

run validate "$tmp/does-not-exist.xml"
check "a missing file is refused" 2 has_err "does-not-exist.xml"

run validate
check "validate with no file is a usage error" 2

printf '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<policy xmlns="urn:privcheck:policy:1">&x;</policy>\n' \
    >"$tmp/doctype.xml"
run validate "$tmp/doctype.xml"
check "a DOCTYPE is refused with its line" 2 \
    sh -c '! grep -q "root:" "$1" && grep -q "doctype.xml:2: error: DOCTYPE" "$1"' \
    sh "$tmp/err"

# Rules and classifiers are compiled, not only schema-checked.
run validate "$SRCDIR/rules/collection.rules.xml" "$SRCDIR/rules/classifiers.xml"
check "validate compiles a rules file and the classifiers" 0 \
    has_out 'collection.rules.xml: valid'
run validate "$SRCDIR/tests/data/rules/bad-expr/bad.rules.xml"
check "validate reports a rule's unknown attribute at its line" 2 \
    has_err "bad.rules.xml:8: error: rule BAD-004: <flow> has no attribute 'purpse'"
run validate "$SRCDIR/fixtures/compliant-telehealth.xml"
check "validate a manifest" 0 has_out 'compliant-telehealth.xml: valid'

# ------------------------------------------------------------ policy render
run policy render
if [ "$status" -eq 0 ]; then
    missing=
    n=1
    while [ "$n" -le 11 ]; do
        grep -q "^## $n\. " "$tmp/out" || missing="$missing $n"
        n=$((n + 1))
    done
    if [ -z "$missing" ]; then
        ok "policy render prints all eleven sections"
    else
        nok "policy render prints all eleven sections" "missing:$missing"
    fi
else
    check "policy render exits 0" 0
fi

run policy render
check "policy render quotes clauses with their ids" 0 \
    sh -c 'grep -q "^\`s8\.[a-z0-9-]*\`" "$1" && grep -q "^> " "$1"' \
    sh "$tmp/out"

run --policy "$small" --rules "$SRCDIR/tests/data/policy/rules" policy render
check "--policy chooses the policy to render" 0 \
    has_out '^## 3\. Sharing, rights and the rest$'

# Clause text that Markdown would read as markup is escaped: a list
# marker or number at the start of a line, a '|' in a table cell.
sed -e 's#>For example:</clause>#>1. For example:</clause>#' \
    -e 's#>We collect your email address and phone number.</clause>#>- We collect your email address | phone number.</clause>#' \
    "$small" >"$tmp/md-policy.xml"
run --policy "$tmp/md-policy.xml" --rules "$SRCDIR/tests/data/policy/rules" \
    policy render --format markdown
check "policy render escapes Markdown in clause text" 0 sh -c '
    grep -q -F "> 1\. For example:" "$1" &&
    grep -q -F "> \- We collect your email address | phone number." "$1" &&
    grep -q -F "| - We collect your email address \| phone number. |" "$1"' \
    sh "$tmp/out"

run --policy "$tmp/broken.xml" policy render
check "rendering a broken policy fails closed" 2 has_err "unknown clause"

run policy render
check "policy render lists the normative clauses no rule enforces" 0 \
    sh -c 'grep -q "^## Clause coverage$" "$1" &&
        grep -q "normative clauses are enforced by at least one rule" "$1"' \
    sh "$tmp/out"
check "policy render names the rules that enforce a clause" 0 \
    has_out '^Enforced by: `SEN-001` (SSN collected outside Billing Settings)'

run --policy "$small" --rules "$SRCDIR/tests/data/policy/rules" policy render
check "an unenforced clause of a small policy is listed with what cites it" 0 \
    has_out '^| `s3.kids` | §3 | We do not collect data from children under 16. | children `min-age` |$'

run policy render --format json
check "policy render --format json gives deadlines with their statutes" 0 \
    sh -c 'python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
ca = [j for j in d[\"jurisdictions\"] if j[\"id\"] == \"US-CA\"][0]
stl = [r for r in ca[\"rights\"] if r[\"right\"] == \"shine-the-light\"][0]
assert stl[\"deadline_days\"] == 30, stl
assert stl[\"deadline_statute\"].endswith(\"1798.83(b)(1)\"), stl
assert \"s8.residents\" not in d[\"unenforced_clauses\"]
" "$1"' sh "$tmp/out"

run policy render --format html --output "$tmp/policy.html"
check "policy render --format html -o FILE writes one page" 0 \
    sh -c '[ ! -s "$1" ] && head -n 1 "$2" | grep -qi "^<!DOCTYPE html>" &&
        grep -q "<h2 id=\"coverage\">Clause coverage</h2>" "$2" &&
        ! grep -qi "<script\|<link\|src=" "$2"' sh "$tmp/out" "$tmp/policy.html"

# A clause with markup in it arrives as text in HTML and in Markdown.
sed 's|We never sell it.|We never sell it \&lt;script\&gt;alert(1)\&lt;/script\&gt; \&amp; *bold* \| pipe.|' \
    "$small" >"$tmp/markup.xml"
run --policy "$tmp/markup.xml" --rules "$SRCDIR/tests/data/policy/rules" \
    policy render --format html
check "HTML escapes markup from the policy by construction" 0 \
    sh -c '! grep -q "<script>" "$1" &&
        grep -q "We never sell it &lt;script&gt;alert(1)&lt;/script&gt; &amp; \*bold\*" "$1"' \
    sh "$tmp/out"
run --policy "$tmp/markup.xml" --rules "$SRCDIR/tests/data/policy/rules" \
    policy render
check "Markdown escapes markup from the policy" 0 \
    has_out '^> We never sell it \\<script>alert(1)\\</script> & \\\*bold\\\* | pipe\.$'

echo keep >"$tmp/kept.html"
run policy render --format sarif --output "$tmp/kept.html"
check "policy render refuses a report format, and writes nothing" 2 \
    sh -c 'grep -q "^keep$" "$1"' sh "$tmp/kept.html"

# ------------------------------------------------------------ policy lint, diff
# (their findings and changes are pinned by tests/golden/lint-* and
# tests/golden/policy-diff-*)
run --policy "$SRCDIR/tests/data/policy/lint/purpose-conflict.xml" \
    --rules "$SRCDIR/tests/data/policy/rules" policy lint --format json
check "policy lint --format json gives each finding its check, file:line and clauses" 1 \
    sh -c 'jq -e "[.findings[] | select(.check == \"purpose-conflict\")] |
        length == 2 and all(.line > 0 and (.clauses | length) > 0)" "$1" >/dev/null' \
    sh "$tmp/out"

run policy lint extra
check "policy lint takes no argument" 2

small_rules="$SRCDIR/tests/data/policy/rules"
run --rules "$small_rules" policy diff "$small" \
    "$SRCDIR/tests/data/policy/lint/sensitive-unrestricted.xml" \
    --manifest "$SRCDIR/fixtures/compliant-practice-web.xml" --fail-on-looser
check "policy diff audits the impact with the --rules given, and fails on a looser change" 1 \
    sh -c 'grep -q "^looser   category secret changed: open to general purposes: no -> yes" "$1" &&
        grep -q "^impact on 1 manifest: 0 findings appear, 0 disappear$" "$1"' \
    sh "$tmp/out"

# Deadlines as periods of months (doc/policy-format.md, "Deadlines"): the
# second pack's one month and two more, against the same law in days.
mx="$SRCDIR/policy/matrix-org.xml"
cp "$SRCDIR/policy/matrix-org-privacy-policy.txt" "$tmp/"
sed 's/period="P1M" extension="P2M" statute="UK GDPR/days="30" extension-days="60" statute="UK GDPR/' \
    "$mx" >"$tmp/mx-days.xml"
sed 's/period="P1M" extension="P2M" statute="UK GDPR/period="P31D" extension="P2M" statute="UK GDPR/' \
    "$mx" >"$tmp/mx-31.xml"
sed 's/period="P1M" extension="P2M" statute="UK GDPR/days="30" period="P1M" extension="P2M" statute="UK GDPR/' \
    "$mx" >"$tmp/mx-both.xml"
sed 's/period="P1M" extension="P2M" statute="UK GDPR/period="P1Month" extension="P2M" statute="UK GDPR/' \
    "$mx" >"$tmp/mx-bad.xml"
run --rules "$SRCDIR/rules/matrix-org" policy diff "$tmp/mx-days.xml" "$mx"
check "30 days -> one month is looser (31 days from 1 January)" 0 \
    has_out '^looser   deadline GB changed: response deadline: 30 days -> 1 month (P1M, 28 days at the shortest)'
run --rules "$SRCDIR/rules/matrix-org" policy diff "$mx" "$tmp/mx-days.xml"
check "one month -> 30 days is stricter" 0 \
    has_out '^stricter deadline GB changed: response deadline: 1 month (P1M, 28 days at the shortest) -> 30 days'
run --rules "$SRCDIR/rules/matrix-org" policy diff "$mx" "$tmp/mx-31.xml" --fail-on-looser
check "one month -> P31D is looser: as long at the longest, longer at the shortest" 1 \
    has_out '^looser   deadline GB changed: response deadline: 1 month (P1M, 28 days at the shortest) -> 31 days (P31D)'
run --policy "$tmp/mx-both.xml" --rules "$SRCDIR/rules/matrix-org" policy lint
check "a deadline in days and as a period is refused" 2 has_err 'mx-both.xml:381:'
run --policy "$tmp/mx-bad.xml" --rules "$SRCDIR/rules/matrix-org" policy lint
check "a malformed period is refused at its line" 2 has_err 'mx-bad.xml:381:'
run --policy "$mx" --rules "$SRCDIR/rules/matrix-org" policy render --format json
check "policy render --format json gives the period and its fewest days" 0 \
    sh -c 'jq -e "[.jurisdictions[] | select(.id == \"GB\")][0] |
        .deadline.period == \"P1M\" and .deadline.extension == \"P2M\" and
        .deadline.days == 28 and .deadline.extension_days == 59 and
        (.rights[0].deadline_period == \"P1M\") and .rights[0].deadline_days == 28" "$1" >/dev/null' \
    sh "$tmp/out"
check "policy render --format json lists a group's members" 0 \
    sh -c 'jq -e "([.jurisdictions[] | select(.id == \"EU\")][0].members |
            index(\"DE\") != null and index(\"NO\") != null) and
        [.jurisdictions[] | select(.id == \"GB\")][0].members == []" "$1" >/dev/null' \
    sh "$tmp/out"
# A jurisdiction's statute and effective date are the encoding's to give.
sed 's/ statute="UK GDPR (retained Regulation (EU) 2016\/679)" effective="2021-01-01"//' \
    "$mx" >"$tmp/mx-nostat.xml"
run --policy "$tmp/mx-nostat.xml" --rules "$SRCDIR/rules/matrix-org" policy render
check "a jurisdiction with no statute or effective date loads and renders" 0 \
    has_out '^| `GB` United Kingdom | UK GDPR and the Data Protection Act 2018 | — |'
# Jurisdiction groups: a member dropped is a place that loses its rights.
sed 's/ IS LI NO"/ IS LI"/' "$mx" >"$tmp/mx-no-norway.xml"
run --rules "$SRCDIR/rules/matrix-org" policy diff "$mx" "$tmp/mx-no-norway.xml" --fail-on-looser
check "a member removed from a group is looser" 1 \
    has_out '^looser   jurisdiction EU changed: members removed: NO'
run --policy "$tmp/mx-no-norway.xml" --rules "$SRCDIR/rules/matrix-org" check \
    "$SRCDIR/fixtures/matrix-org/near-misses/MXO-021.xml"
check "an audience in a country no group lists any more is reported" 1 \
    has_out "MXO-021\] the audience includes 'NO'"
sed 's/ IS LI NO"/ IS LI NO GB"/' "$mx" >"$tmp/mx-gb-twice.xml"
run --policy "$tmp/mx-gb-twice.xml" --rules "$SRCDIR/rules/matrix-org" policy lint
check "a member that is a jurisdiction of its own fails the load" 2 \
    has_err "jurisdiction 'EU' lists member 'GB', which is a jurisdiction of its own"
run --policy "$mx" --rules "$SRCDIR/rules/matrix-org" check \
    --format html "$SRCDIR/fixtures/matrix-org/violations/MXO-015-month.xml"
check "the HTML rights matrix shows a month deadline and a 30-day answer as late" 1 \
    sh -c 'grep -q "deadline P1M (28 days at the shortest)" "$1" &&
        grep -q "(+P2M)" "$1" && grep -q "late" "$1"' sh "$tmp/out"

# Each kind of change policy diff names, in both directions where the
# direction matters.
sp="$SRCDIR/policy/serenepractice.xml"
cp "$SRCDIR/policy/serenepractice-privacy-policy.txt" "$tmp/"
sed -e 's/ only-from="billing-settings"//' \
    -e '0,/scope="listed"/s/scope="listed"/scope="general"/' \
    -e 's/subject="client" clauses="s1.baa/subject="customer" clauses="s1.baa/' \
    -e 's/frequency="P1Y"/frequency="P6M"/' \
    -e 's/statute="Cal. Civ. Code § 1798.130(a)(2)(A)"/statute="Cal. Civ. Code § 1798.130(a)(2)(B)"/' \
    -e 's/effective="2023-01-01"/effective="2024-01-01"/' \
    -e 's/appeal-subject="Privacy Request Appeal"/appeal-subject="Appeal"/' \
    -e 's/id="waiver-horizon" type="duration" value="P180D"/id="waiver-horizon" type="duration" value="P1Y2M4DT5H6M7S"/' \
    "$sp" >"$tmp/sp-v3.xml"
run policy diff "$sp" "$tmp/sp-v3.xml" --fail-on-looser
check "policy diff: a source restriction dropped is looser" 1 \
    has_out '^looser   element sensitive.ssn changed: no longer restricted to a source (line 311 -> 311)$'
check "policy diff: a purpose opened to general use is looser" 1 \
    has_out '^looser   purpose payments changed: scope: listed -> general'
check "policy diff: an agreement's data subject" 1 \
    has_out '^neutral  agreement baa changed: data subject: client -> customer'
check "policy diff: how often a right may be exercised" 1 \
    has_out '^neutral  right shine-the-light changed: at most once per: P1Y -> P6M'
check "policy diff: a deadline's statute" 1 \
    has_out '^neutral  deadline US-CA changed: statute: Cal. Civ. Code § 1798.130(a)(2)(A) -> Cal. Civ. Code § 1798.130(a)(2)(B)'
check "policy diff: when a law took effect" 1 \
    has_out '^neutral  jurisdiction US-CA and 1 more changed: law effective: 2023-01-01 -> 2024-01-01 (US-VA)$'
check "policy diff: the appeal's subject line" 1 \
    has_out '^neutral  rights appeal changed: appeal by email with subject "Privacy Request Appeal" -> by email with subject "Appeal"$'
check "policy diff: a longer period in years, months, days and time is looser" 1 \
    has_out '^looser   setting waiver-horizon changed: default: P180D -> P1Y2M4DT5H6M7S'
run policy diff "$tmp/sp-v3.xml" "$sp" --fail-on-looser
check "policy diff: a source restriction added is stricter; nothing looser, exit 0" 0 \
    has_out '^stricter element sensitive.ssn changed: now restricted to a source'
check "policy diff: a purpose narrowed to listed data is stricter" 0 \
    has_out '^stricter purpose payments changed: scope: general -> listed'
check "policy diff: a shorter period is stricter" 0 \
    has_out '^stricter setting waiver-horizon changed: default: P1Y2M4DT5H6M7S -> P180D'

run policy diff "$small"
check "policy diff needs two policies" 2

run policy diff "$small" "$small" --format sarif
check "policy diff refuses a format it does not write" 2

if [ -w /dev/full ]; then
    status=0
    "$PRIVCHECK" policy render --format html >/dev/full 2>"$tmp/err" || status=$?
    check "policy render fails closed when its output cannot be written" 2 \
        has_err "cannot write to standard output"
fi

run policy frobnicate
check "an unknown policy subcommand is a usage error" 2

# ------------------------------------------------------------ check
fx=$SRCDIR/fixtures
run check "$fx/compliant-practice-web.xml"
check "a compliant manifest exits 0 with a clean summary" 0 \
    has_out '^privcheck: 1 manifest, no findings$'

run check "$fx/violations/SEN-001.xml"
check "a violation exits 1" 1 has_out '\[SEN-001\]'

# --output: written whole, through a rename, only when the audit ran.
run check --format json --output "$tmp/r.json" "$fx/violations/SEN-001.xml"
check "--output writes the report to the file, not stdout" 1 \
    sh -c '[ ! -s "$1" ] && jq -e ".findings[0].id == \"SEN-001\"" "$2" \
           >/dev/null' sh "$tmp/out" "$tmp/r.json"
check "--output leaves no temporary file behind" 1 \
    sh -c '[ -z "$(find "$1" -name ".privcheck-*")" ]' sh "$tmp"

# --output follows the umask, and keeps the mode of a file it replaces.
(umask 022 && "$PRIVCHECK" check --output "$tmp/m1.txt" \
    "$fx/compliant-telehealth.xml" >/dev/null 2>&1) || :
(umask 027 && "$PRIVCHECK" check --output "$tmp/m2.txt" \
    "$fx/compliant-telehealth.xml" >/dev/null 2>&1) || :
printf 'old' >"$tmp/m3.txt"
chmod 0604 "$tmp/m3.txt"
(umask 077 && "$PRIVCHECK" check --output "$tmp/m3.txt" \
    "$fx/compliant-telehealth.xml" >/dev/null 2>&1) || :
status=0
check "--output follows the umask and keeps an existing file's mode" 0 \
    sh -c '[ "$(stat -c %a "$1")" = 644 ] && [ "$(stat -c %a "$2")" = 640 ] &&
           [ "$(stat -c %a "$3")" = 604 ] && grep -q "no findings" "$3"' \
    sh "$tmp/m1.txt" "$tmp/m2.txt" "$tmp/m3.txt"

run check --output "$tmp/no-such-dir/r.txt" "$fx/compliant-telehealth.xml"
check "an --output that cannot be written exits 2" 2 \
    sh -c '[ ! -e "$1" ]' sh "$tmp/no-such-dir/r.txt"

printf 'stale' >"$tmp/keep.txt"
run check --output "$tmp/keep.txt" "$fx/compliant-telehealth.xml" \
    "$tmp/does-not-exist.xml"
check "a failed audit leaves an existing --output untouched" 2 \
    sh -c '[ "$(cat "$1")" = stale ]' sh "$tmp/keep.txt"

# Several reports in one run: each --output binds to the --format before
# it, the text report goes to the terminal.
mkdir "$tmp/multi"
run check --format sarif --output "$tmp/multi/r.sarif" \
    --format markdown --output "$tmp/multi/summary.md" --format text \
    "$fx/violations/SEN-001.xml"
check "sarif, markdown to files and text to stdout in one run" 1 \
    sh -c 'jq -e ".runs[0].results[0].ruleId == \"SEN-001\"" "$1" >/dev/null &&
           grep -q "privcheck: failed" "$2" &&
           grep -q "^privcheck: 1 manifest, 1 error" "$3" &&
           [ -z "$(find "$4" -name ".privcheck-*")" ]' \
    sh "$tmp/multi/r.sarif" "$tmp/multi/summary.md" "$tmp/out" "$tmp/multi"

run check --output "$tmp/multi/first.json" --format json \
    "$fx/compliant-telehealth.xml"
check "an --output before its --format binds to it" 0 \
    sh -c 'jq -e ".findings == []" "$1" >/dev/null && [ ! -s "$2" ]' \
    sh "$tmp/multi/first.json" "$tmp/out"

# One report that cannot be written: exit 2, and no file is written or
# replaced, not even the ones that could have been.
printf 'old sarif' >"$tmp/multi/keep.sarif"
run check --format sarif --output "$tmp/multi/keep.sarif" \
    --format junit --output "$tmp/multi/new.xml" \
    --format markdown --output "$tmp/no-such-dir/s.md" \
    "$fx/violations/SEN-001.xml"
check "a report that cannot be written fails the run, and writes none" 2 \
    sh -c '[ "$(cat "$1")" = "old sarif" ] && [ ! -e "$2" ] &&
           [ -z "$(find "$3" -name ".privcheck-*")" ] &&
           grep -q "no-such-dir/s.md" "$4"' \
    sh "$tmp/multi/keep.sarif" "$tmp/multi/new.xml" "$tmp/multi" "$tmp/err"

run check --format json --format sarif "$fx/compliant-telehealth.xml"
check "two reports to standard output is a usage error" 2 \
    has_err "only one report can go to standard output"
run check --format json --output "$tmp/multi/x" --format sarif \
    --output "$tmp/multi/x" "$fx/compliant-telehealth.xml"
check "two reports to one file is a usage error" 2 \
    has_err "two reports to one --output"

# -j: the report does not depend on how many manifests run at once.
# shellcheck disable=SC2046 # fixture paths have no spaces
set -- $(grep -L 'urn:privcheck:waivers:1' "$fx"/violations/*.xml)
run check -j 1 --format json "$@"
cp "$tmp/out" "$tmp/j1.json"
run check -j 4 --format json "$@"
check "-j 4 gives the same report as -j 1" 1 cmp -s "$tmp/out" "$tmp/j1.json"

# Fingerprints: as doc/json-report.md computes them by hand, and the same
# from another working directory with --source-root.
(cd "$SRCDIR" && "$PRIVCHECK" check --format json \
    fixtures/violations/SEN-001.xml >"$tmp/fp1.json" 2>/dev/null) || :
(cd "$tmp" && "$PRIVCHECK" check --format json --source-root "$SRCDIR" \
    "$SRCDIR/fixtures/violations/SEN-001.xml" >"$tmp/fp2.json" 2>/dev/null) || :
want=$(printf '%s\0%s\0%s\0%s' SEN-001 practice-web \
    fixtures/violations/SEN-001.xml 'flow[payout-setup]/field[ssn]' |
    sha256sum | cut -c1-16)
status=0
got1=$(jq -r '.findings[] | select(.id == "SEN-001") | .fingerprint' "$tmp/fp1.json")
got2=$(jq -r '.findings[] | select(.id == "SEN-001") | .fingerprint' "$tmp/fp2.json")
check "a fingerprint is the documented hash, from any directory with --source-root" 0 \
    sh -c '[ "$1" = "$2" ] && [ "$1" = "$3" ] &&
           [ "$(jq -r ".manifests[0].path" "$4")" = fixtures/violations/SEN-001.xml ]' \
    sh "$want" "$got1" "$got2" "$tmp/fp2.json"

# The rules hash: the doc's recipe, and the same for a copy of the rules
# anywhere else.
mkdir "$tmp/rules-copy"
cp "$SRCDIR"/rules/*.xml "$SRCDIR"/rules/*.rng "$tmp/rules-copy/"
want=$(cd "$SRCDIR/rules" && LC_ALL=C sha256sum classifiers.xml *.rules.xml |
    sha256sum | cut -d' ' -f1)
run check --format json "$fx/compliant-telehealth.xml"
cp "$tmp/out" "$tmp/h1.json"
run --rules "$tmp/rules-copy" check --format json "$fx/compliant-telehealth.xml"
check "rules.sha256 is the documented recipe, wherever the rules are" 0 \
    sh -c '[ "$(jq -r .rules.sha256 "$1")" = "$3" ] &&
           [ "$(jq -r .rules.sha256 "$2")" = "$3" ]' \
    sh "$tmp/h1.json" "$tmp/out" "$want"

run check --source-root "$tmp/no-such-dir" "$fx/compliant-telehealth.xml"
check "a --source-root that is not a directory is a usage error" 2 \
    has_err "--source-root"

run check --fail-on sometimes "$fx/compliant-telehealth.xml"
check "an unknown --fail-on is a usage error" 2 has_err "--fail-on"

run check --format yaml "$fx/compliant-telehealth.xml"
check "an unknown --format is a usage error" 2 has_err "--format"

run check -j 0 "$fx/compliant-telehealth.xml"
check "-j 0 is a usage error" 2 has_err "--jobs"

run check
check "check with no manifest is a usage error" 2

NO_COLOR=1 run check "$fx/violations/SEN-001.xml"
check "no colour when stdout is not a terminal" 1 \
    sh -c '! grep -q "$(printf "\033")" "$1"' sh "$tmp/out"

# explain, classify, rules
run explain SEN-001
check "explain quotes the clause the rule enforces" 0 \
    has_out 'policy §2 \[s2.ssn-billing\]: "Your social security number'
run explain XYZ-999
check "explain of an unknown rule exits 2" 2 has_err "no rule 'XYZ-999'"
run classify sexualOrientation
check "classify names the element and its pattern" 0 \
    has_out '^sexualOrientation: sensitive.sexual-orientation, sensitive$'

# classify --context, --explain: with classifiers that depend on context
# (tests/data/rules/context) and with the real ones.
ctxrules=$SRCDIR/tests/data/rules/context
run --rules "$ctxrules" classify --context CalendarEvent description start
check "classify --context applies to every NAME" 0 \
    has_out '^description in CalendarEvent: calendar.events$'
check "classify --context: the second NAME too" 0 \
    has_out '^start in CalendarEvent: calendar.events'
run --rules "$ctxrules" classify description
check "classify without --context: a context= pattern does not count" 0 \
    has_out '^description: not recognised by any classifier'
run --rules "$ctxrules" classify --context tags name
check "classify --context: a <not> with a context vetoes there" 0 \
    has_out '^name in tags: not recognised'
run --rules "$ctxrules" classify --context users name
check "classify --context: and nowhere else" 0 \
    has_out '^name in users: identifiers.name'

run --rules "$ctxrules" classify --explain --context CalendarEvent description
check "explain: the name and context as given" 0 \
    has_out '^description (context CalendarEvent):$'
check "explain: the normalised name" 0 has_out '^  normalised name: description$'
check "explain: the normalised context" 0 \
    has_out '^  normalised context: calendar_event$'
check "explain: the <name> that matched, and its context condition" 0 sh -c '
    grep -qxF "    event: <name> 1 matched: ^(description|start)\$" "$1" &&
    grep -qxF "      and its context=\"(^|_)(calendar|events?)(_|\$)\" matches the context" "$1" &&
    grep -qxF "    event: chosen (calendar.events, line 5)" "$1"' sh "$tmp/out"
check "explain: the context used, and that it decided" 0 \
    has_out '^  context used: calendar_event; it decided the answer'
check "explain: the element chosen" 0 \
    has_out '^  element: calendar.events.* (classifier event, pattern '
check "explain: no classifier after the chosen one is tried" 0 sh -c '
    ! grep -q "person:" "$1" && grep -qx "  classifiers tried: 1" "$1"' \
    sh "$tmp/out"

run --rules "$ctxrules" classify --explain start
check "explain: a <name> skipped for want of a context, then the rest" 0 sh -c '
    grep -qF "    event: <name> 1 matched the name but is skipped: its context=" "$1" &&
    grep -qF "needs a context, and there is none" "$1" &&
    grep -qx "    event: not chosen: no <name> counts in this context" "$1" &&
    grep -qx "    person: no <name> matched" "$1" &&
    grep -qx "    no classifier recognises the name" "$1" &&
    grep -qx "  context used: none; it decided the answer (a pattern that matched the name has a context condition)" "$1" &&
    grep -qx "  classifiers tried: 2" "$1" &&
    grep -qx "  element: none (a field named so needs a category)" "$1"' \
    sh "$tmp/out"

run --rules "$ctxrules" classify --context products --explain start
check "explain: a context that does not match" 0 \
    has_out 'skipped: its context=".*" does not match the context$'

run --rules "$ctxrules" classify --explain --context Tag name
check "explain: a veto, with its context" 0 sh -c '
    grep -qxF "    person: vetoed by <not> 1: ^name\$" "$1" &&
    grep -qxF "      (its context=\"(^|_)tags?(_|\$)\" matches the context)" "$1"' \
    sh "$tmp/out"
run --rules "$ctxrules" classify --explain --context users name
check "explain: a <not> that does not count in this context" 0 \
    has_out '^    person: <not> 1 matched the name but does not veto: its context=".*" does not match the context$'

run classify --explain email_verified gender
check "explain with the real classifiers: every classifier until one is chosen" 0 sh -c '
    n=$(grep -c "^    [a-z0-9-]*: no <name> matched\$" "$1")
    [ "$n" -gt 40 ] &&
    grep -q "^    email: vetoed by <not> 1: " "$1" &&
    grep -qx "  context used: none; it did not matter (the answer is the same in every context)" "$1" &&
    grep -q "^    gender: chosen (person.gender, line [0-9]*)\$" "$1" &&
    grep -q "^  element: person.gender, NOT declared by the policy (classifier gender, pattern " "$1"' \
    sh "$tmp/out"

run classify --explain --context hs_hr_employee emp_name
check "explain: a column prefix that abbreviates the table, and the rest tried" 0 sh -c '
    grep -qx "  its first word abbreviates the context (a column prefix);" "$1" &&
    grep -qx "  the rest of the name: name" "$1" &&
    grep -q "^    name: chosen (identifiers.name, line [0-9]*)\$" "$1"' \
    sh "$tmp/out"
run classify --context products emp_name
check "and no prefix where it abbreviates nothing" 0 \
    has_out '^emp_name in products: not recognised'

run classify --context calendar_event description name
check "the real classifiers read description in a calendar table" 0 sh -c '
    grep -q "^description in calendar_event: calendar.events\$" "$1" &&
    grep -q "^name in calendar_event: calendar.events\$" "$1"' sh "$tmp/out"
run classify --context products description
check "and nothing personal in a products table" 0 \
    has_out '^description in products: not recognised'
run classify --context oauth_applications name
check "the name of an OAuth application is not a person's" 0 \
    has_out '^name in oauth_applications: not recognised'

run --explain classify --context users email
check "classify options may come before the command" 0 \
    has_out '^email (context users):$'

run classify --frobnicate email
check "classify: an unknown option is a usage error" 2 sh -c '
    grep -q "^privcheck: unrecognised option: --frobnicate" "$1" &&
    grep -q "^Try .privcheck --help." "$1"' \
    sh "$tmp/err"
run classify --context
check "classify: --context needs a value" 2 has_err "this option needs a value: --context"
run check --context users "$fx/compliant-telehealth.xml"
check "--context is for classify only" 2 \
    has_err "--context is an option of classify, not of: check"
run rules --explain
check "--explain is for classify only" 2 \
    has_err "--explain is an option of classify, not of: rules"

run rules
check "rules lists the catalog" 0 has_out '^[0-9][0-9]* rules$'
run --rules "$tmp" check "$fx/compliant-telehealth.xml"
check "a rules directory without rules fails closed" 2 \
    has_err "nothing was checked"

# ------------------------------------------------ echoed input is escaped
# Nothing a user or a pull request controls reaches the terminal or the
# CI log raw: no ESC or BEL byte, and no newline that could start a forged
# workflow command.
esc=$(printf '\033')
bel=$(printf '\007')
nl='
'
raw_free() {
    ! grep -q -e "$esc" -e "$bel" "$tmp/out" "$tmp/err" &&
        ! grep -q '^::error' "$tmp/out" "$tmp/err"
}
run explain "SEN${esc}[2J${nl}::error file=x::forged"
check "explain escapes an unknown id" 2 sh -c '
    grep -q -F "no rule '"'"'SEN\x1b[2J\x0a::error file=x::forged'"'"'" "$1"' \
    sh "$tmp/err"
raw_free || nok "explain echoes nothing raw" "raw bytes in the output"
run classify "na${bel}me${nl}::error::x"
check "classify escapes the name" 0 has_out 'na\\x07me\\x0a::error::x'
raw_free || nok "classify echoes nothing raw" "raw bytes in the output"
run "cmd${esc}[31m"
check "an unknown command is escaped" 2 has_err 'unknown command: cmd\x1b[31m'
raw_free || nok "unknown command echoes nothing raw" "raw bytes"
run --bogus
check "an unknown option names privcheck, not a build path" 2 sh -c '
    grep -q -F "privcheck: unrecognised option: --bogus" "$1" &&
    ! grep -q "libs\|lt-" "$1"' sh "$tmp/err"
bad="$tmp/evil${esc}]0;x${bel}${nl}::error file=y::forged.xml"
printf 'not xml' >"$bad"
run check "$bad"
check "a manifest's file name is escaped in every line" 2 has_err 'evil\x1b]0;x\x07\x0a::error file=y::forged.xml: error: not audited'
raw_free || nok "check echoes no file name raw" "raw bytes in the output"
run validate "$bad"
check "validate escapes the file name" 2
raw_free || nok "validate echoes no file name raw" "raw bytes in the output"


# ------------------------------------------------------------ stdout spool
# A report to standard output is made in a temporary file (TMPDIR) and
# copied out whole; where no file can be made there, in memory. The same
# bytes either way, and no temporary file left behind.
# valgrind (tests/valgrind.sh) cannot start where TMPDIR is not a
# directory it can write: under it the memory leg is left to the plain run,
# and the spooled report is compared with one spooled in the default /tmp.
viol=$(ls "$SRCDIR"/fixtures/violations/*.xml | head -n 1)
mkdir "$tmp/spool"
nospool=$tmp/no-such-dir
case $PRIVCHECK in
*valgrind*)
    nospool=
    echo "SKIP: the in-memory report under valgrind, which needs TMPDIR"
    ;;
esac
for fmt in text json sarif; do
    status=0
    TMPDIR=$tmp/spool "$PRIVCHECK" check --format "$fmt" "$viol" \
        >"$tmp/spooled" 2>"$tmp/err" || status=$?
    TMPDIR=$nospool "$PRIVCHECK" check --format "$fmt" "$viol" \
        >"$tmp/out" 2>>"$tmp/err" || true
    # SARIF carries the run's start and end times.
    check "a $fmt report to stdout is whole through a file or memory" 1 sh -c '
        [ -s "$1" ] && [ -z "$(ls "$3")" ] && [ ! -s "$4" ] &&
        sed "/TimeUtc/d" "$1" >"$1.a" && sed "/TimeUtc/d" "$2" >"$2.a" &&
        cmp -s "$1.a" "$2.a"' sh "$tmp/spooled" "$tmp/out" "$tmp/spool" \
        "$tmp/err"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
