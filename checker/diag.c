/* diag.c - diagnostics: a growable list of located messages, and the one
 * place that prints them. File names are interned so that locations can
 * be copied freely without owning strings. */
#include "config.h"

#include "diag.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#define DIAG_MAX 10000 /* past this, further diagnostics are dropped */

struct pc_diags {
    struct pc_diag *v;
    size_t n, cap;
    size_t errors;
    bool truncated;
    char **files;
    size_t nfiles, capfiles;
};

pc_diags *
pc_diags_new(void)
{
    return calloc(1, sizeof(struct pc_diags));
}

void
pc_diags_clear(pc_diags *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->n; i++)
        free((char *)d->v[i].message);
    d->n = 0;
    d->errors = 0;
    d->truncated = false;
}

void
pc_diags_free(pc_diags *d)
{
    if (d == NULL)
        return;
    pc_diags_clear(d);
    free(d->v);
    for (size_t i = 0; i < d->nfiles; i++)
        free(d->files[i]);
    free(d->files);
    free(d);
}

size_t
pc_diags_count(const pc_diags *d)
{
    return d->n;
}

size_t
pc_diags_errors(const pc_diags *d)
{
    return d->errors;
}

const struct pc_diag *
pc_diags_get(const pc_diags *d, size_t i)
{
    return i < d->n ? &d->v[i] : NULL;
}

const char *
diag_intern(pc_diags *d, const char *file)
{
    if (file == NULL)
        return NULL;
    /* Few distinct files per run: a linear scan is cheaper than a map. */
    for (size_t i = 0; i < d->nfiles; i++)
        if (strcmp(d->files[i], file) == 0)
            return d->files[i];
    if (d->nfiles == d->capfiles) {
        size_t cap = d->capfiles ? d->capfiles * 2 : 8;
        char **v = realloc(d->files, cap * sizeof *v);
        if (v == NULL)
            return NULL;
        d->files = v;
        d->capfiles = cap;
    }
    char *copy = strdup(file);
    if (copy == NULL)
        return NULL;
    d->files[d->nfiles++] = copy;
    return copy;
}

struct pc_loc
diag_loc(pc_diags *d, const char *file, unsigned line, unsigned col)
{
    struct pc_loc loc = { diag_intern(d, file), line, col };
    return loc;
}

pc_status
diag_vadd(pc_diags *d, pc_severity sev, struct pc_loc loc, const char *fmt,
          va_list ap)
{
    va_list ap2;
    char *msg;
    int len;

    if (sev == PC_SEV_ERROR)
        d->errors++;
    if (d->n >= DIAG_MAX) {
        d->truncated = true;
        return PC_OK;
    }
    va_copy(ap2, ap);
    len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (len < 0 || (msg = malloc((size_t)len + 1)) == NULL)
        return PC_ENOMEM;
    vsnprintf(msg, (size_t)len + 1, fmt, ap);
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        struct pc_diag *v = realloc(d->v, cap * sizeof *v);
        if (v == NULL) {
            free(msg);
            return PC_ENOMEM;
        }
        d->v = v;
        d->cap = cap;
    }
    loc.file = diag_intern(d, loc.file);
    d->v[d->n].loc = loc;
    d->v[d->n].severity = sev;
    d->v[d->n].message = msg;
    d->n++;
    return PC_OK;
}

pc_status
diag_add(pc_diags *d, pc_severity sev, struct pc_loc loc, const char *fmt, ...)
{
    va_list ap;
    pc_status st;

    va_start(ap, fmt);
    st = diag_vadd(d, sev, loc, fmt, ap);
    va_end(ap);
    return st;
}

pc_status
diag_fail(pc_diags *d, pc_status st, struct pc_loc loc, const char *fmt, ...)
{
    va_list ap;
    pc_status rec;

    va_start(ap, fmt);
    rec = diag_vadd(d, PC_SEV_ERROR, loc, fmt, ap);
    va_end(ap);
    return rec == PC_OK ? st : rec;
}

/* Is the n-byte UTF-8 sequence at s a C1 control or a bidi control? */
static bool
diag_is_format_char(const unsigned char *s, size_t n)
{
    if (n == 2)
        return s[0] == 0xc2 && s[1] < 0xa0;
    /* U+202A..U+202E and U+2066..U+2069: E2 80 AA..AE, E2 81 A6..A9. */
    if (n == 3 && s[0] == 0xe2)
        return (s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae) ||
               (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9);
    return false;
}

size_t
diag_scan(const char *str, size_t avail, bool *unsafe)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n = utf8_len(s, avail);

    if (n == 0) {
        *unsafe = true; /* not UTF-8: one byte at a time */
        return 1;
    }
    /* C0 controls but tab, DEL; C1 controls (a raw CSI drives some
     * terminals) and bidi overrides (they reorder what a reviewer sees). */
    *unsafe = (n == 1 && (*s < 0x20 || *s == 0x7f) && *s != '\t') ||
              diag_is_format_char(s, n);
    return n;
}

/* Where escaped text goes: a stream or a strbuf, the first failure of
 * the latter kept. */
struct diag_sink {
    FILE *out;
    struct strbuf *b;
    pc_status st;
};

static void
diag_sink_put(struct diag_sink *k, const char *s, size_t n)
{
    if (n == 0 || k->st != PC_OK)
        return;
    if (k->out != NULL)
        fwrite(s, 1, n, k->out);
    else
        k->st = strbuf_add(k->b, s, n);
}

/* str with every unsafe character as \xHH, to k. Safe characters go out
 * a run at a time, not one by one. */
static void
diag_escape_to(struct diag_sink *k, const char *str)
{
    static const char hex[] = "0123456789abcdef";
    const char *end = str + strlen(str), *run = str;

    while (str < end && k->st == PC_OK) {
        bool unsafe;
        size_t n;

        if (*str >= 0x20 && *str < 0x7f) {
            str++;
            continue;
        }
        n = diag_scan(str, (size_t)(end - str), &unsafe);
        if (unsafe) {
            diag_sink_put(k, run, (size_t)(str - run));
            for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)str[i];
                char x[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

                diag_sink_put(k, x, sizeof x);
            }
            run = str + n;
        }
        str += n;
    }
    diag_sink_put(k, run, (size_t)(str - run));
}

void
diag_put_escaped(FILE *out, const char *str)
{
    struct diag_sink k = { out, NULL, PC_OK };

    diag_escape_to(&k, str);
}

void
pc_put_escaped(FILE *out, const char *s)
{
    diag_put_escaped(out, s != NULL ? s : "");
}

pc_status
diag_escape(struct strbuf *b, const char *str)
{
    struct diag_sink k = { NULL, b, PC_OK };

    diag_escape_to(&k, str);
    return k.st;
}

void
pc_diags_print(const pc_diags *d, FILE *out)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct pc_diag *g = &d->v[i];

        if (g->loc.file != NULL) {
            diag_put_escaped(out, g->loc.file);
            if (g->loc.line > 0)
                fprintf(out, ":%u", g->loc.line);
            if (g->loc.line > 0 && g->loc.col > 0)
                fprintf(out, ":%u", g->loc.col);
            fputs(": ", out);
        } else {
            fputs("privcheck: ", out);
        }
        fprintf(out, "%s: ", pc_severity_str(g->severity));
        diag_put_escaped(out, g->message);
        fputc('\n', out);
    }
    if (d->truncated)
        fprintf(out,
                "privcheck: note: more than %d diagnostics; the rest "
                "were not shown\n",
                DIAG_MAX);
}

void
diag_sort_lines(pc_diags *d, size_t from)
{
    /* Insertion sort: stable, and the runs are short and nearly sorted. */
    for (size_t i = from + 1; i < d->n; i++) {
        struct pc_diag g = d->v[i];
        size_t j = i;

        while (j > from && d->v[j - 1].loc.line > g.loc.line) {
            d->v[j] = d->v[j - 1];
            j--;
        }
        d->v[j] = g;
    }
}
