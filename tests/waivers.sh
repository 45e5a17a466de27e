#!/bin/sh
# waivers.sh - waivers end to end (DESIGN §6a): a waiver silences exactly
# its finding until its date and not a day longer; by fingerprint and by
# rule and object, for one application or any, across two manifests with
# the same object path; the horizon on both sides; exit codes with
# --fail-on at each level; a waivers file that cannot be read fails the
# run (exit 2, file:line), hostile ones included. Run by `make check`.
set -eu

: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"
name=waivers
show='[.findings[] | [.id, .file, .line, .suppressed]]'
. "$SRCDIR/tests/gate-lib.sh"

# waivers FILE LINE...: a waivers file with one waiver per line given.
waivers() {
    f=$1
    shift
    {
        echo '<?xml version="1.0" encoding="UTF-8"?>'
        echo '<waivers xmlns="urn:privcheck:waivers:1">'
        for w in "$@"; do echo "  $w"; done
        echo '</waivers>'
    } >"$tmp/$f"
}

mkdir "$tmp/web" "$tmp/api"
cp "$SRCDIR/fixtures/violations/SEN-001.xml" "$tmp/web/app.xml"
cp "$SRCDIR/fixtures/violations/SEN-001.xml" "$tmp/api/app.xml"
cp "$SRCDIR/fixtures/violations/RET-005.xml" "$tmp/ret.xml"
obj='flow[payout-setup]/field[ssn]'
why='reason="PAY-212" approved-by="dana@example.com"'
sen='.findings[] | select(.id == "SEN-001")'

# ------------------------------------------------------------ expiry
waivers w.xml "<waiver rule=\"SEN-001\" object=\"$obj\" $why expires=\"2026-06-01\"/>"
run check --format json --today 2026-06-01 --waivers w.xml web/app.xml
expect "on its expiry day the waiver holds: the finding is suppressed, exit 0" 0 \
    "[$sen | .suppressed] == [true] and ([.findings[] | select(.id | startswith(\"WVR\"))] == [])
     and ($sen | .suppression == {kind: \"waiver\", reason: \"PAY-212\",
          approved_by: \"dana@example.com\", expires: \"2026-06-01\",
          file: \"w.xml\", line: 3})
     and .counts.error == 0 and .counts.suppressed == 1"
run check --format json --today 2026-06-02 --waivers w.xml web/app.xml
expect "the day after, it is WVR-001 at its line and suppresses nothing: exit 1" 1 \
    "[$sen | .suppressed] == [false] and
     ([.findings[] | select(.id == \"WVR-001\") | [.file, .line]] == [[\"w.xml\", 3]])
     and .counts.error == 2"

# A waivers file with no waiver (found by fuzz_waivers under UBSan:
# tests/fuzz/crashes/waivers-no-waiver.xml) waives nothing.
waivers none.xml
run check --format json --today 2026-06-01 --waivers none.xml web/app.xml
expect "a waivers file with no waiver waives nothing: exit 1" 1 \
    "[$sen | .suppressed] == [false] and .counts.suppressed == 0"

# ------------------------------------------------------------ horizon
waivers h.xml "<waiver rule=\"SEN-001\" object=\"$obj\" $why expires=\"2026-11-28\"/>"
run check --format json --today 2026-06-01 --waivers h.xml web/app.xml
expect "an expiry 180 days ahead (the horizon) is allowed" 0 \
    '[.findings[] | select(.id | startswith("WVR"))] == []'
run check --format json --today 2026-05-31 --waivers h.xml web/app.xml
expect "181 days ahead is WVR-003, an error" 1 \
    '[.findings[] | select(.id == "WVR-003") | .message | test("181 days from now; a waiver may last at most 180 days")] == [true]'

# ------------------------------------------------------------ matching
fpweb=$(cd "$tmp" && "$PRIVCHECK" check --format json web/app.xml 2>/dev/null |
    jq -r "$sen | .fingerprint") || :
waivers fp.xml "<waiver fingerprint=\"$fpweb\" $why expires=\"2026-09-30\"/>"
run check --format json --today 2026-06-01 --waivers fp.xml web/app.xml api/app.xml
expect "by fingerprint: only that manifest's finding, not its twin with the same application and object" 1 \
    "[$sen | [.file, .suppressed]] == [[\"api/app.xml\", false], [\"web/app.xml\", true]]"

waivers ro.xml "<waiver rule=\"SEN-001\" application=\"practice-web\" object=\"$obj\" $why expires=\"2026-09-30\"/>"
run check --format json --today 2026-06-01 --waivers ro.xml web/app.xml api/app.xml
expect "by rule, object and application: both manifests of that application" 0 \
    "[$sen | .suppressed] == [true, true]"

waivers other.xml "<waiver rule=\"SEN-001\" application=\"telehealth\" object=\"$obj\" $why expires=\"2026-09-30\"/>"
run check --format json --today 2026-06-01 --waivers other.xml web/app.xml
expect "for another application: nothing suppressed, and WVR-002" 1 \
    "[$sen | .suppressed] == [false] and [.findings[] | select(.id == \"WVR-002\")] != []"

waivers rule.xml "<waiver rule=\"SEN-002\" object=\"$obj\" $why expires=\"2026-09-30\"/>"
run check --format json --today 2026-06-01 --waivers rule.xml web/app.xml
expect "another rule on the same object: nothing suppressed" 1 \
    "[$sen | .suppressed] == [false]"

waivers fprule.xml "<waiver fingerprint=\"$fpweb\" rule=\"SEN-002\" $why expires=\"2026-09-30\"/>"
run check --format json --today 2026-06-01 --waivers fprule.xml web/app.xml
expect "a fingerprint with a rule that disagrees matches nothing" 1 \
    "[$sen | .suppressed] == [false] and [.findings[] | select(.id == \"WVR-002\")] != []"

# Two files: each is judged, each is recorded.
waivers two.xml "<waiver rule=\"RET-005\" object=\"keep[backups]\" $why expires=\"2026-09-30\"/>"
run check --format json --today 2026-06-01 --waivers w.xml --waivers two.xml web/app.xml
expect "--waivers is repeatable; every file is recorded with its hash" 0 \
    '[.waivers[].file] == ["w.xml", "two.xml"] and all(.waivers[]; .sha256 | test("^[0-9a-f]{64}$"))
     and [.findings[] | select(.id == "WVR-002") | .file] == ["two.xml"]'

# ------------------------------------------------------------ --fail-on
# RET-005 is a warning. Waived, nothing counts, at any level.
ret=$(cd "$tmp" && "$PRIVCHECK" check --format json ret.xml 2>/dev/null |
    jq -r '.findings[] | select(.id == "RET-005") | .object') || :
waivers r.xml "<waiver rule=\"RET-005\" object=\"$ret\" $why expires=\"2026-09-30\"/>"
for level in error warning note never; do
    run check --format json --fail-on "$level" ret.xml
    s1=$status
    run check --format json --fail-on "$level" --today 2026-06-01 --waivers r.xml ret.xml
    s2=$status
    case $level in
    error | never) want1=0 ;;
    *) want1=1 ;;
    esac
    if [ "$s1" -eq "$want1" ] && [ "$s2" -eq 0 ]; then
        ok "--fail-on $level: exit $s1 without the waiver, $s2 with it"
    else
        status=$s2
        nok "--fail-on $level" "exit $s1 without (want $want1), $s2 with (want 0)"
    fi
done
# An expired waiver is an error whatever the finding was.
run check --fail-on never --today 2027-01-01 --waivers r.xml ret.xml
expect "an expired waiver with --fail-on never: reported, exit 0" 0
run check --fail-on error --today 2027-01-01 --waivers r.xml ret.xml
expect "an expired waiver with --fail-on error: exit 1" 1

# ------------------------------------------------------------ fail closed
bad() {
    name=$1
    shift
    printf '%s\n' "$@" >"$tmp/bad.xml"
    run check --today 2026-06-01 --waivers bad.xml web/app.xml
    if [ "$status" -eq 2 ] && grep -q "^bad.xml:[0-9][0-9:]*: error: " "$tmp/err" &&
        [ ! -s "$tmp/out" ]; then
        ok "$name: exit 2 at bad.xml:line, no report"
    else
        nok "$name" "exit $status"
    fi
}
head='<?xml version="1.0" encoding="UTF-8"?>'
open='<waivers xmlns="urn:privcheck:waivers:1">'
bad "a date that does not exist" "$head" "$open" \
    "<waiver rule=\"SEN-001\" object=\"x\" $why expires=\"2026-02-29\"/>" '</waivers>'
bad "a date that is not one" "$head" "$open" \
    "<waiver rule=\"SEN-001\" object=\"x\" $why expires=\"next week\"/>" '</waivers>'
bad "no reason" "$head" "$open" \
    '<waiver rule="SEN-001" object="x" approved-by="d" expires="2026-09-30"/>' '</waivers>'
bad "a blank approver" "$head" "$open" \
    '<waiver rule="SEN-001" object="x" reason="r" approved-by="  " expires="2026-09-30"/>' '</waivers>'
bad "neither fingerprint nor rule and object" "$head" "$open" \
    "<waiver rule=\"SEN-001\" $why expires=\"2026-09-30\"/>" '</waivers>'
bad "an unknown attribute" "$head" "$open" \
    "<waiver rule=\"SEN-001\" object=\"x\" $why expires=\"2026-09-30\" scope=\"all\"/>" '</waivers>'
bad "a manifest given as waivers" "$head" \
    '<application xmlns="urn:privcheck:manifest:1" name="x"/>'
bad "an external entity" "$head" \
    '<!DOCTYPE waivers [<!ENTITY x SYSTEM "file:///etc/passwd">]>' "$open" \
    "<waiver rule=\"SEN-001\" object=\"&x;\" $why expires=\"2026-09-30\"/>" '</waivers>'
bad "not XML" 'waiver: SEN-001'
run check --waivers does-not-exist.xml web/app.xml
if [ "$status" -eq 2 ] && grep -q 'does-not-exist.xml' "$tmp/err"; then
    ok "a missing waivers file: exit 2"
else
    nok "a missing waivers file" "exit $status"
fi
if ! grep -q 'root:' "$tmp/err"; then
    ok "nothing of /etc/passwd was printed"
else
    nok "external entity" "file content leaked"
fi
run check --today 2026-13-01 web/app.xml
expect "--today that is not a date is a usage error" 2

# validate knows a waivers file.
run validate w.xml
expect "validate accepts a waivers file" 0
printf '%s\n' "$head" "$open" "<waiver rule=\"SEN-001\" object=\"x\" $why expires=\"2026-02-30\"/>" \
    '</waivers>' >"$tmp/v.xml"
run validate v.xml
if [ "$status" -eq 2 ] && grep -q '^v.xml:3: error: .*2026-02-30' "$tmp/err"; then
    ok "validate reports a bad date at its line"
else
    nok "validate a bad waivers file" "exit $status"
fi

# ------------------------------------------------------------ waive
# privcheck waive appends a waiver the rules accept, atomically, and it
# then suppresses its finding.
evil='PAY-212: <script>alert(1)</script> ]]> 100% "quoted" & more'
run waive --today 2026-06-01 --waivers new.xml "SEN-001:$obj" \
    --application practice-web --reason "$evil" --approved-by dana@example.com \
    --expires 2026-09-30
if [ "$status" -eq 0 ] && grep -q '^new.xml: waiver added' "$tmp/out" &&
    (cd "$tmp" && "$PRIVCHECK" validate new.xml) >/dev/null 2>&1; then
    ok "waive creates a valid waivers file"
else
    nok "waive creates a file" "exit $status"
fi
run check --format json --today 2026-06-01 --waivers new.xml web/app.xml
if [ "$status" -eq 0 ] && jq -e --arg r "$evil" "[$sen | .suppression.reason] == [\$r]" \
    "$tmp/out" >/dev/null; then
    ok "the waiver it wrote suppresses the finding, its reason intact"
else
    nok "the waiver waive wrote" "exit $status"
fi

printf '<?xml version="1.0" encoding="UTF-8"?>\n<!-- kept -->\n<waivers xmlns="urn:privcheck:waivers:1">\n  <waiver rule="RET-005" object="keep[backups]" reason="r" approved-by="a" expires="2026-08-01"/>\n</waivers>\n' \
    >"$tmp/keep.xml"
chmod 0640 "$tmp/keep.xml"
run waive --today 2026-06-01 --waivers keep.xml "$fpweb" --reason r \
    --approved-by a --expires 2026-08-01
if [ "$status" -eq 0 ] && grep -q '<!-- kept -->' "$tmp/keep.xml" &&
    [ "$(grep -c '<waiver ' "$tmp/keep.xml")" -eq 2 ] &&
    grep -q "^  <waiver fingerprint=\"$fpweb\" " "$tmp/keep.xml" &&
    [ "$(stat -c %a "$tmp/keep.xml")" = 640 ] &&
    [ -z "$(find "$tmp" -name '.privcheck-*')" ]; then
    ok "waive appends to an existing file: comments, mode, one line per waiver"
else
    nok "waive appends" "exit $status: $(cat "$tmp/keep.xml")"
fi

cp "$tmp/keep.xml" "$tmp/before.xml"
run waive --today 2026-06-01 --waivers keep.xml "$fpweb" --reason r \
    --approved-by a --expires 2026-11-29
if [ "$status" -eq 2 ] && grep -q 'WVR-003' "$tmp/err" &&
    cmp -s "$tmp/keep.xml" "$tmp/before.xml"; then
    ok "waive refuses an expiry beyond the horizon, and leaves the file alone"
else
    nok "waive beyond the horizon" "exit $status"
fi
run waive --today 2026-06-01 --waivers keep.xml "$fpweb" --reason r \
    --approved-by a --expires 2026-05-31
if [ "$status" -eq 2 ] && grep -q 'WVR-001' "$tmp/err" &&
    cmp -s "$tmp/keep.xml" "$tmp/before.xml"; then
    ok "waive refuses an expiry already past"
else
    nok "waive in the past" "exit $status"
fi
run waive --today 2026-06-01 --waivers keep.xml "$fpweb" --reason r \
    --approved-by a --expires 2026-11-28
expect "waive takes the horizon itself" 0

# An empty <waivers/>, and one whose last waiver is followed by no
# newline: the waiver goes on a line of its own, indented, before the
# closing tag.
printf '%s\n' "$head" '<waivers xmlns="urn:privcheck:waivers:1"/>' >"$tmp/empty.xml"
run waive --today 2026-06-01 --waivers empty.xml "SEN-001:flow[x]" --reason r \
    --approved-by a --expires 2026-08-01
printf '%s\n' "$head" "$open" \
    '  <waiver rule="SEN-001" object="flow[x]" reason="r" approved-by="a" expires="2026-08-01"/>' \
    '</waivers>' >"$tmp/want.xml"
if [ "$status" -eq 0 ] && cmp -s "$tmp/empty.xml" "$tmp/want.xml"; then
    ok "waive into an empty <waivers/> opens it, one waiver on its line"
else
    nok "waive into an empty <waivers/>" "exit $status: $(cat "$tmp/empty.xml")"
fi
printf '%s\n%s%s</waivers>\n' "$head" "$open" \
    '<waiver rule="RET-005" object="keep[backups]" reason="r" approved-by="a" expires="2026-08-01"/>' \
    >"$tmp/tight.xml"
run waive --today 2026-06-01 --waivers tight.xml "SEN-001:flow[x]" --reason r \
    --approved-by a --expires 2026-08-01
if [ "$status" -eq 0 ] && [ "$(sed -n 3p "$tmp/tight.xml")" = \
    '  <waiver rule="SEN-001" object="flow[x]" reason="r" approved-by="a" expires="2026-08-01"/>' ] &&
    [ "$(sed -n 4p "$tmp/tight.xml")" = '</waivers>' ] &&
    (cd "$tmp" && "$PRIVCHECK" validate tight.xml) >/dev/null 2>&1; then
    ok "waive after a waiver with no newline: its own line, still valid"
else
    nok "waive after a waiver with no newline" "exit $status: $(cat "$tmp/tight.xml")"
fi

printf '<waivers xmlns="urn:privcheck:waivers:1"><waiver rule="X" reason="r"/></waivers>\n' \
    >"$tmp/broken.xml"
cp "$tmp/broken.xml" "$tmp/before.xml"
run waive --today 2026-06-01 --waivers broken.xml "$fpweb" --reason r \
    --approved-by a --expires 2026-08-01
if [ "$status" -eq 2 ] && grep -q '^broken.xml:1' "$tmp/err" &&
    cmp -s "$tmp/broken.xml" "$tmp/before.xml"; then
    ok "waive does not touch a waivers file that is not valid"
else
    nok "waive on a broken file" "exit $status"
fi

for args in "SEN-001" "SEN001:flow[x]" ":flow[x]" "SEN-001:"; do
    run waive --today 2026-06-01 --waivers x.xml "$args" --reason r \
        --approved-by a --expires 2026-08-01
    if [ "$status" -eq 2 ] && [ ! -e "$tmp/x.xml" ]; then
        ok "waive '$args' is refused, nothing written"
    else
        nok "waive '$args'" "exit $status"
    fi
done
run waive --waivers x.xml "$fpweb" --approved-by a --expires 2026-08-01
expect "waive without --reason is a usage error" 2
run waive --waivers x.xml "$fpweb" --reason "$(printf 'a\033[2Jb')" \
    --approved-by a --expires 2026-08-01
expect "waive refuses control characters" 2
run waive --waivers x.xml "$fpweb" --reason r --approved-by a \
    --expires 2026-02-30
expect "waive refuses a date that does not exist" 2

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
