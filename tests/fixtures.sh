#!/bin/sh
# fixtures.sh - every rule of the catalog has a manifest that breaks it and
# a near miss that looks like it but must not fire it; the compliant
# manifests produce nothing. For each violation the rule must fire at the
# line marked in the fixture with an XML comment naming the rule
# (<!-- fires: SEN-001 -->), and the JSON report must carry every field
# doc/json-report.md documents. Run by `make check`.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"
command -v jq >/dev/null || { echo "FAIL: jq is needed (apt-get install jq)"; exit 2; }

fx=$SRCDIR/fixtures
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-fx.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

ok() { pass=$((pass + 1)); echo "PASS: $1"; }
nok() {
    fail=$((fail + 1))
    echo "FAIL: $1: $2"
    [ -s "$tmp/err" ] && sed -n '1,10s/^/    stderr: /p' "$tmp/err"
    return 0
}

# json FILE: audit FILE as JSON into $tmp/out.json; sets status. Every
# finding counts (--fail-on note), so a warning rule's fixture needs no
# other finding to exit 1, and a near miss must be entirely clean.
#
# A rule over waivers has a waivers file as its fixtures; its comment
# names the manifest it waives findings of ("manifest: fixtures/...") and
# the day it is checked on ("today: YYYY-MM-DD"). Manifests are named
# relative to the source tree (--source-root), as fingerprints in the
# waivers expect.
json() {
    status=0
    if is_waivers "$1"; then
        m=$(sed -n 's/^ *manifest: *//p' "$1" | head -n 1)
        d=$(sed -n 's/^ *today: *//p' "$1" | head -n 1)
        "$PRIVCHECK" check --fail-on note --format json --source-root "$SRCDIR" \
            --today "$d" --waivers "$1" "$SRCDIR/$m" \
            >"$tmp/out.json" 2>"$tmp/err" || status=$?
    else
        "$PRIVCHECK" check --fail-on note --format json "$1" \
            >"$tmp/out.json" 2>"$tmp/err" || status=$?
    fi
}

is_waivers() { grep -q 'xmlns="urn:privcheck:waivers:1"' "$1"; }
# fixtures/policy-v2/ holds an edited policy (policy diff's), not a manifest.
is_policy() { grep -q 'xmlns="urn:privcheck:policy:1"' "$1"; }

# Every finding carries the documented fields, with the right types.
fields='.findings | all(
    (.id | type == "string") and (.severity | IN("error","warning","note"))
    and (.title | type == "string") and (.message | type == "string")
    and (.clauses | type == "array")
    and (.clauses | all((.id|type=="string") and (.section|type=="string")
                        and (.text|type=="string")))
    and (.file | type == "string") and (.line | type == "number")
    and (.object | type == "string") and (.fix | type == "string")
    and (.fingerprint | type == "string"))'
header='(.tool.name == "privcheck") and (.policy.id | type == "string")
    and (.policy.sha256 | test("^[0-9a-f]{64}$"))
    and (.rules.sha256 | test("^[0-9a-f]{64}$"))
    and (.manifests | length == 1)
    and (.manifests[0].sha256 | test("^[0-9a-f]{64}$"))
    and (.counts.total == (.findings | length))'

ids=$("$PRIVCHECK" rules | awk 'NR > 1 && $1 ~ /^[A-Z]+-[0-9]+$/ { print $1 }')
[ -n "$ids" ] || { echo "FAIL: privcheck rules listed no rules"; exit 1; }

for id in $ids; do
    v=$fx/violations/$id.xml
    n=$fx/near-misses/$id.xml
    if [ ! -f "$v" ]; then
        nok "$id violation" "fixtures/violations/$id.xml is missing"
    else
        line=$(grep -n "<!-- fires: $id -->" "$v" | head -n 1 | cut -d: -f1)
        json "$v"
        if [ -z "$line" ]; then
            nok "$id violation" "no <!-- fires: $id --> marker in the fixture"
        elif [ "$status" -ne 1 ]; then
            nok "$id violation" "exit status $status, want 1"
        elif ! jq -e --arg id "$id" --argjson line "$line" \
            'any(.findings[]; .id == $id and .line == $line)' \
            "$tmp/out.json" >/dev/null; then
            nok "$id violation" "no $id finding at line $line; got: $(jq -c '[.findings[] | [.id, .line]]' "$tmp/out.json")"
        elif ! jq -e "($fields) and ($header)" "$tmp/out.json" >/dev/null; then
            nok "$id violation" "JSON report lacks documented fields"
        else
            ok "$id fires at line $line"
        fi
    fi
    if [ ! -f "$n" ]; then
        nok "$id near miss" "fixtures/near-misses/$id.xml is missing"
    else
        json "$n"
        if [ "$status" -ne 0 ] ||
            ! jq -e '[.findings[] | select(.suppressed | not)] | length == 0' \
                "$tmp/out.json" >/dev/null ||
            { is_waivers "$n" &&
                ! jq -e '[.findings[] | select(.suppressed)] | length > 0' \
                    "$tmp/out.json" >/dev/null; }; then
            nok "$id near miss" "exit $status, findings: $(jq -c '[.findings[]? | [.id, .line]]' "$tmp/out.json" 2>/dev/null)"
        else
            ok "$id near miss is clean"
        fi
    fi
done

count=0
for c in "$fx"/compliant-*.xml; do
    count=$((count + 1))
    json "$c"
    if [ "$status" -eq 0 ] && jq -e "(.findings | length == 0) and ($header)" \
        "$tmp/out.json" >/dev/null; then
        ok "$(basename "$c") is compliant"
    else
        nok "$(basename "$c")" "exit $status, findings: $(jq -c '[.findings[]? | [.id, .line]]' "$tmp/out.json" 2>/dev/null)"
    fi
done
[ "$count" -ge 2 ] && ok "at least two compliant manifests ($count)" ||
    nok "compliant manifests" "only $count"

# Identities: over every fixture, audited in one run, no two findings
# share a fingerprint, and no rule reports one object of one manifest
# twice. Many fixtures share an application name: their paths tell them
# apart. The Matrix.org pack's fixtures (fixtures/matrix-org/) carry its
# manifest extension, so they are audited with that pack, on the same
# binary.
# identities LABEL MANIFEST-LIST [PACK OPTIONS...]
identities() {
    label=$1
    list=$2
    shift 2
    status=0
    # shellcheck disable=SC2046 # fixture paths have no spaces
    "$PRIVCHECK" "$@" check --fail-on never --format json $(cat "$list") \
        >"$tmp/all.json" 2>"$tmp/err" || status=$?
    if [ "$status" -ne 0 ]; then
        nok "fingerprints over $label" "exit status $status"
        return 0
    fi
    total=$(jq '.findings | length' "$tmp/all.json")
    fps=$(jq '[.findings[].fingerprint] | unique | length' "$tmp/all.json")
    objs=$(jq '[.findings[] | [.file, .id, .object]] | unique | length' \
        "$tmp/all.json")
    apps=$(jq '[.manifests[].application] | unique | length' "$tmp/all.json")
    nman=$(jq '.manifests | length' "$tmp/all.json")
    if [ "$total" -ge "$(grep -c /violations/ "$list")" ] &&
        [ "$fps" -eq "$total" ] &&
        [ "$objs" -eq "$total" ] && [ "$apps" -lt "$nman" ]; then
        ok "$total findings over $nman $label ($apps application names): every fingerprint and object path unique"
    else
        nok "fingerprints over $label" "$total findings, $fps fingerprints, $objs objects, $apps names for $nman manifests; shared: $(jq -c '[.findings | group_by(.fingerprint)[] | select(length > 1) | map([.file, .id, .object])]' "$tmp/all.json")"
    fi
}
for f in "$fx"/*.xml "$fx"/*/*.xml; do
    case $f in "$fx"/matrix-org/*) continue ;; esac
    is_waivers "$f" || is_policy "$f" || echo "$f"
done >"$tmp/manifests"
identities "SerenePractice's fixtures" "$tmp/manifests"
ls "$fx"/matrix-org/*.xml "$fx"/matrix-org/*/*.xml >"$tmp/mx-manifests"
identities "Matrix.org's fixtures" "$tmp/mx-manifests" \
    --policy "$SRCDIR/policy/matrix-org.xml" --rules "$SRCDIR/rules/matrix-org"

# No fixture is left behind for a rule that no longer exists.
for f in "$fx"/violations/*.xml "$fx"/near-misses/*.xml; do
    [ -f "$f" ] || continue
    id=$(basename "$f" .xml)
    echo "$ids" | grep -qx "$id" || nok "$f" "no rule $id in the catalog"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
