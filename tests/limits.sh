#!/bin/sh
# limits.sh - every bound of privcheck(1) LIMITS, end to end: an input
# generated exactly at the limit is read, one a step past it exits 2 with
# a file:line: message naming the limit and the option that raises it; a
# setting past a limit's ceiling is refused. Limits whose default needs a
# large input are tested at a lower setting (--limit NAME=N), which goes
# through the same comparison. Run by `make check`.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"

pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-limits.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

run() {
    status=0
    "$PRIVCHECK" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
}

ok() {
    pass=$((pass + 1))
    echo "PASS: $1"
}

nok() {
    fail=$((fail + 1))
    echo "FAIL: $1: $2"
    sed -n '1,10s/^/    stdout: /p' "$tmp/out"
    sed -n '1,10s/^/    stderr: /p' "$tmp/err" | cut -c1-300
}

# read_ok NAME: the last run read its input (exit 0 or 1: findings are
# fine) and said nothing about a limit.
read_ok() {
    if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
        nok "$1" "exit status $status, want 0 or 1"
    elif grep -q -e '(limit [a-z-]*' "$tmp/err"; then
        nok "$1" "a limit was reported"
    else
        ok "$1"
    fi
}

# refused NAME LIMIT WHERE: the last run exited 2 with an error at WHERE
# (a "file:line:" prefix) that names LIMIT and --limit LIMIT=N, or says
# it is at its ceiling.
refused() {
    if [ "$status" -ne 2 ]; then
        nok "$1" "exit status $status, want 2"
    elif ! grep -q -F -e "$3 error: " "$tmp/err"; then
        nok "$1" "no error at $3"
    elif ! grep -F -e "$3 error: " "$tmp/err" | grep -q -F \
        -e "(limit $2=" -e "(limit $2, at its ceiling"; then
        nok "$1" "the message does not name limit $2"
    elif ! grep -F -e "$3 error: " "$tmp/err" | grep -q -F \
        -e "--limit $2=N raises it" -e "at its ceiling"; then
        nok "$1" "the message does not say how to raise $2"
    else
        ok "$1"
    fi
}

# manifest FILE FIELDS STORES [COMMENTS [DESCRIPTION-LENGTH [FIELD-NAME]]]:
# application, audience, stores with one store and STORES more, and one
# flow of FIELDS fields: 6 + STORES + FIELDS elements, field k (from 1) on
# line 7 + STORES + k. No XML declaration, so that the markup counted is
# the comments.
manifest() {
    awk -v fields="$2" -v stores="$3" -v comments="${4:-0}" \
        -v desc="${5:-0}" -v fname="${6:-full_name}" 'BEGIN {
        print "<application xmlns=\"urn:privcheck:manifest:1\" name=\"t\" version=\"1\">"
        for (i = 0; i < comments; i++)
            print "<!-- c -->"
        print "  <audience jurisdictions=\"US-CA\" min-age=\"18\"/>"
        print "  <stores>"
        d = ""
        for (i = 0; i < desc; i++)
            d = d "d"
        printf "    <store id=\"db\" kind=\"database\" region=\"US\" encrypted-at-rest=\"true\" description=\"%s\"/>\n", d
        for (i = 0; i < stores; i++)
            printf "    <store id=\"s%d\" kind=\"database\" region=\"US\" encrypted-at-rest=\"true\"/>\n", i
        print "  </stores>"
        print "  <flows>"
        print "    <flow id=\"f\" subject=\"customer\" source=\"form\" collection=\"direct\" purpose=\"account\" to=\"db\" transport=\"tls1.3\">"
        printf "      <field name=\"%s\" category=\"identifiers.name\"/>\n", fname
        for (i = 1; i < fields; i++)
            printf "      <field name=\"f%d\" category=\"identifiers.name\"/>\n", i
        print "    </flow>"
        print "  </flows>"
        print "</application>"
    }' >"$1"
}

# An XSLT stylesheet for the html report whose deepest element is at
# depth $2 (the stylesheet is 1, its template 2) and whose one literal
# element has $3 attributes. The html report reads it like any input.
stylesheet() {
    awk -v depth="$2" -v attrs="$3" 'BEGIN {
        print "<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
        print "<xsl:template match=\"/\">"
        printf "<html"
        for (i = 0; i < attrs; i++)
            printf " a%d=\"\"", i
        print ">"
        for (i = 4; i <= depth; i++)
            printf "<d>"
        for (i = 4; i <= depth; i++)
            printf "</d>"
        print "</html>"
        print "</xsl:template>"
        print "</xsl:stylesheet>"
    }' >"$1"
}

html() { # html STYLESHEET [OPTION...]
    s=$1
    shift
    run "$@" check --format html --stylesheet "$s" -o "$tmp/r.html" \
        "$tmp/base.xml"
}

manifest "$tmp/base.xml" 1 0

# ------------------------------------------------------------ depth
stylesheet "$tmp/d64.xsl" 64 0
html "$tmp/d64.xsl"
read_ok "depth: an input 64 deep is read"
stylesheet "$tmp/d65.xsl" 65 0
html "$tmp/d65.xsl"
refused "depth: 65 deep is refused" depth "$tmp/d65.xsl:4:"
html "$tmp/d65.xsl" --limit depth=65
read_ok "depth: --limit depth=65 reads it"
stylesheet "$tmp/d256.xsl" 256 0
html "$tmp/d256.xsl" --limit depth=256
read_ok "depth: 256 deep at the ceiling --limit depth=256"
stylesheet "$tmp/d257.xsl" 257 0
html "$tmp/d257.xsl" --limit depth=256
refused "depth: 257 deep is refused at the ceiling" depth "$tmp/d257.xsl:4:"
# Every manifest is pre-scanned too, before its schema is applied.
awk '{ print } /<flows>/ { for (i = 0; i < 62; i++) printf "<x>"; print "" }' \
    "$tmp/base.xml" >"$tmp/deep.xml"
run check "$tmp/deep.xml"
refused "depth: a manifest 65 deep is refused" depth "$tmp/deep.xml:8:"

# ------------------------------------------------------------ attributes
stylesheet "$tmp/a64.xsl" 3 64
html "$tmp/a64.xsl"
read_ok "attributes: 64 on one element are read"
stylesheet "$tmp/a65.xsl" 3 65
html "$tmp/a65.xsl"
refused "attributes: 65 are refused" attributes "$tmp/a65.xsl:3:"
stylesheet "$tmp/a1024.xsl" 3 1024
html "$tmp/a1024.xsl" --limit attributes=1024
read_ok "attributes: 1024 at the ceiling"
stylesheet "$tmp/a1025.xsl" 3 1025
html "$tmp/a1025.xsl" --limit attributes=1024
refused "attributes: 1025 are refused at the ceiling" attributes \
    "$tmp/a1025.xsl:3:"

# ------------------------------------------------------------ markup
manifest "$tmp/m.xml" 1 0 10000
run check "$tmp/m.xml"
read_ok "markup: 10000 comments are read"
manifest "$tmp/m.xml" 1 0 10001
run check "$tmp/m.xml"
refused "markup: 10001 are refused" markup "$tmp/m.xml:10002:"
run --limit markup=10001 check "$tmp/m.xml"
read_ok "markup: --limit markup=10001 reads them"

# ------------------------------------------------------------ attribute-length
# The manifest schema caps most attributes lower (descriptions at 1024
# characters), but not a list such as OAuth scopes: scopes="s s ... s"
# of exactly N bytes, on line 12.
scopes() { # scopes FILE N
    awk -v n="$2" '{
        if ($0 ~ /<\/application>/) {
            s = "s"
            while (length(s) < n)
                s = s " " s
            s = substr(s, 1, n)
            if (substr(s, n, 1) == " ")
                s = substr(s, 1, n - 1) "t"
            print "  <integrations>"
            printf "    <oauth id=\"o\" provider=\"p\" stores=\"none\" scopes=\"%s\"/>\n", s
            print "  </integrations>"
        }
        print
    }' "$tmp/base.xml" >"$1"
}
scopes "$tmp/l.xml" 65536
run check "$tmp/l.xml"
read_ok "attribute-length: a value of 65536 bytes is read"
scopes "$tmp/l.xml" 65537
run check "$tmp/l.xml"
refused "attribute-length: 65537 bytes are refused" attribute-length \
    "$tmp/l.xml:12:"
scopes "$tmp/l.xml" 1048576
run --limit attribute-length=1048576 check "$tmp/l.xml"
read_ok "attribute-length: 1048576 bytes at the ceiling"
scopes "$tmp/l.xml" 1048577
run --limit attribute-length=1048576 check "$tmp/l.xml"
refused "attribute-length: 1048577 bytes are refused at the ceiling" \
    attribute-length "$tmp/l.xml:12:"
# And under a setting lower than the schema's caps.
manifest "$tmp/l.xml" 1 0 0 100
run --limit attribute-length=100 check "$tmp/l.xml"
read_ok "attribute-length: a description of 100 bytes under 100"
manifest "$tmp/l.xml" 1 0 0 101
run --limit attribute-length=100 check "$tmp/l.xml"
refused "attribute-length: 101 bytes are refused under 100" \
    attribute-length "$tmp/l.xml:4:"

# ------------------------------------------------------------ elements
# base.xml has 7 elements; 3 more fields make 10, the 11th is on line 12.
manifest "$tmp/e.xml" 4 0
run --limit elements=10 check "$tmp/e.xml"
read_ok "elements: 10 elements under --limit elements=10"
manifest "$tmp/e.xml" 5 0
run --limit elements=10 check "$tmp/e.xml"
refused "elements: 11 are refused" elements "$tmp/e.xml:12:"

# ------------------------------------------------------------ declarations
# Outside flows: application, audience, stores, the stores and flows; 5
# extra stores make 10, a 6th puts the 11th (flows) on line 12.
manifest "$tmp/c.xml" 1 5
run --limit declarations=10 check "$tmp/c.xml"
read_ok "declarations: 10 under --limit declarations=10"
manifest "$tmp/c.xml" 1 6
run --limit declarations=10 check "$tmp/c.xml"
refused "declarations: 11 are refused" declarations "$tmp/c.xml:12:"

# ------------------------------------------------------------ fields
manifest "$tmp/f.xml" 10000 0
run check "$tmp/f.xml"
read_ok "fields: 10000 in one flow are read"
manifest "$tmp/f.xml" 10001 0
run check "$tmp/f.xml"
refused "fields: 10001 are refused" fields "$tmp/f.xml:10008:"
manifest "$tmp/f.xml" 3 0
run --limit fields=3 check "$tmp/f.xml"
read_ok "fields: 3 under --limit fields=3"
manifest "$tmp/f.xml" 4 0
run --limit fields=3 check "$tmp/f.xml"
refused "fields: 4 under --limit fields=3 are refused" fields \
    "$tmp/f.xml:11:"

# ------------------------------------------------------------ regex-*
# What a match costs depends on the patterns of the policy's classifiers;
# the cost of base.xml is found by bisection, then the limit at that cost
# must read it and one below must refuse it. NO_JIT: the depth and heap
# limits bind the interpreter only (pcre2's JIT has its own stack).
bisect() { # bisect NAME CEILING: the smallest N that reads base.xml
    lo=1
    hi=$2
    while [ "$lo" -lt "$hi" ]; do
        mid=$(((lo + hi) / 2))
        if PRIVCHECK_NO_JIT=1 "$PRIVCHECK" --limit "$1=$mid" check \
            "$tmp/base.xml" >/dev/null 2>&1 || [ $? -eq 1 ]; then
            hi=$mid
        else
            lo=$((mid + 1))
        fi
    done
    echo "$lo"
}
for l in regex-match:100000000 regex-depth:1000000 regex-heap:262144; do
    name=${l%%:*}
    n=$(bisect "$name" "${l#*:}")
    if [ "$n" -le 1 ]; then
        nok "$name: base.xml costs more than 1" "bisection gave $n"
        continue
    fi
    status=0
    PRIVCHECK_NO_JIT=1 "$PRIVCHECK" --limit "$name=$n" check "$tmp/base.xml" \
        >"$tmp/out" 2>"$tmp/err" || status=$?
    read_ok "$name: the matches of base.xml under $name=$n"
    status=0
    PRIVCHECK_NO_JIT=1 "$PRIVCHECK" --limit "$name=$((n - 1))" check \
        "$tmp/base.xml" >"$tmp/out" 2>"$tmp/err" || status=$?
    refused "$name: refused under $name=$((n - 1))" "$name" "$tmp/base.xml:8:"
done
# Without PRIVCHECK_NO_JIT too, from the first pattern a value meets: a
# schema pattern on the root element's attributes, line 1. (Patterns are
# JIT-compiled once hot; tests/check_classify shows the limit binds them.)
run --limit regex-match=1 check "$tmp/base.xml"
refused "regex-match: binds the default matcher" regex-match \
    "$tmp/base.xml:1:"

# ------------------------------------------------------------ regex-subject
name100=$(awk 'BEGIN { for (i = 0; i < 100; i++) printf "a" }')
manifest "$tmp/s.xml" 1 0 0 0 "$name100"
run --limit regex-subject=100 check "$tmp/s.xml"
read_ok "regex-subject: a 100-byte field name under regex-subject=100"
manifest "$tmp/s.xml" 1 0 0 0 "${name100}a"
run --limit regex-subject=100 check "$tmp/s.xml"
refused "regex-subject: 101 bytes are refused" regex-subject "$tmp/s.xml:8:"

# ------------------------------------------------------------ waivers
waivers() { # waivers FILE N
    awk -v n="$2" 'BEGIN {
        print "<waivers xmlns=\"urn:privcheck:waivers:1\">"
        for (i = 0; i < n; i++)
            printf "  <waiver rule=\"RET-001\" object=\"store[s%d]\" reason=\"r\" approved-by=\"a@example.com\" expires=\"2099-12-31\"/>\n", i
        print "</waivers>"
    }' >"$1"
}
waivers "$tmp/w.xml" 3
run --limit waivers=3 check --waivers "$tmp/w.xml" "$tmp/base.xml"
read_ok "waivers: 3 under --limit waivers=3"
waivers "$tmp/w.xml" 4
run --limit waivers=3 check --waivers "$tmp/w.xml" "$tmp/base.xml"
refused "waivers: 4 are refused" waivers "$tmp/w.xml:5:"

# ------------------------------------------------------------ baseline-*
run check --format json -o "$tmp/b.json" "$tmp/base.xml"
nf=$(grep -c '"fingerprint"' "$tmp/b.json" || :)
size=$(wc -c <"$tmp/b.json" | tr -d ' ')
run --limit "baseline-findings=$nf" check --baseline "$tmp/b.json" \
    "$tmp/base.xml"
read_ok "baseline-findings: $nf findings under baseline-findings=$nf"
run --limit "baseline-findings=$((nf - 1))" check --baseline "$tmp/b.json" \
    "$tmp/base.xml"
refused "baseline-findings: $nf are refused under $((nf - 1))" \
    baseline-findings "$tmp/b.json:"
run --limit "baseline-bytes=$size" check --baseline "$tmp/b.json" \
    "$tmp/base.xml"
read_ok "baseline-bytes: $size bytes under baseline-bytes=$size"
run --limit "baseline-bytes=$((size - 1))" check --baseline "$tmp/b.json" \
    "$tmp/base.xml"
refused "baseline-bytes: $size bytes are refused under $((size - 1))" \
    baseline-bytes "$tmp/b.json:"

# ------------------------------------------------------------ settings
# Each limit --help lists can be set to its ceiling, and not past it, nor
# to 0 or a word; the man page's table lists each.
run --help
sed -n '/^Limits (--limit/,/^$/p' "$tmp/out" | sed 1,2d >"$tmp/limits"
if [ "$(wc -l <"$tmp/limits")" -lt 14 ]; then
    nok "--help lists the limits" "$(wc -l <"$tmp/limits") lines"
else
    ok "--help lists the limits"
fi
while read -r name def ceiling unit; do
    [ -n "$name" ] || continue
    run --limit "$name=$ceiling" check "$tmp/base.xml"
    read_ok "$name: settable to its ceiling $ceiling"
    run --limit "$name=$((ceiling + 1))" check "$tmp/base.xml"
    if [ "$status" -eq 2 ] && grep -q -F "ceiling of $ceiling" "$tmp/err"; then
        ok "$name: $((ceiling + 1)) is past its ceiling"
    else
        nok "$name: $((ceiling + 1)) is past its ceiling" "status $status"
    fi
    for bad in 0 -1 x "$def"x ""; do
        run --limit "$name=$bad" check "$tmp/base.xml"
        if [ "$status" -ne 2 ]; then
            nok "$name=$bad is refused" "status $status"
        fi
    done
    row=$(printf '\\fB%s\\fR\t%s\t%s\t' "$(echo "$name" | sed 's/-/\\-/g')" \
        "$def" "$ceiling")
    if grep -q -F -e "$row" "$SRCDIR/doc/privcheck.1"; then
        ok "$name: in the man page with its default"
    else
        nok "$name: in the man page with its default" "no row $row"
    fi
    : "$unit"
done <"$tmp/limits"
run --limit nosuch=1 check "$tmp/base.xml"
if [ "$status" -eq 2 ] && grep -q 'NAME one of depth' "$tmp/err"; then
    ok "an unknown limit is refused with the names"
else
    nok "an unknown limit is refused with the names" "status $status"
fi

echo "limits.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
