/* jwrite.c - JSON written as it is made (jwrite.h). The layout is
 * jansson's JSON_INDENT(2): a container's first item on a new line one
 * level deeper, "," before each later one, the closing bracket on a line
 * of its own at the container's level, and "[]" / "{}" when empty. */
#include "config.h"

#include "jwrite.h"

#include "diag.h"
#include "utf8.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

/* Enough spaces for the deepest line in one write: a report's pieces
 * start at most 8 levels in. */
#define JWRITE_MAX_BASE 8
static const char jwrite_spaces[] = "                                        "
                                    "                        ";
_Static_assert(sizeof jwrite_spaces - 1 >=
                   2 * (JWRITE_MAX_BASE + JWRITE_MAX_DEPTH),
               "jwrite_spaces is too short");

static void
jwrite_flush(struct jwrite *w)
{
    if (w->st == PC_OK && w->len > 0 &&
        fwrite(w->buf, 1, w->len, w->out) != w->len)
        w->st = errno == ENOMEM ? PC_ENOMEM : PC_EIO;
    w->len = 0;
}

static void
jwrite_raw(struct jwrite *w, const char *s, size_t n)
{
    if (w->st != PC_OK)
        return;
    if (w->len + n > sizeof w->buf) {
        jwrite_flush(w);
        if (n > sizeof w->buf) {
            if (w->st == PC_OK && fwrite(s, 1, n, w->out) != n)
                w->st = errno == ENOMEM ? PC_ENOMEM : PC_EIO;
            return;
        }
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static int
jwrite_sink(const char *s, size_t n, void *data)
{
    struct jwrite *w = data;

    jwrite_raw(w, s, n);
    return w->st == PC_OK ? 0 : -1;
}

void
jwrite_init(struct jwrite *w, FILE *out, unsigned base, bool ascii, pc_diags *d,
            const char *what)
{
    assert(base <= JWRITE_MAX_BASE);
    /* Not the buffer: a writer is made per finding. */
    w->out = out;
    w->d = d;
    w->loc = (struct pc_loc){ NULL, 0, 0 };
    w->what = what;
    w->ascii = ascii;
    w->st = PC_OK;
    w->base = base;
    w->depth = 0;
    w->scalar = NULL;
    w->len = 0;
}

pc_status
jwrite_done(struct jwrite *w)
{
    assert(w->st != PC_OK || w->depth == 0);
    jwrite_flush(w);
    json_decref(w->scalar);
    w->scalar = NULL;
    return w->st;
}

/* Does jansson write s between quotes as it is? It escapes '"', '\\'
 * and control characters, and nothing else that is printable ASCII (no
 * JSON_ESCAPE_SLASH here). Most of a report's strings are such; the
 * others, and everything not ASCII, go to jansson. tests/check_report
 * holds this to jansson's output for every byte. */
static size_t
jwrite_plain(const char *s)
{
    size_t n = 0;

    while (s[n] >= 0x20 && s[n] < 0x7f && s[n] != '"' && s[n] != '\\')
        n++;
    return s[n] == '\0' ? n : (size_t)-1;
}

/* s as a JSON string, escaped by jansson. */
static void
jwrite_quoted(struct jwrite *w, const char *key, const char *s)
{
    size_t plain = jwrite_plain(s);
    int rc;

    if (w->st != PC_OK)
        return;
    if (plain != (size_t)-1) {
        jwrite_raw(w, "\"", 1);
        jwrite_raw(w, s, plain);
        jwrite_raw(w, "\"", 1);
        return;
    }
    rc = w->scalar != NULL ? json_string_set(w->scalar, s)
                           : ((w->scalar = json_string(s)) == NULL ? -1 : 0);
    if (rc != 0) {
        /* Invalid UTF-8 or memory; which it was is the string's to say.
         * Inputs are validated, so invalid UTF-8 is a backstop. */
        if (utf8_valid(s))
            w->st = PC_ENOMEM;
        else
            w->st = diag_fail(w->d, PC_EINVALID, w->loc,
                              "%s cannot hold \"%s\": not valid UTF-8",
                              w->what != NULL ? w->what : "the report",
                              key != NULL ? key : "an item");
        return;
    }
    if (json_dump_callback(w->scalar, jwrite_sink, w,
                           JSON_ENCODE_ANY |
                               (w->ascii ? JSON_ENSURE_ASCII : 0)) != 0 &&
        w->st == PC_OK)
        w->st = PC_ENOMEM; /* its own table against cycles */
}

/* What comes before a value: inside a container, the separator, a new
 * line and its indentation, then "key": in an object. */
static void
jwrite_lead(struct jwrite *w, const char *key)
{
    if (w->st != PC_OK || w->depth == 0)
        return;
    jwrite_raw(w, w->nonempty[w->depth - 1] ? ",\n" : "\n",
               w->nonempty[w->depth - 1] ? 2 : 1);
    w->nonempty[w->depth - 1] = true;
    jwrite_raw(w, jwrite_spaces, 2 * (w->base + w->depth));
    if (key != NULL) {
        jwrite_quoted(w, NULL, key);
        jwrite_raw(w, ": ", 2);
    }
}

static void
jwrite_open(struct jwrite *w, const char *key, char open, char close)
{
    jwrite_lead(w, key);
    if (w->st != PC_OK)
        return;
    assert(w->depth < JWRITE_MAX_DEPTH);
    jwrite_raw(w, &open, 1);
    w->close[w->depth] = close;
    w->nonempty[w->depth] = false;
    w->depth++;
}

void
jwrite_object(struct jwrite *w, const char *key)
{
    jwrite_open(w, key, '{', '}');
}

void
jwrite_array(struct jwrite *w, const char *key)
{
    jwrite_open(w, key, '[', ']');
}

void
jwrite_end(struct jwrite *w)
{
    if (w->st != PC_OK)
        return;
    assert(w->depth > 0);
    w->depth--;
    if (w->nonempty[w->depth]) {
        jwrite_raw(w, "\n", 1);
        jwrite_raw(w, jwrite_spaces, 2 * (w->base + w->depth));
    }
    jwrite_raw(w, &w->close[w->depth], 1);
}

void
jwrite_str(struct jwrite *w, const char *key, const char *s)
{
    if (s == NULL) {
        jwrite_null(w, key);
        return;
    }
    jwrite_lead(w, key);
    jwrite_quoted(w, key, s);
}

void
jwrite_str_opt(struct jwrite *w, const char *key, const char *s)
{
    if (s != NULL)
        jwrite_str(w, key, s);
}

void
jwrite_int(struct jwrite *w, const char *key, size_t n)
{
    char num[24];
    size_t i = sizeof num;

    jwrite_lead(w, key);
    /* Decimal digits, as jansson prints a json_int_t that is not
     * negative (JSON_INTEGER_FORMAT); no printf on the hot path. */
    do
        num[--i] = (char)('0' + n % 10);
    while ((n /= 10) > 0);
    jwrite_raw(w, num + i, sizeof num - i);
}

void
jwrite_line(struct jwrite *w, const char *key, size_t n)
{
    if (n > 0)
        jwrite_int(w, key, n);
    else
        jwrite_null(w, key);
}

void
jwrite_bool(struct jwrite *w, const char *key, bool b)
{
    jwrite_lead(w, key);
    jwrite_raw(w, b ? "true" : "false", b ? 4 : 5);
}

void
jwrite_null(struct jwrite *w, const char *key)
{
    jwrite_lead(w, key);
    jwrite_raw(w, "null", 4);
}
