#!/bin/sh
# schema-messages.sh - what privcheck says about a manifest that does not
# match its schema, or is not XML: every problem on its own `file:line:`
# line, in our words (none of libxml2's), and the same words from
# `validate` and from `check`. Run by `make check`, which sets PRIVCHECK
# and SRCDIR.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"

pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-schema-msg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

ok() {
    pass=$((pass + 1))
    echo "PASS: $1"
}

nok() {
    fail=$((fail + 1))
    echo "FAIL: $1"
    shift
    for f in "$@"; do sed -n '1,20s/^/    /p' "$f"; done
}

cd "$SRCDIR"
for f in tests/data/manifest/*.xml tests/golden/validate-schema-errors/*.xml \
    tests/golden/validate-not-xml/*.xml; do
    vs=0
    cs=0
    "$PRIVCHECK" validate "$f" >"$tmp/vout" 2>"$tmp/verr" || vs=$?
    "$PRIVCHECK" check "$f" >/dev/null 2>"$tmp/cerr" || cs=$?
    if [ "$vs" = 0 ]; then
        # Valid: check may find things, but never a schema problem.
        if [ "$cs" = 2 ]; then
            nok "$f: valid, but check exits 2" "$tmp/cerr"
        else
            ok "$f: valid for both"
        fi
        continue
    fi
    [ "$vs" = 2 ] && [ "$cs" = 2 ] && ok "$f: both exit 2" ||
        nok "$f: validate exits $vs, check $cs" "$tmp/verr" "$tmp/cerr"
    # check adds what it did not do, and, with the manifest schema in
    # hand, what a manifest starts with.
    grep -v -e ': error: not audited$' -e '^privcheck: error: some manifests' \
        "$tmp/cerr" | sed 's/; it should start with <application[^>]*>$//' \
        >"$tmp/cmsg"
    if cmp -s "$tmp/verr" "$tmp/cmsg"; then
        ok "$f: validate and check say the same"
    else
        nok "$f: validate and check differ" "$tmp/verr" "$tmp/cmsg"
    fi
    if grep -qv "^$f:[1-9][0-9]*: error: " "$tmp/verr"; then
        nok "$f: a message without file:line" "$tmp/verr"
    else
        ok "$f: every message has file:line"
    fi
    # libxml2's own phrases, which say where but not what.
    if grep -E -e 'failed to validate|Did not expect|Invalid attribute' \
        -e 'Extra content|Document is empty|Premature end|Expecting an element' \
        -e 'Opening and ending tag' "$tmp/verr" "$tmp/cerr" >"$tmp/raw"; then
        nok "$f: libxml2's words reach the user" "$tmp/raw"
    else
        ok "$f: our words only"
    fi
done

# One line per problem, and every problem of the file.
expect() { # NAME FILE PATTERN...
    name=$1
    file=$2
    shift 2
    for pat in "$@"; do
        if ! grep -F -q -- "$pat" "$file"; then
            nok "$name: no \"$pat\"" "$file"
            return
        fi
    done
    ok "$name"
}

bad=tests/golden/validate-schema-errors/bad.xml
"$PRIVCHECK" validate "$bad" 2>"$tmp/err" >/dev/null || :
[ "$(wc -l <"$tmp/err")" -eq 6 ] && ok "six problems, six lines" ||
    nok "six problems, six lines" "$tmp/err"
expect "a misspelt attribute names the one meant" "$tmp/err" \
    "$bad:7: error: <flow> has no attribute 'purpse'; did you mean 'purpose'?"
expect "a missing attribute is named, with its values" "$tmp/err" \
    "$bad:7: error: <flow> needs the attribute 'transport' (one of: tls1.0,"
expect "a value outside the set lists the set" "$tmp/err" \
    "$bad:14: error: <store> kind=\"backups\" is not allowed: expected one of database, log, backup, cache, object-storage, queue, warehouse; did you mean 'backup'?"
expect "sections out of order give the order" "$tmp/err" \
    "$bad:12: error: <stores> must come before <flows> (line 6): <application> takes its children in this order: <audience>, <stores>,"
expect "an unknown element names the one meant" "$tmp/err" \
    "$bad:17: error: <retention> cannot hold <kep>; did you mean <keep>?"

leaf=tests/data/manifest/leaf-child.xml
"$PRIVCHECK" validate "$leaf" 2>"$tmp/err" >/dev/null || :
expect "an element that takes no children says so" "$tmp/err" \
    "$leaf:7: error: <store> takes no child elements, and has <vault>"
long=tests/data/manifest/long-value.xml
"$PRIVCHECK" validate "$long" 2>"$tmp/err" >/dev/null || :
b79=$(printf '%079d' 0 | tr 0 b)
expect "a long value is cut on a character boundary" "$tmp/err" \
    "$long:8: error: <store> kind=\"$b79...\" is not allowed: expected one of database,"

# A wrong namespace: one message, no noise before it.
ns=tests/data/manifest/wrong-namespace.xml
"$PRIVCHECK" check "$ns" 2>"$tmp/err" >/dev/null || :
[ "$(grep -c ":[0-9]*: error: " "$tmp/err")" -eq 1 ] &&
    ok "wrong namespace: one message" || nok "wrong namespace: one message" "$tmp/err"

nx=tests/golden/validate-not-xml
"$PRIVCHECK" check $nx/empty.xml $nx/yaml.xml 2>"$tmp/err" >/dev/null || :
expect "an empty file says so, and what it should hold" "$tmp/err" \
    "$nx/empty.xml:1: error: the file is empty: there is no XML in it; it should start with <application xmlns=\"urn:privcheck:manifest:1\">"
expect "a text file is not XML, and says what it starts with" "$tmp/err" \
    "$nx/yaml.xml:1: error: not XML: the file starts with \"name: first-app\""

# Not well-formed: one message, at its line, in our words, the same from
# validate and check. Each case: what, the file (a printf format of the
# root's start), the line, the message after "not well-formed XML: ".
app='<application xmlns="urn:privcheck:manifest:1"'
while IFS='|' read -r what body line msg; do
    # shellcheck disable=SC2059
    printf "$body" "$app" >"$tmp/syntax.xml"
    want="$tmp/syntax.xml:$line: error: not well-formed XML: $msg"
    for cmd in validate check; do
        st=0
        "$PRIVCHECK" "$cmd" "$tmp/syntax.xml" >/dev/null 2>"$tmp/err" || st=$?
        if [ "$st" = 2 ] && [ "$(head -n 1 "$tmp/err")" = "$want" ]; then
            ok "syntax, $cmd: $what"
        else
            nok "syntax, $cmd: $what (exit $st, want 2 and: $want)" "$tmp/err"
        fi
    done
done <<'EOF'
a second root element|%s name="a"/>\n<extra/>\n|2|something follows the end of the root element; a file holds one root element, and everything inside it
an unquoted value|%s name=a/>\n|1|an attribute value must be in quotes (name="value")
an unclosed quote|%s name="a/>\n|2|an attribute value is missing its closing quote
an attribute without a value|%s name/>\n|1|an attribute has no value (write name="value")
an attribute twice|%s name="a" name="b"/>\n|1|attribute 'name' is given twice
'<' in a value|%s name="a<b"/>\n|1|'<' inside an attribute value: write &lt;
an unknown entity|%s name="a&b;"/>\n|1|&b; is not an XML entity: write &amp; for '&'
a start tag left open|%s name="a"\n|2|the start tag <application> is not closed by '>'
a declaration not at the start|%s name="a"><?xml version="1.0"?></application>\n|1|XML declaration allowed only at the start of the document
after a byte order mark and blank lines|\357\273\277 \n\n%s name="a" name="b"/>\n|3|attribute 'name' is given twice
EOF

# A policy: the real problem, alone, though its elements give one
# attribute different values in different branches of a choice.
pol=policy/serenepractice.xml
policy_case() { # NAME SED-SCRIPT LINE-PATTERN MESSAGE
    sed "$2" "$pol" >"$tmp/policy.xml"
    line=$(grep -n -m1 -e "$3" "$tmp/policy.xml" | cut -d: -f1)
    "$PRIVCHECK" validate "$tmp/policy.xml" >/dev/null 2>"$tmp/err" || :
    if [ "$(cat "$tmp/err")" = "$tmp/policy.xml:$line: error: $4" ]; then
        ok "policy: $1"
    else
        nok "policy: $1 (want line $line: $4)" "$tmp/err"
    fi
}
"$PRIVCHECK" validate "$pol" >/dev/null 2>"$tmp/err" &&
    ok "policy: the policy itself is valid" ||
    nok "policy: the policy itself is valid" "$tmp/err"
policy_case "text that is only white space" \
    's|<clause id="s1.scope">[^<]*<|<clause id="s1.scope">   <|' \
    '<clause id="s1.scope">' \
    'the text of <clause>, "   ", is not allowed: expected text matching [\s\S]*\S[\s\S]*'
policy_case "a value no branch of a choice admits lists every branch's" \
    '0,/<appeal required="true"/s/<appeal required="true"/<appeal required="maybe"/' \
    '<appeal required="maybe"' \
    '<appeal> required="maybe" is not allowed: expected one of false, true'
policy_case "the branch an attribute chose says what it lacks" \
    '0,/<appeal required="true" days="[0-9]*"/s/<appeal required="true" days="[0-9]*"/<appeal required="true"/' \
    '<appeal required="true" extension' \
    "<appeal> needs the attribute 'days'"
policy_case "a value the chosen branch does not admit" \
    's/type="duration" value="P90D"/type="duration" value="P90Q"/' \
    'value="P90Q"' \
    '<setting> value="P90Q" is not allowed: expected an ISO 8601 duration (P30D)'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
