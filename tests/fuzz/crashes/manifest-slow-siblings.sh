#!/bin/sh
# manifest-slow-siblings.sh - print the reproducer (0.5 MB, so generated):
# one flow of 10000 fields with one name, ~1.4 s in a release build.
exec "$(dirname "$0")/gen-slow.sh" siblings 10000 1
