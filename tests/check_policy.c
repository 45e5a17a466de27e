/* check_policy.c - the policy model: the real policy loads and every
 * lookup works; a small policy with every part of the format is read
 * field by field and its derived facts are exact; each class of integrity
 * error is reported with its line; every quoted clause occurs verbatim in
 * the published text; hostile policy files are refused without leaking. */
#include "config.h"

#include "diag.h"
#include "period.h"
#include "disclose.h"
#include "policy.h"
#include "results.h"
#include "sha256.h"
#include "strv.h"
#include "xml.h"

#include "testutil.h"

/* The schema always comes from the source tree. */
static char *
schema_path(void)
{
    return tu_path("SRCDIR", "policy/policy.rng");
}

/* Load `path`; on failure print the diagnostics in the assertion. */
static pc_policy *
load_ok(const char *path)
{
    char *schema = schema_path();
    pc_diags *d = pc_diags_new();
    pc_policy *p = NULL;
    pc_status st = pc_policy_load(path, schema, d, &p);

    if (st != PC_OK) {
        char *text = tu_diags_text(d);
        ck_abort_msg("%s did not load (%s):\n%s", path, pc_status_str(st),
                     text);
    }
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(pc_diags_count(d), 0);
    pc_diags_free(d);
    free(schema);
    return p;
}

static pc_policy *
load_real(void)
{
    char *path = tu_path("SRCDIR", "policy/serenepractice.xml");
    pc_policy *p = load_ok(path);

    free(path);
    return p;
}

static pc_policy *
load_data(const char *name)
{
    char path[512];
    pc_policy *p;

    snprintf(path, sizeof path, "%s/policy/%s", tu_env("TESTDATA"), name);
    p = load_ok(path);
    return p;
}

/* "a b c" as a list equals sv, in order. */
static void
assert_strv(const struct strv *sv, const char *want, const char *what)
{
    char *got = strv_join(sv, " ");

    ck_assert_ptr_nonnull(got);
    ck_assert_msg(strcmp(got, want) == 0, "%s: got \"%s\", want \"%s\"", what,
                  got, want);
    free(got);
}

/* ------------------------------------------------------------------ */
/* The real policy */

START_TEST(test_real_loads)
{
    char *path = tu_path("SRCDIR", "policy/serenepractice.xml");
    pc_policy *p = load_ok(path);
    size_t len;
    char *bytes = tu_read(path, &len);
    char hex[65];

    ck_assert_str_eq(pc_policy_id(p), "serenepractice");
    ck_assert_str_eq(pc_policy_version(p), "2023-11-02");
    ck_assert_ptr_nonnull(pc_policy_title(p));
    ck_assert_uint_gt(strlen(pc_policy_title(p)), 0);
    /* The digest is of the very bytes read. */
    sha256_hex(bytes, len, hex);
    ck_assert_str_eq(pc_policy_sha256(p), hex);
    ck_assert_uint_eq(pc_policy_clause_count(p), p->nclauses);
    ck_assert_uint_gt(p->nclauses, 100);
    ck_assert_uint_eq(p->nsections, 11);
    free(bytes);
    free(path);
    pc_policy_free(p);
}
END_TEST

/* Every object is found by its id, and is the one in the array. */
START_TEST(test_real_lookups)
{
    pc_policy *p = load_real();

#define CHECK_INDEX(arr, n, fn)                                                \
    do {                                                                       \
        ck_assert_uint_gt(p->n, 0);                                            \
        for (size_t i = 0; i < p->n; i++)                                      \
            ck_assert_ptr_eq(fn(p, p->arr[i].id), &p->arr[i]);                 \
        ck_assert_ptr_null(fn(p, "no-such-id"));                               \
    } while (0)
    CHECK_INDEX(clauses, nclauses, policy_clause);
    CHECK_INDEX(categories, ncategories, policy_category);
    CHECK_INDEX(elements, nelements, policy_element);
    CHECK_INDEX(sources, nsources, policy_source);
    CHECK_INDEX(purposes, npurposes, policy_purpose);
    CHECK_INDEX(recipient_types, nrecipient_types, policy_recipient_type);
    CHECK_INDEX(agreements, nagreements, policy_agreement);
    CHECK_INDEX(rights, nrights, policy_right);
    CHECK_INDEX(jurisdictions, njurisdictions, policy_jurisdiction);
    CHECK_INDEX(settings, nsettings, policy_setting);
    CHECK_INDEX(technologies, ntechnologies, policy_technology);
    CHECK_INDEX(integrations, nintegrations, policy_integration);
    CHECK_INDEX(bases, nbases, policy_basis);
#undef CHECK_INDEX
    /* Categories and elements are distinct namespaces. */
    ck_assert_ptr_null(policy_element(p, "identifiers"));
    ck_assert_ptr_null(policy_category(p, "identifiers.email"));
    pc_policy_free(p);
}
END_TEST

/* Derived facts of a few elements the design names. */
START_TEST(test_real_derived)
{
    pc_policy *p = load_real();
    const struct policy_element *e;
    const struct policy_category *sens = policy_category(p, "sensitive");

    ck_assert_ptr_nonnull(sens);
    /* A card number is billing and sensitive: only what both allow. */
    e = policy_element(p, "billing.card-number");
    ck_assert_ptr_nonnull(e);
    assert_strv(&e->categories, "billing sensitive", "card categories");
    ck_assert(e->sensitive);
    ck_assert(!e->shared_for_business);
    assert_strv(&e->collection, "direct", "card collection");
    for (size_t i = 0; i < e->purposes.n; i++)
        ck_assert_msg(strv_has(&sens->purposes, e->purposes.v[i]),
                      "card number permits '%s', beyond sensitive data",
                      e->purposes.v[i]);
    ck_assert(strv_has(&e->purposes, "payments"));
    ck_assert(!strv_has(&e->purposes, "marketing"));

    /* A password is an identifier and sensitive: direct only. */
    e = policy_element(p, "identifiers.password");
    ck_assert_ptr_nonnull(e);
    ck_assert(e->sensitive);
    assert_strv(&e->collection, "direct", "password collection");
    ck_assert(!strv_has(&e->purposes, "marketing"));

    /* An email address serves every general purpose. */
    e = policy_element(p, "identifiers.email");
    ck_assert_ptr_nonnull(e);
    ck_assert(!e->sensitive);
    ck_assert(e->shared_for_business);
    for (size_t i = 0; i < p->npurposes; i++) {
        const struct policy_purpose *u = &p->purposes[i];

        if (!u->prohibited && strcmp(u->scope, "general") == 0 &&
            u->prohibited_for.n == 0)
            ck_assert_msg(strv_has(&e->purposes, u->id),
                          "email lacks general purpose %s", u->id);
        if (u->prohibited)
            ck_assert(!strv_has(&e->purposes, u->id));
    }

    /* Calendar events: display only. */
    e = policy_element(p, "calendar.events");
    ck_assert_ptr_nonnull(e);
    assert_strv(&e->purposes, "calendar-display", "calendar purposes");

    /* SSN: only from its one source. */
    e = policy_element(p, "sensitive.ssn");
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_eq(e->only_from.n, 1);
    ck_assert_ptr_nonnull(policy_source(p, e->only_from.v[0]));
    pc_policy_free(p);
}
END_TEST

/* Whatever the data, the derivation keeps its promise: each permitted
 * purpose is allowed by every category of the element, each method is
 * allowed by every category, and sensitivity follows the categories. */
START_TEST(test_real_derivation_invariants)
{
    pc_policy *p = load_real();

    for (size_t i = 0; i < p->nelements; i++) {
        const struct policy_element *e = &p->elements[i];
        bool sensitive = false;

        ck_assert_uint_gt(e->categories.n, 0);
        ck_assert_uint_gt(e->collection.n, 0);
        for (size_t k = 0; k < e->categories.n; k++) {
            const struct policy_category *c =
                policy_category(p, e->categories.v[k]);

            ck_assert_ptr_nonnull(c);
            ck_assert_msg(strv_has(&c->members, e->id),
                          "%s missing from members of %s", e->id, c->id);
            sensitive = sensitive || c->sensitive;
            for (size_t m = 0; m < e->collection.n; m++)
                ck_assert(strv_has(&c->collection, e->collection.v[m]));
            for (size_t u = 0; u < e->purposes.n; u++) {
                const struct policy_purpose *pu =
                    policy_purpose(p, e->purposes.v[u]);

                ck_assert_ptr_nonnull(pu);
                ck_assert(!pu->prohibited);
                ck_assert(!strv_has(&pu->prohibited_for, c->id));
                ck_assert_msg(strv_has(&c->purposes, pu->id) ||
                                  (c->general_purposes &&
                                   strcmp(pu->scope, "general") == 0),
                              "%s: purpose %s not allowed by %s", e->id, pu->id,
                              c->id);
            }
        }
        ck_assert_int_eq(e->sensitive, sensitive);
        ck_assert(
            strv_has(&policy_category(p, e->categories.v[0])->elements, e->id));
    }
    pc_policy_free(p);
}
END_TEST

/* How many clauses of p do not quote the text at txt_path verbatim (runs
 * of white space compare as one space); each is named on stderr. */
static unsigned
fidelity_misses(const pc_policy *p, const char *txt_path)
{
    char *raw = tu_read(txt_path, NULL);
    char *text = tu_collapse(raw);
    unsigned missing = 0;

    for (size_t i = 0; i < p->nclauses; i++) {
        char *clause = tu_collapse(p->clauses[i].text);

        if (strstr(text, clause) == NULL) {
            fprintf(stderr, "%s:%u: clause %s is not verbatim in %s: %s\n",
                    p->file, p->clauses[i].line, p->clauses[i].id, txt_path,
                    clause);
            missing++;
        }
        free(clause);
    }
    free(text);
    free(raw);
    return missing;
}

/* The edited version policy diff is tested with quotes its own edited
 * text, as the published policy quotes the published one. */
START_TEST(test_v2_fidelity)
{
    char *path = tu_path("SRCDIR", "fixtures/policy-v2/serenepractice.xml");
    char *txt = tu_path("SRCDIR",
                        "fixtures/policy-v2/serenepractice-privacy-policy.txt");
    pc_policy *p = load_ok(path);
    unsigned missing = fidelity_misses(p, txt);

    ck_assert_msg(missing == 0, "%u clause(s) not verbatim in the text",
                  missing);
    pc_policy_free(p);
    free(path);
    free(txt);
}
END_TEST

/* The second pack's policy, a GDPR notice of another kind: every sentence
 * of its three sections is a clause quoting its published text. */
START_TEST(test_second_policy_fidelity)
{
    char *path = tu_path("SRCDIR", "policy/matrix-org.xml");
    char *txt_path = tu_path("SRCDIR", "policy/matrix-org-privacy-policy.txt");
    pc_policy *p = load_ok(path);
    size_t normative = 0;

    ck_assert_uint_eq(fidelity_misses(p, txt_path), 0);
    ck_assert_uint_eq(p->nsections, 3);
    for (size_t i = 0; i < p->nclauses; i++)
        normative += p->clauses[i].normative;
    ck_assert_uint_eq(p->nclauses, 241);
    ck_assert_uint_eq(normative, 129);
    pc_policy_free(p);
    free(path);
    free(txt_path);
}
END_TEST

/* Fidelity: every clause quotes the published text verbatim (runs of
 * white space compare as one space), and every section has clauses. */
START_TEST(test_real_fidelity)
{
    pc_policy *p = load_real();
    char *txt_path =
        tu_path("SRCDIR", "policy/serenepractice-privacy-policy.txt");
    unsigned missing = fidelity_misses(p, txt_path);

    ck_assert_msg(missing == 0, "%u clause(s) not verbatim in the text",
                  missing);

    ck_assert_uint_eq(p->nsections, 11);
    printf("clauses per section of %s (%zu in all):\n", pc_policy_id(p),
           p->nclauses);
    for (size_t s = 0; s < p->nsections; s++) {
        const struct policy_section *sec = &p->sections[s];
        char want[24];
        size_t normative = 0;

        snprintf(want, sizeof want, "%zu", s + 1);
        ck_assert_str_eq(sec->number, want);
        ck_assert_msg(sec->count > 0, "section %s has no clause", sec->number);
        for (size_t i = sec->first; i < sec->first + sec->count; i++) {
            ck_assert_str_eq(p->clauses[i].section, sec->number);
            normative += p->clauses[i].normative;
        }
        printf("  section %2s: %3zu clauses (%zu normative)  %s\n", sec->number,
               sec->count, normative, sec->title);
    }
    fflush(stdout);
    free(txt_path);
    pc_policy_free(p);
}
END_TEST

START_TEST(test_real_render)
{
    pc_policy *p = load_real();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ck_assert_int_eq(pc_policy_render_markdown(p, f), PC_OK);
    fclose(f);
    for (size_t s = 0; s < p->nsections; s++) {
        char heading[512];

        snprintf(heading, sizeof heading, "\n## %s. %s\n",
                 p->sections[s].number, p->sections[s].title);
        ck_assert_msg(strstr(buf, heading) != NULL, "no heading %s", heading);
    }
    /* Every clause is there under its id. */
    for (size_t i = 0; i < p->nclauses; i++) {
        char id[128];

        snprintf(id, sizeof id, "\n`%s`", p->clauses[i].id);
        ck_assert_msg(strstr(buf, id) != NULL, "clause %s not rendered",
                      p->clauses[i].id);
    }
    ck_assert_ptr_nonnull(strstr(buf, "### Rights by jurisdiction"));
    ck_assert_ptr_nonnull(strstr(buf, "| Right | US-CA |"));
    /* A right whose law sets its own deadline shows it, with the statute
     * that sets it, both in the jurisdiction's row and in the matrix. */
    ck_assert_ptr_nonnull(strstr(buf, "; `shine-the-light`: 30 days (Cal. "
                                      "Civ. Code § 1798.83(b)(1)) |"));
    ck_assert_ptr_nonnull(
        strstr(buf, "| `shine-the-light` | *required* (Cal. Civ. Code § "
                    "1798.83(a)), 30 days (Cal. Civ. Code § 1798.83(b)(1)) |"));
    free(buf);
    pc_policy_free(p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The small policy: every field read, every derivation exact. */

START_TEST(test_small_model)
{
    pc_policy *p = load_data("good.xml");
    const struct policy_jurisdiction *j;
    const struct policy_integration *g;
    const struct policy_purpose *u;
    const struct policy_setting *s;

    ck_assert_str_eq(p->id, "example");
    ck_assert_str_eq(p->published, "2024-01-01");
    ck_assert_str_eq(p->source, "example.txt");

    /* Text */
    ck_assert_uint_eq(p->nsections, 3);
    ck_assert_uint_eq(p->nclauses, 15);
    ck_assert_uint_eq(p->sections[1].first, 3);
    ck_assert_uint_eq(p->sections[1].count, 3);
    ck_assert_str_eq(p->sections[2].title, "Sharing, rights and the rest");
    ck_assert(policy_clause(p, "s1.contact")->normative);
    ck_assert(!policy_clause(p, "s1.lead-in")->normative);
    ck_assert_str_eq(policy_clause(p, "s2.news")->text,
                     "We send newsletters, and you can opt out.");
    ck_assert_str_eq(policy_clause(p, "s2.news")->section, "2");
    ck_assert_uint_eq(policy_clause(p, "s1.contact")->line, 9);

    /* Derived element facts */
    struct {
        const char *id, *purposes, *collection, *categories;
        bool sensitive, shared;
    } want[] = {
        { "contact.email", "service newsletter ads support", "direct automatic",
          "contact", false, true },
        /* narrowed by its own purposes, ads prohibited for it anyway */
        { "contact.phone", "service support", "direct automatic", "contact",
          false, true },
        /* contact and secret: only what both allow */
        { "contact.secret", "service", "direct", "contact secret", true,
          false },
        { "secret.pin", "service payment", "direct third-party", "secret", true,
          false },
        { "activity.log", "service newsletter ads", "automatic", "activity",
          false, true },
        { "places.saved", "display", "third-party", "places", false, false },
    };
    ck_assert_uint_eq(p->nelements, NELEM(want));
    for (size_t i = 0; i < NELEM(want); i++) {
        const struct policy_element *e = policy_element(p, want[i].id);

        ck_assert_ptr_nonnull(e);
        assert_strv(&e->purposes, want[i].purposes, want[i].id);
        assert_strv(&e->collection, want[i].collection, want[i].id);
        assert_strv(&e->categories, want[i].categories, want[i].id);
        ck_assert_int_eq(e->sensitive, want[i].sensitive);
        ck_assert_int_eq(e->shared_for_business, want[i].shared);
    }
    assert_strv(&policy_element(p, "contact.secret")->only_from,
                "payments-page", "only-from");
    assert_strv(&policy_element(p, "contact.phone")->own_purposes,
                "service support", "own purposes");
    assert_strv(&policy_category(p, "contact")->elements,
                "contact.email contact.phone contact.secret", "elements");
    assert_strv(&policy_category(p, "secret")->members,
                "contact.secret secret.pin", "members");

    /* Purposes */
    u = policy_purpose(p, "support");
    ck_assert_str_eq(u->needs, "none"); /* the default */
    ck_assert_str_eq(u->scope, "listed");
    u = policy_purpose(p, "payment");
    ck_assert_str_eq(u->needs, "consent");
    ck_assert(u->internal_only);
    ck_assert_ptr_null(policy_purpose(p, "display")->title);
    u = policy_purpose(p, "sale");
    ck_assert(u->prohibited);
    ck_assert_ptr_null(u->scope);
    assert_strv(&policy_purpose(p, "ads")->prohibited_for,
                "secret contact.phone", "prohibited-for");

    /* Disclosures */
    ck_assert_str_eq(policy_recipient_type(p, "partner")->needs, "consent");
    ck_assert_ptr_null(policy_recipient_type(p, "partner")->title);
    ck_assert_str_eq(policy_agreement(p, "dpa")->subject, "client");

    /* Rights */
    ck_assert_str_eq(p->appeal_channel, "email");
    ck_assert_str_eq(p->appeal_subject, "Appeal");
    assert_strv(&p->appeal_clauses, "s3.appeal", "appeal clauses");
    ck_assert(policy_right(p, "access")->verify);
    ck_assert_str_eq(policy_right(p, "yearly")->frequency, "P1Y");
    ck_assert_ptr_null(policy_right(p, "access")->frequency);
    j = policy_jurisdiction(p, "ZZ-A");
    ck_assert_int_eq(j->deadline_days, 30);
    ck_assert_int_eq(j->extension_days, 15);
    ck_assert_str_eq(j->deadline_statute, "RA § 2");
    ck_assert(j->appeal_required);
    ck_assert_int_eq(j->appeal_days, 40);
    ck_assert_int_eq(j->appeal_extension_days, 20);
    assert_strv(&j->requires, "access deletion", "requires");
    assert_strv(&j->requires_statutes, "RA § 4 RA § 5", "statutes");
    assert_strv(&j->offers, "yearly", "offers");
    j = policy_jurisdiction(p, "ZZ-B");
    ck_assert(!j->appeal_required);
    ck_assert_int_eq(j->appeal_days, 0);
    ck_assert_int_eq(j->deadline_days, 60);
    ck_assert_str_eq(j->effective, "2023-06-01");

    /* Retention, security, settings */
    assert_strv(&p->retention_bases, "account-open", "bases");
    ck_assert_ptr_eq(policy_basis(p, "account-open"), &p->bases[0]);
    assert_strv(&p->encrypt_categories, "secret contact.secret", "encrypted");
    assert_strv(&p->encrypt_clauses, "s3.tls s1.secret", "encrypt clauses");
    s = policy_setting(p, "grace");
    ck_assert_str_eq(s->type, "duration");
    ck_assert_str_eq(s->value, "P30D");
    ck_assert(s->organisation);
    ck_assert_str_eq(s->why, "The text gives no period.");

    /* Tracking, children, transfers, integrations */
    ck_assert_ptr_nonnull(policy_technology(p, "cookie"));
    assert_strv(&p->tracking_collects, "activity.log", "collects");
    ck_assert_int_eq(p->children_min_age, 16);
    assert_strv(&p->transfer_countries, "CA", "countries");
    ck_assert(!p->transfer_other_countries);
    g = policy_integration(p, "maps");
    ck_assert_str_eq(g->provider, "mapco");
    ck_assert(!g->store);
    ck_assert(!g->transfer);
    assert_strv(&g->scopes,
                "https://maps.example/auth/read "
                "https://maps.example/auth/places",
                "scopes");
    assert_strv(&g->scope_clauses[1], "s3.maps s3.where", "scope clauses");
    pc_policy_free(p);
    pc_policy_free(NULL);
}
END_TEST

START_TEST(test_small_render)
{
    pc_policy *p = load_data("good.xml");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    static const char *const want[] = {
        "# Example Privacy Policy\n",
        "\n## 1. What we collect\n",
        "\n## 3. Sharing, rights and the rest\n",
        "`s1.contact`\n\n> We collect your email address and phone number.\n",
        "`s1.lead-in` (not normative",
        "Cited by: category `contact`, element `contact.email`",
        "| `contact.secret` | Secret number | `contact`, `secret` | `direct` "
        "| `service` | yes | no | `payments-page` |",
        "| `payment` | Payment | listed | **consent** | yes | no |",
        "| `ads` | Advertising | general | **honoured opt-out** | no | "
        "**for** `secret`, `contact.phone` |",
        "| `sale` | Sale | — | — | no | **always** |",
        "| `access` | *required* (RA § 4), 30 days (RA § 2) | *offered*, 60 "
        "days (RB § 2) |",
        "| `yearly` | *offered*, 30 days (RA § 2) | — |",
        "required: 40 days, extension 20 (RA § 3)",
        "| `grace` | duration | `P30D` | **yes** (organisation default) |",
        "under 16",
        "- `https://maps.example/auth/places` (`s3.maps`, `s3.where`)",
    };

    ck_assert_int_eq(pc_policy_render_markdown(p, f), PC_OK);
    fclose(f);
    for (size_t i = 0; i < NELEM(want); i++)
        ck_assert_msg(strstr(buf, want[i]) != NULL,
                      "render lacks \"%s\" in:\n%s", want[i], buf);
    free(buf);
    pc_policy_free(p);
}
END_TEST

/* A write error is reported, not swallowed. */
START_TEST(test_render_write_error)
{
    pc_policy *p = load_data("good.xml");
    FILE *f = fopen("/dev/full", "w");

    if (f == NULL) {
        pc_policy_free(p);
        return; /* no /dev/full here */
    }
    ck_assert_int_eq(pc_policy_render_markdown(p, f), PC_EIO);
    fclose(f);
    pc_policy_free(p);
}
END_TEST

/* Without a schema the loader still reads a good policy, and a
 * malformed one is reported, not crashed on. */
START_TEST(test_no_schema)
{
    char path[512];
    pc_diags *d = pc_diags_new();
    pc_policy *p = NULL;
    char *bad;

    snprintf(path, sizeof path, "%s/policy/good.xml", tu_env("TESTDATA"));
    ck_assert_int_eq(pc_policy_load(path, NULL, d, &p), PC_OK);
    pc_policy_free(p);
    p = NULL;

    bad = tu_tmpfile_str(
        ".xml", "<policy xmlns=\"urn:privcheck:policy:1\" id=\"x\">\n"
                "  <section number=\"one\"><clause>no id</clause></section>\n"
                "  <categories><category id=\"c\"><element/></category>"
                "</categories>\n"
                "  <purposes><purpose/></purposes>\n"
                "  <jurisdictions><jurisdiction id=\"ZZ\"><requires/>"
                "</jurisdiction></jurisdictions>\n"
                "  <stray/>\n"
                "</policy>\n");
    ck_assert_int_eq(pc_policy_load(bad, NULL, d, &p), PC_EINVALID);
    ck_assert_ptr_null(p);
    ck_assert_ptr_nonnull(
        tu_diag_find(d, "<policy> needs the version attribute"));
    ck_assert_ptr_nonnull(tu_diag_find(d, "<clause> needs the id attribute"));
    ck_assert_ptr_nonnull(tu_diag_find(d, "not a positive integer"));
    ck_assert_ptr_nonnull(tu_diag_find(d, "unexpected <stray>"));
    ck_assert_ptr_nonnull(tu_diag_find(d, "needs a <deadline>"));
    unlink(bad);
    free(bad);
    pc_diags_free(d);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Integrity errors, one class per broken policy. */

static const struct {
    const char *file;
    const char *message; /* substring of the diagnostic */
    const char *marker;  /* text on the line it must point at */
} broken[] = {
    { "dup-id.xml", "duplicate purpose id 'service' (first defined on line ",
      "title=\"Service again\"" },
    { "unknown-clause.xml",
      "unknown clause 's1.nowhere' in clauses of <element "
      "id=\"contact.email\">",
      "s1.nowhere" },
    { "unknown-purpose.xml",
      "unknown purpose 'helpdesk' in purposes of <element "
      "id=\"contact.phone\">",
      "helpdesk" },
    { "unknown-also.xml",
      "unknown category 'secrets' in also of <element "
      "id=\"contact.secret\">",
      "also=\"secrets\"" },
    { "unknown-right.xml",
      "unknown right 'portability' in right of <requires> in "
      "<jurisdiction id=\"ZZ-A\">",
      "right=\"portability\"" },
    { "wrong-section.xml",
      "clause 's3.never-sell' is in section 2 but its id names section 3",
      "<clause id=\"s3.never-sell\">" },
    { "section-order.xml", "section 2 comes after section 2",
      "<section number=\"2\" title=\"Sharing" },
    { "bad-prefix.xml",
      "element id 'contact.pin' does not start with its category 'secret.'",
      "id=\"contact.pin\"" },
    { "bad-narrow.xml",
      "element 'places.saved' lists purpose 'service', which its "
      "categories do not permit",
      "purposes=\"service\"" },
    { "member-of-two.xml",
      "jurisdiction 'ZZ-B' lists member 'ZZ-X', which is already a member "
      "of 'ZZ-A' (line ",
      "members=\"ZZ-M ZZ-X\"" },
    { "member-is-jurisdiction.xml",
      "jurisdiction 'ZZ-B' lists member 'ZZ-A', which is a jurisdiction of "
      "its own (line ",
      "members=\"ZZ-M ZZ-A\"" },
    /* A multi-line start tag: libxml2 gives the line its '>' is on. */
    { "listed-prohibited.xml",
      "category 'places' lists purpose 'sale', which the policy prohibits",
      "clauses=\"s3.maps\">" },
};

START_TEST(test_broken)
{
    char path[512], *schema = schema_path();
    pc_diags *d = pc_diags_new();
    pc_policy *p = (pc_policy *)&path; /* must stay untouched */
    const struct pc_diag *g;
    unsigned line;
    pc_status st;

    snprintf(path, sizeof path, "%s/policy/%s", tu_env("TESTDATA"),
             broken[_i].file);
    st = pc_policy_load(path, schema, d, &p);
    ck_assert_msg(st == PC_EINVALID, "%s: status %s", broken[_i].file,
                  pc_status_str(st));
    ck_assert_ptr_eq(p, (pc_policy *)&path);
    g = tu_diag_find(d, broken[_i].message);
    if (g == NULL) {
        char *text = tu_diags_text(d);
        ck_abort_msg("%s: no diagnostic \"%s\"; got:\n%s", broken[_i].file,
                     broken[_i].message, text);
    }
    line = tu_line_of(path, broken[_i].marker);
    ck_assert_str_eq(g->loc.file, path);
    ck_assert_msg(g->loc.line == line, "%s: reported at line %u, want %u",
                  broken[_i].file, g->loc.line, line);
    ck_assert_int_eq(g->severity, PC_SEV_ERROR);
    pc_diags_free(d);
    free(schema);
}
END_TEST

/* A group's members are found as the group, and are names the policy
 * knows; a code that is neither stays unknown. */
START_TEST(test_jurisdiction_members)
{
    char path[512], *schema = schema_path();
    pc_diags *d = pc_diags_new();
    pc_policy *p = NULL;
    struct strv names = STRV_INIT;
    const struct policy_jurisdiction *b;

    snprintf(path, sizeof path, "%s/policy/members.xml", tu_env("TESTDATA"));
    ck_assert_int_eq(pc_policy_load(path, schema, d, &p), PC_OK);
    b = policy_jurisdiction(p, "ZZ-B");
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_eq(policy_jurisdiction(p, "ZZ-M"), b);
    ck_assert_ptr_eq(policy_jurisdiction(p, "ZZ-N"), b);
    ck_assert_ptr_null(policy_jurisdiction(p, "ZZ-O"));
    ck_assert_ptr_ne(policy_jurisdiction(p, "ZZ-A"), b);
    ck_assert_uint_eq(b->members.n, 2);
    ck_assert_int_eq(policy_names(p, "jurisdiction", &names), PC_OK);
    ck_assert_uint_eq(names.n, 4);
    ck_assert(strv_has(&names, "ZZ-M") && strv_has(&names, "ZZ-N"));
    strv_free(&names);
    pc_policy_free(p);
    pc_diags_free(d);
    free(schema);
}
END_TEST

/* The duplicate names where the first one is. */
START_TEST(test_duplicate_first_line)
{
    char path[512], want[128], *schema = schema_path();
    pc_diags *d = pc_diags_new();
    pc_policy *p = NULL;

    snprintf(path, sizeof path, "%s/policy/dup-id.xml", tu_env("TESTDATA"));
    ck_assert_int_eq(pc_policy_load(path, schema, d, &p), PC_EINVALID);
    snprintf(want, sizeof want, "(first defined on line %u)",
             tu_line_of(path, "<purpose id=\"service\" title=\"Providing"));
    ck_assert_ptr_nonnull(tu_diag_find(d, want));
    pc_diags_free(d);
    free(schema);
}
END_TEST

/* Every problem is reported, not just the first. */
START_TEST(test_many_errors)
{
    static const char *const want[] = {
        "duplicate technology id 'cookie'",
        "unknown clause 's1.gone'",
        "unknown category 'secrets'",
        "unknown source 'nowhere-page'",
        "unknown right 'acces'",
        "unknown element 'activity.logs'",
    };
    char path[512], *schema = schema_path();
    pc_diags *d = pc_diags_new();
    pc_policy *p = NULL;

    snprintf(path, sizeof path, "%s/policy/many-errors.xml",
             tu_env("TESTDATA"));
    ck_assert_int_eq(pc_policy_load(path, schema, d, &p), PC_EINVALID);
    ck_assert_ptr_null(p);
    for (size_t i = 0; i < NELEM(want); i++)
        ck_assert_msg(tu_diag_find(d, want[i]) != NULL, "missing: %s", want[i]);
    ck_assert_uint_eq(pc_diags_errors(d), NELEM(want));
    pc_diags_free(d);
    free(schema);
}
END_TEST

/* A schema violation is reported with its line, and stops the load. */
START_TEST(test_schema_violation)
{
    static const char anchor[] = "<source id=\"payments-page\"";
    char *schema = schema_path();
    char *good = tu_path("TESTDATA", "policy/good.xml");
    char *text = tu_read(good, NULL), *at, *path, *bad;
    pc_diags *d = pc_diags_new();
    pc_policy *p = NULL;
    const struct pc_diag *g;
    size_t head;

    /* An attribute the format does not have. */
    at = strstr(text, anchor);
    ck_assert_ptr_nonnull(at);
    head = (size_t)(at - text);
    bad = malloc(strlen(text) + 32);
    ck_assert_ptr_nonnull(bad);
    snprintf(bad, strlen(text) + 32, "%.*s<source bogus=\"1\"%s", (int)head,
             text, at + strlen("<source"));
    path = tu_tmpfile_str(".xml", bad);
    ck_assert_int_eq(pc_policy_load(path, schema, d, &p), PC_EINVALID);
    ck_assert_ptr_null(p);
    ck_assert_uint_gt(pc_diags_errors(d), 0);
    g = pc_diags_get(d, 0);
    ck_assert_str_eq(g->loc.file, path);
    ck_assert_uint_eq(g->loc.line, tu_line_of(path, "bogus="));
    unlink(path);
    free(path);
    free(bad);
    free(text);
    free(good);
    free(schema);
    pc_diags_free(d);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Hostile policy files */

START_TEST(test_hostile_entity)
{
    char secret[64], doc[1024], *secret_path, *path, *schema = schema_path();
    pc_diags *d = pc_diags_new();
    pc_policy *p = NULL;

    snprintf(secret, sizeof secret, "POLICY-SECRET-%ld-%d", (long)getpid(),
             rand());
    secret_path = tu_tmpfile_str(".txt", secret);
    snprintf(doc, sizeof doc,
             "<?xml version=\"1.0\"?>\n"
             "<!DOCTYPE p [<!ENTITY x SYSTEM \"file://%s\">]>\n"
             "<policy xmlns=\"urn:privcheck:policy:1\" id=\"x\" version=\"1\" "
             "title=\"&x;\" published=\"2024-01-01\" source=\"x.txt\">\n"
             "  <section number=\"1\" title=\"T\">"
             "<clause id=\"s1.a\">&x;</clause></section>\n"
             "</policy>\n",
             secret_path);
    path = tu_tmpfile_str(".xml", doc);
    ck_assert_int_ne(pc_policy_load(path, schema, d, &p), PC_OK);
    ck_assert_ptr_null(p);
    ck_assert_uint_gt(pc_diags_errors(d), 0);
    ck_assert_ptr_nonnull(tu_diag_find(d, "DOCTYPE"));
    ck_assert(!tu_diags_mention(d, secret));
    unlink(path);
    unlink(secret_path);
    free(path);
    free(secret_path);
    free(schema);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_hostile_xinclude)
{
    char secret[64], doc[1024], *secret_path, *path, *schema = schema_path();
    pc_diags *d = pc_diags_new();
    pc_policy *p = NULL;

    snprintf(secret, sizeof secret, "XINCLUDE-SECRET-%ld-%d", (long)getpid(),
             rand());
    secret_path = tu_tmpfile_str(".txt", secret);
    snprintf(doc, sizeof doc,
             "<policy xmlns=\"urn:privcheck:policy:1\" "
             "xmlns:xi=\"http://www.w3.org/2001/XInclude\" id=\"x\" "
             "version=\"1\" title=\"t\" published=\"2024-01-01\" "
             "source=\"x.txt\">\n"
             "  <section number=\"1\" title=\"T\"><clause id=\"s1.a\">"
             "<xi:include href=\"%s\" parse=\"text\"/></clause></section>\n"
             "</policy>\n",
             secret_path);
    path = tu_tmpfile_str(".xml", doc);
    /* Not expanded, so not valid: a clause holds text only. */
    ck_assert_int_ne(pc_policy_load(path, schema, d, &p), PC_OK);
    ck_assert_ptr_null(p);
    ck_assert(!tu_diags_mention(d, secret));
    unlink(path);
    unlink(secret_path);
    free(path);
    free(secret_path);
    free(schema);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_not_a_policy)
{
    char *schema = schema_path();
    char *path = tu_tmpfile_str(".xml", "<rules xmlns=\"urn:privcheck:"
                                        "rules:1\"/>\n");
    pc_diags *d = pc_diags_new();
    pc_policy *p = NULL;

    ck_assert_int_ne(pc_policy_load(path, schema, d, &p), PC_OK);
    ck_assert_ptr_null(p);
    ck_assert_uint_gt(pc_diags_errors(d), 0);
    pc_diags_clear(d);
    /* Without the schema the loader says so itself. */
    ck_assert_int_eq(pc_policy_load(path, NULL, d, &p), PC_EINVALID);
    ck_assert_ptr_nonnull(tu_diag_find(d, "root element must be <policy>"));
    ck_assert_int_eq(pc_policy_load("/nonexistent.xml", schema, d, &p), PC_EIO);
    unlink(path);
    free(path);
    free(schema);
    pc_diags_free(d);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Disclosure classes (DESIGN §6) against the real policy. */

static const struct {
    const char *element, *purpose;
    enum disclose_class cls;
    const char *clause;
} data_cases[] = {
    { "identifiers.email", "account", DISCLOSE_CLEAR, "s2.identifiers" },
    { "identifiers.email", NULL, DISCLOSE_CLEAR, "s2.identifiers" },
    /* Only the category is named: vague, cited by the category. */
    { "identifiers", "account", DISCLOSE_VAGUE, "s2.identifiers" },
    /* Nothing covers it, whatever the purpose. */
    { "health.condition", "account", DISCLOSE_OMITTED, NULL },
    { "location.precise", NULL, DISCLOSE_OMITTED, NULL },
    /* The policy says it does not happen. */
    { "sensitive.religion", "sale", DISCLOSE_INCORRECT, "s8.not-sold" },
    { "identifiers.email", "sale", DISCLOSE_INCORRECT, "s8.not-sold" },
    { "sensitive.login", "targeted-advertising", DISCLOSE_INCORRECT,
      "s8.sensitive-no-ads" },
    /* Prohibited for sensitive data only, through a second category. */
    { "billing.card-number", "targeted-advertising", DISCLOSE_INCORRECT,
      "s8.sensitive-no-ads" },
    { "identifiers.email", "targeted-advertising", DISCLOSE_CLEAR,
      "s2.identifiers" },
    /* An undeclared purpose is the purpose's class, not the data's. */
    { "identifiers.email", "lead-generation", DISCLOSE_CLEAR,
      "s2.identifiers" },
};

START_TEST(test_disclose_data)
{
    pc_policy *p = load_real();
    struct disclose_verdict v =
        disclose_data(p, data_cases[_i].element, data_cases[_i].purpose);

    ck_assert_msg(v.cls == data_cases[_i].cls, "%s for %s: %s, want %s",
                  data_cases[_i].element,
                  data_cases[_i].purpose ? data_cases[_i].purpose : "-",
                  disclose_class_str(v.cls),
                  disclose_class_str(data_cases[_i].cls));
    if (data_cases[_i].clause == NULL)
        ck_assert_ptr_null(v.clause);
    else
        ck_assert_str_eq(v.clause, data_cases[_i].clause);
    pc_policy_free(p);
}
END_TEST

START_TEST(test_disclose_purpose_recipient)
{
    pc_policy *p = load_real();
    const char *plain[] = { "identifiers.email", "identifiers" };
    const char *sens[] = { "identifiers.email", "sensitive.login" };
    struct disclose_verdict v;

    v = disclose_purpose(p, "account", plain, 2);
    ck_assert_int_eq(v.cls, DISCLOSE_CLEAR);
    ck_assert_str_eq(v.clause, "s3.account");
    v = disclose_purpose(p, "lead-generation", plain, 2);
    ck_assert_int_eq(v.cls, DISCLOSE_OMITTED);
    ck_assert_ptr_null(v.clause);
    v = disclose_purpose(p, "sale", plain, 0);
    ck_assert_int_eq(v.cls, DISCLOSE_INCORRECT);
    ck_assert_str_eq(v.clause, "s8.not-sold");
    v = disclose_purpose(p, "targeted-advertising", plain, 2);
    ck_assert_int_eq(v.cls, DISCLOSE_CLEAR);
    v = disclose_purpose(p, "targeted-advertising", sens, 2);
    ck_assert_int_eq(v.cls, DISCLOSE_INCORRECT);
    ck_assert_str_eq(v.clause, "s8.sensitive-no-ads");

    v = disclose_recipient(p, "service-provider");
    ck_assert_int_eq(v.cls, DISCLOSE_CLEAR);
    ck_assert_str_eq(v.clause, "s4.share-consent");
    v = disclose_recipient(p, "data-broker");
    ck_assert_int_eq(v.cls, DISCLOSE_OMITTED);
    ck_assert_ptr_null(v.clause);
    pc_policy_free(p);
}
END_TEST

/* Is kind:id among the stale disclosures? */
static bool
stale_has(const struct disclose_stale *v, size_t n, const char *kind,
          const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].kind, kind) == 0 && strcmp(v[i].id, id) == 0)
            return true;
    return false;
}

START_TEST(test_disclose_stale)
{
    pc_policy *p = load_real();
    pc_results *r = pc_results_new();
    struct disclose_stale *v = NULL;
    size_t n = 0, all;
    bool noted;

    /* Nothing done: every category, every purpose but those ruled out,
     * every recipient type and technology is stale. */
    ck_assert_int_eq(disclose_stale(p, r, &v, &n), PC_OK);
    all = n;
    ck_assert(stale_has(v, n, "category", "identifiers"));
    ck_assert(!stale_has(v, n, "element", "identifiers.email"));
    ck_assert(stale_has(v, n, "purpose", "account"));
    ck_assert(!stale_has(v, n, "purpose", "sale"));
    ck_assert(stale_has(v, n, "recipient-type", "service-provider"));
    ck_assert(stale_has(v, n, "technology", "cookie"));
    ck_assert_uint_eq(all, p->ncategories + p->nrecipient_types +
                               p->ntechnologies + p->npurposes - 2);
    free(v);

    /* Email collected: its category is used, its siblings are stale. */
    ck_assert_int_eq(disclose_note(r, "category", "identifiers"), PC_OK);
    ck_assert_int_eq(disclose_note(r, "element", "identifiers.email"), PC_OK);
    ck_assert_int_eq(disclose_note(r, "purpose", "account"), PC_OK);
    ck_assert_int_eq(disclose_note(r, "purpose", "account"), PC_OK);
    ck_assert_int_eq(disclose_noted(r, "purpose", "account", &noted), PC_OK);
    ck_assert(noted);
    ck_assert_int_eq(disclose_noted(r, "element", "account", &noted), PC_OK);
    ck_assert(!noted);
    ck_assert_int_eq(disclose_stale(p, r, &v, &n), PC_OK);
    ck_assert(!stale_has(v, n, "category", "identifiers"));
    ck_assert(!stale_has(v, n, "element", "identifiers.email"));
    ck_assert(stale_has(v, n, "element", "identifiers.name"));
    ck_assert(!stale_has(v, n, "purpose", "account"));
    ck_assert(stale_has(v, n, "purpose", "marketing"));
    free(v);
    pc_results_free(r);
    pc_policy_free(p);
}
END_TEST

/* Periods of months from a date keep the day of the month and clamp it
 * to the month's last day; their shortest and longest spans are exact. */
START_TEST(test_period_calendar)
{
    static const struct {
        const char *start, *period, *end;
    } add[] = {
        { "2027-01-15", "P1M", "2027-02-15" },
        { "2027-01-31", "P1M", "2027-02-28" },
        { "2028-01-31", "P1M", "2028-02-29" },
        { "2027-03-31", "P1M", "2027-04-30" },
        { "2027-12-31", "P2M", "2028-02-29" },
        { "2027-11-30", "P3M", "2028-02-29" },
        { "2028-02-29", "P1Y", "2029-02-28" },
        { "2027-01-31", "P1M1D", "2027-03-01" },
        { "2027-12-25", "P10D", "2028-01-04" },
        { "2027-02-01", "P4W", "2027-03-01" },
    };
    static const struct {
        const char *period;
        long shortest, longest;
    } span[] = {
        { "P1M", 28, 31 },   { "P2M", 59, 62 },     { "P3M", 89, 92 },
        { "P1Y", 365, 366 }, { "P30D", 30, 30 },    { "P1M2D", 30, 33 },
        { "P2W", 14, 14 },   { "P1Y1M", 393, 397 },
    };
    static const char *const bad[] = { "",      "P",     "1M",    "P1",
                                       "PM",    "P1M1Y", "P1D1M", "P1MT2H",
                                       "P1.5M", "P-1M",  "P1M1M", "P999999D" };
    struct period d;
    char buf[64];

    for (size_t i = 0; i < sizeof add / sizeof add[0]; i++) {
        long y;
        int m, day;

        ck_assert(sscanf(add[i].start, "%ld-%d-%d", &y, &m, &day) == 3);
        ck_assert_msg(period_parse(add[i].period, &d), "%s", add[i].period);
        period_add(&d, &y, &m, &day);
        snprintf(buf, sizeof buf, "%04ld-%02d-%02d", y, m, day);
        ck_assert_msg(strcmp(buf, add[i].end) == 0, "%s + %s: %s, not %s",
                      add[i].start, add[i].period, buf, add[i].end);
    }
    for (size_t i = 0; i < sizeof span / sizeof span[0]; i++) {
        ck_assert(period_parse(span[i].period, &d));
        ck_assert_int_eq(period_shortest(&d), span[i].shortest);
        ck_assert_int_eq(period_longest(&d), span[i].longest);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!period_parse(bad[i], &d), "'%s' parsed", bad[i]);
    period_label("P2M", 59, buf, sizeof buf);
    ck_assert_str_eq(buf, "2 months (P2M, 59 days at the shortest)");
    period_label(NULL, 45, buf, sizeof buf);
    ck_assert_str_eq(buf, "45 days");
}
END_TEST

/* The second pack's deadlines are one month and two more: a promise in
 * days meets them from every date only within the shortest spans. */
START_TEST(test_second_policy_deadlines)
{
    char *path = tu_path("SRCDIR", "policy/matrix-org.xml");
    pc_policy *p = load_ok(path);
    const struct policy_jurisdiction *j = policy_jurisdiction(p, "GB");

    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(j->deadline_period, "P1M");
    ck_assert_int_eq(j->deadline_days, 28);
    ck_assert_str_eq(j->extension_period, "P2M");
    ck_assert_int_eq(j->extension_days, 59);
    pc_policy_free(p);
    free(path);
    /* SerenePractice's days stay days. */
    p = load_real();
    j = policy_jurisdiction(p, "US-CA");
    ck_assert_ptr_nonnull(j);
    ck_assert_ptr_null(j->deadline_period);
    ck_assert_int_eq(j->deadline_days, 45);
    pc_policy_free(p);
}
END_TEST

static Suite *
policy_suite(void)
{
    Suite *s = suite_create("policy");
    TCase *tc;

    tc = tcase_create("real");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_real_loads);
    tcase_add_test(tc, test_period_calendar);
    tcase_add_test(tc, test_second_policy_deadlines);
    tcase_add_test(tc, test_real_lookups);
    tcase_add_test(tc, test_real_derived);
    tcase_add_test(tc, test_real_derivation_invariants);
    tcase_add_test(tc, test_real_fidelity);
    tcase_add_test(tc, test_v2_fidelity);
    tcase_add_test(tc, test_second_policy_fidelity);
    tcase_add_test(tc, test_real_render);
    suite_add_tcase(s, tc);

    tc = tcase_create("disclose");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_disclose_data, 0, NELEM(data_cases));
    tcase_add_test(tc, test_disclose_purpose_recipient);
    tcase_add_test(tc, test_disclose_stale);
    suite_add_tcase(s, tc);

    tc = tcase_create("small");
    tcase_add_test(tc, test_small_model);
    tcase_add_test(tc, test_small_render);
    tcase_add_test(tc, test_render_write_error);
    tcase_add_test(tc, test_no_schema);
    suite_add_tcase(s, tc);

    tc = tcase_create("integrity");
    tcase_add_loop_test(tc, test_broken, 0, NELEM(broken));
    tcase_add_test(tc, test_duplicate_first_line);
    tcase_add_test(tc, test_jurisdiction_members);
    tcase_add_test(tc, test_many_errors);
    tcase_add_test(tc, test_schema_violation);
    suite_add_tcase(s, tc);

    tc = tcase_create("hostile");
    tcase_add_test(tc, test_hostile_entity);
    tcase_add_test(tc, test_hostile_xinclude);
    tcase_add_test(tc, test_not_a_policy);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    int rc;

    srand((unsigned)getpid());
    rc = tu_run(policy_suite());
    xml_cleanup();
    return rc;
}
