/* policy-diff.c - what changed between two versions of a policy: clauses
 * added, removed and reworded (a word-level diff of the quoted text), and
 * every part of the model added, removed or changed, each marked stricter
 * or looser for privacy (more data, uses, recipients or time are looser;
 * fewer rights, states or protections are looser too). With manifests,
 * the impact: the findings that appear or disappear when they are
 * audited under the new version instead of the old. Written as text,
 * Markdown, HTML (doc.h) or JSON. */
#include "config.h"

#include "policy.h"

#include "period.h"
#include "diag.h"
#include "doc.h"
#include "jbuild.h"
#include "strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { DIFF_NEUTRAL, DIFF_STRICTER, DIFF_LOOSER };

static const char *const diff_dir_names[] = { "neutral", "stricter", "looser" };

struct diff_change {
    const char *kind; /* "clause", "purpose", ... */
    char *id;
    const char *op; /* "added", "removed", "changed", "reworded" */
    int dir;
    char *detail; /* what changed, one sentence; NULL for added/removed */
    unsigned old_line, new_line;
    const char *old_text, *new_text; /* a reworded clause's */
};

/* A finding that appears or disappears under the new policy. */
struct diff_finding {
    bool appears;
    char *rule, *severity, *file, *object, *message, *fingerprint;
    unsigned line;
};

struct pc_policy_diff {
    const pc_policy *old, *new;
    struct diff_change *v;
    size_t n, cap;
    size_t counts[3];
    struct diff_finding *f;
    size_t nf, capf;
    struct strv manifests; /* audited for the impact */
    bool impact;
    pc_status st;
};

static void diff_add(struct pc_policy_diff *df, const char *kind,
                     const char *id, const char *op, int dir, unsigned old_line,
                     unsigned new_line, const char *fmt, ...) PC_PRINTF(8, 9);

static void
diff_add(struct pc_policy_diff *df, const char *kind, const char *id,
         const char *op, int dir, unsigned old_line, unsigned new_line,
         const char *fmt, ...)
{
    struct diff_change *c;
    va_list ap;

    if (df->st != PC_OK)
        return;
    if (df->n == df->cap) {
        size_t cap = df->cap ? df->cap * 2 : 32;
        struct diff_change *v = realloc(df->v, cap * sizeof *v);

        if (v == NULL) {
            df->st = PC_ENOMEM;
            return;
        }
        df->v = v;
        df->cap = cap;
    }
    c = &df->v[df->n];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->op = op;
    c->dir = dir;
    c->old_line = old_line;
    c->new_line = new_line;
    if ((c->id = strdup(id != NULL ? id : "")) == NULL) {
        df->st = PC_ENOMEM;
        return;
    }
    if (fmt != NULL) {
        va_start(ap, fmt);
        if (vasprintf(&c->detail, fmt, ap) < 0) {
            c->detail = NULL;
            free(c->id);
            df->st = PC_ENOMEM;
            va_end(ap);
            return;
        }
        va_end(ap);
    }
    df->counts[dir]++;
    df->n++;
}

/* Items of a not in b, joined; NULL when none (caller frees). */
static char *
diff_minus(struct pc_policy_diff *df, const struct strv *a,
           const struct strv *b)
{
    struct strv m = STRV_INIT;
    char *s = NULL;

    for (size_t i = 0; i < a->n; i++)
        if (!strv_has(b, a->v[i]) && strv_push(&m, a->v[i]) != PC_OK)
            df->st = PC_ENOMEM;
    if (m.n > 0 && (s = strv_join(&m, ", ")) == NULL)
        df->st = PC_ENOMEM;
    strv_free(&m);
    return s;
}

/* A list attribute: what it gained is `gained`, what it lost `lost`. */
static void
diff_set(struct pc_policy_diff *df, const char *kind, const char *id,
         const char *what, const struct strv *o, const struct strv *n,
         int gained, int lost, unsigned ol, unsigned nl)
{
    char *plus = diff_minus(df, n, o), *minus = diff_minus(df, o, n);

    if (plus != NULL)
        diff_add(df, kind, id, "changed", gained, ol, nl, "%s added: %s", what,
                 plus);
    if (minus != NULL)
        diff_add(df, kind, id, "changed", lost, ol, nl, "%s removed: %s", what,
                 minus);
    free(plus);
    free(minus);
}

static void
diff_bool(struct pc_policy_diff *df, const char *kind, const char *id,
          const char *what, bool o, bool n, int to_true, unsigned ol,
          unsigned nl)
{
    if (o == n)
        return;
    diff_add(df, kind, id, "changed",
             n                          ? to_true
             : to_true == DIFF_LOOSER   ? DIFF_STRICTER
             : to_true == DIFF_STRICTER ? DIFF_LOOSER
                                        : DIFF_NEUTRAL,
             ol, nl, "%s: %s -> %s", what, o ? "yes" : "no", n ? "yes" : "no");
}

static bool
diff_streq(const char *a, const char *b)
{
    return (a == NULL && b == NULL) ||
           (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* A number where more is `more` (looser or stricter). */
static void
diff_long(struct pc_policy_diff *df, const char *kind, const char *id,
          const char *what, long o, long n, int more, unsigned ol, unsigned nl)
{
    if (o == n)
        return;
    diff_add(df, kind, id, "changed",
             n > o                   ? more
             : more == DIFF_LOOSER   ? DIFF_STRICTER
             : more == DIFF_STRICTER ? DIFF_LOOSER
                                     : DIFF_NEUTRAL,
             ol, nl, "%s: %ld -> %ld", what, o, n);
}

/* How strict a "needs": consent or permission > opt-out > none. */
static int
diff_needs_rank(const char *needs)
{
    if (needs == NULL || strcmp(needs, "none") == 0)
        return 0;
    return strcmp(needs, "opt-out") == 0 ? 1 : 2;
}

static void
diff_needs(struct pc_policy_diff *df, const char *kind, const char *id,
           const char *o, const char *n, unsigned ol, unsigned nl)
{
    int a = diff_needs_rank(o), b = diff_needs_rank(n);

    if (diff_streq(o, n))
        return;
    diff_add(df, kind, id, "changed",
             b < a   ? DIFF_LOOSER
             : b > a ? DIFF_STRICTER
                     : DIFF_NEUTRAL,
             ol, nl, "needs: %s -> %s", o != NULL ? o : "none",
             n != NULL ? n : "none");
}

/* ISO 8601 durations compared in days, roughly (a month is 30 days). */
static bool
diff_duration_days(const char *s, double *out)
{
    double total = 0, n = 0;
    bool time = false, any = false;

    if (s == NULL || *s != 'P')
        return false;
    for (s++; *s != '\0'; s++) {
        if (*s == 'T') {
            time = true;
            continue;
        }
        if (*s >= '0' && *s <= '9') {
            n = n * 10 + (*s - '0');
            any = true;
            continue;
        }
        switch (*s) {
        case 'Y':
            total += n * 365;
            break;
        case 'M':
            total += time ? n / 1440 : n * 30;
            break;
        case 'W':
            total += n * 7;
            break;
        case 'D':
            total += n;
            break;
        case 'H':
            total += n / 24;
            break;
        case 'S':
            total += n / 86400;
            break;
        default:
            return false;
        }
        n = 0;
    }
    *out = total;
    return any;
}

/* ------------------------------------------------------------------ */
/* The model, part by part. Each part is matched by id; the order of the
 * report is the new policy's, removals after. */

#define DIFF_PARTS(df, arr, count, T, lookup, KIND, CMP)                       \
    do {                                                                       \
        for (size_t i_ = 0; i_ < (df)->new->count; i_++) {                     \
            const T *n_ = &(df)->new->arr[i_];                                 \
            const T *o_ = lookup((df)->old, n_->id);                           \
            if (o_ == NULL)                                                    \
                diff_add((df), KIND, n_->id, "added", ADDED_DIR, 0, n_->line,  \
                         NULL);                                                \
            else                                                               \
                CMP((df), o_, n_);                                             \
        }                                                                      \
        for (size_t i_ = 0; i_ < (df)->old->count; i_++) {                     \
            const T *o_ = &(df)->old->arr[i_];                                 \
            if (lookup((df)->new, o_->id) == NULL)                             \
                diff_add((df), KIND, o_->id, "removed", REMOVED_DIR, o_->line, \
                         0, NULL);                                             \
        }                                                                      \
    } while (0)

static void
diff_clause(struct pc_policy_diff *df, const struct policy_clause *o,
            const struct policy_clause *n)
{
    if (strcmp(o->text, n->text) != 0) {
        diff_add(df, "clause", n->id, "reworded", DIFF_NEUTRAL, o->line,
                 n->line, NULL);
        if (df->st == PC_OK) {
            df->v[df->n - 1].old_text = o->text;
            df->v[df->n - 1].new_text = n->text;
        }
    }
    diff_bool(df, "clause", n->id, "normative", o->normative, n->normative,
              DIFF_STRICTER, o->line, n->line);
}

static void
diff_category(struct pc_policy_diff *df, const struct policy_category *o,
              const struct policy_category *n)
{
    diff_set(df, "category", n->id, "collection methods", &o->collection,
             &n->collection, DIFF_LOOSER, DIFF_STRICTER, o->line, n->line);
    diff_set(df, "category", n->id, "listed purposes", &o->purposes,
             &n->purposes, DIFF_LOOSER, DIFF_STRICTER, o->line, n->line);
    diff_bool(df, "category", n->id, "open to general purposes",
              o->general_purposes, n->general_purposes, DIFF_LOOSER, o->line,
              n->line);
    diff_bool(df, "category", n->id, "shared for business purposes",
              o->shared_for_business, n->shared_for_business, DIFF_LOOSER,
              o->line, n->line);
    diff_bool(df, "category", n->id, "sensitive", o->sensitive, n->sensitive,
              DIFF_STRICTER, o->line, n->line);
}

static void
diff_element(struct pc_policy_diff *df, const struct policy_element *o,
             const struct policy_element *n)
{
    /* The derived purposes: what the element may really serve. A new one
     * for sensitive data says so. */
    diff_set(df, "element", n->id,
             n->sensitive ? "permitted purposes (sensitive data)"
                          : "permitted purposes",
             &o->purposes, &n->purposes, DIFF_LOOSER, DIFF_STRICTER, o->line,
             n->line);
    diff_set(df, "element", n->id, "categories", &o->categories, &n->categories,
             DIFF_NEUTRAL, DIFF_NEUTRAL, o->line, n->line);
    diff_set(df, "element", n->id, "collection methods", &o->collection,
             &n->collection, DIFF_LOOSER, DIFF_STRICTER, o->line, n->line);
    if (o->only_from.n > 0 && n->only_from.n == 0)
        diff_add(df, "element", n->id, "changed", DIFF_LOOSER, o->line, n->line,
                 "no longer restricted to a source");
    else if (o->only_from.n == 0 && n->only_from.n > 0)
        diff_add(df, "element", n->id, "changed", DIFF_STRICTER, o->line,
                 n->line, "now restricted to a source");
    else
        diff_set(df, "element", n->id, "allowed sources", &o->only_from,
                 &n->only_from, DIFF_LOOSER, DIFF_STRICTER, o->line, n->line);
    diff_bool(df, "element", n->id, "sensitive", o->sensitive, n->sensitive,
              DIFF_STRICTER, o->line, n->line);
    diff_bool(df, "element", n->id, "shared for business purposes",
              o->shared_for_business, n->shared_for_business, DIFF_LOOSER,
              o->line, n->line);
}

static void
diff_purpose(struct pc_policy_diff *df, const struct policy_purpose *o,
             const struct policy_purpose *n)
{
    diff_bool(df, "purpose", n->id, "prohibited", o->prohibited, n->prohibited,
              DIFF_STRICTER, o->line, n->line);
    if (!o->prohibited && !n->prohibited) {
        diff_needs(df, "purpose", n->id, o->needs, n->needs, o->line, n->line);
        if (!diff_streq(o->scope, n->scope))
            diff_add(df, "purpose", n->id, "changed",
                     n->scope != NULL && strcmp(n->scope, "general") == 0
                         ? DIFF_LOOSER
                         : DIFF_STRICTER,
                     o->line, n->line, "scope: %s -> %s",
                     o->scope != NULL ? o->scope : "none",
                     n->scope != NULL ? n->scope : "none");
    }
    diff_bool(df, "purpose", n->id, "internal only", o->internal_only,
              n->internal_only, DIFF_STRICTER, o->line, n->line);
    diff_set(df, "purpose", n->id, "prohibited for", &o->prohibited_for,
             &n->prohibited_for, DIFF_STRICTER, DIFF_LOOSER, o->line, n->line);
}

static void
diff_recipient(struct pc_policy_diff *df, const struct policy_recipient_type *o,
               const struct policy_recipient_type *n)
{
    diff_needs(df, "recipient type", n->id, o->needs, n->needs, o->line,
               n->line);
}

static void
diff_agreement(struct pc_policy_diff *df, const struct policy_agreement *o,
               const struct policy_agreement *n)
{
    if (!diff_streq(o->subject, n->subject))
        diff_add(df, "agreement", n->id, "changed", DIFF_NEUTRAL, o->line,
                 n->line, "data subject: %s -> %s", o->subject, n->subject);
}

static void
diff_right(struct pc_policy_diff *df, const struct policy_right *o,
           const struct policy_right *n)
{
    diff_bool(df, "right", n->id, "identity verified", o->verify, n->verify,
              DIFF_STRICTER, o->line, n->line);
    if (!diff_streq(o->frequency, n->frequency))
        diff_add(df, "right", n->id, "changed", DIFF_NEUTRAL, o->line, n->line,
                 "at most once per: %s -> %s",
                 o->frequency != NULL ? o->frequency : "any time",
                 n->frequency != NULL ? n->frequency : "any time");
}

/* The deadline of right r in j, as a request must be answered (0: the
 * jurisdiction does not know the right), and its period as written. */
static long
diff_right_days(const struct policy_jurisdiction *j, const char *r,
                const char **period)
{
    *period = j->deadline_period;
    for (size_t k = 0; k < j->requires.n; k++)
        if (strcmp(j->requires.v[k], r) == 0 && j->requires_days.v[k][0]) {
            *period = k < j->requires_periods.n && j->requires_periods.v[k][0]
                          ? j->requires_periods.v[k]
                          : NULL;
            return strtol(j->requires_days.v[k], NULL, 10);
        }
    return j->deadline_days;
}

/* The most days a deadline spans from any start date. */
static long
diff_longest(const char *period, long days)
{
    struct period d;

    return period != NULL && period_parse(period, &d) ? period_longest(&d)
                                                      : days;
}

/* A deadline changed. In days on both sides, a number; with a period of
 * months on either, longer is looser when some request may now be
 * answered later (its longest span grew), or when the longest is the
 * same and the shortest grew: 30 days -> P1M is looser (31 days in
 * January), P1M -> P31D too; P4W -> P28D is no change of time. */
static void
diff_period(struct pc_policy_diff *df, const char *id, const char *what,
            const char *op, long od, const char *np, long nd, unsigned ol,
            unsigned nl)
{
    long oL, nL;
    int dir;
    char a[160], b[160];

    if (op == NULL && np == NULL) {
        struct strbuf w = STRBUF_INIT(0);

        if (strbuf_printf(&w, "%s, days", what) != PC_OK)
            df->st = PC_ENOMEM;
        diff_long(df, "deadline", id, strbuf_str(&w), od, nd, DIFF_LOOSER, ol,
                  nl);
        strbuf_free(&w);
        return;
    }
    if (diff_streq(op, np) && od == nd)
        return;
    oL = diff_longest(op, od);
    nL = diff_longest(np, nd);
    dir = nL != oL   ? (nL > oL ? DIFF_LOOSER : DIFF_STRICTER)
          : nd != od ? (nd > od ? DIFF_LOOSER : DIFF_STRICTER)
                     : DIFF_NEUTRAL;
    period_label(op, od, a, sizeof a);
    period_label(np, nd, b, sizeof b);
    diff_add(df, "deadline", id, "changed", dir, ol, nl, "%s: %s -> %s", what,
             a, b);
}

static void
diff_jurisdiction(struct pc_policy_diff *df,
                  const struct policy_jurisdiction *o,
                  const struct policy_jurisdiction *n)
{
    const char *id = n->id;
    unsigned ol = o->line, nl = n->line;

    diff_period(df, id, "response deadline", o->deadline_period,
                o->deadline_days, n->deadline_period, n->deadline_days, ol, nl);
    diff_period(df, id, "extension", o->extension_period, o->extension_days,
                n->extension_period, n->extension_days, ol, nl);
    if (!diff_streq(o->deadline_statute, n->deadline_statute))
        diff_add(df, "deadline", id, "changed", DIFF_NEUTRAL, ol, nl,
                 "statute: %s -> %s", o->deadline_statute, n->deadline_statute);
    diff_bool(df, "jurisdiction", id, "appeal required by law",
              o->appeal_required, n->appeal_required, DIFF_STRICTER, ol, nl);
    if (o->appeal_required && n->appeal_required)
        diff_long(df, "deadline", id, "appeal deadline, days", o->appeal_days,
                  n->appeal_days, DIFF_LOOSER, ol, nl);
    diff_set(df, "jurisdiction", id, "rights required by law", &o->requires,
             &n->requires, DIFF_STRICTER, DIFF_LOOSER, ol, nl);
    diff_set(df, "jurisdiction", id, "rights offered", &o->offers, &n->offers,
             DIFF_STRICTER, DIFF_LOOSER, ol, nl);
    /* A member added is one more place whose audiences have these rights. */
    diff_set(df, "jurisdiction", id, "members", &o->members, &n->members,
             DIFF_STRICTER, DIFF_LOOSER, ol, nl);
    for (size_t k = 0; k < n->requires.n; k++) {
        const char *r = n->requires.v[k], *op, *np;
        struct strbuf what = STRBUF_INIT(0);
        long od, nd;

        if (!strv_has(&o->requires, r))
            continue;
        if (strbuf_printf(&what, "deadline for %s", r) != PC_OK)
            df->st = PC_ENOMEM;
        od = diff_right_days(o, r, &op);
        nd = diff_right_days(n, r, &np);
        diff_period(df, id, strbuf_str(&what), op, od, np, nd, ol, nl);
        strbuf_free(&what);
    }
    if (!diff_streq(o->effective, n->effective))
        diff_add(df, "jurisdiction", id, "changed", DIFF_NEUTRAL, ol, nl,
                 "law effective: %s -> %s",
                 o->effective != NULL ? o->effective : "not stated",
                 n->effective != NULL ? n->effective : "not stated");
}

static void
diff_setting(struct pc_policy_diff *df, const struct policy_setting *o,
             const struct policy_setting *n)
{
    double a, b;
    int dir = DIFF_NEUTRAL;

    if (diff_streq(o->value, n->value))
        return;
    /* A longer period (a grace, a horizon) keeps or excuses longer. */
    if (diff_duration_days(o->value, &a) && diff_duration_days(n->value, &b))
        dir = b > a ? DIFF_LOOSER : DIFF_STRICTER;
    diff_add(df, "setting", n->id, "changed", dir, o->line, n->line,
             "default: %s -> %s", o->value, n->value);
}

static void
diff_integration(struct pc_policy_diff *df, const struct policy_integration *o,
                 const struct policy_integration *n)
{
    diff_set(df, "integration", n->id, "scopes", &o->scopes, &n->scopes,
             DIFF_LOOSER, DIFF_STRICTER, o->line, n->line);
    diff_set(df, "integration", n->id, "data", &o->elements, &n->elements,
             DIFF_LOOSER, DIFF_STRICTER, o->line, n->line);
    diff_set(df, "integration", n->id, "purposes", &o->purposes, &n->purposes,
             DIFF_LOOSER, DIFF_STRICTER, o->line, n->line);
    diff_bool(df, "integration", n->id, "stored", o->store, n->store,
              DIFF_LOOSER, o->line, n->line);
    diff_bool(df, "integration", n->id, "transferred", o->transfer, n->transfer,
              DIFF_LOOSER, o->line, n->line);
}

static void
diff_nothing(struct pc_policy_diff *df, const void *o, const void *n)
{
    (void)df;
    (void)o;
    (void)n;
}

static void
diff_model(struct pc_policy_diff *df)
{
    const pc_policy *o = df->old, *n = df->new;

    /* Text: a new clause is to be read; a dropped normative one is a
     * promise withdrawn. */
#define ADDED_DIR DIFF_NEUTRAL
#define REMOVED_DIR (o_->normative ? DIFF_LOOSER : DIFF_NEUTRAL)
    DIFF_PARTS(df, clauses, nclauses, struct policy_clause, policy_clause,
               "clause", diff_clause);
#undef REMOVED_DIR
#define REMOVED_DIR DIFF_STRICTER
#undef ADDED_DIR
    /* More data, uses, recipients, technologies: looser. */
#define ADDED_DIR DIFF_LOOSER
    DIFF_PARTS(df, categories, ncategories, struct policy_category,
               policy_category, "category", diff_category);
    DIFF_PARTS(df, elements, nelements, struct policy_element, policy_element,
               "element", diff_element);
    DIFF_PARTS(df, purposes, npurposes, struct policy_purpose, policy_purpose,
               "purpose", diff_purpose);
    DIFF_PARTS(df, recipient_types, nrecipient_types,
               struct policy_recipient_type, policy_recipient_type,
               "recipient type", diff_recipient);
    DIFF_PARTS(df, technologies, ntechnologies, struct policy_technology,
               policy_technology, "technology", diff_nothing);
    DIFF_PARTS(df, integrations, nintegrations, struct policy_integration,
               policy_integration, "integration", diff_integration);
    DIFF_PARTS(df, bases, nbases, struct policy_basis, policy_basis,
               "retention basis", diff_nothing);
#undef ADDED_DIR
#undef REMOVED_DIR
    /* More rights, states, agreements: stricter. */
#define ADDED_DIR DIFF_STRICTER
#define REMOVED_DIR DIFF_LOOSER
    DIFF_PARTS(df, rights, nrights, struct policy_right, policy_right, "right",
               diff_right);
    DIFF_PARTS(df, jurisdictions, njurisdictions, struct policy_jurisdiction,
               policy_jurisdiction, "jurisdiction", diff_jurisdiction);
    DIFF_PARTS(df, agreements, nagreements, struct policy_agreement,
               policy_agreement, "agreement", diff_agreement);
#undef ADDED_DIR
#undef REMOVED_DIR
#define ADDED_DIR DIFF_NEUTRAL
#define REMOVED_DIR DIFF_NEUTRAL
    DIFF_PARTS(df, settings, nsettings, struct policy_setting, policy_setting,
               "setting", diff_setting);
    DIFF_PARTS(df, sources, nsources, struct policy_source, policy_source,
               "source", diff_nothing);
#undef ADDED_DIR
#undef REMOVED_DIR

    diff_set(df, "security", "encrypt-in-transit", "data encrypted in transit",
             &o->encrypt_categories, &n->encrypt_categories, DIFF_STRICTER,
             DIFF_LOOSER, 0, 0);
    diff_set(df, "tracking", "collects", "data trackers may collect",
             &o->tracking_collects, &n->tracking_collects, DIFF_LOOSER,
             DIFF_STRICTER, 0, 0);
    diff_set(df, "transfers", "countries", "countries", &o->transfer_countries,
             &n->transfer_countries, DIFF_LOOSER, DIFF_STRICTER, 0, 0);
    diff_bool(df, "transfers", "countries", "other countries too",
              o->transfer_other_countries, n->transfer_other_countries,
              DIFF_LOOSER, 0, 0);
    diff_long(df, "children", "min-age", "no collection under, years",
              o->children_min_age, n->children_min_age, DIFF_STRICTER, 0, 0);
    if (!diff_streq(o->appeal_channel, n->appeal_channel) ||
        !diff_streq(o->appeal_subject, n->appeal_subject))
        diff_add(df, "rights", "appeal", "changed", DIFF_NEUTRAL, 0, 0,
                 "appeal by %s with subject \"%s\" -> by %s with subject "
                 "\"%s\"",
                 o->appeal_channel != NULL ? o->appeal_channel : "none",
                 o->appeal_subject != NULL ? o->appeal_subject : "",
                 n->appeal_channel != NULL ? n->appeal_channel : "none",
                 n->appeal_subject != NULL ? n->appeal_subject : "");
}

pc_status
pc_policy_diff_new(const pc_policy *old, const pc_policy *new,
                   pc_policy_diff **out)
{
    pc_policy_diff *df = calloc(1, sizeof *df);
    pc_status st;

    *out = NULL;
    if (df == NULL)
        return PC_ENOMEM;
    df->old = old;
    df->new = new;
    diff_model(df);
    if ((st = df->st) != PC_OK) {
        pc_policy_diff_free(df);
        return st;
    }
    *out = df;
    return PC_OK;
}

void
pc_policy_diff_free(pc_policy_diff *df)
{
    if (df == NULL)
        return;
    for (size_t i = 0; i < df->n; i++) {
        free(df->v[i].id);
        free(df->v[i].detail);
    }
    for (size_t i = 0; i < df->nf; i++) {
        struct diff_finding *f = &df->f[i];

        free(f->rule);
        free(f->severity);
        free(f->file);
        free(f->object);
        free(f->message);
        free(f->fingerprint);
    }
    free(df->v);
    free(df->f);
    strv_free(&df->manifests);
    free(df);
}

size_t
pc_policy_diff_looser(const pc_policy_diff *df)
{
    return df->counts[DIFF_LOOSER];
}

/* ------------------------------------------------------------------ */
/* Impact: the manifests audited under both. */

static bool
diff_has_fingerprint(const pc_results *r, const char *fp)
{
    for (size_t i = 0; i < pc_results_count(r); i++)
        if (strcmp(pc_results_get(r, i)->fingerprint, fp) == 0)
            return true;
    return false;
}

static pc_status
diff_keep(pc_policy_diff *df, const struct pc_finding *f, bool appears)
{
    struct diff_finding *d;

    if (df->nf == df->capf) {
        size_t cap = df->capf ? df->capf * 2 : 16;
        struct diff_finding *v = realloc(df->f, cap * sizeof *v);

        if (v == NULL)
            return PC_ENOMEM;
        df->f = v;
        df->capf = cap;
    }
    d = &df->f[df->nf++];
    d->appears = appears;
    d->line = f->line;
    d->rule = strdup(f->rule);
    d->severity = strdup(pc_severity_str(f->severity));
    d->file = strdup(f->file);
    d->object = strdup(f->object != NULL ? f->object : "");
    d->message = strdup(f->message != NULL ? f->message : "");
    d->fingerprint = strdup(f->fingerprint);
    if (d->rule == NULL || d->severity == NULL || d->file == NULL ||
        d->object == NULL || d->message == NULL || d->fingerprint == NULL)
        return PC_ENOMEM;
    return PC_OK;
}

pc_status
pc_policy_diff_impact(pc_policy_diff *df, const pc_engine *old,
                      const pc_engine *new, const char *const *manifests,
                      size_t n, const struct pc_audit_options *opt, pc_diags *d)
{
    pc_results *ro = pc_results_new(), *rn = pc_results_new();
    pc_status st = ro != NULL && rn != NULL ? PC_OK : PC_ENOMEM;

    df->impact = true;
    for (size_t i = 0; i < n && st == PC_OK; i++) {
        if ((st = strv_push(&df->manifests, manifests[i])) != PC_OK)
            break;
        if ((st = pc_audit(old, manifests[i], opt, d, ro)) != PC_OK ||
            (st = pc_audit(new, manifests[i], opt, d, rn)) != PC_OK)
            break;
    }
    if (st == PC_OK) {
        pc_results_sort(ro);
        pc_results_sort(rn);
    }
    /* Same rules, same manifests: a fingerprint names the same finding
     * under both policies. */
    for (size_t i = 0; st == PC_OK && i < pc_results_count(rn); i++)
        if (!diff_has_fingerprint(ro, pc_results_get(rn, i)->fingerprint))
            st = diff_keep(df, pc_results_get(rn, i), true);
    for (size_t i = 0; st == PC_OK && i < pc_results_count(ro); i++)
        if (!diff_has_fingerprint(rn, pc_results_get(ro, i)->fingerprint))
            st = diff_keep(df, pc_results_get(ro, i), false);
    pc_results_free(ro);
    pc_results_free(rn);
    return st;
}

/* ------------------------------------------------------------------ */
/* Words: the longest common subsequence of two clause texts, as a run of
 * kept, removed and added words. Clauses are sentences; past a bound the
 * whole text counts as replaced. */

#define DIFF_MAX_WORDS 2000

struct words {
    const char **w;
    size_t *len;
    size_t n;
};

static pc_status
diff_words_split(const char *s, struct words *out)
{
    size_t cap = 0;

    out->n = 0;
    out->w = NULL;
    out->len = NULL;
    while (*s != '\0') {
        while (*s == ' ')
            s++;
        if (*s == '\0')
            break;
        if (out->n == cap) {
            size_t nc = cap ? cap * 2 : 32;
            const char **w = realloc(out->w, nc * sizeof *w);
            size_t *len;

            if (w == NULL)
                return PC_ENOMEM;
            out->w = w;
            if ((len = realloc(out->len, nc * sizeof *len)) == NULL)
                return PC_ENOMEM;
            out->len = len;
            cap = nc;
        }
        out->w[out->n] = s;
        while (*s != '\0' && *s != ' ')
            s++;
        out->len[out->n] = (size_t)(s - out->w[out->n]);
        out->n++;
    }
    return PC_OK;
}

static bool
diff_word_eq(const struct words *a, size_t i, const struct words *b, size_t j)
{
    return a->len[i] == b->len[j] && memcmp(a->w[i], b->w[j], a->len[i]) == 0;
}

/* op: ' ' kept, '-' removed, '+' added; calls emit for each run. */
typedef void (*diff_emit)(void *arg, char op, const char *text);

static pc_status
diff_words(const char *old, const char *new, diff_emit emit, void *arg)
{
    struct words a = { NULL, NULL, 0 }, b = { NULL, NULL, 0 };
    struct strbuf run = STRBUF_INIT(1u << 20);
    unsigned *t = NULL;
    pc_status st;
    char cur = 0;

    if ((st = diff_words_split(old, &a)) != PC_OK ||
        (st = diff_words_split(new, &b)) != PC_OK)
        goto out;
    if (a.n > DIFF_MAX_WORDS || b.n > DIFF_MAX_WORDS) {
        emit(arg, '-', old);
        emit(arg, '+', new);
        goto out;
    }
    /* t[i][j]: the LCS length of a[i..] and b[j..]. */
    if ((t = calloc((a.n + 1) * (b.n + 1), sizeof *t)) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
#define T(i, j) t[(i) * (b.n + 1) + (j)]
    for (size_t i = a.n; i-- > 0;)
        for (size_t j = b.n; j-- > 0;)
            T(i, j) =
                diff_word_eq(&a, i, &b, j)
                    ? T(i + 1, j + 1) + 1
                    : (T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
    for (size_t i = 0, j = 0; (i < a.n || j < b.n) && st == PC_OK;) {
        char op;
        const char *w;
        size_t len;

        if (i < a.n && j < b.n && diff_word_eq(&a, i, &b, j)) {
            op = ' ';
            w = a.w[i];
            len = a.len[i];
            i++;
            j++;
        } else if (i < a.n && (j == b.n || T(i + 1, j) >= T(i, j + 1))) {
            /* What went comes before what replaced it. */
            op = '-';
            w = a.w[i];
            len = a.len[i];
            i++;
        } else {
            op = '+';
            w = b.w[j];
            len = b.len[j];
            j++;
        }
        if (op != cur && cur != 0) {
            emit(arg, cur, strbuf_str(&run));
            strbuf_reset(&run);
        }
        if (run.len > 0)
            st = strbuf_putc(&run, ' ');
        if (st == PC_OK)
            st = strbuf_add(&run, w, len);
        cur = op;
    }
#undef T
    if (st == PC_OK && cur != 0)
        emit(arg, cur, strbuf_str(&run));
out:
    free(a.w);
    free(a.len);
    free(b.w);
    free(b.len);
    free(t);
    strbuf_free(&run);
    return st;
}

/* ------------------------------------------------------------------ */
/* Writing. */

static void
text_word(void *arg, char op, const char *s)
{
    FILE *out = arg;

    fputc(' ', out);
    if (op == '-')
        fputs("[-", out);
    else if (op == '+')
        fputs("{+", out);
    diag_put_escaped(out, s);
    if (op == '-')
        fputs("-]", out);
    else if (op == '+')
        fputs("+}", out);
}

/* Changes i.. that say the same of several parts (every element that may
 * now be sold) are shown as one: the index past the last of them. */
static size_t
diff_run_end(const pc_policy_diff *df, size_t i)
{
    const struct diff_change *c = &df->v[i];
    size_t j = i + 1;

    while (j < df->n && c->old_text == NULL && df->v[j].old_text == NULL &&
           c->kind == df->v[j].kind && c->op == df->v[j].op &&
           c->dir == df->v[j].dir && c->detail != NULL &&
           df->v[j].detail != NULL && strcmp(c->detail, df->v[j].detail) == 0)
        j++;
    return j;
}

static void
diff_text_where(FILE *out, const struct diff_change *c)
{
    if (c->old_line > 0 && c->new_line > 0)
        fprintf(out, " (line %u -> %u)", c->old_line, c->new_line);
    else if (c->new_line > 0)
        fprintf(out, " (line %u)", c->new_line);
    else if (c->old_line > 0)
        fprintf(out, " (was line %u)", c->old_line);
}

static pc_status
diff_write_text(const pc_policy_diff *df, FILE *out)
{
    pc_status st = PC_OK;

    fputs("policy diff: ", out);
    diag_put_escaped(out, df->old->file);
    fputs(" (", out);
    diag_put_escaped(out, df->old->version);
    fputs(") -> ", out);
    diag_put_escaped(out, df->new->file);
    fputs(" (", out);
    diag_put_escaped(out, df->new->version);
    fputs(")\n", out);
    for (size_t i = 0, end; i < df->n; i = end) {
        const struct diff_change *c = &df->v[i];

        end = diff_run_end(df, i);
        fprintf(out, "%-8s %s ", diff_dir_names[c->dir], c->kind);
        diag_put_escaped(out, c->id);
        if (end - i > 1)
            fprintf(out, " and %zu more", end - i - 1);
        fprintf(out, " %s", c->op);
        if (c->detail != NULL) {
            fputs(": ", out);
            diag_put_escaped(out, c->detail);
        }
        if (end - i > 1) {
            fputs(" (", out);
            for (size_t k = i + 1; k < end; k++) {
                diag_put_escaped(out, df->v[k].id);
                fputs(k + 1 < end ? ", " : ")", out);
            }
        } else {
            diff_text_where(out, c);
        }
        fputc('\n', out);
        if (c->old_text != NULL) {
            fputs("        ", out);
            st = diff_words(c->old_text, c->new_text, text_word, out);
            fputc('\n', out);
            if (st != PC_OK)
                return st;
        }
    }
    fprintf(out, "%zu change%s: %zu looser, %zu stricter, %zu neutral\n", df->n,
            df->n == 1 ? "" : "s", df->counts[DIFF_LOOSER],
            df->counts[DIFF_STRICTER], df->counts[DIFF_NEUTRAL]);
    if (df->impact) {
        size_t up = 0;

        for (size_t i = 0; i < df->nf; i++)
            up += df->f[i].appears;
        fprintf(out,
                "impact on %zu manifest%s: %zu finding%s appear%s, %zu "
                "disappear%s\n",
                df->manifests.n, df->manifests.n == 1 ? "" : "s", up,
                up == 1 ? "" : "s", up == 1 ? "s" : "", df->nf - up,
                df->nf - up == 1 ? "s" : "");
        for (size_t i = 0; i < df->nf; i++) {
            const struct diff_finding *f = &df->f[i];

            fputs(f->appears ? "  + " : "  - ", out);
            diag_put_escaped(out, f->file);
            fprintf(out, ":%u: %s: [%s] ", f->line, f->severity, f->rule);
            diag_put_escaped(out, f->message);
            fputc('\n', out);
        }
    }
    return fflush(out) != 0 || ferror(out) ? PC_EIO : PC_OK;
}

struct doc_words {
    struct doc *d;
    bool first;
};

static void
doc_word(void *arg, char op, const char *s)
{
    struct doc_words *w = arg;
    struct doc *d = w->d;

    if (!w->first)
        doc_text(d, " ");
    w->first = false;
    if (op == '-')
        doc_del(d, s);
    else if (op == '+')
        doc_ins(d, s);
    else
        doc_text(d, s);
}

static pc_status
diff_write_doc(const pc_policy_diff *df, const char *format, FILE *out)
{
    static const char *const heads[] = { "Change", "Part",     "Id",
                                         "What",   "Old line", "New line" };
    static const char *const fheads[] = { "Under the new policy", "Finding",
                                          "Where", "Message" };
    struct doc *d;
    pc_status st = doc_open(format, out, "Policy diff", &d);
    bool reworded = false;

    if (st != PC_OK)
        return st;
    doc_h(d, 1, NULL, "Policy diff");
    doc_p(d);
    doc_code(d, df->old->file);
    doc_textf(d, " (version %s) → ", df->old->version);
    doc_code(d, df->new->file);
    doc_textf(d, " (version %s): %zu change%s, ", df->new->version, df->n,
              df->n == 1 ? "" : "s");
    doc_textf(d, "%zu looser", df->counts[DIFF_LOOSER]);
    doc_textf(d, ", %zu stricter, %zu neutral for privacy.",
              df->counts[DIFF_STRICTER], df->counts[DIFF_NEUTRAL]);
    doc_h(d, 2, "changes", "Changes");
    doc_table(d, 6, heads);
    for (size_t i = 0, end; i < df->n; i = end) {
        const struct diff_change *c = &df->v[i];

        end = diff_run_end(df, i);
        reworded = reworded || c->old_text != NULL;
        doc_row(d);
        doc_cell(d);
        if (c->dir == DIFF_NEUTRAL)
            doc_text(d, diff_dir_names[c->dir]);
        else
            doc_strong(d, diff_dir_names[c->dir]);
        doc_cell(d);
        doc_text(d, c->kind);
        doc_cell(d);
        for (size_t k = i; k < end; k++) {
            if (k > i)
                doc_text(d, ", ");
            doc_code(d, df->v[k].id);
        }
        doc_cell(d);
        doc_text(d, c->op);
        if (c->detail != NULL) {
            doc_text(d, ": ");
            doc_text(d, c->detail);
        }
        doc_cell(d);
        if (c->old_line > 0 && end - i == 1)
            doc_textf(d, "%u", c->old_line);
        else
            doc_text(d, "—");
        doc_cell(d);
        if (c->new_line > 0 && end - i == 1)
            doc_textf(d, "%u", c->new_line);
        else
            doc_text(d, "—");
    }
    doc_table_end(d);
    if (reworded) {
        doc_h(d, 2, "reworded", "Reworded clauses");
        for (size_t i = 0; i < df->n && st == PC_OK; i++) {
            const struct diff_change *c = &df->v[i];

            if (c->old_text == NULL)
                continue;
            struct doc_words w = { d, true };

            doc_p(d);
            doc_code(d, c->id);
            doc_quote(d);
            st = diff_words(c->old_text, c->new_text, doc_word, &w);
        }
    }
    if (df->impact) {
        size_t up = 0;

        for (size_t i = 0; i < df->nf; i++)
            up += df->f[i].appears;
        doc_h(d, 2, "impact", "Impact on the manifests");
        doc_p(d);
        doc_textf(d,
                  "Audited under both versions with the same rules: %zu "
                  "manifests; %zu findings appear, %zu disappear.",
                  df->manifests.n, up, df->nf - up);
        if (df->nf > 0) {
            doc_table(d, 4, fheads);
            for (size_t i = 0; i < df->nf; i++) {
                const struct diff_finding *f = &df->f[i];

                doc_row(d);
                doc_cell(d);
                doc_strong(d, f->appears ? "appears" : "disappears");
                doc_cell(d);
                doc_code(d, f->rule);
                doc_textf(d, " (%s)", f->severity);
                doc_cell(d);
                doc_code(d, f->file);
                doc_textf(d, ":%u ", f->line);
                doc_code(d, f->object);
                doc_cell(d);
                doc_text(d, f->message);
            }
            doc_table_end(d);
        }
    }
    if (st != PC_OK) {
        doc_abort(d);
        return st;
    }
    return doc_end(d);
}

struct jwords {
    struct jbuild *b;
    json_t *a;
};

static void
json_word(void *arg, char op, const char *s)
{
    struct jwords *w = arg;
    json_t *o = jbuild_put(w->b, w->a, NULL, json_object());

    if (o == NULL)
        return;
    jbuild_str(w->b, o, "op",
               op == '-'   ? "removed"
               : op == '+' ? "added"
                           : "kept");
    jbuild_str(w->b, o, "text", s);
}

static pc_status
diff_write_json(const pc_policy_diff *df, pc_diags *d, FILE *out)
{
    struct jbuild b = { d, { df->new->file, 0, 0 }, "the diff", PC_OK };
    json_t *root = json_object(), *o, *a;
    pc_status st;

    if (root == NULL)
        return PC_ENOMEM;
    jbuild_str(&b, root, "tool", "privcheck");
    jbuild_str(&b, root, "version", pc_version());
    for (int k = 0; k < 2; k++) {
        const pc_policy *p = k == 0 ? df->old : df->new;

        if ((o = jbuild_put(&b, root, k == 0 ? "old" : "new", json_object())) ==
            NULL)
            break;
        jbuild_str(&b, o, "file", p->file);
        jbuild_str(&b, o, "id", p->id);
        jbuild_str(&b, o, "version", p->version);
        jbuild_str(&b, o, "sha256", p->sha256);
    }
    if ((o = jbuild_put(&b, root, "summary", json_object())) != NULL) {
        jbuild_int(&b, o, "changes", df->n);
        jbuild_int(&b, o, "looser", df->counts[DIFF_LOOSER]);
        jbuild_int(&b, o, "stricter", df->counts[DIFF_STRICTER]);
        jbuild_int(&b, o, "neutral", df->counts[DIFF_NEUTRAL]);
    }
    a = jbuild_put(&b, root, "changes", json_array());
    for (size_t i = 0; a != NULL && i < df->n; i++) {
        const struct diff_change *c = &df->v[i];

        if ((o = jbuild_put(&b, a, NULL, json_object())) == NULL)
            break;
        jbuild_str(&b, o, "kind", c->kind);
        jbuild_str(&b, o, "id", c->id);
        jbuild_str(&b, o, "op", c->op);
        jbuild_str(&b, o, "direction", diff_dir_names[c->dir]);
        jbuild_str(&b, o, "detail", c->detail);
        if (c->old_line > 0)
            jbuild_int(&b, o, "old_line", c->old_line);
        if (c->new_line > 0)
            jbuild_int(&b, o, "new_line", c->new_line);
        if (c->old_text != NULL) {
            struct jwords w = { &b, NULL };

            jbuild_str(&b, o, "old_text", c->old_text);
            jbuild_str(&b, o, "new_text", c->new_text);
            w.a = jbuild_put(&b, o, "words", json_array());
            if (w.a != NULL &&
                (st = diff_words(c->old_text, c->new_text, json_word, &w)) !=
                    PC_OK &&
                b.st == PC_OK)
                b.st = st;
        }
    }
    if (df->impact && (o = jbuild_put(&b, root, "impact", json_object()))) {
        jbuild_put(&b, o, "manifests", json_array());
        for (size_t i = 0; i < df->manifests.n; i++)
            jbuild_str(&b, json_object_get(o, "manifests"), NULL,
                       df->manifests.v[i]);
        a = jbuild_put(&b, o, "findings", json_array());
        for (size_t i = 0; a != NULL && i < df->nf; i++) {
            const struct diff_finding *f = &df->f[i];
            json_t *fo = jbuild_put(&b, a, NULL, json_object());

            if (fo == NULL)
                break;
            jbuild_str(&b, fo, "change", f->appears ? "appears" : "disappears");
            jbuild_str(&b, fo, "id", f->rule);
            jbuild_str(&b, fo, "severity", f->severity);
            jbuild_str(&b, fo, "file", f->file);
            jbuild_int(&b, fo, "line", f->line);
            jbuild_str(&b, fo, "object", f->object);
            jbuild_str(&b, fo, "message", f->message);
            jbuild_str(&b, fo, "fingerprint", f->fingerprint);
        }
    }
    st = b.st;
    if (st == PC_OK)
        st = jbuild_dump(root, out, false);
    json_decref(root);
    return st;
}

bool
pc_policy_diff_format_known(const char *format)
{
    return strcmp(format, "text") == 0 || strcmp(format, "json") == 0 ||
           doc_format_known(format);
}

pc_status
pc_policy_diff_write(const pc_policy_diff *df, const char *format, FILE *out,
                     pc_diags *d)
{
    if (strcmp(format, "text") == 0)
        return diff_write_text(df, out);
    if (strcmp(format, "json") == 0)
        return diff_write_json(df, d, out);
    return diff_write_doc(df, format, out);
}
