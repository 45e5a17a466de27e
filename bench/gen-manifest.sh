#!/bin/sh
# gen-manifest.sh N [PERCENT] - print a manifest with N flows (three fields
# each) on stdout, for measuring how audits scale. PERCENT (default 0) of
# the flows break rules: marketing with an SSN from an ordinary form over
# TLS 1.1, which gives several findings per flow (SEN-001, PUR-002,
# PUR-004, SEC-002, ...); the others are compliant.
set -eu
n=${1:?usage: gen-manifest.sh NFLOWS [PERCENT-VIOLATING]}
pct=${2:-0}
cat <<'HEAD'
<?xml version="1.0" encoding="UTF-8"?>
<application xmlns="urn:privcheck:manifest:1" name="bench" version="1.0.0">
  <audience jurisdictions="US-UT" min-age="18"/>
  <stores>
    <store id="db" kind="database" region="US" encrypted-at-rest="true"/>
  </stores>
  <flows>
HEAD
awk -v n="$n" -v pct="$pct" 'BEGIN {
    for (i = 0; i < n; i++) {
        if (i % 100 < pct) {
            printf "    <flow id=\"f%d\" subject=\"customer\" source=\"form-%d\" collection=\"direct\" purpose=\"marketing\" to=\"db\" transport=\"tls1.1\">\n", i, i % 17
            printf "      <field name=\"email_%d\" category=\"identifiers.email\"/>\n", i % 50
            printf "      <field name=\"ssn\"/>\n"
        } else {
            printf "    <flow id=\"f%d\" subject=\"customer\" source=\"form-%d\" collection=\"direct\" purpose=\"account\" to=\"db\" transport=\"tls1.3\">\n", i, i % 17
            printf "      <field name=\"email_%d\" category=\"identifiers.email\"/>\n", i % 50
            printf "      <field name=\"display_name\" category=\"identifiers.name\"/>\n"
        }
        printf "      <field name=\"practice_name_%d\" category=\"professional.business-name\"/>\n", i % 7
        printf "    </flow>\n"
    }
}'
cat <<'TAIL'
  </flows>
  <retention>
    <keep store="db" categories="identifiers professional" while="account-active" after-closure="P30D"/>
  </retention>
  <rights>
    <handler right="know" channel="web" response-days="30" verifies-identity="true" authorized-agents="true"/>
    <handler right="deletion" channel="web" response-days="30" verifies-identity="true" authorized-agents="true" covers="db"/>
    <handler right="access-portability" channel="web" response-days="30" verifies-identity="true" authorized-agents="true"/>
    <handler right="opt-out-sharing" channel="web" response-days="30" authorized-agents="true"/>
    <appeal channel="email" subject="Privacy Request Appeal" response-days="30"/>
  </rights>
</application>
TAIL
