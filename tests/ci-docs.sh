#!/bin/sh
# ci-docs.sh - every privcheck command line of doc/ci.md runs, so the CI
# examples cannot rot: in a repository laid out as the page says
# (privacy/manifests, privacy/waivers.xml, privacy/baseline.json), section
# by section in the order a team would take them (keep a baseline, file a
# waiver, then the CI jobs and the pre-commit hooks), each command must
# exit as a gate does (0 or 1; 0 for waive and validate), and each report
# it writes must be what its consumer accepts: SARIF against the official
# schema, JUnit against junit-10.xsd, JSON read back with jq. The output
# the page quotes must be what privcheck prints, and .pre-commit-hooks.yaml
# must run the commands the page says. Run by `make check`.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"

doc=$SRCDIR/doc/ci.md
hooks=$SRCDIR/.pre-commit-hooks.yaml
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-cidocs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

ok() { pass=$((pass + 1)); echo "PASS: $1"; }
nok() {
    fail=$((fail + 1))
    echo "FAIL: $1: $2"
    [ -s "$tmp/err" ] && sed -n '1,10s/^/    stderr: /p' "$tmp/err"
    return 0
}

# The repository: two manifests of one application, one with a finding.
repo=$tmp/repo
mkdir -p "$repo/privacy/manifests" "$tmp/bin"
cp "$SRCDIR/fixtures/compliant-practice-web.xml" "$repo/privacy/manifests/web.xml"
cp "$SRCDIR/fixtures/violations/SEN-001.xml" "$repo/privacy/manifests/billing.xml"
ln -s "$PRIVCHECK" "$tmp/bin/privcheck"

# commands SECTION: the privcheck command lines in the code blocks of the
# "## SECTION" part of the page, YAML's "- " and "run: " taken off.
commands() {
    awk -v want="## $1" '
        /^## / { in_section = ($0 == want) }
        /^```/ { in_block = !in_block; next }
        in_section && in_block {
            line = $0
            sub(/^[ \t]*(- )?(run: )?/, "", line)
            if (line ~ /^privcheck /) print line
        }' "$doc"
}

# check_outputs CMD: validate what --output wrote, by its --format.
check_outputs() {
    # shellcheck disable=SC2086 # the command's words
    set -- $1
    fmt=text
    while [ $# -gt 0 ]; do
        case $1 in
        --format) fmt=$2; shift ;;
        --output)
            out=$repo/$2
            case $fmt in
            sarif)
                python3 "$SRCDIR/tests/validate-sarif.py" \
                    "$SRCDIR/tests/schemas/sarif-schema-2.1.0.json" "$out" \
                    >"$tmp/v" 2>&1 || { echo "invalid SARIF $2: $(cat "$tmp/v")"; return 1; } ;;
            junit)
                xmllint --noout --schema "$SRCDIR/tests/schemas/junit-10.xsd" \
                    "$out" >"$tmp/v" 2>&1 || { echo "invalid JUnit $2: $(cat "$tmp/v")"; return 1; } ;;
            json)
                jq -e '.report_version == 1' "$out" >/dev/null 2>&1 ||
                    { echo "not a JSON report: $2"; return 1; } ;;
            *)
                [ -s "$out" ] || { echo "empty $2"; return 1; } ;;
            esac
            shift ;;
        esac
        shift
    done
    return 0
}

ran=0
# run_section SECTION: run its commands in the repository.
run_section() {
    commands "$1" >"$tmp/cmds"
    if [ ! -s "$tmp/cmds" ]; then
        nok "## $1" "no privcheck command found in doc/ci.md"
        return
    fi
    while IFS= read -r cmd; do
        ran=$((ran + 1))
        status=0
        (cd "$repo" && PATH="$tmp/bin:$PATH" sh -c "$cmd") \
            >"$tmp/out" 2>"$tmp/err" </dev/null || status=$?
        case $cmd in
        "privcheck waive "* | "privcheck validate "*) want="0" ;;
        *) want="0 1" ;;
        esac
        case " $want " in
        *" $status "*)
            if why=$(check_outputs "$cmd"); then
                ok "$1: $cmd (exit $status)"
            else
                nok "$1: $cmd" "$why"
            fi
            ;;
        *) nok "$1: $cmd" "exit status $status, want $want" ;;
        esac
        cp "$tmp/out" "$tmp/last.out"
    done <"$tmp/cmds"
}

run_section "Keeping a baseline"
# The tally the page quotes is the one printed.
quoted=$(awk '/^## Keeping a baseline/ { s = 1 } s && /^privcheck: [0-9]+ manifest/ { print; exit }' "$doc")
if [ -n "$quoted" ] && grep -qxF "$quoted" "$tmp/last.out"; then
    ok "the baseline's tally is the one the page quotes: $quoted"
else
    nok "the quoted tally" "page: '$quoted'; printed: '$(tail -n 1 "$tmp/last.out")'"
fi
run_section "Filing a waiver"
if [ -f "$repo/privacy/waivers.xml" ] &&
    grep -q 'rule="SEN-001"' "$repo/privacy/waivers.xml"; then
    ok "the waiver the page files is in privacy/waivers.xml"
else
    nok "the page's waiver" "privacy/waivers.xml: $(cat "$repo/privacy/waivers.xml" 2>/dev/null)"
fi
run_section "GitHub Actions"
# With the waiver and the baseline, the gate passes and says why.
if grep -q 'privcheck: passed' "$repo/privcheck.md" &&
    grep -q '^::notice .*title=waived%3A SEN-001' "$tmp/last.out"; then
    ok "GitHub: the gate passes with the waiver, the summary and annotations say so"
else
    nok "GitHub run" "$(head -n 3 "$repo/privcheck.md" 2>/dev/null)"
fi
run_section "GitLab CI"
run_section "pre-commit"

# The hooks run what the page says they run, on the files it says.
for id in privcheck privcheck-validate; do
    entry=$(awk -v id="$id" '$0 ~ "^- id: "id"$" { f = 1; next } /^- id:/ { f = 0 }
        f && /^  entry:/ { sub(/^  entry: */, ""); print; exit }' "$hooks")
    files=$(awk -v id="$id" '$0 ~ "^- id: "id"$" { f = 1; next } /^- id:/ { f = 0 }
        f && /^  files:/ { sub(/^  files: */, ""); print; exit }' "$hooks")
    case $id in
    privcheck) file=privacy/manifests/billing.xml ;;
    *) file=privacy/waivers.xml ;;
    esac
    if commands pre-commit | grep -qxF "$entry $file" &&
        python3 -c 'import re, sys; sys.exit(0 if re.search(sys.argv[1], sys.argv[2]) else 1)' \
            "$files" "$file"; then
        ok ".pre-commit-hooks.yaml: $id runs '$entry' on $file"
    else
        nok ".pre-commit-hooks.yaml: $id" "entry '$entry', files '$files'"
    fi
done

[ "$ran" -ge 8 ] && ok "$ran command lines of doc/ci.md ran" ||
    nok "doc/ci.md" "only $ran command lines found"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
