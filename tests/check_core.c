/* check_core.c - unit tests for the foundation: bounded strings, string
 * vectors, the arena, the id map, the results' string pool, diagnostics
 * and their escaping, the XML pre-scan, and the hardened loader against
 * hostile documents. */
#include "config.h"

#include "arena.h"
#include "diag.h"
#include "map.h"
#include "prescan.h"
#include "results.h"
#include "strbuf.h"
#include "strv.h"
#include "xml.h"

#include "testutil.h"

#include <libxml/tree.h>

/* ------------------------------------------------------------------ */
/* strbuf */

START_TEST(test_strbuf_basic)
{
    struct strbuf b = STRBUF_INIT(0);
    char *s;

    ck_assert_str_eq(strbuf_str(&b), "");
    ck_assert_int_eq(strbuf_puts(&b, "abc"), PC_OK);
    ck_assert_int_eq(strbuf_putc(&b, '-'), PC_OK);
    ck_assert_int_eq(strbuf_printf(&b, "%d/%s", 42, "x"), PC_OK);
    ck_assert_int_eq(strbuf_add(&b, "yz!", 2), PC_OK);
    ck_assert_str_eq(strbuf_str(&b), "abc-42/xyz");
    ck_assert_uint_eq(b.len, 10);
    strbuf_reset(&b);
    ck_assert_str_eq(strbuf_str(&b), "");
    /* Growth past the first allocation. */
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq(strbuf_putc(&b, 'a' + i % 26), PC_OK);
    ck_assert_uint_eq(b.len, 1000);
    s = strbuf_detach(&b);
    ck_assert_uint_eq(strlen(s), 1000);
    ck_assert_ptr_null(b.ptr);
    free(s);
    /* Detaching an empty buffer still gives a string to free. */
    s = strbuf_detach(&b);
    ck_assert_str_eq(s, "");
    free(s);
    strbuf_free(&b);
}
END_TEST

START_TEST(test_strbuf_cap)
{
    struct strbuf b = STRBUF_INIT(8);

    ck_assert_int_eq(strbuf_puts(&b, "12345678"), PC_OK);
    ck_assert_int_eq(strbuf_putc(&b, '9'), PC_ELIMIT);
    ck_assert_int_eq(strbuf_puts(&b, "overflowing"), PC_ELIMIT);
    ck_assert_int_eq(strbuf_printf(&b, "%s", "x"), PC_ELIMIT);
    /* A refused add leaves the contents as they were. */
    ck_assert_str_eq(strbuf_str(&b), "12345678");
    strbuf_reset(&b);
    ck_assert_int_eq(strbuf_printf(&b, "%08d", 7), PC_OK);
    ck_assert_int_eq(strbuf_printf(&b, "%d", 1), PC_ELIMIT);
    ck_assert_str_eq(strbuf_str(&b), "00000007");
    strbuf_free(&b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* strv */

START_TEST(test_strv_split)
{
    struct strv sv = STRV_INIT;

    ck_assert_int_eq(strv_split(&sv, "  a\tbb\n ccc  \r\n"), PC_OK);
    ck_assert_uint_eq(sv.n, 3);
    ck_assert_str_eq(sv.v[0], "a");
    ck_assert_str_eq(sv.v[1], "bb");
    ck_assert_str_eq(sv.v[2], "ccc");
    ck_assert_int_eq(strv_split(&sv, NULL), PC_OK);
    ck_assert_int_eq(strv_split(&sv, "   "), PC_OK);
    ck_assert_int_eq(strv_split(&sv, ""), PC_OK);
    ck_assert_uint_eq(sv.n, 3);
    strv_free(&sv);
    ck_assert_uint_eq(sv.n, 0);
    strv_free(&sv); /* twice is harmless */
}
END_TEST

START_TEST(test_strv_has_unique_join)
{
    struct strv sv = STRV_INIT, copy = STRV_INIT;
    char *s;

    ck_assert_int_eq(strv_push(&sv, "b"), PC_OK);
    ck_assert_int_eq(strv_add_unique(&sv, "a"), PC_OK);
    ck_assert_int_eq(strv_add_unique(&sv, "b"), PC_OK);
    ck_assert_int_eq(strv_add_unique(&sv, "c"), PC_OK);
    ck_assert_int_eq(strv_add_unique(&sv, "a"), PC_OK);
    ck_assert_uint_eq(sv.n, 3);
    ck_assert(strv_has(&sv, "a"));
    ck_assert(strv_has(&sv, "c"));
    ck_assert(!strv_has(&sv, "d"));
    ck_assert(!strv_has(&sv, ""));
    s = strv_join(&sv, ", ");
    ck_assert_str_eq(s, "b, a, c");
    free(s);
    ck_assert_int_eq(strv_copy(&copy, &sv), PC_OK);
    strv_sort(&copy);
    s = strv_join(&copy, " ");
    ck_assert_str_eq(s, "a b c");
    free(s);
    /* The copy is deep. */
    ck_assert_ptr_ne(copy.v[0], sv.v[1]);
    strv_free(&copy);
    s = strv_join(&copy, ",");
    ck_assert_str_eq(s, "");
    free(s);
    strv_free(&sv);
}
END_TEST

/* ------------------------------------------------------------------ */
/* map */

START_TEST(test_map_grow)
{
    enum { N = 1000 };
    static char keys[N][16];
    static int values[N];
    struct map *m = map_new();

    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_null(map_get(m, "absent"));
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "key.%d", i);
        values[i] = i;
        ck_assert_int_eq(map_put(m, keys[i], &values[i]), PC_OK);
    }
    ck_assert_uint_eq(map_count(m), N);
    for (int i = 0; i < N; i++) {
        char probe[16];
        int *v;

        /* A different pointer with the same text finds the entry. */
        snprintf(probe, sizeof probe, "key.%d", i);
        v = map_get(m, probe);
        ck_assert_ptr_nonnull(v);
        ck_assert_int_eq(*v, i);
    }
    ck_assert_ptr_null(map_get(m, "key.1000"));
    ck_assert_ptr_null(map_get(m, "key."));
    ck_assert_ptr_null(map_get(m, ""));
    /* Replacing keeps the count. */
    ck_assert_int_eq(map_put(m, keys[7], &values[8]), PC_OK);
    ck_assert_uint_eq(map_count(m), N);
    ck_assert_int_eq(*(int *)map_get(m, "key.7"), 8);
    map_free(m);
    map_free(NULL);
    ck_assert_ptr_null(map_get(NULL, "x"));
}
END_TEST

/* Hash flooding: ids chosen to collide under an unkeyed hash cost a
 * keyed map no more probes than any ids. Counted in probes, not time.
 * Under FNV-1a these 4096 ids would share one chain: about n^2/2 = 8.4
 * million probes to insert them. */
START_TEST(test_map_flooding)
{
    enum { N = 4096 };
    static char ids[N][8];
    struct map *m = map_new();
    size_t before;

    tu_colliding_ids(ids, N, 13);
    for (size_t i = 1; i < N; i++) /* the attack is real */
        ck_assert_uint_eq(tu_fnv1a(ids[i]) & 8191, tu_fnv1a(ids[0]) & 8191);
    ck_assert_ptr_nonnull(m);
    before = map_probes();
    for (size_t i = 0; i < N; i++)
        ck_assert_int_eq(map_put(m, ids[i], ids[i]), PC_OK);
    for (size_t i = 0; i < N; i++)
        ck_assert_ptr_eq(map_get(m, ids[i]), ids[i]);
    ck_assert_uint_eq(map_count(m), N);
    ck_assert_msg(map_probes() - before < 4 * N,
                  "%zu probes for %d colliding ids", map_probes() - before, N);
    map_free(m);
}
END_TEST

/* Each status has its own words; one past the last is "unknown". */
START_TEST(test_status_str)
{
    static const struct {
        pc_status st;
        const char *words;
    } cases[] = {
        { PC_OK, "success" },
        { PC_ENOMEM, "out of memory" },
        { PC_EIO, "input/output error" },
        { PC_ESYNTAX, "syntax error" },
        { PC_EINVALID, "invalid input" },
        { PC_ELIMIT, "input exceeds a limit" },
        { (pc_status)(PC_ELIMIT + 1), "unknown status" },
    };

    for (size_t i = 0; i < NELEM(cases); i++)
        ck_assert_str_eq(pc_status_str(cases[i].st), cases[i].words);
}
END_TEST

/* The key is random per process, but one process hashes consistently. */
START_TEST(test_map_hash_keyed)
{
    ck_assert(map_hash("abc") == map_hash("abc"));
    ck_assert(map_hash("abc") != map_hash("abd"));
    ck_assert(map_hash("abc") != tu_fnv1a("abc"));
}
END_TEST

/* ------------------------------------------------------------------ */
/* diagnostics */

static char *
escaped(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ck_assert_ptr_nonnull(f);
    diag_put_escaped(f, s);
    fclose(f);
    return buf;
}

static const struct {
    const char *in, *out;
} escape_cases[] = {
    { "plain text", "plain text" },
    { "tab\tkept", "tab\tkept" },
    { "bell\a", "bell\\x07" },
    { "\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m" },
    { "new\nline\r", "new\\x0aline\\x0d" },
    { "del\x7f", "del\\x7f" },
    { "caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d",
      "caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d" },
    { "bad \xff byte", "bad \\xff byte" },
    { "overlong \xc0\xaf", "overlong \\xc0\\xaf" },
    { "truncated \xc3", "truncated \\xc3" },
    { "surrogate \xed\xa0\x80", "surrogate \\xed\\xa0\\x80" },
    { "lone continuation \x80", "lone continuation \\x80" },
    { "emoji \xf0\x9f\x98\x80", "emoji \xf0\x9f\x98\x80" },
};

START_TEST(test_diag_escape)
{
    char *got = escaped(escape_cases[_i].in);

    ck_assert_str_eq(got, escape_cases[_i].out);
    free(got);
}
END_TEST

START_TEST(test_diag_print)
{
    pc_diags *d = pc_diags_new();
    char *text;

    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(diag_add(d, PC_SEV_ERROR, diag_loc(d, "a.xml", 3, 7),
                              "bad %s", "thing"),
                     PC_OK);
    ck_assert_int_eq(
        diag_add(d, PC_SEV_WARNING, diag_loc(d, "a.xml", 12, 0), "odd"), PC_OK);
    ck_assert_int_eq(
        diag_add(d, PC_SEV_NOTE, diag_loc(d, "b.xml", 0, 0), "whole file"),
        PC_OK);
    ck_assert_int_eq(
        diag_add(d, PC_SEV_NOTE, diag_loc(d, NULL, 0, 0), "no file"), PC_OK);
    ck_assert_int_eq(diag_fail(d, PC_EINVALID,
                               diag_loc(d, "evil\x1b.xml", 1, 0),
                               "msg with \x1b[2J escape"),
                     PC_EINVALID);
    ck_assert_uint_eq(pc_diags_count(d), 5);
    ck_assert_uint_eq(pc_diags_errors(d), 2);
    /* Interned: equal names share storage. */
    ck_assert_ptr_eq(pc_diags_get(d, 0)->loc.file,
                     pc_diags_get(d, 1)->loc.file);
    ck_assert_ptr_null(pc_diags_get(d, 5));
    text = tu_diags_text(d);
    ck_assert_str_eq(text, "a.xml:3:7: error: bad thing\n"
                           "a.xml:12: warning: odd\n"
                           "b.xml: note: whole file\n"
                           "privcheck: note: no file\n"
                           "evil\\x1b.xml:1: error: msg with \\x1b[2J "
                           "escape\n");
    free(text);
    pc_diags_clear(d);
    ck_assert_uint_eq(pc_diags_count(d), 0);
    ck_assert_uint_eq(pc_diags_errors(d), 0);
    pc_diags_free(d);
    pc_diags_free(NULL);
}
END_TEST

/* ------------------------------------------------------------------ */
/* xml_prescan */

static const struct xml_limits small_limits = {
    .max_bytes = 1 << 20,
    .max_depth = 4,
    .max_attrs = 3,
    .max_markup = 3,
};

static const struct {
    const char *name;
    const char *input;
    size_t len; /* 0: strlen */
    pc_status status;
    const char *message; /* NULL when it must pass */
    unsigned line;
} prescan_cases[] = {
    { "plain", "<?xml version=\"1.0\"?>\n<a x='1' y=\"2\"><b/><c>t</c></a>\n",
      0, PC_OK, NULL, 0 },
    { "at the limits",
      "<!--1--><?p 2?><!--3--><a b='1' c='2' d='3'><b><c><d>x</d></c></b>"
      "</a>",
      0, PC_OK, NULL, 0 },
    { "markup in quotes and CDATA",
      "<a t='<!DOCTYPE x>' u=\"x=y=z=w\"><![CDATA[<!DOCTYPE q><e><e><e>]]>"
      "</a>",
      0, PC_OK, NULL, 0 },
    { "UTF-8 BOM", "\xef\xbb\xbf<a/>", 0, PC_OK, NULL, 0 },
    { "DOCTYPE", "<?xml version=\"1.0\"?>\n\n<!DOCTYPE a>\n<a/>", 0,
      PC_EINVALID, "DOCTYPE", 3 },
    { "ENTITY after root", "<a/>\n<!ENTITY x 'y'>", 0, PC_EINVALID,
      "DOCTYPE and entity declarations are not allowed", 2 },
    { "UTF-16 LE BOM", "\xff\xfe<\0a\0/\0>\0", 10, PC_ESYNTAX, "UTF-16", 1 },
    { "UTF-16 BE BOM", "\xfe\xff\0<\0a\0/\0>", 10, PC_ESYNTAX, "UTF-16", 1 },
    { "gzip", "\x1f\x8b\x08\x00\x00\x00", 6, PC_ESYNTAX, "gzip", 1 },
    { "xz", "\xfd\x37zXZ\0\0", 7, PC_ESYNTAX, "xz", 1 },
    { "NUL byte", "<a>\n\n<b>\0</b></a>", 17, PC_ESYNTAX, "NUL byte", 3 },
    { "invalid UTF-8", "<a>\n<b>caf\xe9</b>\n</a>", 0, PC_ESYNTAX,
      "invalid UTF-8", 2 },
    { "UTF-8 overlong", "<a>\xc0\xbc</a>", 0, PC_ESYNTAX, "invalid UTF-8", 1 },
    { "too deep", "<a>\n<b>\n<c>\n<d>\n<e>\n</e></d></c></b></a>", 0, PC_ELIMIT,
      "nested deeper than 4", 5 },
    { "too many attributes", "<a>\n<b p='1' q='2' r='3' s='4'/></a>", 0,
      PC_ELIMIT, "more than 3 attributes", 2 },
    { "too many comments", "<a><!--1-->\n<!--2-->\n<!--3-->\n<!--4--></a>", 0,
      PC_ELIMIT, "more than 3 comments", 4 },
    { "unterminated comment", "<a>\n<!-- open", 0, PC_ESYNTAX,
      "unterminated comment", 2 },
};

START_TEST(test_xml_prescan)
{
    const char *in = prescan_cases[_i].input;
    size_t len = prescan_cases[_i].len ? prescan_cases[_i].len : strlen(in);
    pc_diags *d = pc_diags_new();
    const struct pc_diag *g;
    pc_status st;

    st = xml_prescan("in.xml", in, len, &small_limits, d);
    ck_assert_msg(st == prescan_cases[_i].status, "%s: status %d, want %d",
                  prescan_cases[_i].name, st, prescan_cases[_i].status);
    if (prescan_cases[_i].message == NULL) {
        ck_assert_uint_eq(pc_diags_count(d), 0);
    } else {
        g = tu_diag_find(d, prescan_cases[_i].message);
        ck_assert_msg(g != NULL, "%s: no diagnostic with '%s'",
                      prescan_cases[_i].name, prescan_cases[_i].message);
        ck_assert_str_eq(g->loc.file, "in.xml");
        ck_assert_uint_eq(g->loc.line, prescan_cases[_i].line);
        ck_assert_int_eq(g->severity, PC_SEV_ERROR);
    }
    pc_diags_free(d);
}
END_TEST

/* The same bytes fed in pieces (six, then one at a time: every cut a
 * stream can make) give the same answer at the same line, and when they
 * pass, the same start-tag lines. */
START_TEST(test_prescan_pieces)
{
    const char *in = prescan_cases[_i].input;
    size_t len = prescan_cases[_i].len ? prescan_cases[_i].len : strlen(in);
    size_t first = len < 6 ? len : 6;
    pc_diags *d = pc_diags_new();
    struct prescan whole, parts;
    pc_status st;

    prescan_init(&whole, "in.xml", &small_limits, d, true);
    prescan_init(&parts, "in.xml", &small_limits, d, true);
    st = prescan_feed(&whole, in, len);
    if (st == PC_OK)
        st = prescan_finish(&whole);
    ck_assert_int_eq(st, prescan_cases[_i].status);
    st = prescan_feed(&parts, in, first);
    for (size_t i = first; i < len && st == PC_OK; i++)
        st = prescan_feed(&parts, in + i, 1);
    if (st == PC_OK)
        st = prescan_finish(&parts);
    ck_assert_msg(st == prescan_cases[_i].status, "%s: status %d, want %d",
                  prescan_cases[_i].name, st, prescan_cases[_i].status);
    if (prescan_cases[_i].message != NULL) {
        const struct pc_diag *a = pc_diags_get(d, 0), *b = pc_diags_get(d, 1);

        ck_assert_uint_eq(pc_diags_count(d), 2);
        ck_assert_str_eq(a->message, b->message);
        ck_assert_uint_eq(a->loc.line, b->loc.line);
    }
    /* Past a refusal, a piece may have been scanned further than the
     * whole, whose encoding is judged first. */
    ck_assert(st != PC_OK || whole.tlen == parts.tlen);
    while (st == PC_OK && whole.tlen > 0)
        ck_assert_uint_eq(prescan_next_tag(&whole), prescan_next_tag(&parts));
    prescan_free(&whole);
    prescan_free(&parts);
    pc_diags_free(d);
}
END_TEST

/* A document far past the limits costs the pre-scan nothing. */
START_TEST(test_xml_prescan_huge)
{
    size_t n = 200000;
    char *buf = malloc(n * 3 + 1);
    pc_diags *d = pc_diags_new();

    ck_assert_ptr_nonnull(buf);
    for (size_t i = 0; i < n; i++)
        memcpy(buf + 3 * i, "<a>", 3);
    buf[3 * n] = '\0';
    ck_assert_int_eq(
        xml_prescan("deep.xml", buf, 3 * n, &xml_default_limits, d), PC_ELIMIT);
    free(buf);
    pc_diags_free(d);
}
END_TEST

/* ------------------------------------------------------------------ */
/* xml_load against hostile documents */

/* A file outside the test data holding a string no diagnostic or tree may
 * ever contain. */
struct secret {
    char text[64];
    char *path;
};

static void
secret_make(struct secret *s)
{
    snprintf(s->text, sizeof s->text, "SECRET-%ld-%d-do-not-leak",
             (long)getpid(), rand());
    s->path = tu_tmpfile_str(".txt", s->text);
}

static void
secret_drop(struct secret *s)
{
    unlink(s->path);
    free(s->path);
}

/* Load doc from a temporary file; *doc_text receives the serialised tree
 * when it loaded (malloc'd), NULL otherwise. */
static pc_status
load_text(const char *xml, pc_diags *d, char **doc_text)
{
    char *path = tu_tmpfile_str(".xml", xml);
    xmlDoc *doc = NULL;
    pc_status st = xml_load(path, NULL, d, &doc, NULL);

    *doc_text = NULL;
    if (st == PC_OK) {
        xmlChar *mem = NULL;
        int len = 0;

        ck_assert_ptr_nonnull(doc);
        xmlDocDumpMemory(doc, &mem, &len);
        *doc_text = strdup(mem != NULL ? (const char *)mem : "");
        xmlFree(mem);
        xmlFreeDoc(doc);
    }
    unlink(path);
    free(path);
    return st;
}

START_TEST(test_xml_billion_laughs)
{
    static const char doc[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE lolz [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 "
        "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n"
        "<lolz a=\"&lol9;\">&lol9;</lolz>\n";
    pc_diags *d = pc_diags_new();
    const struct pc_diag *g;
    char *text;

    ck_assert_int_ne(load_text(doc, d, &text), PC_OK);
    ck_assert_ptr_null(text);
    g = tu_diag_find(d, "DOCTYPE");
    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq(g->loc.line, 2);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_xml_external_entity)
{
    struct secret s;
    char doc[512];
    pc_diags *d = pc_diags_new();
    char *text;

    secret_make(&s);
    snprintf(doc, sizeof doc,
             "<?xml version=\"1.0\"?>\n"
             "<!DOCTYPE r [<!ENTITY x SYSTEM \"file://%s\">]>\n"
             "<r a=\"&x;\">&x;</r>\n",
             s.path);
    ck_assert_int_ne(load_text(doc, d, &text), PC_OK);
    ck_assert_ptr_null(text);
    ck_assert_uint_gt(pc_diags_errors(d), 0);
    ck_assert(!tu_diags_mention(d, s.text));
    secret_drop(&s);
    pc_diags_free(d);
}
END_TEST

/* An entity reference with no declaration at all is a well-formedness
 * error, not an invitation to fetch anything. */
START_TEST(test_xml_undeclared_entity)
{
    pc_diags *d = pc_diags_new();
    char *text;

    ck_assert_int_eq(load_text("<r>&x;</r>", d, &text), PC_ESYNTAX);
    ck_assert_ptr_null(text);
    ck_assert_uint_gt(pc_diags_errors(d), 0);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_xml_xinclude_not_expanded)
{
    struct secret s;
    char doc[512];
    pc_diags *d = pc_diags_new();
    char *text;

    secret_make(&s);
    snprintf(doc, sizeof doc,
             "<r xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n"
             "  <xi:include href=\"%s\" parse=\"text\"/>\n"
             "  <xi:include href=\"file://%s\" parse=\"text\"/>\n"
             "</r>\n",
             s.path, s.path);
    /* It loads (XInclude is just an element to us) but nothing is
     * fetched: the secret is nowhere in the tree or the diagnostics. */
    ck_assert_int_eq(load_text(doc, d, &text), PC_OK);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(strstr(text, "xi:include"));
    ck_assert_ptr_null(strstr(text, s.text));
    ck_assert(!tu_diags_mention(d, s.text));
    free(text);
    secret_drop(&s);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_xml_http_dtd)
{
    /* Port 9 (discard) on loopback: if anything tried to fetch it, the
     * test would still not leave the machine. */
    static const char doc[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE r SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n"
        "<r attr-from-dtd-missing=\"\"/>\n";
    pc_diags *d = pc_diags_new();
    char *text;

    ck_assert_int_ne(load_text(doc, d, &text), PC_OK);
    ck_assert_ptr_null(text);
    ck_assert_ptr_nonnull(tu_diag_find(d, "DOCTYPE"));
    pc_diags_free(d);
}
END_TEST

START_TEST(test_xml_not_regular)
{
    pc_diags *d = pc_diags_new();
    xmlDoc *doc = NULL;

    ck_assert_int_eq(xml_load("/", NULL, d, &doc, NULL), PC_EIO);
    ck_assert_ptr_nonnull(tu_diag_find(d, "not a regular file"));
    ck_assert_int_eq(
        xml_load("/nonexistent/privcheck.xml", NULL, d, &doc, NULL), PC_EIO);
    ck_assert_ptr_null(doc);
    pc_diags_free(d);
}
END_TEST

START_TEST(test_xml_read_size_cap)
{
    struct xml_limits lim = small_limits;
    char *path = tu_tmpfile_str(".xml", "<a>0123456789</a>");
    pc_diags *d = pc_diags_new();
    char *buf = NULL;
    size_t len = 0;

    lim.max_bytes = 10;
    ck_assert_int_eq(xml_read_file(path, &lim, d, &buf, &len), PC_ELIMIT);
    ck_assert_ptr_null(buf);
    lim.max_bytes = 17;
    ck_assert_int_eq(xml_read_file(path, &lim, d, &buf, &len), PC_OK);
    ck_assert_uint_eq(len, 17);
    ck_assert_str_eq(buf, "<a>0123456789</a>");
    free(buf);
    unlink(path);
    free(path);
    pc_diags_free(d);
}
END_TEST

/* The tree helpers the policy loader relies on. */
START_TEST(test_xml_helpers)
{
    char *path = tu_tmpfile_str(".xml", "<a xmlns=\"urn:t\" k=\"v\">\n"
                                        "  <b>  two\n\t words  </b>\n"
                                        "</a>\n");
    pc_diags *d = pc_diags_new();
    xmlDoc *doc = NULL;
    xmlNode *a, *b;
    char *s;

    ck_assert_int_eq(xml_load(path, NULL, d, &doc, NULL), PC_OK);
    a = xmlDocGetRootElement(doc);
    ck_assert(xml_is(a, "urn:t", "a"));
    ck_assert(!xml_is(a, "urn:other", "a"));
    ck_assert(!xml_is(a, "urn:t", "b"));
    s = xml_attr(a, "k");
    ck_assert_str_eq(s, "v");
    free(s);
    ck_assert_ptr_null(xml_attr(a, "missing"));
    for (b = a->children; b != NULL && b->type != XML_ELEMENT_NODE; b = b->next)
        ;
    ck_assert_ptr_nonnull(b);
    s = xml_text(b);
    ck_assert_str_eq(s, "two words");
    free(s);
    ck_assert_uint_eq(xml_loc(d, doc, b).line, 2);
    ck_assert_str_eq(xml_loc(d, doc, b).file, path);
    xmlFreeDoc(doc);
    unlink(path);
    free(path);
    pc_diags_free(d);
}
END_TEST

/* Adopting an arena moves its chunks, not their contents: what was
 * allocated from src stays put and is dst's to free, and dst goes on
 * allocating from its own head. */
START_TEST(test_arena_adopt)
{
    struct arena src = ARENA_INIT(0), dst = ARENA_INIT(0),
                 empty = ARENA_INIT(0);
    char *v[100], *d0, *d1, buf[16];

    d0 = arena_strndup(&dst, "dst's own", 9);
    ck_assert_ptr_nonnull(d0);
    /* Several chunks' worth: 100 strings of 400 bytes. */
    for (int i = 0; i < 100; i++) {
        char s[400];

        memset(s, 'a' + i % 26, sizeof s);
        snprintf(buf, sizeof buf, "%03d", i);
        memcpy(s, buf, 3);
        v[i] = arena_strndup(&src, s, sizeof s);
        ck_assert_ptr_nonnull(v[i]);
    }
    arena_adopt(&dst, &src);
    ck_assert_ptr_null(src.head);
    ck_assert_uint_eq(src.total, 0);
    arena_free(&src); /* nothing left to free */
    d1 = arena_strndup(&dst, "after", 5);
    ck_assert_ptr_nonnull(d1);
    ck_assert_str_eq(d0, "dst's own");
    ck_assert_str_eq(d1, "after");
    for (int i = 0; i < 100; i++) {
        snprintf(buf, sizeof buf, "%03d", i);
        ck_assert(strncmp(v[i], buf, 3) == 0);
        ck_assert_uint_eq(strlen(v[i]), 400);
        ck_assert_int_eq(v[i][399], 'a' + i % 26);
    }
    /* Into an empty arena: it takes src's head as its own. */
    arena_adopt(&empty, &dst);
    ck_assert_str_eq(d0, "dst's own");
    ck_assert_ptr_nonnull(arena_strndup(&empty, "more", 4));
    arena_free(&dst);
    arena_free(&empty);
}
END_TEST

/* Findings borrow the strings they share from their results' pool: one
 * copy for every finding of a rule, and a merge hands the pool over, so
 * freeing the merged-from results frees none of them (CI's ASan build
 * of make check sees a read after free; so does valgrind, run by hand). */
START_TEST(test_results_pool)
{
    pc_results *dst = pc_results_new(), *src = pc_results_new();
    struct pc_finding f = { .rule = "R-1",
                            .severity = PC_SEV_ERROR,
                            .title = "A title",
                            .fix = "A fix, one sentence long.",
                            .file = "m.xml",
                            .application = "app",
                            .path = "m.xml",
                            .fingerprint = "0123456789abcdef" };
    char msg[32];

    ck_assert_ptr_nonnull(dst);
    ck_assert_ptr_nonnull(src);
    for (int i = 0; i < 3; i++) {
        snprintf(msg, sizeof msg, "message %d", i);
        f.message = msg;
        f.line = (unsigned)i + 1;
        ck_assert_int_eq(results_add(i == 0 ? dst : src, &f), PC_OK);
    }
    ck_assert_ptr_eq(pc_results_get(src, 0)->fix, pc_results_get(src, 1)->fix);
    ck_assert_ptr_ne(pc_results_get(src, 0)->fix, f.fix);
    ck_assert_int_eq(pc_results_merge(dst, src), PC_OK);
    pc_results_free(src);
    ck_assert_uint_eq(pc_results_count(dst), 3);
    for (size_t i = 0; i < 3; i++) {
        const struct pc_finding *g = pc_results_get(dst, i);

        snprintf(msg, sizeof msg, "message %zu", i);
        ck_assert_str_eq(g->message, msg);
        ck_assert_str_eq(g->rule, "R-1");
        ck_assert_str_eq(g->title, "A title");
        ck_assert_str_eq(g->fix, "A fix, one sentence long.");
        ck_assert_str_eq(g->file, "m.xml");
        ck_assert_str_eq(g->application, "app");
        ck_assert_str_eq(g->path, "m.xml");
    }
    pc_results_free(dst);
}
END_TEST

static Suite *
core_suite(void)
{
    Suite *s = suite_create("core");
    TCase *tc;

    tc = tcase_create("strbuf");
    tcase_add_test(tc, test_strbuf_basic);
    tcase_add_test(tc, test_strbuf_cap);
    suite_add_tcase(s, tc);

    tc = tcase_create("strv");
    tcase_add_test(tc, test_strv_split);
    tcase_add_test(tc, test_strv_has_unique_join);
    suite_add_tcase(s, tc);

    tc = tcase_create("arena");
    tcase_add_test(tc, test_arena_adopt);
    tcase_add_test(tc, test_results_pool);
    suite_add_tcase(s, tc);

    tc = tcase_create("map");
    tcase_add_test(tc, test_map_grow);
    tcase_add_test(tc, test_map_flooding);
    tcase_add_test(tc, test_map_hash_keyed);
    tcase_add_test(tc, test_status_str);
    suite_add_tcase(s, tc);

    tc = tcase_create("diag");
    tcase_add_loop_test(tc, test_diag_escape, 0, NELEM(escape_cases));
    tcase_add_test(tc, test_diag_print);
    suite_add_tcase(s, tc);

    tc = tcase_create("prescan");
    tcase_add_loop_test(tc, test_xml_prescan, 0, NELEM(prescan_cases));
    tcase_add_loop_test(tc, test_prescan_pieces, 0, NELEM(prescan_cases));
    tcase_add_test(tc, test_xml_prescan_huge);
    suite_add_tcase(s, tc);

    tc = tcase_create("hostile");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_xml_billion_laughs);
    tcase_add_test(tc, test_xml_external_entity);
    tcase_add_test(tc, test_xml_undeclared_entity);
    tcase_add_test(tc, test_xml_xinclude_not_expanded);
    tcase_add_test(tc, test_xml_http_dtd);
    tcase_add_test(tc, test_xml_not_regular);
    tcase_add_test(tc, test_xml_read_size_cap);
    tcase_add_test(tc, test_xml_helpers);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    int rc;

    srand((unsigned)getpid());
    rc = tu_run(core_suite());
    xml_cleanup();
    return rc;
}
