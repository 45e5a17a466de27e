/* policy-xml.c - reading a policy file into the model of policy.h: load it
 * through the hardened xml_load (schema-validated), walk the tree, index
 * every id, then check what RELAX NG cannot (unique ids, every reference
 * resolves, clauses sit in their own section) and derive each element's
 * permitted purposes and collection methods. Every problem is reported. */
#include "config.h"

#include "policy.h"

#include "period.h"
#include "diag.h"
#include "map.h"
#include "strbuf.h"
#include "xml.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define POLICY_NS "urn:privcheck:policy:1"

/* Loader state: the tree being read, the model being filled, and whether
 * anything went wrong. Integrity problems are counted and loading goes
 * on, so one run reports them all; running out of memory stops it. */
struct ld {
    pc_diags *d;
    xmlDoc *doc;
    pc_policy *p;
    unsigned errors;
    bool nomem;
    /* Array capacities from the counting pass; fills never exceed them. */
    size_t cap_clauses, cap_sections, cap_categories, cap_elements, cap_sources,
        cap_purposes, cap_recipient_types, cap_agreements, cap_rights,
        cap_jurisdictions, cap_bases, cap_settings, cap_technologies,
        cap_integrations;
};

static void ld_err(struct ld *ld, const xmlNode *n, const char *fmt, ...)
    PC_PRINTF(3, 4);
static void ld_err_line(struct ld *ld, unsigned line, const char *fmt, ...)
    PC_PRINTF(3, 4);

static void ld_verr(struct ld *ld, struct pc_loc loc, const char *fmt,
                    va_list ap) PC_PRINTF(3, 0);

static void
ld_verr(struct ld *ld, struct pc_loc loc, const char *fmt, va_list ap)
{
    ld->errors++;
    if (diag_vadd(ld->d, PC_SEV_ERROR, loc, fmt, ap) != PC_OK)
        ld->nomem = true;
}

/* Report an integrity problem at node n. */
static void
ld_err(struct ld *ld, const xmlNode *n, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ld_verr(ld, xml_loc(ld->d, ld->doc, n), fmt, ap);
    va_end(ap);
}

/* Report a problem found after the walk, at the line the model kept. */
static void
ld_err_line(struct ld *ld, unsigned line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ld_verr(ld, diag_loc(ld->d, (const char *)ld->doc->URL, line, 0), fmt, ap);
    va_end(ap);
}

/* Note a failed allocation (st is a strv/map/strbuf status). */
static void
ld_st(struct ld *ld, pc_status st)
{
    if (st != PC_OK)
        ld->nomem = true;
}

static const char *
ld_name(const xmlNode *n)
{
    return (const char *)n->name;
}

static unsigned
ld_line(const xmlNode *n)
{
    long line = xmlGetLineNo(n);

    return line > 0 ? (unsigned)line : 0;
}

static bool
ld_is(const xmlNode *n, const char *name)
{
    return xml_is(n, POLICY_NS, name);
}

/* The next element sibling from n on (n itself if it is one). */
static xmlNode *
ld_elem(xmlNode *n)
{
    while (n != NULL && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

#define LD_EACH(c, parent)                                                     \
    for (xmlNode *c = ld_elem((parent)->children); c != NULL;                  \
         c = ld_elem(c->next))

/* ------------------------------------------------------------------ */
/* Attributes. With the schema they are all well-formed; without it (a
 * caller may pass no schema) the loader must still not crash, so every
 * required attribute is checked and reported. */

static char *
ld_attr(struct ld *ld, xmlNode *n, const char *name, bool required)
{
    char *v;

    if (xmlHasNsProp(n, BAD_CAST name, NULL) == NULL) {
        if (required)
            ld_err(ld, n, "<%s> needs the %s attribute", ld_name(n), name);
        return NULL;
    }
    if ((v = xml_attr(n, name)) == NULL)
        ld->nomem = true;
    return v;
}

static void
ld_list(struct ld *ld, xmlNode *n, const char *name, bool required,
        struct strv *out)
{
    char *v = ld_attr(ld, n, name, required);

    if (v != NULL)
        ld_st(ld, strv_split(out, v));
    free(v);
}

static bool
ld_bool(struct ld *ld, xmlNode *n, const char *name, bool required, bool dflt)
{
    char *v = ld_attr(ld, n, name, required);
    bool b = dflt;

    if (v == NULL)
        return dflt;
    if (strcmp(v, "true") == 0)
        b = true;
    else if (strcmp(v, "false") == 0)
        b = false;
    else
        ld_err(ld, n, "%s=\"%s\" on <%s>: expected true or false", name, v,
               ld_name(n));
    free(v);
    return b;
}

/* A non-negative decimal integer attribute; 0 when absent. */
static long
ld_long(struct ld *ld, xmlNode *n, const char *name, bool required)
{
    char *v = ld_attr(ld, n, name, required), *end;
    long x;

    if (v == NULL)
        return 0;
    errno = 0;
    x = strtol(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || x < 0) {
        ld_err(ld, n,
               "%s=\"%s\" on <%s>: expected a number of days or "
               "years (a non-negative integer)",
               name, v, ld_name(n));
        x = 0;
    }
    free(v);
    return x;
}

/* A deadline written either as days (days_attr, a whole number) or as an
 * ISO 8601 period (period_attr, "P1M"), not both. *days gets the
 * fewest days it spans; the period as written is returned (NULL for days
 * or when absent). */
static char *
ld_period(struct ld *ld, xmlNode *n, const char *days_attr,
          const char *period_attr, bool required, long *days)
{
    char *v = ld_attr(ld, n, period_attr, false);
    struct period d;

    if (v == NULL) {
        *days = ld_long(ld, n, days_attr, required);
        return NULL;
    }
    if (xmlHasNsProp(n, BAD_CAST days_attr, NULL) != NULL)
        ld_err(ld, n, "<%s> gives both %s= and %s=: write one", ld_name(n),
               days_attr, period_attr);
    if (!period_parse(v, &d)) {
        ld_err(ld, n,
               "%s=\"%s\" on <%s>: expected an ISO 8601 period of whole "
               "years, months, weeks or days (P1M, P2M, P30D)",
               period_attr, v, ld_name(n));
        *days = 0;
        return v;
    }
    *days = period_shortest(&d);
    return v;
}

static char *
ld_text(struct ld *ld, xmlNode *n)
{
    char *t = xml_text(n);

    if (t == NULL)
        ld->nomem = true;
    return t;
}

/* Add obj to the index *m under its id; a second object with the same id
 * is an error that names where the first one is. `lineoff` is the offset
 * of the `unsigned line` member in obj's struct. */
static void
ld_index(struct ld *ld, struct map *m, const char *id, void *obj,
         size_t lineoff, const char *kind, const xmlNode *n)
{
    void *prev;

    if (id == NULL)
        return; /* already reported as missing */
    if ((prev = map_get(m, id)) != NULL) {
        unsigned line = *(const unsigned *)((const char *)prev + lineoff);

        ld_err(ld, n, "duplicate %s id '%s' (first defined on line %u)", kind,
               id, line);
        return;
    }
    ld_st(ld, map_put(m, id, obj));
}

#define LD_INDEX(ld, index, type, obj, kind, n)                                \
    ld_index((ld), (ld)->p->index, (obj)->id, (obj), offsetof(type, line),     \
             (kind), (n))

/* Take the next slot of a pre-counted array; NULL (and an error) if the
 * counting pass and the fill disagree, which only a non-schema-checked
 * document can make happen. */
#define LD_SLOT(ld, arr, n, cap, node)                                         \
    ((ld)->p->n < (ld)->cap                                                    \
         ? &(ld)->p->arr[(ld)->p->n++]                                         \
         : (ld_err((ld), (node), "unexpected <%s>", ld_name(node)), NULL))

/* ------------------------------------------------------------------ */
/* Counting pass: size every array once, so pointers into them (which the
 * indexes hold) never move. */

static void
ld_count(struct ld *ld, xmlNode *n)
{
    static const struct {
        const char *name;
        size_t off;
    } kinds[] = {
        { "clause", offsetof(struct ld, cap_clauses) },
        { "section", offsetof(struct ld, cap_sections) },
        { "category", offsetof(struct ld, cap_categories) },
        { "element", offsetof(struct ld, cap_elements) },
        { "source", offsetof(struct ld, cap_sources) },
        { "purpose", offsetof(struct ld, cap_purposes) },
        { "recipient-type", offsetof(struct ld, cap_recipient_types) },
        { "agreement", offsetof(struct ld, cap_agreements) },
        { "right", offsetof(struct ld, cap_rights) },
        { "jurisdiction", offsetof(struct ld, cap_jurisdictions) },
        { "basis", offsetof(struct ld, cap_bases) },
        { "setting", offsetof(struct ld, cap_settings) },
        { "technology", offsetof(struct ld, cap_technologies) },
        { "integration", offsetof(struct ld, cap_integrations) },
    };

    for (n = ld_elem(n); n != NULL; n = ld_elem(n->next)) {
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            if (ld_is(n, kinds[i].name))
                (*(size_t *)((char *)ld + kinds[i].off))++;
        ld_count(ld, n->children);
    }
}

static bool
ld_alloc(void **arr, size_t n, size_t size)
{
    if (n == 0)
        return true;
    *arr = calloc(n, size);
    return *arr != NULL;
}

static pc_status
ld_alloc_all(struct ld *ld)
{
    pc_policy *p = ld->p;
    struct map **maps[] = {
        &p->by_clause,     &p->by_category,     &p->by_element,
        &p->by_source,     &p->by_purpose,      &p->by_recipient_type,
        &p->by_right,      &p->by_jurisdiction, &p->by_setting,
        &p->by_technology, &p->by_integration,  &p->by_agreement,
        &p->by_basis,
    };

    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
        if ((*maps[i] = map_new()) == NULL)
            return PC_ENOMEM;
#define LD_ALLOC(arr, cap) ld_alloc((void **)&p->arr, ld->cap, sizeof *p->arr)
    if (!LD_ALLOC(clauses, cap_clauses) || !LD_ALLOC(sections, cap_sections) ||
        !LD_ALLOC(categories, cap_categories) ||
        !LD_ALLOC(elements, cap_elements) || !LD_ALLOC(sources, cap_sources) ||
        !LD_ALLOC(purposes, cap_purposes) ||
        !LD_ALLOC(recipient_types, cap_recipient_types) ||
        !LD_ALLOC(agreements, cap_agreements) ||
        !LD_ALLOC(rights, cap_rights) ||
        !LD_ALLOC(jurisdictions, cap_jurisdictions) ||
        !LD_ALLOC(bases, cap_bases) || !LD_ALLOC(settings, cap_settings) ||
        !LD_ALLOC(technologies, cap_technologies) ||
        !LD_ALLOC(integrations, cap_integrations))
        return PC_ENOMEM;
#undef LD_ALLOC
    return PC_OK;
}

/* ------------------------------------------------------------------ */
/* The text: sections and their clauses. */

/* The section number a clause id names ("s8.not-sold" -> 8), 0 if the id
 * has no such prefix. */
static long
ld_clause_section(const char *id)
{
    char *end;
    long n;

    if (id[0] != 's' || id[1] < '1' || id[1] > '9')
        return 0;
    errno = 0;
    n = strtol(id + 1, &end, 10);
    return errno == 0 && *end == '.' ? n : 0;
}

static void
ld_clause(struct ld *ld, xmlNode *n, const struct policy_section *sec,
          long secno)
{
    struct policy_clause *c = LD_SLOT(ld, clauses, nclauses, cap_clauses, n);
    long named;

    if (c == NULL)
        return;
    c->line = ld_line(n);
    c->id = ld_attr(ld, n, "id", true);
    c->normative = ld_bool(ld, n, "normative", false, true);
    c->text = ld_text(ld, n);
    if ((c->section = strdup(sec->number != NULL ? sec->number : "")) == NULL)
        ld->nomem = true;
    LD_INDEX(ld, by_clause, struct policy_clause, c, "clause", n);
    if (c->text != NULL && c->text[0] == '\0')
        ld_err(ld, n, "clause '%s' has no text", c->id != NULL ? c->id : "?");
    if (c->id == NULL || secno <= 0)
        return;
    named = ld_clause_section(c->id);
    if (named == 0)
        ld_err(ld, n,
               "clause id '%s' does not name its section (expected "
               "s%ld.NAME)",
               c->id, secno);
    else if (named != secno)
        ld_err(ld, n,
               "clause '%s' is in section %ld but its id names "
               "section %ld",
               c->id, secno, named);
}

static void
ld_section(struct ld *ld, xmlNode *n, long *prev)
{
    struct policy_section *s =
        LD_SLOT(ld, sections, nsections, cap_sections, n);
    long secno = 0;
    char *end;

    if (s == NULL)
        return;
    s->line = ld_line(n);
    s->number = ld_attr(ld, n, "number", true);
    s->title = ld_attr(ld, n, "title", true);
    s->first = ld->p->nclauses;
    if (s->number != NULL) {
        errno = 0;
        secno = strtol(s->number, &end, 10);
        if (errno != 0 || end == s->number || *end != '\0' || secno <= 0) {
            ld_err(ld, n, "section number \"%s\" is not a positive integer",
                   s->number);
            secno = 0;
        } else if (secno <= *prev) {
            ld_err(ld, n,
                   "section %ld comes after section %ld: sections "
                   "must be in increasing order, each once",
                   secno, *prev);
        }
        if (secno > *prev)
            *prev = secno;
    }
    LD_EACH (c, n) {
        if (ld_is(c, "clause"))
            ld_clause(ld, c, s, secno);
        else
            ld_err(ld, c, "unexpected <%s> in <section>", ld_name(c));
    }
    s->count = ld->p->nclauses - s->first;
    if (s->count == 0)
        ld_err(ld, n, "section %s has no clause",
               s->number != NULL ? s->number : "?");
}

/* ------------------------------------------------------------------ */
/* Categories and their elements. */

static void
ld_element(struct ld *ld, xmlNode *n, struct policy_category *cat)
{
    struct policy_element *e =
        LD_SLOT(ld, elements, nelements, cap_elements, n);
    struct strv also = STRV_INIT;

    if (e == NULL)
        return;
    e->line = ld_line(n);
    e->id = ld_attr(ld, n, "id", true);
    e->title = ld_attr(ld, n, "title", true);
    if (cat->id != NULL)
        ld_st(ld, strv_push(&e->categories, cat->id));
    ld_list(ld, n, "also", false, &also);
    for (size_t i = 0; i < also.n; i++) {
        if (strv_has(&e->categories, also.v[i]))
            ld_err(ld, n, "element '%s' names category '%s' twice",
                   e->id != NULL ? e->id : "?", also.v[i]);
        else
            ld_st(ld, strv_push(&e->categories, also.v[i]));
    }
    strv_free(&also);
    ld_list(ld, n, "purposes", false, &e->own_purposes);
    ld_list(ld, n, "only-from", false, &e->only_from);
    ld_list(ld, n, "clauses", true, &e->clauses);
    LD_INDEX(ld, by_element, struct policy_element, e, "element", n);
    if (e->id != NULL && cat->id != NULL) {
        size_t k = strlen(cat->id);

        /* Ids are dotted under their category: a field may name either. */
        if (strncmp(e->id, cat->id, k) != 0 || e->id[k] != '.')
            ld_err(ld, n,
                   "element id '%s' does not start with its "
                   "category '%s.'",
                   e->id, cat->id);
        ld_st(ld, strv_push(&cat->elements, e->id));
    }
}

static void
ld_category(struct ld *ld, xmlNode *n)
{
    static const char *const methods[] = { "direct", "automatic", "third-party",
                                           "derived" };
    struct policy_category *c =
        LD_SLOT(ld, categories, ncategories, cap_categories, n);

    if (c == NULL)
        return;
    c->line = ld_line(n);
    c->id = ld_attr(ld, n, "id", true);
    c->title = ld_attr(ld, n, "title", true);
    ld_list(ld, n, "collection", true, &c->collection);
    for (size_t i = 0; i < c->collection.n; i++) {
        size_t k = 0;

        while (k < 4 && strcmp(c->collection.v[i], methods[k]) != 0)
            k++;
        if (k == 4)
            ld_err(ld, n,
                   "unknown collection method '%s' (expected direct, "
                   "automatic, third-party or derived)",
                   c->collection.v[i]);
    }
    ld_list(ld, n, "purposes", false, &c->purposes);
    c->general_purposes = ld_bool(ld, n, "general-purposes", true, false);
    c->shared_for_business =
        ld_bool(ld, n, "shared-for-business", false, false);
    c->sensitive = ld_bool(ld, n, "sensitive", true, false);
    ld_list(ld, n, "clauses", true, &c->clauses);
    LD_INDEX(ld, by_category, struct policy_category, c, "category", n);
    LD_EACH (e, n) {
        if (ld_is(e, "element"))
            ld_element(ld, e, c);
        else if (!ld_is(e, "fact"))
            ld_err(ld, e, "unexpected <%s> in <category>", ld_name(e));
    }
}

/* ------------------------------------------------------------------ */
/* Sources, purposes, disclosures. */

static void
ld_source(struct ld *ld, xmlNode *n)
{
    struct policy_source *s = LD_SLOT(ld, sources, nsources, cap_sources, n);

    if (s == NULL)
        return;
    s->line = ld_line(n);
    s->id = ld_attr(ld, n, "id", true);
    s->title = ld_attr(ld, n, "title", true);
    ld_list(ld, n, "clauses", true, &s->clauses);
    LD_INDEX(ld, by_source, struct policy_source, s, "source", n);
}

static void
ld_purpose(struct ld *ld, xmlNode *n)
{
    struct policy_purpose *u =
        LD_SLOT(ld, purposes, npurposes, cap_purposes, n);

    if (u == NULL)
        return;
    u->line = ld_line(n);
    u->id = ld_attr(ld, n, "id", true);
    u->title = ld_attr(ld, n, "title", false);
    u->prohibited = ld_bool(ld, n, "prohibited", false, false);
    /* A prohibited purpose has no scope: nothing may serve it. */
    u->scope = ld_attr(ld, n, "scope", !u->prohibited);
    u->needs = ld_attr(ld, n, "needs", false);
    if (u->needs == NULL && (u->needs = strdup("none")) == NULL)
        ld->nomem = true;
    u->internal_only = ld_bool(ld, n, "internal-only", false, false);
    ld_list(ld, n, "prohibited-for", false, &u->prohibited_for);
    ld_list(ld, n, "clauses", true, &u->clauses);
    LD_INDEX(ld, by_purpose, struct policy_purpose, u, "purpose", n);
}

static void
ld_disclosures(struct ld *ld, xmlNode *n)
{
    LD_EACH (c, n) {
        if (ld_is(c, "recipient-type")) {
            struct policy_recipient_type *r = LD_SLOT(
                ld, recipient_types, nrecipient_types, cap_recipient_types, c);

            if (r == NULL)
                continue;
            r->line = ld_line(c);
            r->id = ld_attr(ld, c, "id", true);
            r->title = ld_attr(ld, c, "title", false);
            r->needs = ld_attr(ld, c, "needs", true);
            ld_list(ld, c, "clauses", true, &r->clauses);
            LD_INDEX(ld, by_recipient_type, struct policy_recipient_type, r,
                     "recipient-type", c);
        } else if (ld_is(c, "agreement")) {
            struct policy_agreement *a =
                LD_SLOT(ld, agreements, nagreements, cap_agreements, c);

            if (a == NULL)
                continue;
            a->line = ld_line(c);
            a->id = ld_attr(ld, c, "id", true);
            a->title = ld_attr(ld, c, "title", true);
            a->subject = ld_attr(ld, c, "subject", true);
            ld_list(ld, c, "clauses", true, &a->clauses);
            LD_INDEX(ld, by_agreement, struct policy_agreement, a, "agreement",
                     c);
        } else {
            ld_err(ld, c, "unexpected <%s> in <disclosures>", ld_name(c));
        }
    }
}

/* ------------------------------------------------------------------ */
/* Rights and jurisdictions. */

static void
ld_rights(struct ld *ld, xmlNode *n)
{
    pc_policy *p = ld->p;

    /* Optional: some laws know no appeal or agents. */
    p->appeal_channel = ld_attr(ld, n, "appeal-channel", false);
    p->appeal_subject = ld_attr(ld, n, "appeal-subject", false);
    ld_list(ld, n, "appeal-clauses", false, &p->appeal_clauses);
    ld_list(ld, n, "agents-clauses", false, &p->agents_clauses);
    ld_list(ld, n, "verification-clauses", false, &p->verification_clauses);
    LD_EACH (c, n) {
        struct policy_right *r;

        if (!ld_is(c, "right")) {
            ld_err(ld, c, "unexpected <%s> in <rights>", ld_name(c));
            continue;
        }
        if ((r = LD_SLOT(ld, rights, nrights, cap_rights, c)) == NULL)
            continue;
        r->line = ld_line(c);
        r->id = ld_attr(ld, c, "id", true);
        r->title = ld_attr(ld, c, "title", true);
        r->verify = ld_bool(ld, c, "verify", true, false);
        r->frequency = ld_attr(ld, c, "frequency", false);
        ld_list(ld, c, "clauses", true, &r->clauses);
        LD_INDEX(ld, by_right, struct policy_right, r, "right", c);
    }
}

/* A right named by <requires> or <offers>; each right at most once per
 * jurisdiction, or "required" and "offered" would contradict. */
static char *
ld_jur_right(struct ld *ld, xmlNode *c, const struct policy_jurisdiction *j)
{
    char *right = ld_attr(ld, c, "right", true);

    if (right != NULL &&
        (strv_has(&j->requires, right) || strv_has(&j->offers, right))) {
        ld_err(ld, c, "right '%s' is listed twice in jurisdiction '%s'", right,
               j->id != NULL ? j->id : "?");
        free(right);
        return NULL;
    }
    return right;
}

static void
ld_jurisdiction(struct ld *ld, xmlNode *n)
{
    struct policy_jurisdiction *j =
        LD_SLOT(ld, jurisdictions, njurisdictions, cap_jurisdictions, n);
    bool deadline = false;

    if (j == NULL)
        return;
    j->line = ld_line(n);
    j->id = ld_attr(ld, n, "id", true);
    j->title = ld_attr(ld, n, "title", true);
    j->law = ld_attr(ld, n, "law", true);
    j->statute = ld_attr(ld, n, "statute", false);
    j->effective = ld_attr(ld, n, "effective", false);
    ld_list(ld, n, "clauses", true, &j->clauses);
    ld_list(ld, n, "members", false, &j->members);
    LD_INDEX(ld, by_jurisdiction, struct policy_jurisdiction, j, "jurisdiction",
             n);
    LD_EACH (c, n) {
        char *right, *statute, *days_statute, *period, daybuf[32];
        long days;

        if (ld_is(c, "deadline")) {
            deadline = true;
            j->deadline_period =
                ld_period(ld, c, "days", "period", true, &j->deadline_days);
            j->extension_period = ld_period(
                ld, c, "extension-days", "extension", true, &j->extension_days);
            if (j->deadline_period != NULL && j->deadline_days <= 0)
                ld_err(ld, c,
                       "period=\"%s\" on <deadline>: a deadline "
                       "of no time",
                       j->deadline_period);
            j->deadline_statute = ld_attr(ld, c, "statute", true);
        } else if (ld_is(c, "appeal")) {
            j->appeal_required = ld_bool(ld, c, "required", true, false);
            if (j->appeal_required) {
                j->appeal_days = ld_long(ld, c, "days", true);
                j->appeal_extension_days =
                    ld_long(ld, c, "extension-days", false);
                j->appeal_statute = ld_attr(ld, c, "statute", true);
            }
        } else if (ld_is(c, "requires")) {
            if ((right = ld_jur_right(ld, c, j)) == NULL)
                continue;
            statute = ld_attr(ld, c, "statute", true);
            period = ld_period(ld, c, "days", "period", false, &days);
            days_statute = ld_attr(ld, c, "days-statute", false);
            snprintf(daybuf, sizeof daybuf, "%ld", days);
            ld_st(ld, strv_push(&j->requires, right));
            ld_st(ld, strv_push(&j->requires_statutes,
                                statute != NULL ? statute : ""));
            ld_st(ld, strv_push(&j->requires_days, days > 0 ? daybuf : ""));
            ld_st(ld, strv_push(&j->requires_periods,
                                days > 0 && period != NULL ? period : ""));
            ld_st(ld, strv_push(&j->requires_days_statutes,
                                days > 0 && days_statute != NULL ? days_statute
                                                                 : ""));
            free(right);
            free(statute);
            free(days_statute);
            free(period);
        } else if (ld_is(c, "offers")) {
            if ((right = ld_jur_right(ld, c, j)) == NULL)
                continue;
            ld_st(ld, strv_push(&j->offers, right));
            free(right);
        } else {
            ld_err(ld, c, "unexpected <%s> in <jurisdiction>", ld_name(c));
        }
    }
    if (!deadline)
        ld_err(ld, n, "jurisdiction '%s' needs a <deadline>",
               j->id != NULL ? j->id : "?");
}

/* Index each group's members beside the jurisdictions' ids, after all
 * ids are in, so that a code is one thing: a jurisdiction of its own or
 * a member of one group. Otherwise an audience in it would have two
 * laws' deadlines and the policy would not say which. The codes covered
 * are listed once, here. */
static void
ld_members(struct ld *ld)
{
    pc_policy *p = ld->p;

    for (size_t i = 0; i < p->njurisdictions; i++)
        if (p->jurisdictions[i].id != NULL)
            ld_st(ld,
                  strv_push(&p->jurisdiction_codes, p->jurisdictions[i].id));
    for (size_t i = 0; i < p->njurisdictions; i++) {
        struct policy_jurisdiction *j = &p->jurisdictions[i];

        for (size_t k = 0; k < j->members.n && j->id != NULL; k++) {
            const char *m = j->members.v[k];
            const struct policy_jurisdiction *prev =
                map_get(p->by_jurisdiction, m);

            if (prev == j)
                ld_err_line(ld, j->line,
                            "jurisdiction '%s' lists '%s' among its members "
                            "twice, or itself",
                            j->id, m);
            else if (prev != NULL && strcmp(prev->id, m) == 0)
                ld_err_line(ld, j->line,
                            "jurisdiction '%s' lists member '%s', which is a "
                            "jurisdiction of its own (line %u): a place has "
                            "one law here; remove one of them",
                            j->id, m, prev->line);
            else if (prev != NULL)
                ld_err_line(ld, j->line,
                            "jurisdiction '%s' lists member '%s', which is "
                            "already a member of '%s' (line %u): a place has "
                            "one law here; remove one of them",
                            j->id, m, prev->id, prev->line);
            else if (map_put(p->by_jurisdiction, m, j) != PC_OK ||
                     strv_push(&p->jurisdiction_codes, m) != PC_OK)
                ld_st(ld, PC_ENOMEM);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Retention, security, settings, tracking, children, transfers. */

static void
ld_retention(struct ld *ld, xmlNode *n)
{
    ld_list(ld, n, "clauses", true, &ld->p->retention_clauses);
    LD_EACH (c, n) {
        struct policy_basis *b;

        if (!ld_is(c, "basis")) {
            ld_err(ld, c, "unexpected <%s> in <retention>", ld_name(c));
            continue;
        }
        if ((b = LD_SLOT(ld, bases, nbases, cap_bases, c)) == NULL)
            continue;
        b->line = ld_line(c);
        b->id = ld_attr(ld, c, "id", true);
        ld_list(ld, c, "clauses", true, &b->clauses);
        LD_INDEX(ld, by_basis, struct policy_basis, b, "retention basis", c);
        if (b->id != NULL)
            ld_st(ld, strv_push(&ld->p->retention_bases, b->id));
    }
}

/* Append every item of src to dst that dst lacks; src is freed. */
static void
ld_merge(struct ld *ld, struct strv *dst, struct strv *src)
{
    for (size_t i = 0; i < src->n; i++)
        ld_st(ld, strv_add_unique(dst, src->v[i]));
    strv_free(src);
}

static void
ld_security(struct ld *ld, xmlNode *n)
{
    LD_EACH (c, n) {
        struct strv cats = STRV_INIT, clauses = STRV_INIT;

        if (!ld_is(c, "encrypt-in-transit")) {
            ld_err(ld, c, "unexpected <%s> in <security>", ld_name(c));
            continue;
        }
        ld_list(ld, c, "categories", true, &cats);
        ld_list(ld, c, "clauses", true, &clauses);
        ld_merge(ld, &ld->p->encrypt_categories, &cats);
        ld_merge(ld, &ld->p->encrypt_clauses, &clauses);
    }
}

static void
ld_settings(struct ld *ld, xmlNode *n)
{
    LD_EACH (c, n) {
        struct policy_setting *s;

        if (!ld_is(c, "setting")) {
            ld_err(ld, c, "unexpected <%s> in <settings>", ld_name(c));
            continue;
        }
        if ((s = LD_SLOT(ld, settings, nsettings, cap_settings, c)) == NULL)
            continue;
        s->line = ld_line(c);
        s->id = ld_attr(ld, c, "id", true);
        s->type = ld_attr(ld, c, "type", true);
        s->value = ld_attr(ld, c, "value", true);
        s->organisation = ld_bool(ld, c, "organisation", true, false);
        ld_list(ld, c, "clauses", false, &s->clauses);
        s->why = ld_text(ld, c);
        LD_INDEX(ld, by_setting, struct policy_setting, s, "setting", c);
    }
}

static void
ld_tracking(struct ld *ld, xmlNode *n)
{
    pc_policy *p = ld->p;

    ld_list(ld, n, "clauses", true, &p->tracking_clauses);
    LD_EACH (c, n) {
        if (ld_is(c, "technology")) {
            struct policy_technology *t =
                LD_SLOT(ld, technologies, ntechnologies, cap_technologies, c);

            if (t == NULL)
                continue;
            t->line = ld_line(c);
            t->id = ld_attr(ld, c, "id", true);
            t->title = ld_attr(ld, c, "title", true);
            ld_list(ld, c, "clauses", true, &t->clauses);
            LD_INDEX(ld, by_technology, struct policy_technology, t,
                     "technology", c);
        } else if (ld_is(c, "collects")) {
            struct strv els = STRV_INIT, clauses = STRV_INIT;

            ld_list(ld, c, "elements", true, &els);
            ld_list(ld, c, "clauses", true, &clauses);
            ld_merge(ld, &p->tracking_collects, &els);
            ld_merge(ld, &p->tracking_collects_clauses, &clauses);
        } else {
            ld_err(ld, c, "unexpected <%s> in <tracking>", ld_name(c));
        }
    }
}

/* ------------------------------------------------------------------ */
/* Integrations. */

static void
ld_integration(struct ld *ld, xmlNode *n)
{
    struct policy_integration *g =
        LD_SLOT(ld, integrations, nintegrations, cap_integrations, n);
    size_t nscopes = 0;

    if (g == NULL)
        return;
    g->line = ld_line(n);
    g->id = ld_attr(ld, n, "id", true);
    g->provider = ld_attr(ld, n, "provider", true);
    g->title = ld_attr(ld, n, "title", true);
    ld_list(ld, n, "elements", true, &g->elements);
    ld_list(ld, n, "purposes", true, &g->purposes);
    g->store = ld_bool(ld, n, "store", true, false);
    g->transfer = ld_bool(ld, n, "transfer", true, false);
    ld_list(ld, n, "clauses", true, &g->clauses);
    LD_INDEX(ld, by_integration, struct policy_integration, g, "integration",
             n);
    LD_EACH (c, n) {
        nscopes++;
    }
    if (nscopes > 0) {
        g->scope_clauses = calloc(nscopes, sizeof *g->scope_clauses);
        if (g->scope_clauses == NULL) {
            ld->nomem = true;
            return;
        }
    }
    LD_EACH (c, n) {
        char *uri;

        if (!ld_is(c, "scope")) {
            ld_err(ld, c, "unexpected <%s> in <integration>", ld_name(c));
            continue;
        }
        if ((uri = ld_attr(ld, c, "uri", true)) == NULL)
            continue;
        if (strv_has(&g->scopes, uri)) {
            ld_err(ld, c, "scope '%s' is listed twice in integration '%s'", uri,
                   g->id != NULL ? g->id : "?");
        } else if (g->scopes.n < nscopes) {
            /* scope_clauses[i] belongs to scopes.v[i], and is freed with
             * it: the scope first, so that no list is left unowned. */
            size_t k = g->scopes.n;

            ld_st(ld, strv_push(&g->scopes, uri));
            if (g->scopes.n > k)
                ld_list(ld, c, "clauses", true, &g->scope_clauses[k]);
        }
        free(uri);
    }
}

/* ------------------------------------------------------------------ */
/* The document. */

/* The data subjects; the default must be one of them, and each
 * agreement governs one of them. */
static void
ld_subjects(struct ld *ld, xmlNode *n)
{
    pc_policy *p = ld->p;

    p->default_subject = ld_attr(ld, n, "default", true);
    LD_EACH (c, n) {
        char *id;

        if (!ld_is(c, "subject")) {
            ld_err(ld, c, "unexpected <%s> in <subjects>", ld_name(c));
            continue;
        }
        if ((id = ld_attr(ld, c, "id", true)) == NULL)
            continue;
        if (strv_has(&p->subjects, id))
            ld_err(ld, c, "subject '%s' is declared twice", id);
        else
            ld_st(ld, strv_push(&p->subjects, id));
        free(id);
    }
    if (p->default_subject != NULL &&
        !strv_has(&p->subjects, p->default_subject))
        ld_err(ld, n, "default subject '%s' is not one of the <subject>s",
               p->default_subject);
    /* <disclosures> came first: its agreements are read. */
    for (size_t i = 0; i < p->nagreements; i++)
        if (p->agreements[i].subject != NULL &&
            !strv_has(&p->subjects, p->agreements[i].subject))
            ld_err_line(ld, p->agreements[i].line,
                        "agreement '%s' governs subject '%s', which "
                        "<subjects> does not declare",
                        p->agreements[i].id, p->agreements[i].subject);
}

static void
ld_policy(struct ld *ld, xmlNode *root)
{
    pc_policy *p = ld->p;
    long prev_section = 0;

    p->id = ld_attr(ld, root, "id", true);
    p->version = ld_attr(ld, root, "version", true);
    p->title = ld_attr(ld, root, "title", true);
    p->published = ld_attr(ld, root, "published", true);
    p->source = ld_attr(ld, root, "source", true);
    LD_EACH (n, root) {
        if (ld->nomem)
            return;
        if (ld_is(n, "section")) {
            ld_section(ld, n, &prev_section);
        } else if (ld_is(n, "categories")) {
            LD_EACH (c, n) {
                if (ld_is(c, "category"))
                    ld_category(ld, c);
                else
                    ld_err(ld, c, "unexpected <%s> in <categories>",
                           ld_name(c));
            }
        } else if (ld_is(n, "sources")) {
            LD_EACH (c, n) {
                if (ld_is(c, "source"))
                    ld_source(ld, c);
                else
                    ld_err(ld, c, "unexpected <%s> in <sources>", ld_name(c));
            }
        } else if (ld_is(n, "purposes")) {
            LD_EACH (c, n) {
                if (ld_is(c, "purpose"))
                    ld_purpose(ld, c);
                else
                    ld_err(ld, c, "unexpected <%s> in <purposes>", ld_name(c));
            }
        } else if (ld_is(n, "disclosures")) {
            ld_disclosures(ld, n);
        } else if (ld_is(n, "rights")) {
            ld_rights(ld, n);
        } else if (ld_is(n, "jurisdictions")) {
            LD_EACH (c, n) {
                if (ld_is(c, "jurisdiction"))
                    ld_jurisdiction(ld, c);
                else
                    ld_err(ld, c, "unexpected <%s> in <jurisdictions>",
                           ld_name(c));
            }
            ld_members(ld);
        } else if (ld_is(n, "retention")) {
            ld_retention(ld, n);
        } else if (ld_is(n, "security")) {
            ld_security(ld, n);
        } else if (ld_is(n, "settings")) {
            ld_settings(ld, n);
        } else if (ld_is(n, "tracking")) {
            ld_tracking(ld, n);
        } else if (ld_is(n, "children")) {
            p->children_min_age = ld_long(ld, n, "min-age", true);
            ld_list(ld, n, "clauses", true, &p->children_clauses);
        } else if (ld_is(n, "transfers")) {
            ld_list(ld, n, "countries", true, &p->transfer_countries);
            p->transfer_other_countries =
                ld_bool(ld, n, "other-countries", false, false);
            ld_list(ld, n, "clauses", true, &p->transfer_clauses);
        } else if (ld_is(n, "subjects")) {
            ld_subjects(ld, n);
        } else if (ld_is(n, "integrations")) {
            LD_EACH (c, n) {
                if (ld_is(c, "integration"))
                    ld_integration(ld, c);
                else
                    ld_err(ld, c, "unexpected <%s> in <integrations>",
                           ld_name(c));
            }
        } else {
            ld_err(ld, n, "unexpected <%s> in <policy>", ld_name(n));
        }
    }
}

/* ------------------------------------------------------------------ */
/* References. Which attribute of which element names which kind of thing
 * is the format's shape, so it is a table; one walk over the tree checks
 * every id in every list, and reports each dangling one where it is. */

enum ld_kind {
    LD_CLAUSE,
    LD_CATEGORY,
    LD_ELEMENT,
    LD_DATA, /* a category or an element */
    LD_PURPOSE,
    LD_SOURCE,
    LD_RIGHT,
};

static const struct {
    const char *element; /* NULL: any element */
    const char *attr;
    enum ld_kind kind;
} ld_refs[] = {
    { NULL, "clauses", LD_CLAUSE },
    { "rights", "appeal-clauses", LD_CLAUSE },
    { "rights", "agents-clauses", LD_CLAUSE },
    { "rights", "verification-clauses", LD_CLAUSE },
    { "category", "purposes", LD_PURPOSE },
    { "element", "also", LD_CATEGORY },
    { "element", "purposes", LD_PURPOSE },
    { "element", "only-from", LD_SOURCE },
    { "purpose", "prohibited-for", LD_DATA },
    { "requires", "right", LD_RIGHT },
    { "offers", "right", LD_RIGHT },
    { "encrypt-in-transit", "categories", LD_DATA },
    { "collects", "elements", LD_ELEMENT },
    { "integration", "elements", LD_DATA },
    { "integration", "purposes", LD_PURPOSE },
};

static const char *const ld_kind_names[] = {
    [LD_CLAUSE] = "clause",   [LD_CATEGORY] = "category",
    [LD_ELEMENT] = "element", [LD_DATA] = "category or element",
    [LD_PURPOSE] = "purpose", [LD_SOURCE] = "source",
    [LD_RIGHT] = "right",
};

static bool
ld_resolves(const pc_policy *p, enum ld_kind kind, const char *id)
{
    switch (kind) {
    case LD_CLAUSE:
        return policy_clause(p, id) != NULL;
    case LD_CATEGORY:
        return policy_category(p, id) != NULL;
    case LD_ELEMENT:
        return policy_element(p, id) != NULL;
    case LD_DATA:
        return policy_category(p, id) != NULL || policy_element(p, id) != NULL;
    case LD_PURPOSE:
        return policy_purpose(p, id) != NULL;
    case LD_SOURCE:
        return policy_source(p, id) != NULL;
    case LD_RIGHT:
        return policy_right(p, id) != NULL;
    }
    return false;
}

/* "<element id="x">", or for an element without an id (<requires>)
 * "<requires> in <jurisdiction id="y">": enough to find it by eye. */
static char *
ld_describe(const xmlNode *n)
{
    struct strbuf b = STRBUF_INIT(1024);
    const xmlNode *owner = n;
    char *id = NULL;
    pc_status st = PC_OK;

    while (owner != NULL && owner->type == XML_ELEMENT_NODE &&
           (id = xml_attr(owner, "id")) == NULL)
        owner = owner->parent;
    if (owner != n)
        st = strbuf_printf(&b, "<%s> in ", ld_name(n));
    if (st == PC_OK && id != NULL)
        st = strbuf_printf(&b, "<%s id=\"%s\">", ld_name(owner), id);
    else if (st == PC_OK && owner == n)
        st = strbuf_printf(&b, "<%s>", ld_name(n));
    else if (st == PC_OK)
        st = strbuf_puts(&b, "the policy");
    free(id);
    if (st != PC_OK) {
        strbuf_free(&b);
        return NULL;
    }
    return strbuf_detach(&b);
}

static void
ld_check_refs(struct ld *ld, xmlNode *n)
{
    for (n = ld_elem(n); n != NULL && !ld->nomem; n = ld_elem(n->next)) {
        char *self = NULL;

        for (size_t i = 0; i < sizeof ld_refs / sizeof ld_refs[0]; i++) {
            struct strv ids = STRV_INIT;

            if (ld_refs[i].element != NULL && !ld_is(n, ld_refs[i].element))
                continue;
            ld_list(ld, n, ld_refs[i].attr, false, &ids);
            for (size_t k = 0; k < ids.n; k++) {
                if (ld_resolves(ld->p, ld_refs[i].kind, ids.v[k]))
                    continue;
                if (self == NULL && (self = ld_describe(n)) == NULL) {
                    ld->nomem = true;
                    break;
                }
                ld_err(ld, n, "unknown %s '%s' in %s of %s",
                       ld_kind_names[ld_refs[i].kind], ids.v[k],
                       ld_refs[i].attr, self);
            }
            strv_free(&ids);
        }
        free(self);
        ld_check_refs(ld, n->children);
    }
}

/* Every <fact> of the policy, under "kind id name" (kind: the element
 * the fact is in), whatever the element: the format lets a policy state
 * its own facts, and the loader need not know them. */
static void
ld_facts(struct ld *ld, xmlNode *n)
{
    for (n = ld_elem(n); n != NULL && !ld->nomem; n = ld_elem(n->next)) {
        if (ld_is(n, "fact") && n->parent != NULL &&
            n->parent->type == XML_ELEMENT_NODE) {
            char *id = ld_attr(ld, n->parent, "id", false);
            char *name = ld_attr(ld, n, "name", true);
            char *value = ld_attr(ld, n, "value", true);
            struct strbuf key = STRBUF_INIT(0);

            if (id != NULL && name != NULL && value != NULL &&
                strbuf_printf(&key, "%s %s %s", ld_name(n->parent), id, name) ==
                    PC_OK) {
                if (map_get(ld->p->facts, strbuf_str(&key)) != NULL)
                    ld_err(ld, n, "fact '%s' of %s '%s' is stated twice", name,
                           ld_name(n->parent), id);
                else
                    ld_st(ld, policy_add_fact(ld->p, strbuf_str(&key), name,
                                              ld_name(n->parent), value));
            }
            strbuf_free(&key);
            free(id);
            free(name);
            free(value);
        }
        ld_facts(ld, n->children);
    }
}

/* ------------------------------------------------------------------ */
/* Derived facts and the contradictions they reveal. */

/* May category c serve purpose u? */
static bool
ld_category_permits(const struct policy_category *c,
                    const struct policy_purpose *u)
{
    if (u->prohibited)
        return false;
    if (strv_has(&c->purposes, u->id))
        return true;
    return c->general_purposes && u->scope != NULL &&
           strcmp(u->scope, "general") == 0;
}

static void
ld_derive_element(struct ld *ld, struct policy_element *e)
{
    const pc_policy *p = ld->p;
    struct policy_category *cats[64];
    size_t ncats = 0;

    for (size_t i = 0; i < e->categories.n && ncats < 64; i++) {
        struct policy_category *c = map_get(p->by_category, e->categories.v[i]);

        if (c != NULL) /* an unknown one was reported already */
            cats[ncats++] = c;
    }
    if (ncats == 0)
        return;
    e->sensitive = false;
    e->shared_for_business = true;
    for (size_t i = 0; i < ncats; i++) {
        e->sensitive = e->sensitive || cats[i]->sensitive;
        e->shared_for_business =
            e->shared_for_business && cats[i]->shared_for_business;
        ld_st(ld, strv_add_unique(&cats[i]->members, e->id));
    }
    for (size_t m = 0; m < cats[0]->collection.n; m++) {
        const char *method = cats[0]->collection.v[m];
        bool all = true;

        for (size_t i = 1; i < ncats && all; i++)
            all = strv_has(&cats[i]->collection, method);
        if (all)
            ld_st(ld, strv_add_unique(&e->collection, method));
    }
    if (e->collection.n == 0)
        ld_err_line(ld, e->line,
                    "element '%s': its categories have no collection "
                    "method in common",
                    e->id);
    for (size_t k = 0; k < p->npurposes; k++) {
        const struct policy_purpose *u = &p->purposes[k];
        bool ok = u->id != NULL && !strv_has(&u->prohibited_for, e->id);

        for (size_t i = 0; i < ncats && ok; i++)
            ok = ld_category_permits(cats[i], u) &&
                 !strv_has(&u->prohibited_for, cats[i]->id);
        if (ok && e->own_purposes.n > 0)
            ok = strv_has(&e->own_purposes, u->id);
        if (ok)
            ld_st(ld, strv_push(&e->purposes, u->id));
    }
    /* Narrowing to a purpose the categories do not allow would silently
     * permit nothing: the author meant something else. */
    for (size_t i = 0; i < e->own_purposes.n; i++) {
        const char *id = e->own_purposes.v[i];

        if (policy_purpose(p, id) != NULL && !strv_has(&e->purposes, id))
            ld_err_line(ld, e->line,
                        "element '%s' lists purpose '%s', which its "
                        "categories do not permit",
                        e->id, id);
    }
}

static void
ld_derive(struct ld *ld)
{
    pc_policy *p = ld->p;

    for (size_t i = 0; i < p->ncategories; i++) {
        const struct policy_category *c = &p->categories[i];

        for (size_t k = 0; k < c->purposes.n; k++) {
            const struct policy_purpose *u =
                policy_purpose(p, c->purposes.v[k]);

            if (u != NULL && u->prohibited)
                ld_err_line(
                    ld, c->line,
                    "category '%s' lists purpose '%s', which the policy "
                    "prohibits",
                    c->id, u->id);
        }
    }
    for (size_t i = 0; i < p->nelements && !ld->nomem; i++) {
        struct policy_element *e = &p->elements[i];

        if (e->id != NULL)
            ld_derive_element(ld, e);
    }
}

/* ------------------------------------------------------------------ */

pc_status
pc_policy_load(const char *path, const char *schema, pc_diags *d,
               pc_policy **out)
{
    struct ld ld = { .d = d };
    xmlNode *root;
    pc_status st;

    if ((ld.p = calloc(1, sizeof *ld.p)) == NULL)
        return PC_ENOMEM;
    if ((st = xml_load_data(path, schema, d, &ld.doc, ld.p->sha256)) != PC_OK)
        goto out;
    if ((ld.p->file = strdup(path)) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    root = xmlDocGetRootElement(ld.doc);
    if (root == NULL || !ld_is(root, "policy")) {
        st = diag_fail(d, PC_EINVALID, xml_loc(d, ld.doc, root),
                       "not a policy: the root element must be <policy> "
                       "in namespace %s",
                       POLICY_NS);
        goto out;
    }
    ld_count(&ld, root);
    if ((st = ld_alloc_all(&ld)) != PC_OK)
        goto out;
    ld_policy(&ld, root);
    ld_facts(&ld, root);
    if (!ld.nomem)
        ld_check_refs(&ld, root);
    if (!ld.nomem)
        ld_derive(&ld);
    if (ld.nomem)
        st = PC_ENOMEM;
    else if (ld.errors > 0)
        st = PC_EINVALID;
out:
    /* libxml2 or xml_attr short of memory reads as a missing value:
     * what was loaded cannot be trusted either way. */
    st = xml_settle(st);
    xmlFreeDoc(ld.doc);
    if (st != PC_OK) {
        pc_policy_free(ld.p);
        return st;
    }
    *out = ld.p;
    return PC_OK;
}
