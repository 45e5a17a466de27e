/* classify.h - field-name classifiers: pcre2 patterns, read from a
 * classifiers file (urn:privcheck:classifiers:1), that map field names
 * (and optionally sample values) to data element ids. The ids are data:
 * some are the policy's, some deliberately are not (undeclared personal
 * data). The first classifier in file order that recognises a name wins;
 * a pattern may also require (or exclude) a context, the table or object
 * the field lives in. Each distinct name - or, where the context decided,
 * each context and name - is classified once and cached. */
#ifndef PC_CLASSIFY_H
#define PC_CLASSIFY_H

#include "privcheck.h"

struct classify_set;
struct strbuf;

/* Names and contexts longer than this (in bytes) are refused with
 * PC_ELIMIT. */
#define CLASSIFY_MAX_NAME 1024
#define CLASSIFY_MAX_CONTEXT 1024

/* What a set makes of a name or value. Strings are borrowed from the set
 * and live as long as it does. */
struct classify_result {
    const char *element;    /* NULL: no classifier recognises it */
    const char *classifier; /* id of the classifier that did; else NULL */
    const char *pattern;    /* the pattern that matched; else NULL */
    bool sensitive;         /* the classifier says the data is sensitive */
    unsigned line;          /* the classifier's line in its file; else 0 */
};

/* An <example> (counter == false: must be classified by its classifier)
 * or <counter-example> (must not be) of the file; borrowed from the set. */
struct classify_example {
    const char *name;
    const char *context; /* NULL: none */
    bool counter;
    unsigned line;
};

/* One classifier, as the file defines it; borrowed from the set. */
struct classify_info {
    const char *id, *element;
    const char *description; /* NULL when the file gives none */
    bool sensitive;
    unsigned line;
    size_t nnames, nnots, nvalues; /* how many patterns of each kind */
    size_t ncontextual; /* <name> and <not> patterns with a context */
    const struct classify_example *examples; /* in file order */
    size_t nexamples;
};

/* Read, validate against the RELAX NG schema at `schema` (NULL: no
 * validation; the loader still checks what it relies on) and compile the
 * classifiers at `path`. Every problem is reported - each pattern that
 * does not compile, with its classifier id and offset; duplicate ids -
 * and any makes the load fail. On PC_OK *out is the caller's
 * (classify_free). */
pc_status classify_load(const char *path, const char *schema, pc_diags *d,
                        struct classify_set **out);
void classify_free(struct classify_set *cs);

/* Normalise a field name the way classification sees it, into out
 * (replacing its contents; out's cap applies):
 *   - a word boundary inside camelCase / PascalCase becomes '_':
 *     lower or digit before upper (userName -> user_Name, ipv4Address ->
 *     ipv4_Address), and the last capital of an acronym before a
 *     lower-case word (HTTPServer -> HTTP_Server, XMLHttp -> XML_Http) -
 *     except a plural "s" (IDs, URLs stay whole) and a lower-case letter
 *     followed by a digit (IPv4, IPv6 stay whole);
 *   - ASCII letters are lower-cased; other bytes (UTF-8) are kept;
 *   - every other ASCII character that is not a letter or digit ('-',
 *     '.', ' ', '/', ':', '[', ...) becomes '_';
 *   - runs of '_' collapse to one; leading and trailing '_' go.
 * So "userName", "UserName", "user-name" and "user.name" all give
 * "user_name"; "Item2Count" gives "item2_count"; "__v" gives "v". */
pc_status classify_normalize(const char *name, struct strbuf *out);

/* What one caller (an audit: one thread) remembers of the context it
 * classified last: the fields of a flow share their context, so it is
 * normalised, and its context tests run, once for all of them. Zeroed
 * before first use; no resources to free. */
struct classify_memo {
    const struct classify_set *cs; /* whose tests the outcomes are */
    bool valid;
    char raw[CLASSIFY_MAX_CONTEXT + 1];      /* the context as given */
    char norm[2 * CLASSIFY_MAX_CONTEXT + 1]; /* normalised */
    size_t normlen;
    struct {
        const void *cp; /* a pattern with a context condition */
        int outcome;    /* its pc_context_check on this context */
    } tests[16];
    size_t ntests;
};

/* Classify a field name in a context (the table or object the field
 * lives in; NULL or "" when there is none): normalise both, then try each
 * classifier in file order - the first with a <name> pattern that matches
 * and no <not> pattern that matches wins. A pattern with `context=` counts
 * only when the normalised context matches it, one with `unless-context=`
 * only when it does not; an empty context matches no `context=` and
 * satisfies every `unless-context=`.
 *
 * Answers are cached (thread-safe: one set may serve many threads): by the
 * name alone when no context-conditioned pattern matched the name - the
 * answer is then the same in every context - and by context and name
 * otherwise. `loc` is where the name came from, for errors. A pattern
 * that cannot decide (match limit) is an error (and the answer is not
 * cached); *out is then unrecognised. */
pc_status classify_name(struct classify_set *cs, const char *name,
                        const char *context, pc_diags *d, struct pc_loc loc,
                        struct classify_result *out);
/* The same, remembering the context in memo (NULL: as classify_name). */
pc_status classify_name_memo(struct classify_set *cs, const char *name,
                             const char *context, struct classify_memo *memo,
                             pc_diags *d, struct pc_loc loc,
                             struct classify_result *out);

/* Classify as classify_name does, without the cache, calling `step` for
 * every classifier tried and every pattern that decided something (see
 * struct pc_classify_step in privcheck.h; its strings are valid during
 * the call only, except classifier, element and patterns, which are
 * borrowed from the set). `step` may be NULL. */
pc_status classify_explain(const struct classify_set *cs, const char *name,
                           const char *context, pc_diags *d, struct pc_loc loc,
                           void (*step)(void *arg,
                                        const struct pc_classify_step *),
                           void *arg, struct classify_result *out);

/* Classify a sample value with the classifiers' <value> patterns (raw
 * value, no normalisation; first match in file order). Not cached. */
pc_status classify_value(const struct classify_set *cs, const char *value,
                         pc_diags *d, struct pc_loc loc,
                         struct classify_result *out);

/* SHA-256 (lower-case hex) of the bytes read, and the path they came
 * from; borrowed. */
const char *classify_sha256(const struct classify_set *cs);
const char *classify_path(const struct classify_set *cs);

/* The classifiers in file order. */
size_t classify_count(const struct classify_set *cs);
const struct classify_info *classify_get(const struct classify_set *cs,
                                         size_t i);
/* The classifier with this id, or NULL. */
const struct classify_info *classify_find(const struct classify_set *cs,
                                          const char *id);

/* Cache statistics: answers cached (one per name whose answer is the same
 * in every context, one per context and name otherwise), lookups answered
 * from the cache, and lookups that had to match. */
struct classify_stats {
    size_t entries, hits, misses;
};
void classify_stats(struct classify_set *cs, struct classify_stats *out);

/* Bound the cache (default 1 << 20 entries, counting the note that a
 * name's answer depends on its context as one). Past the bound names are still
 * classified, just not remembered: results never borrow from the cache,
 * so this only costs time. */
void classify_set_cache_limit(struct classify_set *cs, size_t max);

#endif
