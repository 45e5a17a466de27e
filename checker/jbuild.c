/* jbuild.c - puts into a jansson document under construction (jbuild.h):
 * the JSON and SARIF reports are built as documents and serialised by
 * jansson, so no string is escaped by hand. */
#include "config.h"

#include "jbuild.h"

#include "diag.h"
#include "utf8.h"

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

static bool
jbuild_utf8(const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0, k; i < n; i += k)
        if ((k = utf8_len((const unsigned char *)s + i, n - i)) == 0)
            return false;
    return true;
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
    if (jbuild_utf8(s)) {
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

pc_status
jbuild_dump(json_t *doc, FILE *out, bool ascii)
{
    /* Insertion order is the documented order: no JSON_SORT_KEYS.
     * (PRESERVE_ORDER is the default since jansson 2.8; it says so.) */
    if (json_dumpf(doc, out,
                   JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                       (ascii ? JSON_ENSURE_ASCII : 0)))
        /* -1 either way: the stream tells a failed write from a failed
         * allocation (the dumper keeps a table against cycles). */
        return ferror(out) ? PC_EIO : PC_ENOMEM;
    return fputc('\n', out) == EOF ? PC_EIO : PC_OK;
}
