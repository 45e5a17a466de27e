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
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PC_PRINTF(f, a)
#endif

/* The file name that stands for standard input: `check -` audits it under
 * this name, as reports show it. (A file of that name: "./<stdin>".) */
#define PC_STDIN "<stdin>"

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

/* The bounds on input (privcheck(1), LIMITS). Each has a default and a
 * hard ceiling; a value in force is the default unless set. */
struct pc_limit_info {
    const char *name; /* as --limit takes it: "depth" */
    const char *unit; /* "bytes", "elements", ... */
    const char *help;
    unsigned long long def, ceiling;
};
/* The i-th limit, NULL past the last; *value (if not NULL) gets the value
 * in force. Static storage. */
const struct pc_limit_info *pc_limit_info(size_t i, unsigned long long *value);
/* Set a limit from "NAME=VALUE" for the rest of the process; call before
 * anything is loaded and before threads start. On a bad name, a value not
 * from 1 to the ceiling, returns false with why (a sentence ending where
 * the assignment would be quoted) in why[whysize]. */
bool pc_limit_set(const char *assignment, char *why, size_t whysize);

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
/* Write s with control bytes, C1 controls, bidi overrides and invalid
 * UTF-8 escaped as \xNN: the one printer for text that came from input
 * (a file name, an id, a field name), so none can drive a terminal or
 * forge a line of CI output. */
void pc_put_escaped(FILE *out, const char *s);

/* ------------------------------------------------------------------ */
/* Replacing a file atomically: whole, or not at all. */

typedef struct pc_atomic pc_atomic;

/* Start replacing (or creating) the file at path: *stream writes to a
 * temporary file beside it, which will get the mode of the file it
 * replaces, or else 0666 less the umask. On PC_OK *out is the caller's,
 * to end with pc_atomic_commit or pc_atomic_abort; the stream is closed
 * by them, never by the caller. Errors go to d. */
pc_status pc_atomic_open(const char *path, pc_diags *d, pc_atomic **out,
                         FILE **stream);
/* Flush, sync and close the stream, without renaming yet: when several
 * files must all be written before any replaces its old self, close each
 * first, then commit each. PC_EIO with a diagnostic when a write
 * failed. */
pc_status pc_atomic_close(pc_atomic *a, pc_diags *d);
/* Close (if not yet), then rename the temporary file over the target.
 * On failure the temporary file is removed and the target untouched.
 * Frees a either way; NULL is a no-op. */
pc_status pc_atomic_commit(pc_atomic *a, pc_diags *d);
/* Close and remove the temporary file; the target is untouched. Frees a;
 * NULL is a no-op. */
void pc_atomic_abort(pc_atomic *a);
/* Remove every temporary file still open (async-signal-safe; what the
 * library does itself on SIGINT, SIGTERM and SIGHUP), for a program about
 * to end without its clean-up. */
void pc_atomic_discard_all(void);

/* ------------------------------------------------------------------ */
/* Out of memory inside a library. */

/* libxml2 2.9 and jansson 2.14 cannot be trusted to go on after one of
 * their own allocations failed: libxml2 crashes on some paths (compiling
 * a schema's regular expressions, freeing a half-parsed schema) and on
 * others calls a valid document invalid; jansson can corrupt the heap on
 * a failed parse, or return a document short of a value. The library
 * notes every such failure and turns the operation into PC_ENOMEM; a
 * program that would rather not go on at all sets a handler, called at
 * the failed allocation, which must not return (print, clean up with
 * pc_atomic_discard_all, _exit). NULL restores the default. */
void pc_set_oom_handler(void (*handler)(void));

/* ------------------------------------------------------------------ */
/* Where the data lives. */

struct pc_paths {
    char *policy;    /* the policy file */
    char *rules_dir; /* the directory of *.rules.xml and classifiers.xml */
    /* The schemas always come from privcheck's own data, whatever policy
     * and rules are chosen. Without a waivers schema (NULL), an engine
     * reads no waivers, and rules over them do not load. */
    char *policy_schema, *rules_schema, *classifiers_schema, *manifest_schema;
    char *waivers_schema;
    char *ruletests_schema; /* rule tests (privcheck rules test) */
    /* The XSLT stylesheet that turns the XML report into the HTML one. */
    char *stylesheet;
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

/* The policy as Markdown, grouped by section, every clause quoted (no
 * rules: see pc_policy_render). */
pc_status pc_policy_render_markdown(const pc_policy *p, FILE *out);

/* ------------------------------------------------------------------ */
/* Validation of any privcheck input, known by its root namespace. */

/* Schema-check `path`. Returns PC_OK when valid; problems go to d. */
pc_status pc_validate_file(const struct pc_paths *paths, const char *path,
                           pc_diags *d);

/* ------------------------------------------------------------------ */
/* The engine: a policy, its compiled rules and classifiers. Immutable once
 * loaded, so several threads may audit with one engine at once. */

typedef struct pc_engine pc_engine;

/* Load the policy, classifiers and every *.rules.xml of paths->rules_dir,
 * validate and compile them. On PC_OK *out is the caller's
 * (pc_engine_free). Every problem goes to d. */
pc_status pc_engine_load(const struct pc_paths *paths, pc_diags *d,
                         pc_engine **out);
void pc_engine_free(pc_engine *e);
/* Borrowed for the engine's lifetime. */
const pc_policy *pc_engine_policy(const pc_engine *e);
/* SHA-256 of the listing `sha256sum classifiers.xml *.rules.xml` prints
 * in the rules directory (file names sorted bytewise): it depends on the
 * files' names and contents alone, not on where they are. */
const char *pc_engine_rules_sha256(const pc_engine *e);

/* A reference to a policy clause; strings borrowed from the engine. */
struct pc_clause_ref {
    const char *id, *section, *text;
};

/* A rule as the catalog shows it; borrowed from the engine. */
struct pc_rule_info {
    const char *id;
    pc_severity severity;
    const char *title, *message, *fix;
    const char *over; /* the elements it ranges over: "flow, keep" */
    /* The root element of the document those are in: "application" for
     * a manifest's, "waivers" for a waivers file's. */
    const char *input;
    /* Whose data it judges (the policy's subject ids); NULL: every one. */
    const char *subjects;
    const struct pc_clause_ref *clauses;
    size_t nclauses;
    const char *file; /* the rules file and line it is defined at */
    unsigned line;
};

size_t pc_engine_rule_count(const pc_engine *e);
/* Rules sorted by id. */
const struct pc_rule_info *pc_engine_rule(const pc_engine *e, size_t i);
/* NULL when no rule has this id. */
const struct pc_rule_info *pc_engine_rule_find(const pc_engine *e,
                                               const char *id);

/* What the classifiers make of a field name. */
struct pc_classification {
    const char *element;    /* NULL: no classifier recognises the name */
    const char *classifier; /* id of the classifier that matched */
    const char *pattern;    /* the pattern that matched */
    bool sensitive;         /* the classifier or the policy says so */
    bool declared;          /* the policy declares the element */
};

/* Classify one field name in a context: the table, model or object the
 * field lives in (NULL or "" for none; classifiers may require or exclude
 * a context, see rules/classifiers.xml). Strings in *out are borrowed
 * from the engine. Errors (a pattern hitting its match limit, a name or
 * context over its length limit) go to d. */
pc_status pc_classify_name(const pc_engine *e, const char *name,
                           const char *context, pc_diags *d,
                           struct pc_classification *out);

/* What pc_classify_explain reports, in this order: PC_CLASSIFY_START;
 * for each classifier tried, the patterns that decided something and
 * then one of NO_NAME, VETOED (and the next classifier is tried) or
 * CHOSEN (and no later classifier is tried); when none was chosen, none
 * vetoed, and the name's first word abbreviates the context (a column
 * prefix, as the classifiers file's column-prefix-max allows),
 * PC_CLASSIFY_PREFIX with
 * the rest of the name, and the classifiers again for it;
 * PC_CLASSIFY_NONE last when no classifier was chosen. */
typedef enum {
    PC_CLASSIFY_START,        /* before the first classifier */
    PC_CLASSIFY_NO_NAME,      /* no <name> pattern counted */
    PC_CLASSIFY_NAME_SKIPPED, /* <name> matched the name, not the context */
    PC_CLASSIFY_NAME,         /* <name> pattern `index` counted */
    PC_CLASSIFY_NOT_SKIPPED,  /* <not> matched the name, not the context */
    PC_CLASSIFY_VETOED,       /* <not> pattern `index` vetoed */
    PC_CLASSIFY_CHOSEN,       /* this classifier names the field */
    PC_CLASSIFY_NONE,         /* no classifier recognised the name */
    PC_CLASSIFY_PREFIX,       /* name: what is left without the column prefix */
} pc_classify_event;

/* How a pattern's context condition turned out. */
typedef enum {
    PC_CONTEXT_UNCONDITIONED, /* no context= or unless-context= */
    PC_CONTEXT_HELD,          /* the condition held: the pattern counts */
    PC_CONTEXT_ABSENT,        /* context= given, but there is no context */
    PC_CONTEXT_MISMATCH,      /* context= did not match the context */
    PC_CONTEXT_EXCLUDED,      /* unless-context= matched the context */
} pc_context_check;

struct pc_classify_step {
    pc_classify_event event;
    const char *name, *context; /* normalised; "" when there is none */
    /* The classifier (NULL for START and NONE) and its line. */
    const char *classifier, *element;
    unsigned line;
    /* NAME*, NOT_SKIPPED, VETOED: which <name> or <not> of the classifier
     * (1-based, in file order), its pattern and conditions (NULL when it
     * has none), and how the conditions turned out. */
    size_t index;
    const char *pattern, *if_context, *unless_context;
    pc_context_check check;
};

/* Classify a name as pc_classify_name does (without the cache), calling
 * step(arg, ...) for each event above. Strings in a step are valid during
 * the call only; strings in *out are borrowed from the engine. */
pc_status pc_classify_explain(const pc_engine *e, const char *name,
                              const char *context, pc_diags *d,
                              void (*step)(void *arg,
                                           const struct pc_classify_step *),
                              void *arg, struct pc_classification *out);

/* The engine's policy for its reader, in `format` ("markdown", "html" or
 * "json"): every clause quoted with what cites it and the rules of e that
 * enforce it, the normative clauses no rule enforces, the model's tables,
 * and for each jurisdiction and right the deadline with its statute.
 * HTML is one self-contained page. PC_EIO when out failed; problems go to
 * d. */
pc_status pc_policy_render(const pc_engine *e, const char *format, FILE *out,
                           pc_diags *d);
/* Is `format` one pc_policy_render writes? The list, comma-separated,
 * static. */
bool pc_policy_render_format_known(const char *format);
const char *pc_policy_render_formats(void);

/* Lint the engine's policy: contradictions and gaps inside it and between
 * it and the rules of e (a purpose listed and prohibited for the same
 * data, data that may serve no purpose, sensitive data open to every
 * purpose, business sharing no recipient type may receive, a required
 * right without a deadline or its statute, a normative clause nothing
 * cites and no rule enforces), each at its file:line with its clauses.
 * (A setting a rule reads that the policy does not declare fails the
 * engine's load already.) Written to out
 * as "text" (compiler style) or "json"; *worst is the highest severity
 * found (PC_SEV_NOTE when none) and *nfindings their number. */
pc_status pc_policy_lint(const pc_engine *e, const char *format, FILE *out,
                         pc_severity *worst, size_t *nfindings, pc_diags *d);
bool pc_policy_lint_format_known(const char *format);

/* What changed between two versions of a policy (policy diff). */
typedef struct pc_policy_diff pc_policy_diff;

/* Compare old and new (both borrowed; they must outlive *out): clauses
 * added, removed and reworded, and every part of the model added, removed
 * or changed, each stricter, looser or neutral for privacy. On PC_OK *out
 * is the caller's (pc_policy_diff_free; NULL is a no-op). */
pc_status pc_policy_diff_new(const pc_policy *old, const pc_policy *new,
                             pc_policy_diff **out);
void pc_policy_diff_free(pc_policy_diff *df);
/* Audit each manifest under the engine of the old policy and of the new
 * one (the same rules) and record the findings that appear or disappear,
 * matched by fingerprint. Anything but PC_OK: a manifest could not be
 * audited (d says why). */
struct pc_audit_options;
pc_status pc_policy_diff_impact(pc_policy_diff *df, const pc_engine *old,
                                const pc_engine *new,
                                const char *const *manifests, size_t n,
                                const struct pc_audit_options *opt,
                                pc_diags *d);
/* The number of looser changes. */
size_t pc_policy_diff_looser(const pc_policy_diff *df);
/* Write the diff as "text", "markdown", "html" or "json". */
pc_status pc_policy_diff_write(const pc_policy_diff *df, const char *format,
                               FILE *out, pc_diags *d);
bool pc_policy_diff_format_known(const char *format);

/* ------------------------------------------------------------------ */
/* Audits and their results. */

/* Why a finding does not count: a waiver (DESIGN §6a) or the baseline
 * (§6b). For a baseline, only kind is set. */
struct pc_suppression {
    const char *kind; /* "waiver" or "baseline"; NULL: not suppressed */
    const char *reason, *approved_by, *expires;
    const char *file; /* the waivers file and the waiver's line */
    unsigned line;
};

/* One finding. Strings are owned by the results; clauses are borrowed from
 * the engine, which must outlive the results. */
struct pc_finding {
    const char *rule;
    pc_severity severity;
    const char *title, *message, *fix;
    const struct pc_clause_ref *clauses;
    size_t nclauses;
    const char *file; /* the manifest, as named on the command line */
    unsigned line;
    const char *object;      /* e.g. "flow[signup]/field[email]" */
    const char *application; /* the manifest's application name */
    /* The manifest relative to the source root, normalised: what tells
     * two manifests with one application name apart. */
    const char *path;
    /* Stable: rule + application + path + object, not the line. */
    const char *fingerprint;
    /* The manifest element the finding is about, as a group: a flow for
     * its own findings and its fields' ("flow[signup]"), a store, a
     * handler, "application". Reports group findings that share it. */
    const char *group;
    /* A suppressed finding is still reported, and does not count
     * towards --fail-on. */
    bool suppressed;
    struct pc_suppression suppression;
    /* With a baseline: "new" or "unchanged"; NULL without one. */
    const char *baseline;
};

/* A manifest that was audited: as named on the command line, its
 * application's name and version, its path relative to the source root
 * (pc_finding.path) and the SHA-256 of its bytes. */
struct pc_manifest_info {
    const char *file, *application, *version, *path, *sha256;
    const char *kind; /* its root element: "application", "waivers" */
};

typedef struct pc_results pc_results;

pc_results *pc_results_new(void);
void pc_results_free(pc_results *r);

/* An audit that also tells how one rule was evaluated (check --trace):
 * for each element its checks range over (only the one whose finding
 * would have the object path `object`, when that is not NULL), each
 * condition tested, the values its operands took from the manifest and
 * the policy, and whether it held. Written to out as it goes; an audit
 * with a trace must run on one thread. */
struct pc_trace {
    const char *rule;
    const char *object; /* NULL: every element */
    FILE *out;
};

/* Which disclosure items (DESIGN §6) an audit keeps. There is one per
 * field and per flow aspect, so on a large manifest they are most of
 * the memory an audit holds; reports that print only their counts need
 * none of them (pc_report_disclosure_items). */
enum pc_disclosure_items {
    PC_ITEMS_ALL = 0, /* every item (the JSON and HTML reports list them) */
    PC_ITEMS_UNCLEAR, /* those not clear (the Markdown report's table) */
    PC_ITEMS_NONE,    /* none: their counts only */
};

/* How an audit names what it read. */
struct pc_audit_options {
    /* Manifests are named relative to this directory in fingerprints
     * (pc_finding.path); NULL: the working directory. */
    const char *source_root;
    const struct pc_trace *trace; /* NULL: none */
    /* The most bytes read from one manifest (a ceiling for hostile
     * input: manifests stream, so memory does not grow with them); 0:
     * PC_MAX_BYTES_DEFAULT. */
    size_t max_bytes;
    /* The counts per class and file are kept whatever this says. */
    enum pc_disclosure_items disclosure_items;
};
#define PC_MAX_BYTES_DEFAULT ((size_t)4 << 30)

/* Audit one manifest and add its findings to r. opt NULL means the
 * defaults. Returns PC_OK when the manifest was read and fully audited,
 * findings or not; anything else means it could not be (and it must not
 * count as a pass). Thread-safe for distinct r. */
pc_status pc_audit(const pc_engine *e, const char *manifest,
                   const struct pc_audit_options *opt, pc_diags *d,
                   pc_results *r);

/* Move everything from src into dst (src is left empty). */
pc_status pc_results_merge(pc_results *dst, pc_results *src);
/* Sort findings by file, line, rule, object: reports are deterministic. */
void pc_results_sort(pc_results *r);
size_t pc_results_count(const pc_results *r);
const struct pc_finding *pc_results_get(const pc_results *r, size_t i);
size_t pc_results_manifest_count(const pc_results *r);
const struct pc_manifest_info *pc_results_manifest(const pc_results *r,
                                                   size_t i);
/* Number of findings with severity >= sev that are not suppressed. */
size_t pc_results_at_least(const pc_results *r, pc_severity sev);
/* Files besides the manifests that were read and judged by rules (the
 * waivers files), in the order read; application and version NULL. */
size_t pc_results_input_count(const pc_results *r);
const struct pc_manifest_info *pc_results_input(const pc_results *r, size_t i);

/* ------------------------------------------------------------------ */
/* Baselines (DESIGN §6b): the JSON report of an earlier run. */

typedef struct pc_baseline pc_baseline;

/* Read the JSON report at path (with jansson, within a size cap). Not a
 * privcheck JSON report, or not readable: a diagnostic (file:line where
 * the JSON is broken) and a non-OK status. On PC_OK *out is the caller's
 * (pc_baseline_free; NULL is a no-op). */
pc_status pc_baseline_load(const char *path, pc_diags *d, pc_baseline **out);
void pc_baseline_free(pc_baseline *b);

/* Compare the findings of r with the baseline: each is "new" or
 * "unchanged" (pc_finding.baseline), an unchanged one is suppressed (kind
 * "baseline") unless already waived, and the baseline's findings that no
 * longer occur are recorded as absent. A baseline made under another
 * policy or rules (their SHA-256 differ from e's) is used all the same,
 * with a warning in d. */
pc_status pc_baseline_apply(const pc_engine *e, const pc_baseline *b,
                            pc_results *r, pc_diags *d);

/* What a run compared itself with, or NULL when it had no baseline. */
struct pc_baseline_info {
    const char *file, *sha256;
    const char *policy_sha256, *rules_sha256; /* the baseline's */
    bool same_policy, same_rules;
    size_t nnew, nunchanged;
};
const struct pc_baseline_info *pc_results_baseline(const pc_results *r);
/* The baseline's findings that no longer occur, in its order (no
 * clauses; strings owned by r). */
size_t pc_results_absent_count(const pc_results *r);
const struct pc_finding *pc_results_absent(const pc_results *r, size_t i);

/* ------------------------------------------------------------------ */
/* Waivers (DESIGN §6a): approved exceptions, each for one finding until
 * its expiry. */

typedef struct pc_waivers pc_waivers;

/* An empty set; NULL when out of memory. pc_waivers_free(NULL) is a
 * no-op. */
pc_waivers *pc_waivers_new(void);
void pc_waivers_free(pc_waivers *w);
/* Read the waivers file at path (hardened and schema-checked like a
 * manifest) and add its waivers to w. Any problem is a diagnostic with
 * file:line and a non-OK status; w is then unchanged. */
pc_status pc_waivers_load(const pc_engine *e, pc_waivers *w, const char *path,
                          pc_diags *d);
size_t pc_waivers_count(const pc_waivers *w);

/* Apply w to the findings of r as of `today` (YYYY-MM-DD): a finding a
 * waiver matches is suppressed (with the waiver's reason, approver,
 * expiry and place) unless the waiver expired before today. Then the
 * rules that range over waivers judge each one, told whether it expired,
 * how many days it has left and whether it matched any finding; their
 * findings are added to r, and each waivers file is recorded as an input
 * of r. opt names the files as pc_audit does. */
pc_status pc_waivers_apply(const pc_engine *e, const pc_waivers *w,
                           const char *today,
                           const struct pc_audit_options *opt, pc_results *r,
                           pc_diags *d);

/* One waiver, as `privcheck waive` proposes it: a fingerprint, or a rule
 * and an object (and an application, or NULL for any); the reason, the
 * approver and the last day it holds (YYYY-MM-DD). */
struct pc_waiver_spec {
    const char *fingerprint, *rule, *object, *application;
    const char *reason, *approved_by, *expires;
};

/* Judge w with the rules over waivers as of today, as if it were in
 * `file`: their findings (an expiry already past, or beyond the
 * horizon) go to r. Whether it matches a finding is not known, so no rule
 * that asks is told. */
pc_status pc_waiver_judge(const pc_engine *e, const struct pc_waiver_spec *w,
                          const char *today, const char *file, pc_diags *d,
                          pc_results *r);
/* Append w to the waivers file at path, creating it if there is none. A
 * file that is there must read as a check reads it, and the result must
 * validate; it replaces the file atomically, keeping its mode. On any
 * failure the file is unchanged and d says why. */
pc_status pc_waiver_append(const pc_engine *e, const char *path,
                           const struct pc_waiver_spec *w, pc_diags *d);

/* Is s a date that exists, written YYYY-MM-DD? */
bool pc_date_valid(const char *s);
/* Today's date in UTC, YYYY-MM-DD, into buf. */
void pc_date_today(char buf[11]);

/* ------------------------------------------------------------------ */
/* Rule tests (privcheck rules test): the NAME.tests.xml files in tests/
 * of a rules directory, in the format of rules/ruletests.rng. */

struct pc_rule_test_options {
    const char *dir;    /* where the *.tests.xml files are */
    const char *schema; /* their schema */
    bool coverage;      /* also report what the tests cover */
    /* With coverage: a percentage ("90", "43.2"); the run fails when the
     * rules exercised or the normative clauses exercised fall below it,
     * compared exactly. NULL: none. */
    const char *threshold;
};

/* Is s a coverage threshold: a percentage from 0 to 100, at most six
 * decimals? */
bool pc_coverage_threshold_valid(const char *s);
/* Run every test with e, writing each failure (expected and actual) and a
 * summary, and with coverage the figures, to out. *failed: the failed
 * tests, plus one when the coverage is below the threshold. Non-OK: a
 * tests file, manifest or waivers file could not be read, or names a rule
 * the catalog lacks (d says where). */
pc_status pc_rule_tests_run(const pc_engine *e,
                            const struct pc_rule_test_options *opt, FILE *out,
                            pc_diags *d, size_t *failed);

/* ------------------------------------------------------------------ */
/* Reports. */

/* What the run did, for the reports that record it: SARIF's invocation,
 * the Markdown verdict, which JUnit findings fail. */
struct pc_run_info {
    int exit_code;       /* the status privcheck exits with */
    time_t start, end;   /* when it started, when it wrote the reports */
    pc_severity fail_on; /* --fail-on */
    bool never_fail;     /* --fail-on never */
};

struct pc_report_options {
    bool color; /* ANSI colour (text format only) */
    bool quiet; /* text: errors and the summary only */
    /* NULL: not known; a report then states no verdict and no times, and
     * takes errors to fail (the default --fail-on). */
    const struct pc_run_info *run;
};

/* Is `format` a report format ("text", "json", ...)? */
bool pc_report_format_known(const char *format);
/* The disclosure items a report in `format` prints (PC_ITEMS_ALL for a
 * format not known): what an audit whose results it reports must keep. */
enum pc_disclosure_items pc_report_disclosure_items(const char *format);
/* Comma-separated list of the formats, static. */
const char *pc_report_formats(void);
/* Write the report for r in `format` to out. */
pc_status pc_report_write(const char *format, const pc_engine *e,
                          const pc_results *r,
                          const struct pc_report_options *opt, FILE *out,
                          pc_diags *d);

#ifdef __cplusplus
}
#endif
#endif
