/* schema-msg.c - the wording of schema and well-formedness messages: each
 * says where, which element and attribute, what the schema expects, and,
 * when a name or value is one typo away from a valid one, which. */
#include "config.h"

#include "schema-msg.h"

#include "diag.h"
#include "nearest.h"
#include "strbuf.h"
#include "strv.h"

#include <string.h>

/* Long values are cut in messages: enough to recognise, not a dump. */
#define MSG_MAX_GOT 80

/* "a, b, c" into b. */
static pc_status
msg_join(struct strbuf *b, const struct strv *set, const char *open,
         const char *close)
{
    pc_status st = PC_OK;

    for (size_t i = 0; set != NULL && i < set->n && st == PC_OK; i++)
        st = strbuf_printf(b, "%s%s%s%s", i > 0 ? ", " : "", open, set->v[i],
                           close);
    return st;
}

static const char *
msg_nearest(const char *word, const struct strv *set)
{
    return set != NULL ? nearest_pick(word, (const char *const *)set->v, set->n)
                       : NULL;
}

/* Record b as the message; free b. */
static pc_status
msg_emit(pc_diags *d, struct pc_loc loc, struct strbuf *b, pc_status st,
         pc_status what)
{
    if (st == PC_OK)
        st = diag_add(d, PC_SEV_ERROR, loc, "%s", strbuf_str(b));
    strbuf_free(b);
    return st == PC_OK ? what : PC_ENOMEM;
}

/* `got`, cut to a readable length. */
static pc_status
msg_got(struct strbuf *b, const char *got)
{
    size_t n = strlen(got);

    if (n <= MSG_MAX_GOT)
        return strbuf_puts(b, got);
    /* Cut on a UTF-8 boundary. */
    n = MSG_MAX_GOT;
    while (n > 0 && ((unsigned char)got[n] & 0xc0) == 0x80)
        n--;
    if (strbuf_add(b, got, n) != PC_OK)
        return PC_ENOMEM;
    return strbuf_puts(b, "...");
}

/* "<elem> attr=\"got\"" or "the text of <elem>, 'got',". */
static pc_status
msg_where_value(struct strbuf *b, const char *elem, const char *attr,
                const char *got)
{
    pc_status st;

    if (attr != NULL)
        st = strbuf_printf(b, "<%s> %s=\"", elem, attr);
    else
        st = strbuf_printf(b, "the text of <%s>, \"", elem);
    if (st == PC_OK)
        st = msg_got(b, got);
    if (st == PC_OK)
        st = strbuf_puts(b, attr != NULL ? "\"" : "\",");
    return st;
}

pc_status
schema_msg_unknown_attr(pc_diags *d, struct pc_loc loc, const char *elem,
                        const char *attr, const struct strv *allowed)
{
    struct strbuf b = STRBUF_INIT(0);
    const char *near = msg_nearest(attr, allowed);
    pc_status st = strbuf_printf(&b, "<%s> has no attribute '%s'", elem, attr);

    if (st == PC_OK && near != NULL)
        st = strbuf_printf(&b, "; did you mean '%s'?", near);
    if (st == PC_OK && allowed != NULL && allowed->n > 0) {
        st = strbuf_printf(&b, "%s<%s> takes: ", near != NULL ? " " : "; ",
                           elem);
        if (st == PC_OK)
            st = msg_join(&b, allowed, "", "");
    } else if (st == PC_OK) {
        st = strbuf_printf(&b, "; <%s> takes no attributes", elem);
    }
    return msg_emit(d, loc, &b, st, PC_EINVALID);
}

pc_status
schema_msg_foreign_attr(pc_diags *d, struct pc_loc loc, const char *elem,
                        const char *attr, const char *ns)
{
    struct strbuf b = STRBUF_INIT(0);
    pc_status st = strbuf_printf(
        &b,
        "<%s> has no attribute '%s': namespace %s is no extension of the "
        "loaded pack (a pack declares its attributes in its rules "
        "directory's manifest-ext.rng; --rules names the pack)",
        elem, attr, ns);

    return msg_emit(d, loc, &b, st, PC_EINVALID);
}

pc_status
schema_msg_foreign_elem(pc_diags *d, struct pc_loc loc, const char *parent,
                        const char *elem, const char *ns)
{
    struct strbuf b = STRBUF_INIT(0);
    pc_status st = strbuf_printf(&b,
                                 "<%s> cannot hold <%s>: namespace %s is not "
                                 "this document's, and no element of it is "
                                 "allowed here",
                                 parent, elem, ns);

    return msg_emit(d, loc, &b, st, PC_EINVALID);
}

pc_status
schema_msg_missing_attr(pc_diags *d, struct pc_loc loc, const char *elem,
                        const char *attr, const struct strv *values)
{
    struct strbuf b = STRBUF_INIT(0);
    pc_status st =
        strbuf_printf(&b, "<%s> needs the attribute '%s'", elem, attr);

    if (st == PC_OK && values != NULL && values->n > 0) {
        st = strbuf_puts(&b, " (one of: ");
        if (st == PC_OK)
            st = msg_join(&b, values, "", "");
        if (st == PC_OK)
            st = strbuf_putc(&b, ')');
    }
    return msg_emit(d, loc, &b, st, PC_EINVALID);
}

pc_status
schema_msg_missing_choice(pc_diags *d, struct pc_loc loc, const char *elem,
                          const struct strv *alternatives)
{
    struct strbuf b = STRBUF_INIT(0);
    pc_status st =
        strbuf_printf(&b, "<%s> needs one of the attributes: ", elem);

    if (st == PC_OK)
        st = msg_join(&b, alternatives, "", "");
    return msg_emit(d, loc, &b, st, PC_EINVALID);
}

pc_status
schema_msg_exclusive_attrs(pc_diags *d, struct pc_loc loc, const char *elem,
                           const char *a, const char *b)
{
    return diag_add(d, PC_SEV_ERROR, loc,
                    "<%s> takes either '%s' or '%s', not both", elem, a,
                    b) == PC_OK
               ? PC_EINVALID
               : PC_ENOMEM;
}

pc_status
schema_msg_bad_value(pc_diags *d, struct pc_loc loc, const char *elem,
                     const char *attr, const char *got,
                     const struct strv *allowed)
{
    struct strbuf b = STRBUF_INIT(0);
    const char *near = msg_nearest(got, allowed);
    pc_status st = msg_where_value(&b, elem, attr, got);

    if (st == PC_OK)
        st = strbuf_puts(&b, " is not allowed: expected one of ");
    if (st == PC_OK)
        st = msg_join(&b, allowed, "", "");
    if (st == PC_OK && near != NULL)
        st = strbuf_printf(&b, "; did you mean '%s'?", near);
    return msg_emit(d, loc, &b, st, PC_EINVALID);
}

pc_status
schema_msg_bad_data(pc_diags *d, struct pc_loc loc, const char *elem,
                    const char *attr, const char *got, const char *expected)
{
    struct strbuf b = STRBUF_INIT(0);
    pc_status st = msg_where_value(&b, elem, attr, got);

    if (st == PC_OK)
        st = strbuf_printf(&b, " is not allowed: expected %s", expected);
    return msg_emit(d, loc, &b, st, PC_EINVALID);
}

pc_status
schema_msg_unknown_elem(pc_diags *d, struct pc_loc loc, const char *parent,
                        const char *elem, const struct strv *allowed)
{
    struct strbuf b = STRBUF_INIT(0);
    const char *near = msg_nearest(elem, allowed);
    pc_status st;

    if (allowed == NULL || allowed->n == 0) {
        st = strbuf_printf(&b, "<%s> takes no child elements, and has <%s>",
                           parent, elem);
        return msg_emit(d, loc, &b, st, PC_EINVALID);
    }
    st = strbuf_printf(&b, "<%s> cannot hold <%s>", parent, elem);
    if (st == PC_OK && near != NULL)
        st = strbuf_printf(&b, "; did you mean <%s>?", near);
    if (st == PC_OK)
        st = strbuf_printf(&b, "%s<%s> holds: ", near != NULL ? " " : "; ",
                           parent);
    if (st == PC_OK)
        st = msg_join(&b, allowed, "<", ">");
    return msg_emit(d, loc, &b, st, PC_EINVALID);
}

pc_status
schema_msg_misplaced_elem(pc_diags *d, struct pc_loc loc, const char *parent,
                          const char *elem, const char *after,
                          unsigned after_line, const struct strv *order)
{
    struct strbuf b = STRBUF_INIT(0);
    pc_status st = strbuf_printf(&b, "<%s> must come before <%s>", elem, after);

    if (st == PC_OK && after_line > 0)
        st = strbuf_printf(&b, " (line %u)", after_line);
    if (st == PC_OK)
        st = strbuf_printf(&b,
                           ": <%s> takes its children in this order: ", parent);
    if (st == PC_OK)
        st = msg_join(&b, order, "<", ">");
    return msg_emit(d, loc, &b, st, PC_EINVALID);
}

pc_status
schema_msg_repeated_elem(pc_diags *d, struct pc_loc loc, const char *parent,
                         const char *elem, unsigned first_line)
{
    pc_status st;

    if (first_line > 0)
        st = diag_add(d, PC_SEV_ERROR, loc,
                      "a second <%s>: <%s> takes one, and the first is at "
                      "line %u",
                      elem, parent, first_line);
    else
        st = diag_add(d, PC_SEV_ERROR, loc,
                      "a second <%s>: <%s> takes only one", elem, parent);
    return st == PC_OK ? PC_EINVALID : PC_ENOMEM;
}

pc_status
schema_msg_unexpected_elem(pc_diags *d, struct pc_loc loc, const char *parent,
                           const char *elem, const struct strv *expected)
{
    struct strbuf b = STRBUF_INIT(0);
    pc_status st =
        strbuf_printf(&b, "<%s> is not allowed here in <%s>", elem, parent);

    if (st == PC_OK && expected != NULL && expected->n > 0) {
        st = strbuf_puts(&b, "; expected ");
        if (st == PC_OK && expected->n > 1)
            st = strbuf_puts(&b, "one of ");
        if (st == PC_OK)
            st = msg_join(&b, expected, "<", ">");
    } else if (st == PC_OK) {
        st = strbuf_printf(&b, "; nothing more may follow in <%s>", parent);
    }
    return msg_emit(d, loc, &b, st, PC_EINVALID);
}

pc_status
schema_msg_missing_elem(pc_diags *d, struct pc_loc loc, const char *parent,
                        const struct strv *expected)
{
    struct strbuf b = STRBUF_INIT(0);
    pc_status st;

    if (expected != NULL && expected->n == 1)
        st = strbuf_printf(&b, "<%s> needs a <%s>, and has none", parent,
                           expected->v[0]);
    else {
        st = strbuf_printf(&b, "<%s> ends too early: it needs one of ", parent);
        if (st == PC_OK)
            st = msg_join(&b, expected, "<", ">");
    }
    return msg_emit(d, loc, &b, st, PC_EINVALID);
}

pc_status
schema_msg_text_not_allowed(pc_diags *d, struct pc_loc loc, const char *elem,
                            const char *text)
{
    struct strbuf b = STRBUF_INIT(0);
    pc_status st = strbuf_printf(&b, "<%s> takes no text, and has \"", elem);

    if (st == PC_OK)
        st = msg_got(&b, text);
    if (st == PC_OK)
        st = strbuf_puts(&b, "\" (attributes go inside the start tag)");
    return msg_emit(d, loc, &b, st, PC_EINVALID);
}

pc_status
schema_msg_wrong_root(pc_diags *d, struct pc_loc loc, const char *want_name,
                      const char *want_ns, const char *got_name,
                      const char *got_ns)
{
    pc_status st;

    if (got_ns == NULL || got_ns[0] == '\0')
        st = diag_add(d, PC_SEV_ERROR, loc,
                      "the root element must be <%s> in namespace %s, not "
                      "<%s> without a namespace (write <%s xmlns=\"%s\">)",
                      want_name, want_ns, got_name, want_name, want_ns);
    else
        st = diag_add(d, PC_SEV_ERROR, loc,
                      "the root element must be <%s> in namespace %s, not "
                      "<%s> in namespace %s",
                      want_name, want_ns, got_name, got_ns);
    return st == PC_OK ? PC_EINVALID : PC_ENOMEM;
}

pc_status
schema_msg_invalid(pc_diags *d, struct pc_loc loc, const char *elem)
{
    return diag_add(d, PC_SEV_ERROR, loc, "<%s> does not match the schema",
                    elem) == PC_OK
               ? PC_EINVALID
               : PC_ENOMEM;
}

/* "; expected <root xmlns="ns">" when the root is known. */
static pc_status
msg_expect_root(struct strbuf *b, const char *root, const char *ns)
{
    if (root == NULL)
        return PC_OK;
    if (ns != NULL && ns[0] != '\0')
        return strbuf_printf(b, "; it should start with <%s xmlns=\"%s\">",
                             root, ns);
    return strbuf_printf(b, "; it should start with <%s>", root);
}

pc_status
schema_msg_empty(pc_diags *d, struct pc_loc loc, const char *root,
                 const char *ns)
{
    struct strbuf b = STRBUF_INIT(0);
    pc_status st = strbuf_puts(&b, "the file is empty: there is no XML in it");

    if (st == PC_OK)
        st = msg_expect_root(&b, root, ns);
    return msg_emit(d, loc, &b, st, PC_ESYNTAX);
}

pc_status
schema_msg_not_xml(pc_diags *d, struct pc_loc loc, const char *start,
                   const char *root, const char *ns)
{
    struct strbuf b = STRBUF_INIT(0);
    pc_status st = strbuf_puts(&b, "not XML: the file starts with \"");

    if (st == PC_OK)
        st = msg_got(&b, start);
    if (st == PC_OK)
        st = strbuf_puts(&b, "\", not with an element");
    if (st == PC_OK)
        st = msg_expect_root(&b, root, ns);
    return msg_emit(d, loc, &b, st, PC_ESYNTAX);
}

pc_status
schema_msg_no_root(pc_diags *d, struct pc_loc loc, const char *root,
                   const char *ns)
{
    struct strbuf b = STRBUF_INIT(0);
    pc_status st = strbuf_puts(&b, "the file has no element, only an XML "
                                   "declaration, comments or blank lines");

    if (st == PC_OK)
        st = msg_expect_root(&b, root, ns);
    return msg_emit(d, loc, &b, st, PC_ESYNTAX);
}

pc_status
schema_msg_truncated(pc_diags *d, struct pc_loc loc, const char *elem,
                     unsigned open_line)
{
    return diag_add(d, PC_SEV_ERROR, loc,
                    "the file ends inside <%s>, opened at line %u and never "
                    "closed: is the file cut short?",
                    elem, open_line) == PC_OK
               ? PC_ESYNTAX
               : PC_ENOMEM;
}

pc_status
schema_msg_mismatched_tag(pc_diags *d, struct pc_loc loc, const char *elem,
                          unsigned open_line, const char *got)
{
    return diag_add(d, PC_SEV_ERROR, loc,
                    "</%s> does not close <%s>, opened at line %u: a closing "
                    "tag is missing or misspelt",
                    got, elem, open_line) == PC_OK
               ? PC_ESYNTAX
               : PC_ENOMEM;
}

pc_status
schema_msg_syntax(pc_diags *d, struct pc_loc loc, const char *what)
{
    return diag_add(d, PC_SEV_ERROR, loc, "not well-formed XML: %s", what) ==
                   PC_OK
               ? PC_ESYNTAX
               : PC_ENOMEM;
}

pc_status
schema_msg_describe_values(struct strbuf *b, const struct strv *values)
{
    pc_status st = strbuf_puts(b, values->n > 1 ? "one of " : "");

    return st == PC_OK ? msg_join(b, values, "", "") : st;
}

/* XML Schema datatype names, said in words. */
static const char *
msg_type_phrase(const char *type)
{
    static const struct {
        const char *type, *phrase;
    } types[] = {
        { "token", "a token" },
        { "string", "text" },
        { "normalizedString", "text" },
        { "NMTOKEN", "a token" },
        { "NCName", "a name" },
        { "anyURI", "a URI" },
        { "boolean", "true or false" },
        { "integer", "a whole number" },
        { "nonNegativeInteger", "a whole number, 0 or more" },
        { "positiveInteger", "a whole number, 1 or more" },
        { "int", "a whole number" },
        { "decimal", "a decimal number" },
        { "date", "a date (YYYY-MM-DD)" },
        { "dateTime", "a date and time (YYYY-MM-DDThh:mm:ss)" },
        { "duration", "an ISO 8601 duration (P30D)" },
    };

    for (size_t i = 0; type != NULL && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(type, types[i].type) == 0)
            return types[i].phrase;
    return NULL;
}

pc_status
schema_msg_describe_data(struct strbuf *b, const char *doc, const char *type,
                         const char *pattern, const char *min_len,
                         const char *max_len, const char *min, const char *max)
{
    const char *phrase = msg_type_phrase(type);
    pc_status st;

    if (doc != NULL)
        return strbuf_puts(b, doc);
    if (phrase != NULL)
        st = strbuf_puts(b, phrase);
    else
        st = strbuf_printf(b, "a value of type %s",
                           type != NULL ? type : "text");
    if (st == PC_OK && pattern != NULL)
        st = strbuf_printf(b, " matching %s", pattern);
    if (st == PC_OK && min_len != NULL && max_len != NULL)
        st = strbuf_printf(b, " of %s to %s characters", min_len, max_len);
    else if (st == PC_OK && min_len != NULL)
        st = strbuf_printf(b, " of at least %s characters", min_len);
    else if (st == PC_OK && max_len != NULL)
        st = strbuf_printf(b, " of at most %s characters", max_len);
    if (st == PC_OK && min != NULL)
        st = strbuf_printf(b, ", from %s", min);
    if (st == PC_OK && max != NULL)
        st = strbuf_printf(b, ", up to %s", max);
    return st;
}

pc_status
schema_msg_describe_list(struct strbuf *b, const char *item)
{
    return strbuf_printf(b, "a space-separated list, each item %s", item);
}
