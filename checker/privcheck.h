/* privcheck.h - the public interface of libprivcheck.
 *
 * The library audits application manifests against a privacy policy with
 * rules that are data. It never prints and never exits: every problem is
 * recorded in a pc_diags sink with its file and line, and functions return
 * a pc_status. This is the only installed header.
 */
#ifndef PRIVCHECK_H
#define PRIVCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PC_PRINTF(f, a)
#endif

typedef enum {
    PC_OK = 0,
    PC_ENOMEM,
    PC_EIO,      /* a file could not be read or written */
    PC_ESYNTAX,  /* malformed XML or pattern */
    PC_EINVALID, /* well-formed, semantically wrong */
    PC_ELIMIT,   /* input exceeds a configured limit */
} pc_status;

typedef enum {
    PC_SEV_NOTE = 0,
    PC_SEV_WARNING,
    PC_SEV_ERROR,
} pc_severity;

/* A place in an input file. `file` is borrowed from whoever made the
 * location (the diags sink interns it). */
struct pc_loc {
    const char *file;
    unsigned line, col; /* 1-based; 0 = unknown */
};

typedef struct pc_diags pc_diags;

/* One diagnostic: a problem with the inputs, not a finding. */
struct pc_diag {
    struct pc_loc loc;
    pc_severity severity;
    const char *message;
};

/* Version string of the library, e.g. "0.1.0". Static storage. */
const char *pc_version(void);

/* Short English name for a status ("out of memory", ...). Static. */
const char *pc_status_str(pc_status st);

/* "error", "warning", "note". Static. */
const char *pc_severity_str(pc_severity sev);

/* Parse "error" / "warning" / "note"; returns false if s is none. */
bool pc_severity_parse(const char *s, pc_severity *out);

/* A sink for diagnostics. pc_diags_new returns NULL when out of memory;
 * the caller frees it with pc_diags_free (NULL is a no-op). */
pc_diags *pc_diags_new(void);
void pc_diags_free(pc_diags *d);
size_t pc_diags_count(const pc_diags *d);
/* The i-th diagnostic, borrowed until the sink is freed or cleared. */
const struct pc_diag *pc_diags_get(const pc_diags *d, size_t i);
/* Number of diagnostics with severity error. */
size_t pc_diags_errors(const pc_diags *d);
/* Forget every diagnostic (interned file names stay valid). */
void pc_diags_clear(pc_diags *d);
/* Print every diagnostic as `file:line:col: severity: message`, with
 * control bytes escaped. */
void pc_diags_print(const pc_diags *d, FILE *out);

/* ------------------------------------------------------------------ */
/* Where the data lives. */

struct pc_paths {
    char *policy;    /* the policy file */
    char *rules_dir; /* the directory of *.rules.xml and classifiers.xml */
    /* The schemas always come from privcheck's own data, whatever policy
     * and rules are chosen. */
    char *policy_schema, *rules_schema, *classifiers_schema,
        *manifest_schema;
};

/* Fill in the defaults for every member left NULL: PRIVCHECK_DATADIR if
 * set, else the source tree when this binary runs uninstalled, else the
 * installed $(pkgdatadir). Members are the caller's (pc_paths_clear). */
pc_status pc_paths_resolve(struct pc_paths *p, pc_diags *d);
void pc_paths_clear(struct pc_paths *p);

/* ------------------------------------------------------------------ */
/* The policy. */

typedef struct pc_policy pc_policy;

/* Load, validate against `schema` and index the policy at `path`. On PC_OK
 * *out is the caller's (pc_policy_free). Every problem goes to d; any
 * error makes the load fail. */
pc_status pc_policy_load(const char *path, const char *schema, pc_diags *d,
                         pc_policy **out);
void pc_policy_free(pc_policy *p);

/* Policy id, version, title; borrowed. */
const char *pc_policy_id(const pc_policy *p);
const char *pc_policy_version(const pc_policy *p);
const char *pc_policy_title(const pc_policy *p);
/* SHA-256 of the policy file, lower-case hex; borrowed. */
const char *pc_policy_sha256(const pc_policy *p);
size_t pc_policy_clause_count(const pc_policy *p);

/* The policy as Markdown, grouped by section, every clause quoted. */
pc_status pc_policy_render_markdown(const pc_policy *p, FILE *out);

/* ------------------------------------------------------------------ */
/* Validation of any privcheck input, known by its root namespace. */

/* Schema-check `path`. Returns PC_OK when valid; problems go to d. */
pc_status pc_validate_file(const struct pc_paths *paths, const char *path,
                           pc_diags *d);

#ifdef __cplusplus
}
#endif
#endif
