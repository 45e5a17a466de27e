#!/bin/sh
# cases.sh - manifests whose findings are pinned exactly. Each
# fixtures/cases/NAME.xml (and its waivers, NAME.waivers.xml, if any)
# marks, on the line a finding is reported at,
# every rule that must fire there (<!-- fires: SHR-001 PUR-002 -->; a rule
# that fires twice on a line is named twice); the audit must produce those
# findings and no other. A case with no marker must be clean. A marker
# <!-- says: ID text --> requires a finding of rule ID whose message
# contains the text.
#
# Overlap (DESIGN §5: rules are independent): every pair of rules listed
# in fixtures/cases/overlaps.txt must fire together on one element in some
# case, each with the other in its "related" list; every catalog rule must
# appear in at least one such pair. Run by `make check`.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"
command -v jq >/dev/null || { echo "FAIL: jq is needed (apt-get install jq)"; exit 2; }

dir=$SRCDIR/fixtures/cases
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-cases.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

ok() { pass=$((pass + 1)); echo "PASS: $1"; }
nok() { fail=$((fail + 1)); echo "FAIL: $1: $2"; }

: >"$tmp/pairs"
for f in "$dir"/*.xml; do
    case $f in *.waivers.xml) continue ;; esac
    name=$(basename "$f" .xml)
    # A case may come with waivers (NAME.waivers.xml), judged on a fixed
    # date; their findings are marked in that file.
    w=$dir/$name.waivers.xml
    set --
    [ -f "$w" ] && set -- --waivers "$w" --today 2026-12-01
    status=0
    "$PRIVCHECK" check --fail-on note --format json "$@" "$f" \
        >"$tmp/out.json" 2>"$tmp/err" || status=$?
    if [ "$status" -gt 1 ]; then
        nok "$name" "exit $status: $(head -n 3 "$tmp/err")"
        continue
    fi
    # Expected "ID file line" triples, one per named rule, sorted.
    for m in "$f" "$w"; do
        [ -f "$m" ] || continue
        awk -v file="$(basename "$m")" '{
        line = $0
        while (match(line, /<!-- fires: [A-Z0-9 -]+-->/)) {
            m = substr(line, RSTART + 12, RLENGTH - 15)
            n = split(m, ids, " ")
            for (i = 1; i <= n; i++) if (ids[i] != "") print ids[i], file, NR
            line = substr(line, RSTART + RLENGTH)
        }
    }' "$m"
    done | sort >"$tmp/want"
    jq -r '.findings[] | "\(.id) \(.file | split("/") | last) \(.line)"' \
        "$tmp/out.json" | sort >"$tmp/got"
    if diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
        ok "$name: $(wc -l <"$tmp/got" | tr -d ' ') findings, as marked"
    else
        nok "$name" "findings differ from the markers (- marked, + found):
$(sed -n '3,$p' "$tmp/diff" | grep '^[-+]' | sed 's/^/    /')"
    fi
    # <!-- says: ID text -->
    sed -n 's/.*<!-- says: \([A-Z0-9-]*\) \(.*\) -->.*/\1\t\2/p' "$f" |
        while IFS="$(printf '\t')" read -r id text; do
            if jq -e --arg id "$id" --arg t "$text" \
                'any(.findings[]; .id == $id and (.message | contains($t)))' \
                "$tmp/out.json" >/dev/null; then
                echo "PASS: $name: $id says \"$text\""
            else
                echo "FAIL: $name: no $id finding says \"$text\"; got: $(jq -r --arg id "$id" '[.findings[] | select(.id == $id) | .message] | join(" | ")' "$tmp/out.json")"
            fi
        done >"$tmp/says"
    pass=$((pass + $(grep -c '^PASS' "$tmp/says" || true)))
    fail=$((fail + $(grep -c '^FAIL' "$tmp/says" || true)))
    cat "$tmp/says"
    # Pairs of rules that fired together, each listing the other.
    jq -r '(.findings | map({key: .fingerprint, value: .id}) | from_entries)
        as $id
        | .findings[] | .id as $a | .related[] | $id[.] as $b
        | select($a != $b) | "\($a) \($b)"' "$tmp/out.json" >>"$tmp/pairs"
done

# Every listed pair fired together, and every rule is in some pair.
sort -u "$tmp/pairs" >"$tmp/seen"
ids=$("$PRIVCHECK" rules | awk 'NR > 1 && $1 ~ /^[A-Z]+-[0-9]+$/ { print $1 }')
grep -v '^#' "$dir/overlaps.txt" | grep -v '^[[:space:]]*$' >"$tmp/listed"
while read -r a b _; do
    if grep -qx "$a $b" "$tmp/seen" && grep -qx "$b $a" "$tmp/seen"; then
        ok "$a and $b fire together, each related to the other"
    else
        nok "$a + $b" "no case fires both on one element"
    fi
done <"$tmp/listed"
for id in $ids; do
    if awk -v id="$id" '$1 == id || $2 == id { found = 1 } END { exit !found }' \
        "$tmp/listed"; then
        ok "$id has an overlap case"
    else
        nok "$id" "no pair in fixtures/cases/overlaps.txt names it"
    fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
