#!/bin/sh
# format.sh - the C sources are formatted as .clang-format says (STYLE.md).
# clang-format is a build dependency of the tests: without it this fails.
set -eu
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"
if ! command -v clang-format >/dev/null; then
    echo "FAIL: clang-format not found (apt-get install clang-format)"
    echo "0 passed, 1 failed"
    exit 1
fi
cd "$SRCDIR"
pass=0
fail=0
for f in checker/*.c checker/*.h tests/*.c; do
    if clang-format --style=file "$f" | cmp -s "$f" -; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $f is not formatted; run: clang-format -i $f"
        clang-format --style=file "$f" | diff -u "$f" - | head -n 20 |
            sed 's/^/    /'
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
