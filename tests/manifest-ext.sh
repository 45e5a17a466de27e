#!/bin/sh
# manifest-ext.sh - pack-owned manifest extensions (rules/README.md,
# "Manifest extensions"). The Matrix.org pack's manifest-ext.rng admits
# gdpr:lawful-basis on flows and gdpr:safeguard on recipients: a manifest
# may carry them only when that pack is loaded, with any prefix, and with
# the values the fragment allows; rules read them by the pack's prefix.
# Foreign content no loaded pack declares exits 2 at its file:line, in
# check and in validate alike, and a fragment that is not an extension
# fails the load at its own file:line. The policy closes what the format
# leaves to it: flow/@subject takes the policy's <subjects>. Run by `make
# check`, which sets PRIVCHECK and SRCDIR.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"

name=ext
# shellcheck source=tests/check-lib.sh
. "$SRCDIR/tests/check-lib.sh"

run() {
    status=0
    (cd "$tmp" && "$PRIVCHECK" "$@") >"$tmp/out" 2>"$tmp/err" || status=$?
}

# absent NAME STRING: STRING is in neither output.
absent() {
    if grep -q -F -e "$2" "$tmp/out" "$tmp/err"; then
        nok "$1: '$2' in the output"
    else
        ok "$1"
    fi
}

mxp=$SRCDIR/policy/matrix-org.xml
mxr=$SRCDIR/rules/matrix-org
ns=urn:privcheck:pack:matrix-org:gdpr:1

# A manifest of the Matrix.org kind; $1 goes on the <application> tag,
# $2 on the flow, $3 on the supplier.
manifest() {
    cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<application xmlns="urn:privcheck:manifest:1" $1 name="m" version="1">
  <audience jurisdictions="GB EU" min-age="16"/>
  <stores>
    <store id="db" kind="database" region="GB"/>
  </stores>
  <recipients>
    <recipient id="mailer" type="supplier" region="US" $3/>
  </recipients>
  <flows>
    <flow id="orders" source="shop" collection="direct" purpose="shop-orders" to="mailer" transport="tls1.3" $2>
      <field name="name" category="shop.name"/>
    </flow>
  </flows>
  <rights>
    <handler right="access" channel="client" response-days="30" verifies-identity="true"/>
    <handler right="rectification" channel="client" response-days="30"/>
    <handler right="erasure" channel="client" response-days="30"/>
    <handler right="restriction" channel="email" response-days="30"/>
    <handler right="portability" channel="email" response-days="30" verifies-identity="true"/>
    <handler right="objection" channel="email" response-days="30"/>
  </rights>
</application>
XML
}

# ------------------------------------------------------------ the pack
# Declared, under another prefix than the pack's: rules see the values.
manifest "xmlns:eu=\"$ns\"" 'eu:lawful-basis="consent"' 'eu:safeguard="scc"' \
    >"$tmp/other-prefix.xml"
run --policy "$mxp" --rules "$mxr" check other-prefix.xml
check "an extension attribute under any prefix reaches the rules" 1 \
    "other-prefix.xml:11: error: [MXO-018] flow 'orders' processes data for 'shop-orders' under consent; the notice gives contract"
absent "a declared safeguard satisfies MXO-019" "MXO-019"

manifest "xmlns:gdpr=\"$ns\"" 'gdpr:lawful-basis="contract"' '' \
    >"$tmp/no-safeguard.xml"
run --policy "$mxp" --rules "$mxr" check no-safeguard.xml
check "a US supplier without a safeguard is MXO-019" 1 \
    "no-safeguard.xml:8: error: [MXO-019] recipient 'mailer' (supplier) processes data in US"
absent "the basis the notice gives is no MXO-018" "MXO-018"

run --policy "$mxp" --rules "$mxr" validate no-safeguard.xml
check "validate with the pack uses the composed schema" 0

# ------------------------------------------------------------ refused
# Without the pack that declares them, the same attributes are foreign:
# exit 2, each at its line, naming attribute and namespace.
run validate no-safeguard.xml
check "validate without the pack refuses its attributes" 2 \
    "no-safeguard.xml:11: error: <flow> has no attribute 'gdpr:lawful-basis': namespace $ns is no extension of the loaded pack"
run check no-safeguard.xml
check "check without the pack refuses them too" 2 \
    "no-safeguard.xml:11: error: <flow> has no attribute 'gdpr:lawful-basis'"

manifest "xmlns:gdpr=\"$ns\" xmlns:x=\"urn:example:other\"" \
    'gdpr:lawful-basis="contract" x:retention="P1D"' 'gdpr:safeguard="scc"' \
    >"$tmp/undeclared.xml"
run --policy "$mxp" --rules "$mxr" check undeclared.xml
check "an undeclared namespace exits 2 at file:line, with the pack loaded" 2 \
    "undeclared.xml:11: error: <flow> has no attribute 'x:retention': namespace urn:example:other is no extension of the loaded pack"

manifest "xmlns:gdpr=\"$ns\"" 'gdpr:lawful-basis="contract"' 'gdpr:safegaurd="scc"' \
    >"$tmp/typo.xml"
run --policy "$mxp" --rules "$mxr" check typo.xml
check "a misspelt extension attribute has a suggestion" 2 \
    "typo.xml:8: error: <recipient> has no attribute 'gdpr:safegaurd'; did you mean 'gdpr:safeguard'?"

manifest "xmlns:gdpr=\"$ns\"" 'gdpr:lawful-basis="contractual"' '' \
    >"$tmp/bad-value.xml"
run --policy "$mxp" --rules "$mxr" check bad-value.xml
check "a value outside the fragment's choice exits 2" 2 \
    'bad-value.xml:11: error: <flow> gdpr:lawful-basis="contractual" is not allowed'

# Extensions are attributes: a foreign element is named with its
# namespace, even in the pack's own.
sed 's|<field name="name" category="shop.name"/>|&<gdpr:note>x</gdpr:note>|' \
    "$tmp/no-safeguard.xml" >"$tmp/element.xml"
run --policy "$mxp" --rules "$mxr" check element.xml
check "a foreign element exits 2 at its line, with its namespace" 2 \
    "element.xml:12: error: <flow> cannot hold <gdpr:note>: namespace $ns is not this document's"

# ------------------------------------------------------------ rules
# A rule's literal compared with a closed extension value must be one.
mkdir -p "$tmp/pack"
cp "$mxr/classifiers.xml" "$mxr/manifest-ext.rng" "$tmp/pack/"
sed "s/'scc bcr adequacy'/'scc bcrr adequacy'/" "$mxr/matrix-org.rules.xml" \
    >"$tmp/pack/matrix-org.rules.xml"
run --policy "$mxp" --rules pack rules
check "a literal outside an extension's values fails the load" 2 \
    "rule MXO-019: 'bcrr' is not a value the manifest schema allows there; did you mean 'bcr'?"
sed "s/recipient.gdpr:safeguard/recipient.gdpr:safegard/" "$mxr/matrix-org.rules.xml" \
    >"$tmp/pack/matrix-org.rules.xml"
run --policy "$mxp" --rules pack rules
check "a misspelt extension attribute in a rule fails the load" 2 \
    "rule MXO-019: <recipient> has no attribute 'gdpr:safegard'"

# ------------------------------------------------------------ fragments
cp "$mxr/matrix-org.rules.xml" "$tmp/pack/"
fragment() {
    cat >"$tmp/pack/manifest-ext.rng" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<grammar xmlns="http://relaxng.org/ns/structure/1.0"
         xmlns:gdpr="$ns" xmlns:m="urn:privcheck:manifest:1">
$1
</grammar>
XML
}
fragment '<define name="flw"><attribute name="gdpr:x"><text/></attribute></define>
<define name="flow"><element name="gdpr:note"><text/></element></define>
<define name="store"><attribute name="region-code"><text/></attribute></define>
<define name="audience"><attribute name="m:age"><text/></attribute></define>
<define name="keep"><attribute name="q:period"><text/></attribute></define>'
run --policy "$mxp" --rules pack rules
check "a fragment that is not an extension fails at its lines" 2 \
    "manifest-ext.rng:4: error: <define name=\"flw\">: the manifest has no element 'flw' to extend; did you mean 'flow'?" \
    "manifest-ext.rng:5: error: <element> in an extension: a pack extends manifest elements with attributes only" \
    "manifest-ext.rng:6: error: attribute 'region-code' is not in a namespace" \
    "manifest-ext.rng:7: error: attribute 'm:age' is in namespace urn:privcheck:manifest:1, which belongs to privcheck or XML" \
    "manifest-ext.rng:8: error: prefix 'q' of attribute 'q:period' is not bound to a namespace"

fragment '<define name="flow"><attribute name="gdpr:x"><data type="nosuchtype"/></attribute></define>'
run --policy "$mxp" --rules pack rules
check "a fragment that does not compile with the manifest schema fails" 2 \
    "manifest-ext.rng: error: the manifest schema" "does not compile with this extension"

# An extension may use the manifest schema's datatypes (ref period,
# word-list), XML Schema types, and pc:names: its literals are then
# checked against the policy like the format's own.
mkdir -p "$tmp/own"
cp "$mxr/classifiers.xml" "$tmp/own/"
cat >"$tmp/own/manifest-ext.rng" <<'XML'
<grammar xmlns="http://relaxng.org/ns/structure/1.0" xmlns:t="urn:privcheck:pack:test:1"
         xmlns:pc="urn:privcheck:schema:1" datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <define name="keep"><optional><attribute name="t:review"><ref name="period"/></attribute></optional></define>
  <define name="store">
    <optional><attribute name="t:tier"><data type="positiveInteger"/></attribute></optional>
    <optional><attribute name="t:purposes" pc:names="purpose"><ref name="word-list"/></attribute></optional>
  </define>
</grammar>
XML
cat >"$tmp/own/t.rules.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rules xmlns="urn:privcheck:rules:1" title="t">
  <rule id="TST-001" severity="error">
    <title>Extension values</title>
    <check over="keep">
      <when><gt a="keep.t:review" b="'P180D'"/></when>
      <message>review after {keep.t:review}</message>
    </check>
    <check over="store" id="p">
      <when><intersects a="store.t:purposes" b="'servicee'"/></when>
      <message>store for {store.t:purposes}</message>
    </check>
    <fix>None.</fix>
  </rule>
</rules>
XML
run --policy "$mxp" --rules own rules
check "pc:names on an extension attribute checks rule literals against the policy" 2 \
    "rule TST-001: 'servicee' is not a purpose id of the policy; did you mean 'service'?"
sed -i "s/'servicee'/'service'/" "$tmp/own/t.rules.xml"
cat >"$tmp/own.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<application xmlns="urn:privcheck:manifest:1" xmlns:t="urn:privcheck:pack:test:1" name="m" version="1">
  <stores>
    <store id="db" kind="database" region="GB" t:tier="2" t:purposes="service support"/>
  </stores>
  <retention>
    <keep store="db" categories="account" period="P30D" t:review="P1Y"/>
  </retention>
</application>
XML
run --policy "$mxp" --rules own check own.xml
check "rules read list, datatype and period extension attributes" 1 \
    "own.xml:4: error: [TST-001] store for service, support" \
    "own.xml:7: error: [TST-001] review after P1Y"
sed -i 's/t:tier="2"/t:tier="0"/' "$tmp/own.xml"
run --policy "$mxp" --rules own check own.xml
check "an XML Schema type of an extension is enforced" 2 \
    'own.xml:4: error: <store> t:tier="0" is not allowed: expected a whole number, 1 or more'

# validate reads an extension as a load would.
run --policy "$mxp" validate "$mxr/manifest-ext.rng"
check "validate accepts the Matrix.org pack's extension" 0 "manifest-ext.rng: valid"
fragment '<define name="flw"><attribute name="gdpr:x"><text/></attribute></define>'
run validate pack/manifest-ext.rng
check "validate names a fragment's problem at its line" 2 \
    "pack/manifest-ext.rng:4: error: <define name=\"flw\">: the manifest has no element 'flw' to extend; did you mean 'flow'?"
run validate "$SRCDIR/checker/manifest.rng"
check "a whole schema is not an extension, said once" 2 \
    "a RELAX NG schema with a <start>, not a manifest extension"

# ------------------------------------------------------------ subjects
# flow/@subject takes the policy's <subjects>, not a list in the format:
# SerenePractice's customer and client, and customer when none is named.
sed 's/subject="client"/subject="patient"/' \
    "$SRCDIR/fixtures/compliant-telehealth.xml" >"$tmp/patient.xml"
line=$(grep -n 'subject="patient"' "$tmp/patient.xml" | head -n 1 | cut -d: -f1)
run check patient.xml
check "a subject the policy does not declare exits 2 at its line" 2 \
    "patient.xml:$line: error: <flow> subject=\"patient\" is not allowed: expected one of customer, client"
run validate patient.xml
check "validate closes the subjects with the policy too" 2 \
    "patient.xml:$line: error: <flow> subject=\"patient\" is not allowed"
run validate "$SRCDIR/fixtures/compliant-telehealth.xml"
check "the policy's subjects are valid" 0

# The policy's own subjects hold together: its default is one, and each
# agreement governs one.
sed 's/<subject id="client" /<subject id="clients" /' \
    "$SRCDIR/policy/serenepractice.xml" >"$tmp/p1.xml"
line=$(grep -n 'subject="client" clauses="s1.baa s1.scope' "$tmp/p1.xml" | cut -d: -f1) # where its start tag ends: libxml2's line
run --policy p1.xml validate p1.xml
check "an agreement for an undeclared subject fails the policy" 2 \
    "p1.xml:$line: error: agreement 'baa' governs subject 'client', which <subjects> does not declare"
sed 's/<subjects default="customer"/<subjects default="customers"/' \
    "$SRCDIR/policy/serenepractice.xml" >"$tmp/p2.xml"
line=$(grep -n '<subjects default=' "$tmp/p2.xml" | cut -d: -f1)
run --policy p2.xml validate p2.xml
check "a default that is no declared subject fails the policy" 2 \
    "p2.xml:$line: error: default subject 'customers' is not one of the <subject>s"

# A policy that declares none: no rule may judge by subject.
mkdir -p "$tmp/subj"
cp "$SRCDIR/rules/classifiers.xml" "$tmp/subj/"
cat >"$tmp/subj/s.rules.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rules xmlns="urn:privcheck:rules:1" title="subjects">
  <rule id="SUB-001" severity="error" subjects="customer">
    <title>Any flow</title>
    <check over="flow"><message>flow {flow.id}</message></check>
    <fix>None.</fix>
  </rule>
</rules>
XML
run --policy "$mxp" --rules subj rules
check "subjects= under a policy without <subjects> fails the load" 2 \
    "rule SUB-001: subjects: the policy declares no data subjects"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
