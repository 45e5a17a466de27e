#!/bin/sh
# stream.sh - manifests stream from their file, and the schema's pattern
# facets are checked by pcre2 (checker/facet-xml.c) instead of libxml2:
# neither may change an answer. For every fixture, hostile input and a set
# of mutated manifests, `privcheck check` says exactly the same (status,
# stdout, stderr) as with PRIVCHECK_FULL_SCHEMA=1, which leaves every
# facet to libxml2; on a generated 10,000-flow manifest with 20% violating
# flows the findings are those the whole-file implementation gave (their
# digest below was taken with it), and the manifest's SHA-256 is that of
# its bytes. Run by `make check`.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"

pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-stream.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

ok() {
    pass=$((pass + 1))
    echo "PASS: $1"
}
ko() {
    fail=$((fail + 1))
    echo "FAIL: $1"
}

# Mutations of the compliant fixture, each value at the edge of a pattern
# (ids, words, categories, jurisdictions, periods, lists, '*').
base=$SRCDIR/fixtures/compliant-practice-web.xml
i=0
for m in 's/id="pg-main"/id="9pg"/' 's/id="pg-main"/id=" pg-main "/' \
    's/id="pg-main"/id="pg main"/' 's/id="pg-main"/id="pg\&#9;main"/' \
    's/id="pg-main"/id="_pg.main-2"/' 's/id="pg-main"/id=""/' \
    's/jurisdictions="\([^"]*\)"/jurisdictions="us-ca"/' \
    's/jurisdictions="\([^"]*\)"/jurisdictions="US-CA  US-VA "/' \
    's/jurisdictions="\([^"]*\)"/jurisdictions="US-CALI"/' \
    's/category="identifiers.email"/category="Identifiers.email"/' \
    's/category="identifiers.email"/category="identifiers..email"/' \
    's/category="identifiers.email"/category="identifiers.e-mail-2"/' \
    's/category="identifiers.email"/category="identifiers.email-"/' \
    's/categories="[^"]*"/categories="*"/' \
    's/categories="[^"]*"/categories="* identifiers"/' \
    's/categories="[^"]*"/categories=" identifiers  professional "/' \
    's/after-closure="[^"]*"/after-closure="P30D!"/' \
    's/after-closure="[^"]*"/after-closure="P3&#13;0D"/' \
    's/purpose="account"/purpose="acc ount"/' \
    's/purpose="account"/purpose="caf\xc3\xa9"/' \
    's/purpose="account"/purpose=""/'; do
    i=$((i + 1))
    sed "$m" "$base" >"$tmp/mutated-$i.xml"
done

# Under valgrind (tests/valgrind.sh) every run costs a second or more:
# there the hostile inputs and the mutations are compared, and the 10k
# manifest is left to the plain run.
quick=false
case $PRIVCHECK in *valgrind*) quick=true ;; esac
set -- "$SRCDIR"/tests/data/hostile/*.xml "$tmp"/mutated-*.xml
$quick || set -- "$@" "$SRCDIR"/fixtures/*.xml "$SRCDIR"/fixtures/*/*.xml \
    "$SRCDIR"/tests/data/manifest/*.xml
least=60
$quick && least=30

same=0
differ=0
for f in "$@"; do
    s1=0
    s2=0
    "$PRIVCHECK" check "$f" >"$tmp/o1" 2>"$tmp/e1" || s1=$?
    PRIVCHECK_FULL_SCHEMA=1 "$PRIVCHECK" check "$f" >"$tmp/o2" 2>"$tmp/e2" ||
        s2=$?
    if [ "$s1" = "$s2" ] && cmp -s "$tmp/o1" "$tmp/o2" &&
        cmp -s "$tmp/e1" "$tmp/e2"; then
        same=$((same + 1))
    else
        differ=$((differ + 1))
        echo "    differs: $f (status $s1 against $s2)"
        diff "$tmp/e1" "$tmp/e2" | sed -n '1,6s/^/    /p'
    fi
done
if [ "$differ" -eq 0 ] && [ "$same" -gt "$least" ]; then
    ok "pcre2 facets and libxml2's agree on $same manifests"
else
    ko "pcre2 facets and libxml2's differ on $differ manifests ($same agree)"
fi
# The mutations must exercise both answers, or they prove nothing.
valid=0
invalid=0
for f in "$tmp"/mutated-*.xml; do
    s=0
    "$PRIVCHECK" check "$f" >/dev/null 2>&1 || s=$?
    if [ "$s" -le 1 ]; then valid=$((valid + 1)); else invalid=$((invalid + 1)); fi
done
if [ "$valid" -ge 4 ] && [ "$invalid" -ge 8 ]; then
    ok "the mutations are valid ($valid) and invalid ($invalid)"
else
    ko "the mutations are valid ($valid) and invalid ($invalid)"
fi

# The generated manifest: the findings of the whole-file implementation.
want=e0da71dcf4a253d55cbb423eebf1c8b1b68205ac53fc9d8b63c54b8fa05c8139
sh "$SRCDIR/bench/gen-manifest.sh" 10000 20 >"$tmp/g10k.xml"
modes="stream full"
if $quick; then
    modes=
    echo "SKIP: the 10,000-flow manifest under valgrind"
fi
for mode in $modes; do
    s=0
    if [ "$mode" = full ]; then
        (cd "$tmp" && PRIVCHECK_FULL_SCHEMA=1 "$PRIVCHECK" check --format json \
            --output r.json g10k.xml >/dev/null 2>&1) || s=$?
    else
        (cd "$tmp" && "$PRIVCHECK" check --format json --output r.json \
            g10k.xml >/dev/null 2>&1) || s=$?
    fi
    got=$(jq -r '.findings[] | "\(.fingerprint) \(.id) \(.severity) \(.line) \(.object) \(.message)"' \
        "$tmp/r.json" | LC_ALL=C sort | sha256sum | cut -d' ' -f1)
    n=$(jq '.findings | length' "$tmp/r.json")
    if [ "$s" = 1 ] && [ "$got" = "$want" ] && [ "$n" = 10002 ]; then
        ok "10,000 generated flows ($mode): the same 10002 findings as before"
    else
        ko "10,000 generated flows ($mode): exit $s, $n findings, digest $got"
    fi
    sha=$(jq -r '.manifests[0].sha256' "$tmp/r.json")
    if [ "$sha" = "$(sha256sum <"$tmp/g10k.xml" | cut -d' ' -f1)" ]; then
        ok "the streamed manifest's SHA-256 is its bytes' ($mode)"
    else
        ko "the streamed manifest's SHA-256: $sha ($mode)"
    fi
    rm -f "$tmp/r.json"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
