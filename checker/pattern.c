/* pattern.c - pcre2 behind one door: compile with safe options, JIT when
 * possible (once a pattern is hot), match under explicit limits with a
 * per-thread JIT stack, and turn every negative pcre2 return except "no match"
 * into a located error. No other file includes pcre2.h. */
#include "config.h"

#include "pattern.h"

#include "cache.h"
#include "diag.h"
#include "limit.h"
#include "map.h"
#include "sha256.h"
#include "strbuf.h"

#include <inttypes.h>
#include <stdio.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define PATTERN_HAVE_VALGRIND 1
#endif
#endif

const struct pattern_limits pattern_default_limits = {
    .match = 1000000,
    .depth = 50000,
    .heap_kib = 10 * 1024,
    .max_subject = 64 * 1024,
};

/* Patterns are data written by people; anything longer is a mistake. */
#define PATTERN_MAX_LEN 8192
/* JIT stack per thread: starts small, may grow to this. */
#define PATTERN_JIT_STACK_START (32 * 1024)
#define PATTERN_JIT_STACK_MAX (1024 * 1024)
/* How much of a subject a message quotes. */
#define PATTERN_QUOTE_MAX 64
/* Matches interpreted before a pattern is JIT-compiled: JIT compiling
 * all 280 classifier patterns was a third of start-up, and most patterns
 * of a small run are tried a few times at most. */
#define PATTERN_HOT 8

struct pattern {
    pcre2_code *code;
    pcre2_match_context *mctx; /* limits + JIT stack callback; read-only
                                  once built, so threads can share it */
    struct pattern_limits lim;
    char *source;
    char *owner;
    char *file; /* where the pattern was defined, for match errors */
    unsigned line;
    bool want_jit;
    /* A JIT-compiled copy of code, published once by the match that
     * makes the pattern hot; until then matches interpret code. A copy,
     * so that compiling never touches what other threads are matching. */
    _Atomic(pcre2_code *) hot;
    atomic_uint uses;
};

/* ------------------------------------------------------------------ */
/* Per-thread scratch: the JIT stack and the match data. Neither may be
 * shared by concurrent matches; making them per match costs an mmap (the
 * stack) and, for the interpreter, a fresh heap-frame vector (the match
 * data keeps it). A thread-specific key gives safety and reuse, and its
 * destructor frees them when the thread exits. */

struct pattern_tls {
    pcre2_jit_stack *stack;
    pcre2_match_data *md;
    /* The largest heap limit md's frames have grown under. pcre2 checks
     * the limit only when it grows them, so a pattern with a lower limit
     * gets fresh match data: its limit then binds whatever ran before. */
    uint32_t md_heap_kib;
};

static pthread_once_t pattern_once = PTHREAD_ONCE_INIT;
static pthread_key_t pattern_key;
static bool pattern_key_ok;

static void
pattern_tls_free(void *p)
{
    struct pattern_tls *tls = p;

    if (tls == NULL)
        return;
    pcre2_jit_stack_free(tls->stack);
    pcre2_match_data_free(tls->md);
    free(tls);
}

static void
pattern_make_key(void)
{
    pattern_key_ok = pthread_key_create(&pattern_key, pattern_tls_free) == 0;
}

/* This thread's scratch, made on first use; NULL when that fails (callers
 * then fall back to per-call resources). */
static struct pattern_tls *
pattern_tls(void)
{
    struct pattern_tls *tls;

    pthread_once(&pattern_once, pattern_make_key);
    if (!pattern_key_ok)
        return NULL;
    tls = pthread_getspecific(pattern_key);
    if (tls == NULL) {
        tls = calloc(1, sizeof *tls);
        if (tls != NULL && pthread_setspecific(pattern_key, tls) != 0) {
            free(tls);
            tls = NULL;
        }
    }
    return tls;
}

static pcre2_jit_stack *
pattern_jit_stack(void *unused)
{
    struct pattern_tls *tls = pattern_tls();

    (void)unused;
    if (tls == NULL)
        return NULL; /* pcre2 then uses 32 KiB of the machine stack */
    if (tls->stack == NULL)
        tls->stack = pcre2_jit_stack_create(PATTERN_JIT_STACK_START,
                                            PATTERN_JIT_STACK_MAX, NULL);
    return tls->stack;
}

static void store_free(void);

void
pattern_cleanup(void)
{
    pthread_once(&pattern_once, pattern_make_key);
    if (pattern_key_ok) {
        struct pattern_tls *tls = pthread_getspecific(pattern_key);

        pthread_setspecific(pattern_key, NULL);
        pattern_tls_free(tls);
    }
    store_free();
    pcre2_jit_free_unused_memory(NULL);
}

/* ------------------------------------------------------------------ */
/* Whether to JIT at all. Valgrind cannot see into JIT code (pcre2 as
 * Debian builds it makes memcheck report its every read), and the
 * interpreter gives the same answers under the same limits; so under
 * valgrind, or with PRIVCHECK_NO_JIT set, patterns are interpreted. */

static pthread_once_t pattern_jit_once = PTHREAD_ONCE_INIT;
static bool pattern_jit_on;

static void
pattern_jit_decide(void)
{
    const char *env = getenv("PRIVCHECK_NO_JIT");
    uint32_t have = 0;

    pattern_jit_on = pcre2_config(PCRE2_CONFIG_JIT, &have) == 0 && have == 1;
    if (env != NULL && env[0] != '\0' && strcmp(env, "0") != 0)
        pattern_jit_on = false;
#ifdef PATTERN_HAVE_VALGRIND
    if (RUNNING_ON_VALGRIND)
        pattern_jit_on = false;
#endif
}

bool
pattern_jit_enabled(void)
{
    pthread_once(&pattern_jit_once, pattern_jit_decide);
    return pattern_jit_on;
}

/* ------------------------------------------------------------------ */
/* Compiled patterns kept between runs. Compiling the classifiers' and the
 * rules' patterns was a quarter of start-up; pcre2 can serialise compiled
 * code, so the patterns one run compiled are written to the cache
 * (cache.h) and the next run copies them instead of compiling. An entry
 * is found by the pattern's source and options; the file is checked
 * whole (length, SHA-256) before pcre2 reads a byte of it, and anything
 * amiss means compiling afresh, as with no cache.
 *
 * The file: a header, then what pcre2_serialize_encode wrote for all the
 * patterns (at an 8-byte offset, as pcre2 reads it in place), then for
 * each pattern, in the same order, its options and source. */

#define STORE_MAGIC "PCPAT002"
/* What one file may hold: past this the used patterns are kept, and the
 * ones only earlier runs used are dropped. */
#define STORE_MAX_ENTRIES 4096
#define STORE_MAX_BYTES (64u * 1024 * 1024)

struct store_header {
    char magic[8];
    uint32_t n;
    uint32_t reserved;
    uint64_t blob_len; /* bytes of pcre2's serialisation that follow */
    uint64_t keys_len; /* bytes of keys after it */
    uint8_t sha[SHA256_DIGEST_SIZE]; /* of the blob and the keys */
};
_Static_assert(sizeof(struct store_header) % 8 == 0,
               "pcre2's serialisation follows the header, 8-byte aligned");

struct store_entry {
    char *key; /* "OPTIONS:SOURCE", options as 8 hex digits */
    pcre2_code *code;
    bool used; /* by this run */
};

static struct {
    pthread_mutex_t lock;
    pthread_once_t once;
    bool on;
    char name[65];     /* the cache entry */
    struct map *index; /* key -> entry number + 1 */
    struct store_entry *v;
    size_t n, cap;
    bool dirty; /* a pattern compiled that the file lacks */
} store = { .lock = PTHREAD_MUTEX_INITIALIZER, .once = PTHREAD_ONCE_INIT };

static bool
store_add(char *key, pcre2_code *code)
{
    struct store_entry *v = store.v;

    if (store.n == store.cap) {
        size_t cap = store.cap ? 2 * store.cap : 256;

        if ((v = realloc(store.v, cap * sizeof *v)) == NULL)
            return false;
        store.v = v;
        store.cap = cap;
    }
    if (map_put(store.index, key, (void *)(uintptr_t)(store.n + 1)) != PC_OK)
        return false;
    v[store.n++] = (struct store_entry){ .key = key, .code = code };
    return true;
}

/* Read the file, if there is one that is whole; else start empty. */
static void
store_read(void)
{
    struct store_header h;
    struct sha256_ctx sha;
    uint8_t digest[SHA256_DIGEST_SIZE];
    pcre2_code **codes = NULL;
    const char *keys, *p, *end;
    const uint8_t *blob;
    char *buf = NULL;
    size_t len, i;

    if (!cache_read(store.name, STORE_MAX_BYTES, &buf, &len) || len < sizeof h)
        goto out;
    memcpy(&h, buf, sizeof h);
    if (memcmp(h.magic, STORE_MAGIC, sizeof h.magic) != 0 || h.n == 0 ||
        h.n > STORE_MAX_ENTRIES || h.blob_len > len - sizeof h ||
        h.keys_len != len - sizeof h - h.blob_len)
        goto out;
    blob = (const uint8_t *)buf + sizeof h; /* malloc's alignment */
    keys = (const char *)blob + h.blob_len;
    sha256_init(&sha);
    sha256_update(&sha, len - sizeof h, blob);
    sha256_digest(&sha, sizeof digest, digest);
    if (memcmp(digest, h.sha, sizeof digest) != 0 ||
        pcre2_serialize_get_number_of_codes(blob) != (int32_t)h.n ||
        (codes = calloc(h.n, sizeof *codes)) == NULL)
        goto out;
    if (pcre2_serialize_decode(codes, (int32_t)h.n, blob, NULL) !=
        (int32_t)h.n) {
        free(codes);
        codes = NULL;
        goto out;
    }
    p = keys;
    end = keys + h.keys_len;
    for (i = 0; i < h.n; i++) {
        uint32_t klen;
        char *key;

        if ((size_t)(end - p) < sizeof klen)
            break;
        memcpy(&klen, p, sizeof klen);
        p += sizeof klen;
        if ((size_t)(end - p) < klen || memchr(p, '\0', klen) != NULL)
            break;
        if ((key = strndup(p, klen)) == NULL)
            break;
        p += klen;
        if (map_get(store.index, key) != NULL || !store_add(key, codes[i])) {
            free(key);
            break;
        }
        codes[i] = NULL;
    }
    if (i < h.n || p != end) {
        /* Not what this program writes: none of it. */
        for (size_t j = 0; j < h.n; j++)
            pcre2_code_free(codes[j]);
        for (size_t j = 0; j < store.n; j++) {
            free(store.v[j].key);
            pcre2_code_free(store.v[j].code);
        }
        store.n = 0;
        map_clear(store.index);
    }
out:
    free(codes);
    free(buf);
}

static void
store_init(void)
{
    char version[64];
    const char *parts[2] = { "pcre2 patterns", version };

    if (pcre2_config(PCRE2_CONFIG_VERSION, version) < 0 ||
        !cache_key(parts, 2, store.name) || (store.index = map_new()) == NULL)
        return;
    store.on = true;
    store_read();
}

static char *
store_key(const char *pat, uint32_t options)
{
    size_t n = strlen(pat);
    char *key = malloc(n + 10);

    if (key != NULL) {
        snprintf(key, 10, "%08" PRIx32 ":", options);
        memcpy(key + 9, pat, n + 1);
    }
    return key;
}

/* A copy of the stored code for pat, or NULL. */
static pcre2_code *
store_find(const char *pat, uint32_t options)
{
    pcre2_code *code = NULL;
    char *key;
    uintptr_t i;

    pthread_once(&store.once, store_init);
    if (!store.on || (key = store_key(pat, options)) == NULL)
        return NULL;
    pthread_mutex_lock(&store.lock);
    i = store.on ? (uintptr_t)map_get(store.index, key) : 0;
    if (i != 0 && (code = pcre2_code_copy(store.v[i - 1].code)) != NULL)
        store.v[i - 1].used = true;
    pthread_mutex_unlock(&store.lock);
    free(key);
    return code;
}

/* Keep a copy of code, just compiled from pat, for the next run. */
static void
store_keep(const char *pat, uint32_t options, const pcre2_code *code)
{
    pcre2_code *copy;
    char *key;

    if (!store.on || (key = store_key(pat, options)) == NULL)
        return;
    pthread_mutex_lock(&store.lock);
    if (store.on && map_get(store.index, key) == NULL &&
        (copy = pcre2_code_copy(code)) != NULL) {
        if (store_add(key, copy)) {
            store.v[store.n - 1].used = true;
            store.dirty = true;
            key = NULL;
        } else {
            pcre2_code_free(copy);
        }
    }
    pthread_mutex_unlock(&store.lock);
    free(key);
}

void
pattern_store_save(void)
{
    struct store_header h = { .magic = STORE_MAGIC };
    const pcre2_code **codes = NULL;
    struct sha256_ctx sha;
    uint8_t *blob = NULL;
    PCRE2_SIZE blob_len = 0;
    struct strbuf keys = STRBUF_INIT(STORE_MAX_BYTES),
                  file = STRBUF_INIT(STORE_MAX_BYTES);
    size_t n = 0;

    pthread_mutex_lock(&store.lock);
    if (!store.on || !store.dirty)
        goto out;
    if ((codes = calloc(store.n, sizeof *codes)) == NULL)
        goto out;
    for (size_t i = 0; i < store.n; i++) {
        const struct store_entry *e = &store.v[i];
        uint32_t klen = (uint32_t)strlen(e->key);

        if (!e->used && store.n > STORE_MAX_ENTRIES)
            continue;
        if (n == STORE_MAX_ENTRIES)
            break;
        if (strbuf_add(&keys, (const char *)&klen, sizeof klen) != PC_OK ||
            strbuf_add(&keys, e->key, klen) != PC_OK)
            goto out;
        codes[n++] = e->code;
    }
    if (pcre2_serialize_encode(codes, (int32_t)n, &blob, &blob_len, NULL) !=
        (int32_t)n)
        goto out;
    h.n = (uint32_t)n;
    h.keys_len = keys.len;
    h.blob_len = blob_len;
    sha256_init(&sha);
    sha256_update(&sha, blob_len, blob);
    sha256_update(&sha, keys.len, (const uint8_t *)strbuf_str(&keys));
    sha256_digest(&sha, sizeof h.sha, h.sha);
    if (strbuf_add(&file, (const char *)&h, sizeof h) != PC_OK ||
        strbuf_add(&file, (const char *)blob, blob_len) != PC_OK ||
        strbuf_add(&file, strbuf_str(&keys), keys.len) != PC_OK)
        goto out;
    cache_write(store.name, strbuf_str(&file), file.len);
    store.dirty = false;
out:
    pthread_mutex_unlock(&store.lock);
    pcre2_serialize_free(blob);
    free(codes);
    strbuf_free(&keys);
    strbuf_free(&file);
}

static void
store_free(void)
{
    pthread_mutex_lock(&store.lock);
    for (size_t i = 0; i < store.n; i++) {
        free(store.v[i].key);
        pcre2_code_free(store.v[i].code);
    }
    free(store.v);
    store.v = NULL;
    store.n = store.cap = 0;
    map_free(store.index);
    store.index = NULL;
    store.on = false; /* for good: patterns compiled later are not kept */
    pthread_mutex_unlock(&store.lock);
}

/* ------------------------------------------------------------------ */

static const char *
pattern_who(const char *owner)
{
    return owner != NULL && owner[0] != '\0' ? owner : "pattern";
}

void
pattern_free(struct pattern *p)
{
    if (p == NULL)
        return;
    pcre2_code_free(p->code);
    pcre2_code_free(atomic_load(&p->hot));
    pcre2_match_context_free(p->mctx);
    free(p->source);
    free(p->owner);
    free(p->file);
    free(p);
}

pc_status
pattern_compile(const char *pat, uint32_t flags, struct pc_loc loc,
                const char *owner, pc_diags *d, struct pattern **out)
{
    return pattern_compile_limits(pat, flags, NULL, loc, owner, d, out);
}

pc_status
pattern_compile_limits(const char *pat, uint32_t flags,
                       const struct pattern_limits *lim, struct pc_loc loc,
                       const char *owner, pc_diags *d, struct pattern **out)
{
    uint32_t options =
        PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C | PCRE2_DOLLAR_ENDONLY;
    pcre2_compile_context *cctx = NULL;
    struct pattern_limits now;
    struct pattern *p;
    PCRE2_SIZE off = 0;
    pc_status st = PC_OK;
    int err = 0;

    *out = NULL;
    if (lim == NULL) {
        /* The limits in force (--limit), read once per pattern. */
        now.match = (uint32_t)limit_get(LIMIT_REGEX_MATCH);
        now.depth = (uint32_t)limit_get(LIMIT_REGEX_DEPTH);
        now.heap_kib = (uint32_t)limit_get(LIMIT_REGEX_HEAP);
        now.max_subject = (size_t)limit_get(LIMIT_REGEX_SUBJECT);
        lim = &now;
    }
    if (flags & PATTERN_CASELESS)
        options |= PCRE2_CASELESS;
    p = calloc(1, sizeof *p);
    if (p == NULL)
        return PC_ENOMEM;
    atomic_init(&p->hot, NULL);
    atomic_init(&p->uses, 0);
    p->lim = *lim;
    p->line = loc.line;
    p->source = strdup(pat);
    p->owner = strdup(owner != NULL ? owner : "");
    p->file = loc.file != NULL ? strdup(loc.file) : NULL;
    cctx = pcre2_compile_context_create(NULL);
    if (p->source == NULL || p->owner == NULL ||
        (loc.file != NULL && p->file == NULL) || cctx == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    pcre2_set_max_pattern_length(cctx, PATTERN_MAX_LEN);
    /* A stored pattern compiled under the same limit: only patterns that
     * compiled are stored. */
    if ((p->code = store_find(pat, options)) == NULL &&
        (p->code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                 options, &err, &off, cctx)) != NULL)
        store_keep(pat, options, p->code);
    if (p->code == NULL) {
        PCRE2_UCHAR msg[256];

        /* pcre2_compile says "failed to allocate heap memory" for what
         * pcre2_match calls NOMEMORY. */
        if (err == PCRE2_ERROR_NOMEMORY || err == PCRE2_ERROR_HEAP_FAILED) {
            st = PC_ENOMEM;
            goto out;
        }
        pcre2_get_error_message(err, msg, sizeof msg);
        st = diag_fail(d, PC_ESYNTAX, loc,
                       "%s: pattern \"%s\": %s at offset %zu",
                       pattern_who(owner), pat, (const char *)msg, (size_t)off);
        goto out;
    }
    /* JIT is an optimisation, made when the pattern is hot: if the
     * platform refuses it (no JIT support, W^X policy, no memory) the
     * interpreter gives the same answers under the same limits. */
    p->want_jit = !(flags & PATTERN_NO_JIT) && pattern_jit_enabled();
    p->mctx = pcre2_match_context_create(NULL);
    if (p->mctx == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    /* The default heap limit is 20 GB and the match limit 10 million:
     * set all three, so that the pattern (which can only lower them with
     * (*LIMIT_...)) never decides how much a subject may cost. */
    pcre2_set_match_limit(p->mctx, lim->match);
    pcre2_set_depth_limit(p->mctx, lim->depth);
    pcre2_set_heap_limit(p->mctx, lim->heap_kib);
    pcre2_jit_stack_assign(p->mctx, pattern_jit_stack, NULL);
out:
    pcre2_compile_context_free(cctx);
    if (st != PC_OK) {
        pattern_free(p);
        return st;
    }
    *out = p;
    return PC_OK;
}

/* Length of a prefix of s[0..len) short enough to quote, cut on a UTF-8
 * character boundary. */
static int
pattern_quote_len(const char *s, size_t len)
{
    size_t n = len;

    if (n > PATTERN_QUOTE_MAX) {
        n = PATTERN_QUOTE_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    return (int)n;
}

/* The code to match with: the JIT copy once there is one. The match that
 * makes the pattern hot compiles it (only that one: the count passes the
 * threshold once), and failing leaves the interpreter. */
static const pcre2_code *
pattern_code(const struct pattern *cp)
{
    struct pattern *p = (struct pattern *)cp; /* the counter and the copy */
    pcre2_code *hot = atomic_load_explicit(&p->hot, memory_order_acquire);
    pcre2_code *copy;
    size_t jitsize = 0;

    if (hot != NULL || !p->want_jit ||
        atomic_fetch_add_explicit(&p->uses, 1, memory_order_relaxed) !=
            PATTERN_HOT)
        return hot != NULL ? hot : p->code;
    copy = pcre2_code_copy(p->code);
    if (copy == NULL || pcre2_jit_compile(copy, PCRE2_JIT_COMPLETE) != 0 ||
        pcre2_pattern_info(copy, PCRE2_INFO_JITSIZE, &jitsize) != 0 ||
        jitsize == 0) {
        pcre2_code_free(copy);
        return p->code;
    }
    atomic_store_explicit(&p->hot, copy, memory_order_release);
    return copy;
}

static pc_status
pattern_status(int rc)
{
    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT:
    case PCRE2_ERROR_DEPTHLIMIT:
    case PCRE2_ERROR_HEAPLIMIT:
    case PCRE2_ERROR_JIT_STACKLIMIT:
        return PC_ELIMIT;
    case PCRE2_ERROR_NOMEMORY:
        return PC_ENOMEM;
    default:
        return PC_EINVALID; /* UTF-8 errors and anything unforeseen */
    }
}

pc_status
pattern_match(const struct pattern *p, const char *subject, size_t len,
              bool *matched, pc_diags *d, struct pc_loc loc)
{
    struct pattern_tls *tls;
    pcre2_match_data *md;
    PCRE2_UCHAR msg[256];
    pc_status st;
    size_t at;
    int rc, qlen;

    *matched = false;
    if (subject == NULL) {
        subject = "";
        len = 0;
    }
    qlen = pattern_quote_len(subject, len);
    if (len > p->lim.max_subject)
        return limit_fail_at(d, loc, LIMIT_REGEX_SUBJECT, p->lim.max_subject,
                             "%s: pattern \"%s\" not tried on \"%.*s...\": the "
                             "text is %zu bytes",
                             pattern_who(p->owner), p->source, qlen, subject,
                             len);
    /* One ovector pair is all a yes/no answer needs, and a match data
     * block of that size serves every pattern. */
    tls = pattern_tls();
    md = tls != NULL ? tls->md : NULL;
    if (md != NULL && tls->md_heap_kib > p->lim.heap_kib) {
        pcre2_match_data_free(md);
        md = tls->md = NULL;
    }
    if (md == NULL) {
        md = pcre2_match_data_create(1, NULL);
        if (md == NULL)
            return PC_ENOMEM;
        if (tls != NULL) {
            tls->md = md;
            tls->md_heap_kib = p->lim.heap_kib;
        }
    }
    if (tls != NULL && tls->md_heap_kib < p->lim.heap_kib)
        tls->md_heap_kib = p->lim.heap_kib;
    rc = pcre2_match(pattern_code(p), (PCRE2_SPTR)subject, len, 0, 0, md,
                     p->mctx);
    if (rc >= 0 || rc == PCRE2_ERROR_NOMATCH) {
        /* rc 0 means "matched, ovector too small": still a match. */
        *matched = rc >= 0;
        if (tls == NULL)
            pcre2_match_data_free(md);
        return PC_OK;
    }
    /* Never "no match": the answer is unknown, and the audit must not
     * pass because of it. */
    pcre2_get_error_message(rc, msg, sizeof msg);
    at = (size_t)pcre2_get_startchar(md);
    /* Do not keep what a failed match grew (up to the heap limit). */
    pcre2_match_data_free(md);
    if (tls != NULL)
        tls->md = NULL;
    if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
        return diag_fail(d, PC_EINVALID, loc,
                         "%s: pattern \"%s\" not tried: the text is not "
                         "valid UTF-8 at byte %zu (%s)",
                         pattern_who(p->owner), p->source, at,
                         (const char *)msg);
    st = pattern_status(rc);
    if (st == PC_ENOMEM)
        return st; /* the caller says out of memory */
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT)
        return limit_fail_at(d, loc,
                             rc == PCRE2_ERROR_MATCHLIMIT   ? LIMIT_REGEX_MATCH
                             : rc == PCRE2_ERROR_DEPTHLIMIT ? LIMIT_REGEX_DEPTH
                                                            : LIMIT_REGEX_HEAP,
                             rc == PCRE2_ERROR_MATCHLIMIT   ? p->lim.match
                             : rc == PCRE2_ERROR_DEPTHLIMIT ? p->lim.depth
                                                            : p->lim.heap_kib,
                             "%s: pattern \"%s\" (%s:%u) gave no answer on "
                             "\"%.*s%s\": %s",
                             pattern_who(p->owner), p->source,
                             p->file != NULL ? p->file : "?", p->line, qlen,
                             subject, (size_t)qlen < len ? "..." : "",
                             (const char *)msg);
    return diag_fail(d, st, loc,
                     "%s: pattern \"%s\" (%s:%u) gave no answer on "
                     "\"%.*s%s\": %s",
                     pattern_who(p->owner), p->source,
                     p->file != NULL ? p->file : "?", p->line, qlen, subject,
                     (size_t)qlen < len ? "..." : "", (const char *)msg);
}

const char *
pattern_source(const struct pattern *p)
{
    return p->source;
}

const char *
pattern_owner(const struct pattern *p)
{
    return p->owner;
}

bool
pattern_is_jit(const struct pattern *p)
{
    return atomic_load(&((struct pattern *)p)->hot) != NULL;
}
