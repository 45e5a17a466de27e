/* fuzz_jwrite.c - libFuzzer target for jwrite, which writes the JSON and
 * SARIF reports' findings, strings from manifests included, without
 * jansson's tree. The first byte chooses ASCII-only output and the depth
 * the pieces start at; the rest, split at NUL bytes, are strings. They
 * are written as an array of one-member objects, [{s0: s1}, {s2: s3},
 * ...], each with an array of a number and the next string, by jwrite,
 * and dumped by jansson from the same values. Checks that the bytes are
 * the same (jansson's, indented by the depth), and that a string jansson
 * refuses (not UTF-8) fails jwrite with PC_EINVALID and one diagnostic. */
#include "privcheck.h"

#include "jwrite.h"

#include "fuzz.h"

#include <jansson.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_JW_MAX_STRINGS 64

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *v[FUZZ_JW_MAX_STRINGS];
    size_t n = 0;
    char *s, *buf = NULL, *want;
    size_t len = 0;
    bool ascii, valid = true;
    unsigned base;
    json_t *doc;
    pc_diags *d;
    struct jwrite w;
    FILE *f;
    pc_status st;

    if (size < 1)
        return 0;
    ascii = data[0] & 1;
    base = (data[0] >> 1) % 4;
    s = fuzz_string(data + 1, size - 1);
    /* The strings: s up to each NUL (fuzz_string ends it with one). */
    for (size_t i = 0; i < size - 1 && n < FUZZ_JW_MAX_STRINGS;) {
        v[n++] = s + i;
        i += strlen(s + i) + 1;
    }
    if (n == 0)
        v[n++] = s;
    for (size_t i = 0; i < n; i++) {
        json_t *t = json_string(v[i]);

        valid = valid && t != NULL;
        json_decref(t);
    }

    d = pc_diags_new();
    f = open_memstream(&buf, &len);
    if (d == NULL || f == NULL)
        FUZZ_DIE("out of memory");
    jwrite_init(&w, f, base, ascii, d, "the fuzzed report");
    jwrite_array(&w, NULL);
    for (size_t i = 0; i < n; i += 2) {
        jwrite_object(&w, NULL);
        if (i + 1 < n) {
            jwrite_array(&w, v[i]);
            jwrite_int(&w, NULL, i);
            jwrite_str(&w, NULL, v[i + 1]);
            jwrite_end(&w);
        } else {
            jwrite_str(&w, "last", v[i]);
        }
        jwrite_end(&w);
    }
    if (w.st == PC_OK)
        jwrite_end(&w);
    st = jwrite_done(&w);
    FUZZ_ASSERT(fclose(f) == 0);

    if (!valid) {
        FUZZ_ASSERT(st == PC_EINVALID);
        FUZZ_ASSERT(pc_diags_errors(d) == 1);
    } else {
        FUZZ_ASSERT(st == PC_OK);
        FUZZ_ASSERT(pc_diags_count(d) == 0);
        doc = json_array();
        for (size_t i = 0; i < n; i += 2) {
            json_t *o = json_object();

            if (i + 1 < n)
                json_object_set_new(o, v[i],
                                    json_pack("[Is]", (json_int_t)i, v[i + 1]));
            else
                json_object_set_new(o, "last", json_string(v[i]));
            json_array_append_new(doc, o);
        }
        want = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                   (ascii ? JSON_ENSURE_ASCII : 0));
        FUZZ_ASSERT(want != NULL);
        /* jwrite's lines after the first are 2 * base spaces deeper. */
        {
            const char *g = buf, *e = want;

            for (; *e != '\0'; e++, g++) {
                FUZZ_ASSERT(*g == *e);
                if (*e == '\n') {
                    for (unsigned k = 0; k < 2 * base; k++)
                        FUZZ_ASSERT(*++g == ' ');
                }
            }
            FUZZ_ASSERT(*g == '\0');
        }
        free(want);
        json_decref(doc);
    }
    fuzz_check_diags(d);
    pc_diags_free(d);
    free(buf);
    free(s);
    return 0;
}
