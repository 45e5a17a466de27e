/* pattern.h - the one pcre2 entry point. Patterns are compiled once (UTF,
 * no \C, `$` only at the very end, JIT when the platform allows it) and
 * matched under explicit match, depth, heap and subject-length limits.
 * Any failure to decide - a limit, a JIT stack overflow, invalid UTF-8 in
 * the subject - is an error with the owner's id, never "no match". */
#ifndef PC_PATTERN_H
#define PC_PATTERN_H

#include "privcheck.h"

#include <stdint.h>

struct pattern;

/* Flags for pattern_compile. */
#define PATTERN_CASELESS 0x1u /* PCRE2_CASELESS */
#define PATTERN_NO_JIT 0x2u   /* interpreter only (see pattern_jit_enabled) */

struct pattern_limits {
    uint32_t match;     /* pcre2_set_match_limit: backtracking steps */
    uint32_t depth;     /* pcre2_set_depth_limit: backtracking depth */
    uint32_t heap_kib;  /* pcre2_set_heap_limit, in KiB */
    size_t max_subject; /* longer subjects are refused with PC_ELIMIT */
};

/* Match limit 1e6, depth limit 50000, heap 10 MiB, subjects up to 64 KiB:
 * far beyond any sane pattern on a field name or attribute, and a
 * pathological one gives up in milliseconds. */
extern const struct pattern_limits pattern_default_limits;

/* Compile `pat` (NUL-terminated UTF-8) with PCRE2_UTF,
 * PCRE2_NEVER_BACKSLASH_C and PCRE2_DOLLAR_ENDONLY (so "^x$" does not
 * accept "x\n"), plus the PATTERN_* flags; it is JIT-compiled once it
 * is hot, when possible (silently falling back to the interpreter). `owner`
 * (e.g. a rule or classifier id; may be NULL) is copied and names the pattern
 * in every later message. A pattern that does not compile is reported at `loc`
 * as "OWNER: pattern "PAT": MESSAGE at offset N" and gives PC_ESYNTAX. On PC_OK
 * *out is the caller's (pattern_free). */
pc_status pattern_compile(const char *pat, uint32_t flags, struct pc_loc loc,
                          const char *owner, pc_diags *d, struct pattern **out);

/* As pattern_compile, with explicit limits (NULL: the defaults). */
pc_status pattern_compile_limits(const char *pat, uint32_t flags,
                                 const struct pattern_limits *lim,
                                 struct pc_loc loc, const char *owner,
                                 pc_diags *d, struct pattern **out);

/* Does p match subject[0..len)? The subject need not be NUL-terminated;
 * it must be valid UTF-8. On PC_OK *matched says whether it matched. Any
 * other outcome - subject longer than the limit (PC_ELIMIT), match/depth/
 * heap limit or JIT stack exhausted (PC_ELIMIT), invalid UTF-8
 * (PC_EINVALID) - is reported at `loc` (where the subject came from)
 * naming the owner and where the pattern was defined, and *matched is
 * false; out of memory is PC_ENOMEM, not reported (the caller says it).
 * Thread-safe: one compiled pattern may be matched by many threads at once. */
pc_status pattern_match(const struct pattern *p, const char *subject,
                        size_t len, bool *matched, pc_diags *d,
                        struct pc_loc loc);

/* The pattern as written and its owner ("" when none); borrowed for the
 * pattern's lifetime. */
const char *pattern_source(const struct pattern *p);
const char *pattern_owner(const struct pattern *p);

/* Is the pattern JIT-compiled? That happens on its PATTERN_HOT-th match
 * (8): a pattern matched a few times is not worth compiling. */
bool pattern_is_jit(const struct pattern *p);

/* Are patterns JIT-compiled in this process: pcre2 has JIT, and neither
 * the environment variable PRIVCHECK_NO_JIT (non-empty, not "0") nor
 * running under valgrind (which cannot see into JIT code) turned it off?
 * Decided once, on first use. */
bool pattern_jit_enabled(void);

void pattern_free(struct pattern *p);

/* Patterns compiled are kept in the cache (cache.h), so that the next run
 * of this build copies their compiled code instead of compiling them
 * again. Write what this process compiled that the cache lacks: after
 * loading, when every pattern a run needs was compiled. Best effort. */
void pattern_store_save(void);

/* Free the calling thread's JIT stack and match data (other threads'
 * go when they exit) and pcre2's cache of unused JIT memory. Optional:
 * for leak checkers, at the end of main or of a test. */
void pattern_cleanup(void);

#endif
