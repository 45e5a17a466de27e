/* jbuild.c - puts into a jansson document under construction (jbuild.h):
 * the JSON and SARIF reports are built as documents and serialised by
 * jansson, so no string is escaped by hand; the JSON report in pieces,
 * laid out as one dump of the whole would be. */
#include "config.h"

#include "jbuild.h"

#include "diag.h"
#include "strbuf.h"
#include "utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

json_t *
jbuild_put(struct jbuild *p, json_t *obj, const char *key, json_t *v)
{
    int rc;

    if (p->st != PC_OK) {
        json_decref(v);
        return NULL;
    }
    if (v == NULL) {
        p->st = PC_ENOMEM;
        return NULL;
    }
    rc = key != NULL ? json_object_set_new(obj, key, v)
                     : json_array_append_new(obj, v);
    if (rc != 0) {
        p->st = PC_ENOMEM;
        return NULL;
    }
    return v;
}

void
jbuild_str(struct jbuild *p, json_t *obj, const char *key, const char *s)
{
    json_t *v;

    if (p->st != PC_OK)
        return;
    if (s == NULL || (v = json_string(s)) != NULL) {
        jbuild_put(p, obj, key, s == NULL ? json_null() : v);
        return;
    }
    /* json_string fails on invalid UTF-8 and on memory. Which it was is
     * the string's to say, not a second allocation's (it may succeed
     * where the first failed). Inputs are validated, so invalid UTF-8 is
     * a backstop no one should see. */
    if (utf8_valid(s)) {
        p->st = PC_ENOMEM;
        return;
    }
    p->st = diag_fail(p->d, PC_EINVALID, p->loc,
                      "%s cannot hold \"%s\": not valid UTF-8",
                      p->what != NULL ? p->what : "the report",
                      key != NULL ? key : "an item");
}

void
jbuild_str_opt(struct jbuild *p, json_t *obj, const char *key, const char *s)
{
    if (s != NULL)
        jbuild_str(p, obj, key, s);
}

void
jbuild_int(struct jbuild *p, json_t *obj, const char *key, size_t n)
{
    jbuild_put(p, obj, key, json_integer((json_int_t)n));
}

void
jbuild_bool(struct jbuild *p, json_t *obj, const char *key, bool b)
{
    jbuild_put(p, obj, key, json_boolean(b));
}

/* Where jansson writes a dump. jansson 2.14 ignores the status of
 * writing an object's key (dump.c drops dump_string's result), so a
 * failed allocation or write there would lose the key and still end in
 * success. The sink is ours, and it remembers: a dump has succeeded only
 * when jansson says so and the sink saw no failure. */
struct jbuild_sink {
    FILE *out;         /* written straight to, or */
    struct strbuf buf; /* gathered in */
    pc_status st;
};

static int
jbuild_sink_put(const char *s, size_t n, void *data)
{
    struct jbuild_sink *k = data;

    if (k->st != PC_OK)
        return -1;
    if (k->out != NULL) {
        if (fwrite(s, 1, n, k->out) != n)
            k->st = errno == ENOMEM ? PC_ENOMEM : PC_EIO;
    } else {
        k->st = strbuf_add(&k->buf, s, n);
    }
    return k->st == PC_OK ? 0 : -1;
}

static pc_status
jbuild_sink_dump(struct jbuild_sink *k, json_t *v, size_t flags)
{
    if (json_dump_callback(v, jbuild_sink_put, k, flags) != 0 && k->st == PC_OK)
        /* Its own allocation (the table against cycles) failed. */
        k->st = PC_ENOMEM;
    return k->st;
}

pc_status
jbuild_dump(json_t *doc, FILE *out, bool ascii)
{
    struct jbuild_sink k = { .out = out, .st = PC_OK };

    /* Insertion order is the documented order: no JSON_SORT_KEYS.
     * (PRESERVE_ORDER is the default since jansson 2.8; it says so.) */
    if (jbuild_sink_dump(&k, doc,
                         JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                             (ascii ? JSON_ENSURE_ASCII : 0)) != PC_OK)
        return k.st;
    return fputc('\n', out) == EOF ? PC_EIO : PC_OK;
}

pc_status
jbuild_write(FILE *out, unsigned indent, json_t *v, bool ascii)
{
    struct jbuild_sink k = { .buf = STRBUF_INIT(0), .st = PC_OK };
    const char *p, *nl;
    pc_status st;

    if ((st = jbuild_sink_dump(&k, v,
                               JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                   JSON_ENCODE_ANY |
                                   (ascii ? JSON_ENSURE_ASCII : 0))) != PC_OK) {
        strbuf_free(&k.buf);
        return st;
    }
    /* Strings hold no raw newline (JSON escapes it): every one is a line
     * break of the layout, and takes the depth's indentation. */
    for (p = strbuf_str(&k.buf); st == PC_OK && (nl = strchr(p, '\n')) != NULL;
         p = nl + 1)
        if (fwrite(p, 1, (size_t)(nl + 1 - p), out) != (size_t)(nl + 1 - p) ||
            fprintf(out, "%*s", (int)indent, "") < 0)
            st = PC_EIO;
    if (st == PC_OK && fputs(p, out) == EOF)
        st = PC_EIO;
    strbuf_free(&k.buf);
    return st;
}

pc_status
jbuild_write_member(FILE *out, bool first, unsigned indent, const char *key,
                    json_t *v, bool ascii)
{
    json_t *k = json_string(key);
    pc_status st;

    if (k == NULL)
        return PC_ENOMEM;
    if (fprintf(out, "%s\n%*s", first ? "" : ",", (int)indent, "") < 0)
        st = PC_EIO;
    else
        st = jbuild_write(out, indent, k, ascii);
    json_decref(k);
    if (st == PC_OK && fputs(": ", out) == EOF)
        st = PC_EIO;
    return st == PC_OK ? jbuild_write(out, indent, v, ascii) : st;
}

pc_status
jbuild_write_members(FILE *out, bool first, unsigned indent, json_t *obj,
                     bool ascii)
{
    const char *key;
    json_t *v;
    pc_status st = PC_OK;

    json_object_foreach(obj, key, v)
    {
        if ((st = jbuild_write_member(out, first, indent, key, v, ascii)) !=
            PC_OK)
            return st;
        first = false;
    }
    return st;
}
