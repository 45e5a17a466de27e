#!/bin/sh
# first-manifest.sh - doc/first-manifest.md, run as written: each ```sh
# block of the page, in order, in one empty directory, with privcheck on
# PATH; the block's "# expect: exit N" is the status it must end with,
# the output the page quotes must be what privcheck prints, and the last
# block must be a clean run. Run by `make check`.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"

doc=$SRCDIR/doc/first-manifest.md
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-first.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
mkdir "$tmp/bin" "$tmp/work"
ln -s "$PRIVCHECK" "$tmp/bin/privcheck"

# Split the page: block N of kind sh into $tmp/sh.N, the quoted output
# after it (a bare ``` block) into $tmp/out.N.
awk -v dir="$tmp" '
    /^```sh$/ { n++; file = dir "/sh." n; inside = 1; next }
    /^```$/ && !inside { file = dir "/out." n; inside = 2; next }
    /^```$/ { inside = 0; next }
    inside { print > file }
' "$doc"
n=$(ls "$tmp"/sh.* | wc -l)
[ "$n" -ge 5 ] || { echo "FAIL: only $n command blocks in $doc"; exit 1; }
i=1
while [ "$i" -le "$n" ]; do
    want=$(sed -n 's/^# expect: exit \([0-9]\)$/\1/p' "$tmp/sh.$i")
    status=0
    (cd "$tmp/work" && PATH="$tmp/bin:$PATH" sh -e "$tmp/sh.$i") \
        >"$tmp/got.$i" 2>&1 || status=$?
    if [ -z "$want" ]; then
        fail=$((fail + 1))
        echo "FAIL: block $i has no '# expect: exit N'"
    elif [ "$status" != "$want" ]; then
        fail=$((fail + 1))
        echo "FAIL: block $i exits $status, the page says $want"
        sed -n '1,15s/^/    /p' "$tmp/got.$i"
    else
        pass=$((pass + 1))
        echo "PASS: block $i exits $want"
    fi
    # Every line the page quotes after the block is in what it printed.
    if [ -f "$tmp/out.$i" ]; then
        missing=0
        while IFS= read -r line; do
            grep -F -x -q -- "$line" "$tmp/got.$i" || {
                missing=1
                echo "    not printed: $line"
            }
        done <"$tmp/out.$i"
        if [ "$missing" = 0 ]; then
            pass=$((pass + 1))
            echo "PASS: block $i prints what the page quotes"
        else
            fail=$((fail + 1))
            echo "FAIL: block $i does not print what the page quotes"
        fi
    fi
    i=$((i + 1))
done
# It ends in a clean run.
if tail -n 1 "$tmp/got.$n" | grep -q '^privcheck: 1 manifest, no findings$'; then
    pass=$((pass + 1))
    echo "PASS: the walkthrough ends clean"
else
    fail=$((fail + 1))
    echo "FAIL: the walkthrough does not end clean"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
