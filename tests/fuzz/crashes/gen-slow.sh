#!/bin/sh
# gen-slow.sh CASE N [M] - print a valid manifest, of any size, that made
# privcheck slow (or fail without a reason) before db47163; the saved
# reproducers in this directory are small instances. Each now audits in
# time linear in its size. See ../README.md, "Findings".
#
#   ids N M        N stores, one flow of M fields: ids('store') is rebuilt
#                  with a quadratic de-duplication for every check that
#                  reads it (func.c fn_ids) - O(N^2 * M).
#   fields N       N distinct field names in flows of 100, all to one
#                  store: per-store aggregates use linear add-unique
#                  (eval.c agg_note_flow) - O(N^2).
#   siblings N M   M flows of N fields (N <= 10000) with one name: each
#                  field's unique key scans its siblings (eval.c
#                  eval_unique_key) - O(N^2) per flow.
#   message N      a deletion handler covering N undeclared stores: the
#                  MAN rule's message passes 64 KiB, the audit fails with
#                  PC_ELIMIT and no diagnostic.
set -eu
case=${1:?usage: gen-slow.sh ids|fields|siblings|message N [M]}
n=${2:?usage: gen-slow.sh CASE N [M]}
m=${3:-1}

head() {
    printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
        '<application xmlns="urn:privcheck:manifest:1" name="slow" version="1">' \
        '  <audience jurisdictions="US-UT" min-age="18"/>' '  <stores>' \
        '    <store id="db" kind="database" region="US" encrypted-at-rest="true"/>'
}
tail_() {
    covers=${1:-}
    printf '%s\n' '  <retention>' \
        '    <keep store="db" categories="identifiers" while="account-active" after-closure="P30D"/>' \
        '  </retention>' '  <rights>' \
        '    <handler right="know" channel="web" response-days="30" verifies-identity="true" authorized-agents="true"/>'
    printf '    <handler right="deletion" channel="web" response-days="30" verifies-identity="true" authorized-agents="true" covers="db%s"/>\n' "$covers"
    printf '%s\n' \
        '    <handler right="access-portability" channel="web" response-days="30" verifies-identity="true" authorized-agents="true"/>' \
        '    <handler right="opt-out-sharing" channel="web" response-days="30" authorized-agents="true"/>' \
        '    <appeal channel="email" subject="Privacy Request Appeal" response-days="30"/>' \
        '  </rights>' '</application>'
}
flow_open='subject="customer" source="form" collection="direct" purpose="account" to="db" transport="tls1.3"'

case $case in
ids)
    head
    awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++)
        printf "<store id=\"s%d\" kind=\"cache\"/>\n", i }'
    echo '  </stores>'
    echo '  <flows>'
    echo "    <flow id=\"f\" $flow_open>"
    awk -v m="$m" 'BEGIN { for (i = 0; i < m; i++)
        print "<field name=\"email\" category=\"identifiers.email\"/>" }'
    echo '    </flow>'
    echo '  </flows>'
    tail_
    ;;
fields)
    head
    echo '  </stores>'
    echo '  <flows>'
    awk -v n="$n" -v open="$flow_open" 'BEGIN {
        for (i = 0; i < n; i++) {
            if (i % 100 == 0)
                printf "%s<flow id=\"f%d\" %s>\n", i ? "</flow>\n" : "", i, open
            printf "<field name=\"e%d\" category=\"identifiers.email\"/>\n", i
        }
        print "</flow>" }'
    echo '  </flows>'
    tail_
    ;;
siblings)
    head
    echo '  </stores>'
    echo '  <flows>'
    awk -v n="$n" -v m="$m" -v open="$flow_open" 'BEGIN {
        for (j = 0; j < m; j++) {
            printf "<flow id=\"f%d\" %s>\n", j, open
            for (i = 0; i < n; i++)
                print "<field name=\"email\" category=\"identifiers.email\"/>"
            print "</flow>"
        } }'
    echo '  </flows>'
    tail_
    ;;
message)
    head
    echo '  </stores>'
    echo '  <flows>'
    echo "    <flow id=\"f\" $flow_open>"
    echo '<field name="email" category="identifiers.email"/>'
    echo '    </flow>'
    echo '  </flows>'
    tail_ "$(awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++)
        printf " u%d", i }')"
    ;;
*)
    echo "gen-slow.sh: unknown case $case" >&2
    exit 2
    ;;
esac
