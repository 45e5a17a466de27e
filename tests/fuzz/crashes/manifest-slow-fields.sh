#!/bin/sh
# manifest-slow-fields.sh - print the reproducer (1 MB, so generated):
# 20000 distinct field names to one store, ~2 s in a release build.
exec "$(dirname "$0")/gen-slow.sh" fields 20000
