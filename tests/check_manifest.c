/* check_manifest.c - the manifest format and its streaming reader: the
 * DESIGN example streams as the exact sequence of visits, the compliant
 * fixtures validate, every kind of invalid manifest fails with its line,
 * the visitor can stop the read, hostile inputs (entities, XInclude,
 * encodings, compression, shapes that cost libxml2 dearly) fail without
 * leaking what they point at, and a big manifest streams. */
#include "config.h"

#include "diag.h"
#include "facet-xml.h"
#include "manifest.h"
#include "sha256.h"
#include "strbuf.h"
#include "xml.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ helpers */

static char path_buf[4][4096];
static unsigned path_next;

/* $ENV/rel (or fallback/rel), in one of a few rotating buffers. */
static const char *
env_path(const char *env, const char *fallback, const char *rel)
{
    const char *root = getenv(env);
    char *buf = path_buf[path_next++ % NELEM(path_buf)];

    if (root == NULL || *root == '\0')
        root = fallback;
    snprintf(buf, sizeof path_buf[0], "%s/%s", root, rel);
    return buf;
}

static const char *
data(const char *rel)
{
    return env_path("TESTDATA", "tests/data", rel);
}

static const char *
src(const char *rel)
{
    return env_path("SRCDIR", ".", rel);
}

static const char *
schema(void)
{
    return src("checker/manifest.rng");
}

/* What the visitor saw. */
struct rec {
    struct strbuf log; /* one line per visit, unless quiet */
    bool quiet;
    unsigned starts, ends, open, max_depth;
    unsigned stop_at; /* return PC_EINVALID on this visit (1-based) */
    pc_status stop_status;
    /* for the big manifest */
    unsigned flows, fields, last_flow_line, last_field_line;
    char last_flow_id[32];
    unsigned checked_lines; /* fields whose line was checked */
    bool bad_field_line;
    struct manifest_limits lim; /* zeros: the defaults */
};

static pc_status
rec_visit(void *ctx, const struct manifest_node *n, bool end)
{
    struct rec *r = ctx;

    ck_assert_ptr_nonnull(n->kind);
    if (end) {
        ck_assert_uint_eq(n->nattrs, 0);
        ck_assert_uint_gt(r->open, 0);
        r->open--;
        r->ends++;
    } else {
        ck_assert(n->nattrs == 0 || n->attrs != NULL);
        r->open++;
        r->starts++;
        if (n->depth > r->max_depth)
            r->max_depth = n->depth;
    }
    if (!r->quiet) {
        ck_assert_int_eq(strbuf_printf(&r->log, "%c %s %u %u", end ? 'E' : 'S',
                                       n->kind, n->line, n->depth),
                         PC_OK);
        for (size_t i = 0; i < n->nattrs; i++)
            ck_assert_int_eq(strbuf_printf(&r->log, " %s=%s", n->attrs[i].name,
                                           n->attrs[i].value),
                             PC_OK);
        ck_assert_int_eq(strbuf_putc(&r->log, '\n'), PC_OK);
    }
    if (!end && strcmp(n->kind, "flow") == 0) {
        const char *id = manifest_attr(n, "id");

        r->flows++;
        r->last_flow_line = n->line;
        snprintf(r->last_flow_id, sizeof r->last_flow_id, "%s",
                 id != NULL ? id : "");
    }
    if (!end && strcmp(n->kind, "field") == 0) {
        r->fields++;
        r->last_field_line = n->line;
        /* In the big manifest each field sits on the line after its
         * flow's start tag, at every size (libxml2 2.9 keeps element
         * lines in 16 bits; xml.c finds start tags itself). */
        if (r->quiet) {
            r->checked_lines++;
            if (n->line != r->last_flow_line + 1)
                r->bad_field_line = true;
        }
    }
    if (r->stop_at != 0 && r->starts + r->ends == r->stop_at)
        return r->stop_status;
    return PC_OK;
}

static void
rec_free(struct rec *r)
{
    strbuf_free(&r->log);
}

/* Is there a diagnostic of severity `sev` at `line` (0: any line) whose
 * message contains `needle` (NULL: any)? */
static bool
has_diag(const pc_diags *d, pc_severity sev, unsigned line, const char *needle)
{
    for (size_t i = 0; i < pc_diags_count(d); i++) {
        const struct pc_diag *g = pc_diags_get(d, i);

        if (g->severity == sev && (line == 0 || g->loc.line == line) &&
            (needle == NULL || strstr(g->message, needle) != NULL))
            return true;
    }
    return false;
}

static void
dump_diags(const pc_diags *d)
{
    pc_diags_print(d, stderr);
}

/* The first line of /etc/passwd (or a stand-in if there is none): no
 * diagnostic and no visit may ever contain it. */
static char passwd_line[256] = "root:x:0:0:";

static void
load_passwd_line(void)
{
    FILE *f = fopen("/etc/passwd", "r");

    if (f == NULL)
        return;
    if (fgets(passwd_line, sizeof passwd_line, f) != NULL)
        passwd_line[strcspn(passwd_line, "\n")] = '\0';
    fclose(f);
}

static void
assert_no_leak(const pc_diags *d, const struct rec *r)
{
    for (size_t i = 0; i < pc_diags_count(d); i++) {
        const char *msg = pc_diags_get(d, i)->message;

        ck_assert_msg(strstr(msg, passwd_line) == NULL &&
                          strstr(msg, "root:x:") == NULL,
                      "diagnostic leaks /etc/passwd: %s", msg);
    }
    ck_assert(strstr(strbuf_str(&r->log), passwd_line) == NULL);
    ck_assert(strstr(strbuf_str(&r->log), "root:x:") == NULL);
}

/* A scratch directory for generated inputs, made before the tests fork
 * and removed at exit; each test removes what it wrote. */
static char tmpdir[256];

static const char *
tmp_path(const char *name)
{
    static char buf[4][512];
    static unsigned next;
    char *p = buf[next++ % NELEM(buf)];

    snprintf(p, sizeof buf[0], "%s/%s", tmpdir, name);
    return p;
}

static void
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
}

static pc_status
read_rec(const char *path, const char *sch, pc_diags *d, struct rec *r)
{
    return manifest_read(path, sch, NULL, &r->lim, d, rec_visit, r, NULL);
}

/* ------------------------------------------------------------ streaming */

/* The DESIGN §4 example: kinds, lines (libxml2's: the line where a start
 * tag ends), depths and attribute values, in document order. */
static const char design_log[] =
    "S application 2 0 name=serene-web version=5.1.0\n"
    "S audience 3 1 jurisdictions=US-CA US-VA min-age=18\n"
    "E audience 3 1\n"
    "S stores 4 1\n"
    "S store 5 2 id=pg-main kind=database region=US encrypted-at-rest=true\n"
    "E store 5 2\n"
    "S store 6 2 id=logs kind=log region=US\n"
    "E store 6 2\n"
    "S store 7 2 id=backups kind=backup region=US\n"
    "E store 7 2\n"
    "E stores 4 1\n"
    "S recipients 9 1\n"
    "S recipient 10 2 id=stripe type=service-provider region=US\n"
    "E recipient 10 2\n"
    "S recipient 11 2 id=adnet type=advertising baa=false\n"
    "E recipient 11 2\n"
    "E recipients 9 1\n"
    "S flows 13 1\n"
    "S flow 14 2 id=signup subject=customer source=signup-form "
    "collection=direct purpose=account to=pg-main transport=tls1.3\n"
    "S field 16 3 name=email category=identifiers.email\n"
    "E field 16 3\n"
    "S field 17 3 name=ssn\n"
    "E field 17 3\n"
    "E flow 14 2\n"
    "S flow 19 2 id=ads source=web collection=automatic "
    "purpose=cross-context-advertising to=adnet opt-out=honored "
    "consent=none transport=tls1.2\n"
    "S field 21 3 name=page_url category=internet.browsing\n"
    "E field 21 3\n"
    "E flow 19 2\n"
    "E flows 13 1\n"
    "S retention 24 1\n"
    "S keep 25 2 store=pg-main categories=identifiers professional "
    "while=account-active after-closure=P30D\n"
    "E keep 25 2\n"
    "S keep 26 2 store=logs categories=internet period=P90D\n"
    "E keep 26 2\n"
    "S keep 27 2 store=backups categories=* period=P35D\n"
    "E keep 27 2\n"
    "E retention 24 1\n"
    "S rights 29 1\n"
    "S handler 30 2 right=deletion channel=web response-days=45 "
    "verifies-identity=true authorized-agents=true "
    "covers=pg-main logs backups\n"
    "E handler 30 2\n"
    "S appeal 32 2 channel=email subject=Privacy Request Appeal "
    "response-days=45\n"
    "E appeal 32 2\n"
    "E rights 29 1\n"
    "S trackers 34 1\n"
    "S tracker 35 2 id=analytics technology=cookie "
    "vendor=example-analytics collects=internet.analytics location.coarse\n"
    "E tracker 35 2\n"
    "E trackers 34 1\n"
    "S integrations 37 1\n"
    "S oauth 38 2 id=google-calendar provider=google stores=none "
    "scopes=https://www.googleapis.com/auth/calendar.readonly\n"
    "E oauth 38 2\n"
    "E integrations 37 1\n"
    "S marketing 41 1 unsubscribe-link=true research-opt-out=true\n"
    "E marketing 41 1\n"
    "E application 2 0\n";

START_TEST(test_design_example)
{
    pc_diags *d = pc_diags_new();
    struct rec r = { .log = STRBUF_INIT(0) };
    pc_status st =
        read_rec(data("manifest/design-example.xml"), schema(), d, &r);

    if (st != PC_OK)
        dump_diags(d);
    ck_assert_int_eq(st, PC_OK);
    ck_assert_uint_eq(pc_diags_count(d), 0);
    ck_assert_str_eq(strbuf_str(&r.log), design_log);
    ck_assert_uint_eq(r.starts, 27);
    ck_assert_uint_eq(r.ends, 27);
    ck_assert_uint_eq(r.open, 0);
    rec_free(&r);
    pc_diags_free(d);
}
END_TEST

/* A prefix instead of a default namespace changes nothing the visitor
 * sees: local names, and no xmlns:m attribute. */
START_TEST(test_prefixed)
{
    pc_diags *d = pc_diags_new();
    struct rec r = { .log = STRBUF_INIT(0) };
    pc_status st = read_rec(data("manifest/prefixed.xml"), schema(), d, &r);

    if (st != PC_OK)
        dump_diags(d);
    ck_assert_int_eq(st, PC_OK);
    ck_assert_str_eq(strbuf_str(&r.log), design_log);
    rec_free(&r);
    pc_diags_free(d);
}
END_TEST

/* <x/> and <x></x> both give a start and an end visit; character
 * references and predefined entities arrive decoded. */
START_TEST(test_empty_and_paired)
{
    const char *p = tmp_path("paired.xml");
    pc_diags *d = pc_diags_new();
    struct rec r = { .log = STRBUF_INIT(0) };
    pc_status st;

    write_file(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<application xmlns=\"urn:privcheck:manifest:1\"\n"
                  "    name=\"a\" version=\"1 &amp; &#x32; &lt;3\">\n"
                  "  <stores></stores>\n"
                  "  <rights/>\n"
                  "</application>\n");
    st = read_rec(p, schema(), d, &r);
    if (st != PC_OK)
        dump_diags(d);
    ck_assert_int_eq(st, PC_OK);
    ck_assert_str_eq(strbuf_str(&r.log),
                     "S application 2 0 name=a version=1 & 2 <3\n"
                     "S stores 4 1\n"
                     "E stores 4 1\n"
                     "S rights 5 1\n"
                     "E rights 5 1\n"
                     "E application 2 0\n");
    unlink(p);
    rec_free(&r);
    pc_diags_free(d);
}
END_TEST

/* A UTF-8 byte order mark is fine, and UTF-8 values arrive intact. */
START_TEST(test_utf8_bom)
{
    const char *p = tmp_path("bom.xml");
    pc_diags *d = pc_diags_new();
    struct rec r = { .log = STRBUF_INIT(0) };
    pc_status st;

    write_file(p, "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<application xmlns=\"urn:privcheck:manifest:1\" name=\"b\"\n"
                  "    description=\"caf\xc3\xa9 \xe2\x98\x95\"/>\n");
    st = read_rec(p, schema(), d, &r);
    if (st != PC_OK)
        dump_diags(d);
    ck_assert_int_eq(st, PC_OK);
    ck_assert_str_eq(strbuf_str(&r.log),
                     "S application 2 0 name=b "
                     "description=caf\xc3\xa9 \xe2\x98\x95\n"
                     "E application 2 0\n");
    unlink(p);
    rec_free(&r);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_manifest_attr)
{
    static const struct manifest_attr attrs[] = {
        { "id", "signup" },
        { "to", "pg-main" },
        { "empty", "" },
    };
    struct manifest_node n = { "flow", 3, 2, attrs, NELEM(attrs) };
    struct manifest_node none = { "flows", 1, 1, NULL, 0 };

    ck_assert_str_eq(manifest_attr(&n, "id"), "signup");
    ck_assert_str_eq(manifest_attr(&n, "to"), "pg-main");
    ck_assert_str_eq(manifest_attr(&n, "empty"), "");
    ck_assert_ptr_null(manifest_attr(&n, "purpose"));
    ck_assert_ptr_null(manifest_attr(&n, "ID"));
    ck_assert_ptr_null(manifest_attr(&none, "id"));
}
END_TEST

/* The digest is of the bytes read. */
START_TEST(test_sha256)
{
    const char *p = data("manifest/design-example.xml");
    pc_diags *d = pc_diags_new();
    char got[65] = "", want[65];
    char buf[8192];
    size_t len;
    FILE *f = fopen(p, "rb");

    ck_assert_ptr_nonnull(f);
    len = fread(buf, 1, sizeof buf, f);
    ck_assert(feof(f));
    fclose(f);
    sha256_hex(buf, len, want);
    ck_assert_int_eq(manifest_read(p, schema(), NULL, NULL, d, rec_visit,
                                   &(struct rec){ .quiet = true }, got),
                     PC_OK);
    ck_assert_str_eq(got, want);
    ck_assert_uint_eq(strlen(got), 64);
    pc_diags_free(d);
}
END_TEST

/* ------------------------------------------------------------ fixtures */

static const char *const fixtures[] = {
    "fixtures/compliant-practice-web.xml",
    "fixtures/compliant-telehealth.xml",
};

START_TEST(test_fixture_valid)
{
    pc_diags *d = pc_diags_new();
    struct rec r = { .log = STRBUF_INIT(0) };
    pc_status st = read_rec(src(fixtures[_i]), schema(), d, &r);

    if (st != PC_OK)
        dump_diags(d);
    ck_assert_int_eq(st, PC_OK);
    ck_assert_uint_eq(pc_diags_count(d), 0);
    ck_assert_uint_eq(r.starts, r.ends);
    ck_assert_uint_gt(r.flows, 10);
    ck_assert(strncmp(strbuf_str(&r.log), "S application ", 14) == 0);
    rec_free(&r);
    pc_diags_free(d);
}
END_TEST

/* ------------------------------------------------------------ invalid */

static const struct {
    const char *file;
    pc_status status;
    unsigned line;      /* an error diagnostic at this line */
    const char *needle; /* ... whose message contains this */
} invalid[] = {
    { "unknown-element.xml", PC_EINVALID, 6,
      "<stores> cannot hold <vault>; <stores> holds: <store>" },
    { "unknown-attribute.xml", PC_EINVALID, 6,
      "<store> has no attribute 'retention'; <store> takes: id, kind," },
    { "foreign-attribute.xml", PC_EINVALID, 10,
      "<recipient> has no attribute 'x:trusted'" },
    /* Lines are where the start tag begins, as for findings. */
    { "bad-collection.xml", PC_EINVALID, 19,
      "<flow> collection=\"scraped\" is not allowed: expected one of "
      "direct, automatic, third-party, derived" },
    { "bad-transport.xml", PC_EINVALID, 14,
      "transport=\"ssl3\" is not allowed: expected one of tls1.0," },
    { "bad-boolean.xml", PC_EINVALID, 5,
      "encrypted-at-rest=\"yes\" is not allowed: expected one of true, "
      "false" },
    { "bad-duration.xml", PC_EINVALID, 26,
      "period=\"90 days\" is not allowed: expected an ISO 8601 duration" },
    { "keep-both.xml", PC_EINVALID, 25,
      "<keep> takes either 'while' or 'period', not both" },
    { "lower-case-jurisdiction.xml", PC_EINVALID, 3,
      "jurisdictions=\"us-ca US-VA\" is not allowed: expected a "
      "space-separated list, each item a jurisdiction code in upper case" },
    { "text-content.xml", PC_EINVALID, 17,
      "<field> takes no text, and has \"123-45-6789\"" },
    { "out-of-order.xml", PC_EINVALID, 40,
      "<audience> must come before <stores> (line 3): <application> takes "
      "its children in this order: <audience>, <stores>, <recipients>," },
    { "flow-without-fields.xml", PC_EINVALID, 19,
      "<flow> needs a <field>, and has none" },
    { "wrong-root.xml", PC_EINVALID, 2,
      "root element must be <application> in namespace "
      "urn:privcheck:manifest:1, not <manifest>" },
    { "wrong-namespace.xml", PC_EINVALID, 2,
      "not <application> in namespace urn:privcheck:manifest:2" },
    { "no-namespace.xml", PC_EINVALID, 2,
      "not <application> without a namespace" },
    { "truncated.xml", PC_ESYNTAX, 23,
      "the file ends inside <application>, opened at line 2 and never "
      "closed" },
};

START_TEST(test_invalid)
{
    char rel[256];
    pc_diags *d = pc_diags_new();
    struct rec r = { .log = STRBUF_INIT(0) };
    pc_status st;

    snprintf(rel, sizeof rel, "manifest/%s", invalid[_i].file);
    st = read_rec(data(rel), schema(), d, &r);
    ck_assert_msg(st == invalid[_i].status, "%s: status %d, want %d",
                  invalid[_i].file, st, invalid[_i].status);
    if (!has_diag(d, PC_SEV_ERROR, invalid[_i].line, invalid[_i].needle)) {
        dump_diags(d);
        ck_abort_msg("%s: no error at line %u mentioning \"%s\"",
                     invalid[_i].file, invalid[_i].line,
                     invalid[_i].needle ? invalid[_i].needle : "");
    }
    /* Every error names the file. */
    for (size_t i = 0; i < pc_diags_count(d); i++)
        ck_assert_ptr_nonnull(pc_diags_get(d, i)->loc.file);
    rec_free(&r);
    pc_diags_free(d);
}
END_TEST

/* libxml2's reader calls a truncated file "extra content at the end";
 * the message says what happened, once, with no second note. */
START_TEST(test_truncated_note)
{
    pc_diags *d = pc_diags_new();
    struct rec r = { .log = STRBUF_INIT(0) };

    ck_assert_int_eq(read_rec(data("manifest/truncated.xml"), schema(), d, &r),
                     PC_ESYNTAX);
    ck_assert(has_diag(d, PC_SEV_ERROR, 23, "ends inside <application>"));
    ck_assert_uint_eq(pc_diags_count(d), 1);
    rec_free(&r);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_empty_file)
{
    const char *p = tmp_path("empty.xml");
    pc_diags *d = pc_diags_new();
    struct rec r = { .log = STRBUF_INIT(0) };

    write_file(p, "");
    ck_assert_int_eq(read_rec(p, schema(), d, &r), PC_ESYNTAX);
    ck_assert_uint_gt(pc_diags_errors(d), 0);
    ck_assert_uint_eq(r.starts, 0);
    unlink(p);
    rec_free(&r);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_not_a_file)
{
    pc_diags *d = pc_diags_new();
    struct rec r = { .quiet = true };

    ck_assert_int_eq(
        read_rec(data("manifest/no-such-file.xml"), schema(), d, &r), PC_EIO);
    ck_assert_int_eq(read_rec(data("manifest"), schema(), d, &r), PC_EIO);
    ck_assert_uint_eq(pc_diags_errors(d), 2);
    ck_assert_uint_eq(r.starts, 0);
    pc_diags_free(d);
}
END_TEST

/* ------------------------------------------------------------ visitor */

/* The visitor's error stops the read at once and is what the read
 * returns, on a start visit and on an end visit alike. */
START_TEST(test_visitor_stops)
{
    static const struct {
        unsigned at;
        pc_status st;
    } stops[] = {
        { 1, PC_EINVALID }, /* S application */
        { 3, PC_ENOMEM },   /* E audience */
        { 5, PC_EINVALID }, /* S store pg-main */
        { 54, PC_ELIMIT },  /* E application: the very last visit */
    };

    for (size_t i = 0; i < NELEM(stops); i++) {
        pc_diags *d = pc_diags_new();
        struct rec r = { .quiet = true,
                         .stop_at = stops[i].at,
                         .stop_status = stops[i].st };

        ck_assert_int_eq(
            read_rec(data("manifest/design-example.xml"), schema(), d, &r),
            stops[i].st);
        ck_assert_uint_eq(r.starts + r.ends, stops[i].at);
        /* The reader adds nothing: the visitor reports its own. */
        ck_assert_uint_eq(pc_diags_count(d), 0);
        pc_diags_free(d);
    }
}
END_TEST

/* ------------------------------------------------------------ hostile */

static const struct {
    const char *file;
    pc_status status;
    unsigned line;
    const char *needle;
    bool no_visits; /* refused before any element is read */
} hostile[] = {
    { "billion-laughs.xml", PC_EINVALID, 2, "DOCTYPE", true },
    { "xxe-file.xml", PC_EINVALID, 2, "DOCTYPE", true },
    { "xxe-parameter.xml", PC_EINVALID, 3, "DOCTYPE", true },
    { "external-dtd.xml", PC_EINVALID, 2, "DOCTYPE", true },
    { "dtd-default-attr.xml", PC_EINVALID, 2, "DOCTYPE", true },
    { "xinclude-passwd.xml", PC_EINVALID, 10, "include", false },
    { "xinclude-root.xml", PC_EINVALID, 2, "include", true },
    { "xsi-schema-location.xml", PC_EINVALID, 2, "schemaLocation", true },
    { "utf16-bom.xml", PC_ESYNTAX, 1, "UTF-16", true },
    { "utf16-nobom.xml", PC_ESYNTAX, 1, "NUL", true },
    { "gzip.xml", PC_ESYNTAX, 1, "gzip", true },
    { "invalid-utf8.xml", PC_ESYNTAX, 21, "UTF-8", true },
    { "overlong-utf8.xml", PC_ESYNTAX, 21, "UTF-8", true },
    { "control-bytes.xml", PC_ESYNTAX, 21, "invalid character", false },
};

START_TEST(test_hostile)
{
    char rel[256];
    pc_diags *d = pc_diags_new();
    struct rec r = { .log = STRBUF_INIT(0) };
    pc_status st;

    snprintf(rel, sizeof rel, "hostile/%s", hostile[_i].file);
    st = read_rec(data(rel), schema(), d, &r);
    ck_assert_msg(st == hostile[_i].status, "%s: status %d, want %d",
                  hostile[_i].file, st, hostile[_i].status);
    if (!has_diag(d, PC_SEV_ERROR, hostile[_i].line, hostile[_i].needle)) {
        dump_diags(d);
        ck_abort_msg("%s: no error at line %u mentioning \"%s\"",
                     hostile[_i].file, hostile[_i].line, hostile[_i].needle);
    }
    if (hostile[_i].no_visits)
        ck_assert_uint_eq(r.starts, 0);
    assert_no_leak(d, &r);
    rec_free(&r);
    pc_diags_free(d);
}
END_TEST

/* A processing instruction that names a file is harmless: nothing loads
 * it, and the manifest is valid. */
START_TEST(test_stylesheet_pi)
{
    pc_diags *d = pc_diags_new();
    struct rec r = { .log = STRBUF_INIT(0) };

    ck_assert_int_eq(
        read_rec(data("hostile/stylesheet-pi.xml"), schema(), d, &r), PC_OK);
    ck_assert_uint_eq(pc_diags_count(d), 0);
    assert_no_leak(d, &r);
    rec_free(&r);
    pc_diags_free(d);
}
END_TEST

#define ROOT_OPEN                                                              \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                             \
    "<application xmlns=\"urn:privcheck:manifest:1\" name=\"gen\">\n"

/* Write a generated manifest: head, `n` copies of `unit`, tail. An
 * indexed unit is split at "%u", where the copy's index goes. */
static void
write_generated(const char *path, const char *head, const char *unit,
                bool indexed, unsigned n, const char *tail)
{
    FILE *f = fopen(path, "w");
    const char *at = indexed ? strstr(unit, "%u") : NULL;

    ck_assert_ptr_nonnull(f);
    ck_assert(!indexed || at != NULL);
    fputs(head, f);
    for (unsigned i = 0; i < n; i++) {
        if (at != NULL)
            fprintf(f, "%.*s%u%s", (int)(at - unit), unit, i, at + 2);
        else
            fputs(unit, f);
    }
    fputs(tail, f);
    ck_assert_int_eq(ferror(f), 0);
    ck_assert_int_eq(fclose(f), 0);
}

/* Shapes that cost libxml2 seconds and hundreds of MB are refused
 * before it sees them, with a line. */
START_TEST(test_hostile_generated)
{
    static const struct {
        const char *name, *head, *unit, *tail;
        bool indexed;
        unsigned n;
        const char *sch;     /* "" = the manifest schema, NULL = none */
        size_t max_elements; /* 0: the default */
        pc_status status;
        unsigned line;
        const char *needle;
    } gen[] = {
        /* 100,000 attributes on one element */
        { "attrs.xml",
          "<?xml version=\"1.0\"?>\n"
          "<application xmlns=\"urn:privcheck:manifest:1\" name=\"a\"\n",
          " a%u=\"x\"", "/>\n", true, 100000, "", 0, PC_ELIMIT, 3,
          "attributes" },
        /* 10,000 levels of nesting */
        { "deep.xml", ROOT_OPEN, "<flows>\n", "", false, 10000, "", 0,
          PC_ELIMIT, 66, "nested" },
        /* 20,000 comments (the XML declaration counts as the first
         * processing instruction) */
        { "comments.xml", ROOT_OPEN, "<!-- c -->\n", "</application>\n", false,
          20000, "", 0, PC_ELIMIT, 10002, "comments" },
        /* one attribute value over 64 KiB, valid for the schema (a list
         * of short scopes): the reader's own bound */
        { "long-list.xml",
          ROOT_OPEN "<integrations>\n"
                    "<oauth id=\"o\" provider=\"p\" stores=\"none\" scopes=\"",
          "https://example.com/scope ",
          "\"/>\n</integrations>\n"
          "</application>\n",
          false, 3000, "", 0, PC_ELIMIT, 4, "limit attribute-length=65536" },
        /* the same without a schema: a long free-text value */
        { "long-value.xml",
          "<?xml version=\"1.0\"?>\n"
          "<application xmlns=\"urn:privcheck:manifest:1\" description=\"",
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
          "\"/>\n", false, 2000, NULL, 0, PC_ELIMIT, 2, "description" },
        /* a million elements and one: the reader's element bound, set to a
         * million here (without a schema, which would refuse <f/> first) */
        { "elements.xml", ROOT_OPEN, "<f/>", "</application>\n", false, 1000000,
          NULL, 1000000, PC_ELIMIT, 3, "more than 1000000 elements" },
    };

    for (size_t i = 0; i < NELEM(gen); i++) {
        const char *p = tmp_path(gen[i].name);
        pc_diags *d = pc_diags_new();
        struct rec r = { .quiet = true,
                         .lim = { .max_elements = gen[i].max_elements } };
        pc_status st;

        write_generated(p, gen[i].head, gen[i].unit, gen[i].indexed, gen[i].n,
                        gen[i].tail);
        st = read_rec(p, gen[i].sch == NULL ? NULL : schema(), d, &r);
        ck_assert_msg(st == gen[i].status, "%s: status %d, want %d",
                      gen[i].name, st, gen[i].status);
        if (!has_diag(d, PC_SEV_ERROR, gen[i].line, gen[i].needle)) {
            dump_diags(d);
            ck_abort_msg("%s: no error at line %u mentioning \"%s\"",
                         gen[i].name, gen[i].line, gen[i].needle);
        }
        unlink(p);
        pc_diags_free(d);
    }
}
END_TEST

/* The byte ceiling: a manifest of exactly max_bytes is read, one byte
 * more is refused with a message that names the limit. */
START_TEST(test_max_bytes)
{
    const char *p = tmp_path("ceiling.xml");
    struct stat sb;
    pc_diags *d = pc_diags_new();
    struct rec r = { .quiet = true };
    char want[64];

    write_generated(
        p,
        ROOT_OPEN "<stores><store id=\"db\" kind=\"database\"/>"
                  "</stores>\n<flows>\n",
        "<flow id=\"f%u\" source=\"web\" collection=\"direct\" "
        "purpose=\"account\" to=\"db\" transport=\"tls1.3\">\n"
        "<field name=\"email\" category=\"identifiers.email\"/></flow>\n",
        true, 2000, "</flows>\n</application>\n");
    ck_assert_int_eq(stat(p, &sb), 0);
    r.lim.max_bytes = (size_t)sb.st_size;
    ck_assert_int_eq(read_rec(p, schema(), d, &r), PC_OK);
    ck_assert_uint_eq(pc_diags_errors(d), 0);
    r = (struct rec){ .quiet = true };
    r.lim.max_bytes = (size_t)sb.st_size - 1;
    ck_assert_int_eq(read_rec(p, schema(), d, &r), PC_ELIMIT);
    snprintf(want, sizeof want, "file is %lld bytes; the limit is %lld",
             (long long)sb.st_size, (long long)sb.st_size - 1);
    ck_assert(has_diag(d, PC_SEV_ERROR, 0, want));
    unlink(p);
    pc_diags_free(d);
}
END_TEST

/* The streaming copy of the manifest schema loses its five pattern
 * facets to facet-xml.c (tests/stream.sh shows the answers stay the
 * same); if a schema change made them unsure, this says so. */
START_TEST(test_stream_schema_facets)
{
    pc_diags *d = pc_diags_new();
    const struct facets *f = NULL;
    xmlRelaxNGPtr rng = NULL;

    ck_assert_int_eq(xml_stream_schema(schema(), d, &rng, &f), PC_OK);
    ck_assert_ptr_nonnull(rng);
    ck_assert_uint_eq(facet_count(f), 5);
    pc_diags_free(d);
}
END_TEST

/* ------------------------------------------------------------ big */

/* 110,000 flows (over 200,000 lines, past libxml2's 16-bit line field,
 * and over 16 MiB, more than a tree load accepts) stream without error
 * and with flat memory, and every element's line is exact: libxml2 2.9.14
 * would store 65535 past that line, so xml.c takes lines from its own
 * scan of the start tags. */
START_TEST(test_big_manifest)
{
    enum { NFLOWS = 110000 };
    const char *p = tmp_path("big.xml");
    struct stat sb;
    pc_diags *d = pc_diags_new();
    struct rec r = { .quiet = true };
    pc_status st;

    write_generated(
        p,
        ROOT_OPEN "<stores><store id=\"db\" kind=\"database\"/></stores>\n"
                  "<flows>\n",
        "<flow id=\"f%u\" source=\"web\" collection=\"direct\" "
        "purpose=\"account\" to=\"db\" transport=\"tls1.3\">\n"
        "<field name=\"email\" category=\"identifiers.email\"/></flow>\n",
        true, NFLOWS, "</flows>\n</application>\n");
    ck_assert_int_eq(stat(p, &sb), 0);
    ck_assert_int_gt(sb.st_size, 16 << 20);
    st = read_rec(p, schema(), d, &r);
    if (st != PC_OK)
        dump_diags(d);
    ck_assert_int_eq(st, PC_OK);
    ck_assert_uint_eq(r.flows, NFLOWS);
    ck_assert_uint_eq(r.fields, NFLOWS);
    ck_assert_uint_eq(r.starts, 2 * NFLOWS + 4);
    ck_assert_uint_eq(r.ends, r.starts);
    ck_assert_str_eq(r.last_flow_id, "f109999");
    /* line 1 declaration, 2 application, 3 stores, 4 flows, then two
     * lines per flow: flow i on line 5 + 2i */
    ck_assert_uint_eq(r.checked_lines, NFLOWS);
    ck_assert(!r.bad_field_line);
    ck_assert_uint_eq(r.last_flow_line, 5 + 2 * (NFLOWS - 1));
    ck_assert_uint_eq(r.last_field_line, 6 + 2 * (NFLOWS - 1));
    unlink(p);
    pc_diags_free(d);
}
END_TEST

/* ------------------------------------------------------------ main */

static Suite *
manifest_suite(void)
{
    Suite *s = suite_create("manifest");
    TCase *tc;

    tc = tcase_create("stream");
    tcase_add_test(tc, test_design_example);
    tcase_add_test(tc, test_prefixed);
    tcase_add_test(tc, test_empty_and_paired);
    tcase_add_test(tc, test_utf8_bom);
    tcase_add_test(tc, test_manifest_attr);
    tcase_add_test(tc, test_sha256);
    tcase_add_loop_test(tc, test_fixture_valid, 0, NELEM(fixtures));
    suite_add_tcase(s, tc);

    tc = tcase_create("invalid");
    tcase_add_loop_test(tc, test_invalid, 0, NELEM(invalid));
    tcase_add_test(tc, test_truncated_note);
    tcase_add_test(tc, test_empty_file);
    tcase_add_test(tc, test_not_a_file);
    tcase_add_test(tc, test_visitor_stops);
    suite_add_tcase(s, tc);

    tc = tcase_create("hostile");
    tcase_add_loop_test(tc, test_hostile, 0, NELEM(hostile));
    tcase_add_test(tc, test_stylesheet_pi);
    tcase_add_test(tc, test_hostile_generated);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("big");
    tcase_add_test(tc, test_big_manifest);
    tcase_add_test(tc, test_max_bytes);
    tcase_add_test(tc, test_stream_schema_facets);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr;
    int failed;

    const char *t = getenv("TMPDIR");

    snprintf(tmpdir, sizeof tmpdir, "%s/check_manifest.XXXXXX",
             t != NULL && *t != '\0' ? t : "/tmp");
    if (mkdtemp(tmpdir) == NULL) {
        perror(tmpdir);
        return EXIT_FAILURE;
    }
    load_passwd_line();
    sr = srunner_create(manifest_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    xml_cleanup();
    if (rmdir(tmpdir) != 0)
        fprintf(stderr, "%s: %s\n", tmpdir, strerror(errno));
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
