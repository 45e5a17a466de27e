/* baseline.c - baselines (DESIGN §6b): the JSON report of an earlier run,
 * read with jansson within limits, so that a run fails only on what is
 * new. A finding whose fingerprint the baseline has is unchanged (and
 * suppressed), any other is new, and the baseline's findings that no
 * longer occur are absent. The file comes from the repository, so from
 * pull requests: anything that is not a privcheck JSON report is refused,
 * with where. */
#include "config.h"

#include "privcheck.h"

#include "diag.h"
#include "file.h"
#include "limit.h"
#include "map.h"
#include "oom.h"
#include "results.h"
#include "sha256.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BASELINE_REPORT_VERSION 1 /* report-json.c's */

struct pc_baseline {
    char *path;
    char sha256[65];
    json_t *doc;
    const char *policy_sha256, *rules_sha256; /* borrowed from doc */
    /* The prior findings, in its order, as findings (strings borrowed
     * from doc). */
    struct pc_finding *v;
    size_t n;
    struct map *by_fp; /* fingerprint -> index + 1 */
};

void
pc_baseline_free(pc_baseline *b)
{
    if (b == NULL)
        return;
    map_free(b->by_fp);
    free(b->v);
    json_decref(b->doc);
    free(b->path);
    free(b);
}

static pc_status baseline_bad(pc_diags *d, const char *path, const char *fmt,
                              ...) PC_PRINTF(3, 4);

static pc_status
baseline_bad(pc_diags *d, const char *path, const char *fmt, ...)
{
    char what[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return diag_fail(d, PC_EINVALID, diag_loc(d, path, 0, 0),
                     "not a privcheck JSON report: %s", what);
}

/* obj[key] as a string, NULL when it is null or absent; *ok goes false
 * when it is something else. */
static const char *
baseline_str(const json_t *obj, const char *key, bool *ok)
{
    const json_t *v = json_object_get(obj, key);

    if (v == NULL || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *ok = false;
        return NULL;
    }
    return json_string_value(v);
}

static bool
baseline_is_fingerprint(const char *s)
{
    size_t n = s != NULL ? strspn(s, "0123456789abcdef") : 0;

    return n == 16 && s[n] == '\0';
}

/* One prior finding into f; false (with what is wrong) when it is not
 * one. */
static bool
baseline_finding(const json_t *o, struct pc_finding *f, const char **why)
{
    const json_t *line;
    const char *sev;
    bool ok = true;

    memset(f, 0, sizeof *f);
    if (!json_is_object(o)) {
        *why = "not an object";
        return false;
    }
    f->rule = baseline_str(o, "id", &ok);
    sev = baseline_str(o, "severity", &ok);
    f->title = baseline_str(o, "title", &ok);
    f->message = baseline_str(o, "message", &ok);
    f->file = baseline_str(o, "file", &ok);
    f->object = baseline_str(o, "object", &ok);
    f->application = baseline_str(o, "application", &ok);
    f->fingerprint = baseline_str(o, "fingerprint", &ok);
    if (!ok) {
        *why = "a string field holds something else";
        return false;
    }
    if (f->rule == NULL) {
        *why = "no \"id\"";
        return false;
    }
    if (!baseline_is_fingerprint(f->fingerprint)) {
        *why = "\"fingerprint\" is not 16 hex digits";
        return false;
    }
    if (sev == NULL || !pc_severity_parse(sev, &f->severity)) {
        *why = "\"severity\" is not error, warning or note";
        return false;
    }
    line = json_object_get(o, "line");
    if (json_is_integer(line) && json_integer_value(line) > 0 &&
        json_integer_value(line) <= 0x7fffffff)
        f->line = (unsigned)json_integer_value(line);
    else if (line != NULL && !json_is_null(line)) {
        *why = "\"line\" is not a line number";
        return false;
    }
    return true;
}

static pc_status
baseline_read(pc_baseline *b, pc_diags *d)
{
    const char *path = b->path;
    const json_t *v, *tool, *findings;
    bool ok = true;
    pc_status st;

    if (!json_is_object(b->doc))
        return baseline_bad(d, path, "the top level is not an object");
    v = json_object_get(b->doc, "report_version");
    if (!json_is_integer(v))
        return baseline_bad(d, path, "no \"report_version\"");
    if (json_integer_value(v) != BASELINE_REPORT_VERSION)
        return diag_fail(d, PC_EINVALID, diag_loc(d, path, 0, 0),
                         "report_version %lld: this privcheck reads version "
                         "%d",
                         (long long)json_integer_value(v),
                         BASELINE_REPORT_VERSION);
    tool = json_object_get(b->doc, "tool");
    if (!json_is_object(tool) ||
        !json_is_string(json_object_get(tool, "name")) ||
        strcmp(json_string_value(json_object_get(tool, "name")),
               PACKAGE_NAME) != 0)
        return baseline_bad(d, path, "tool.name is not \"%s\"", PACKAGE_NAME);
    b->policy_sha256 =
        baseline_str(json_object_get(b->doc, "policy"), "sha256", &ok);
    b->rules_sha256 =
        baseline_str(json_object_get(b->doc, "rules"), "sha256", &ok);
    if (!ok)
        return baseline_bad(d, path, "a sha256 is not a string");
    findings = json_object_get(b->doc, "findings");
    if (!json_is_array(findings))
        return baseline_bad(d, path, "no \"findings\" array");
    if (json_array_size(findings) > limit_get(LIMIT_BASELINE_FINDINGS))
        return limit_fail(d, diag_loc(d, path, 0, 0), LIMIT_BASELINE_FINDINGS,
                          "%zu findings", json_array_size(findings));
    if ((b->v = calloc(json_array_size(findings) + 1, sizeof *b->v)) == NULL ||
        (b->by_fp = map_new()) == NULL)
        return PC_ENOMEM;
    for (size_t i = 0; i < json_array_size(findings); i++) {
        const char *why = NULL;
        struct pc_finding *f = &b->v[b->n];

        if (!baseline_finding(json_array_get(findings, i), f, &why))
            return baseline_bad(d, path, "findings[%zu]: %s", i, why);
        /* The same fingerprint twice is one finding for comparison. */
        if (map_get(b->by_fp, f->fingerprint) != NULL)
            continue;
        if ((st = map_put(b->by_fp, f->fingerprint,
                          (void *)(uintptr_t)(b->n + 1))) != PC_OK)
            return st;
        b->n++;
    }
    return PC_OK;
}

/* jansson's allocator, so that a parse that failed for lack of memory is
 * told from one that failed on the input. */
static _Thread_local bool baseline_oom;
static pthread_once_t baseline_once = PTHREAD_ONCE_INIT;

static void *
baseline_malloc(size_t n)
{
    void *p = malloc(n);

    if (p == NULL) {
        baseline_oom = true;
        oom_library_failed();
    }
    return p;
}

static void
baseline_alloc_init(void)
{
    json_set_alloc_funcs(baseline_malloc, free);
}

pc_status
pc_baseline_load(const char *path, pc_diags *d, pc_baseline **out)
{
    pc_baseline *b = calloc(1, sizeof *b);
    struct stat sb;
    json_error_t err;
    char *buf = NULL;
    size_t len = 0;
    pc_status st;

    *out = NULL;
    if (b == NULL || (b->path = strdup(path)) == NULL) {
        pc_baseline_free(b);
        return PC_ENOMEM;
    }
    /* Said here with the limit's name; file_read still enforces it on
     * what it reads, should the file grow in between. */
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
        (unsigned long long)sb.st_size > limit_get(LIMIT_BASELINE_BYTES)) {
        st = limit_fail(d, diag_loc(d, path, 0, 0), LIMIT_BASELINE_BYTES,
                        "file is %lld bytes", (long long)sb.st_size);
        goto out;
    }
    if ((st = file_read(path, (size_t)limit_get(LIMIT_BASELINE_BYTES), d, &buf,
                        &len)) != PC_OK)
        goto out;
    sha256_hex(buf, len, b->sha256);
    /* jansson checks UTF-8 and bounds nesting; a key twice is refused. */
    pthread_once(&baseline_once, baseline_alloc_init);
    baseline_oom = false;
    b->doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
    /* jansson says "not JSON" (or "invalid token") when it runs out of
     * memory, too, and can return a document short of a value: its
     * allocator says which it was. */
    if (baseline_oom ||
        (b->doc == NULL && json_error_code(&err) == json_error_out_of_memory)) {
        st = PC_ENOMEM;
        goto out;
    }
    if (b->doc == NULL) {
        st = diag_fail(d, PC_ESYNTAX,
                       diag_loc(d, path, err.line > 0 ? (unsigned)err.line : 0,
                                err.column > 0 ? (unsigned)err.column : 0),
                       "not JSON: %s", err.text);
        goto out;
    }
    if ((st = baseline_read(b, d)) != PC_OK)
        goto out;
    *out = b;
    b = NULL;
out:
    free(buf);
    pc_baseline_free(b);
    return st;
}

static bool
baseline_same(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

pc_status
pc_baseline_apply(const pc_engine *e, const pc_baseline *b, pc_results *r,
                  pc_diags *d)
{
    const char *policy = pc_policy_sha256(pc_engine_policy(e));
    const char *rules = pc_engine_rules_sha256(e);
    struct pc_baseline_info info = {
        .file = b->path,
        .sha256 = b->sha256,
        .policy_sha256 = b->policy_sha256,
        .rules_sha256 = b->rules_sha256,
        .same_policy = baseline_same(b->policy_sha256, policy),
        .same_rules = baseline_same(b->rules_sha256, rules),
    };
    static const struct pc_suppression known = { .kind = "baseline" };
    struct map *now = map_new();
    pc_status st = now != NULL ? PC_OK : PC_ENOMEM;

    /* Fingerprints mean the same only under the same rules; say so, and
     * compare all the same (DESIGN §6b). */
    /* The baseline's hash is said; this run's is in its own report. */
    if (st == PC_OK && !info.same_policy)
        st = diag_add(d, PC_SEV_WARNING, diag_loc(d, b->path, 0, 0),
                      "this baseline was made with another policy (it "
                      "recorded %.12s%s); its findings are compared all the "
                      "same",
                      b->policy_sha256 != NULL ? b->policy_sha256 : "no hash",
                      b->policy_sha256 != NULL ? "..." : "");
    if (st == PC_OK && !info.same_rules)
        st = diag_add(d, PC_SEV_WARNING, diag_loc(d, b->path, 0, 0),
                      "this baseline was made with other rules (it recorded "
                      "%.12s%s); its findings are compared all the same",
                      b->rules_sha256 != NULL ? b->rules_sha256 : "no hash",
                      b->rules_sha256 != NULL ? "..." : "");
    for (size_t i = 0; i < pc_results_count(r) && st == PC_OK; i++) {
        const struct pc_finding *f = pc_results_get(r, i);
        bool seen =
            f->fingerprint != NULL && map_get(b->by_fp, f->fingerprint) != NULL;

        if (f->fingerprint != NULL &&
            (st = map_put(now, f->fingerprint, (void *)1)) != PC_OK)
            break;
        st = results_mark(r, i, seen ? "unchanged" : "new");
        if (st == PC_OK && seen)
            st = results_suppress(r, i, &known); /* a waiver stays first */
        if (seen)
            info.nunchanged++;
        else
            info.nnew++;
    }
    for (size_t i = 0; i < b->n && st == PC_OK; i++)
        if (map_get(now, b->v[i].fingerprint) == NULL)
            st = results_add_absent(r, &b->v[i]);
    if (st == PC_OK)
        st = results_set_baseline(r, &info);
    map_free(now);
    return st;
}
