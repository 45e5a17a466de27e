/* results.h - the findings of an audit run, owned in one place. */
#ifndef PC_RESULTS_H
#define PC_RESULTS_H

#include "privcheck.h"

#include "arena.h"
#include "disclose.h"
#include "strv.h"

struct map;

struct pc_results {
    struct pc_finding *findings;
    size_t n, cap;
    /* The strings many findings share - rule, title, fix, file,
     * application, path - one copy each, which findings (and absent
     * ones) borrow: copied per finding, they were a third of its
     * memory. */
    struct arena pool;
    struct map *pooled; /* string -> its copy in pool */
    struct pc_manifest_info *manifests;
    size_t nmanifests, capmanifests;
    struct pc_manifest_info *inputs; /* other files judged: waivers */
    size_t ninputs, capinputs;
    struct pc_finding *absent; /* of the baseline, gone now */
    size_t nabsent, capabsent;
    struct pc_baseline_info *baseline; /* NULL: none */
    /* How the policy discloses each flow (disclose.h), in audit order. */
    struct disclose_item *disclosures;
    size_t ndisclosures, capdisclosures;
    /* Those not kept as items (pc_disclosure_items), counted per
     * manifest in audit order. */
    struct disclose_tally *tallies;
    size_t ntallies, captallies;
    struct disclose_rights *rights; /* one per manifest audited */
    size_t nrights, caprights;
    /* What some manifest did, "kind\tid" (disclose_note). */
    struct map *noted;
    struct strv notes;
};

/* Add a finding; every string is copied (NULL stays NULL), clauses are
 * borrowed. */
pc_status results_add(pc_results *r, const struct pc_finding *f);
/* Record an audited manifest; strings copied. */
pc_status results_add_manifest(pc_results *r, const struct pc_manifest_info *m);
/* Record another input that rules judged (a waivers file). */
pc_status results_add_input(pc_results *r, const struct pc_manifest_info *m);
/* Record a finding of the baseline that no longer occurs (copied). */
pc_status results_add_absent(pc_results *r, const struct pc_finding *f);
/* Record the baseline compared with (copied); replaces any before. */
pc_status results_set_baseline(pc_results *r, const struct pc_baseline_info *b);
/* Set the i-th finding's baseline state, "new" or "unchanged". */
pc_status results_mark(pc_results *r, size_t i, const char *state);
/* Suppress the i-th finding for the reason s (strings copied). A finding
 * already suppressed keeps its first reason. */
pc_status results_suppress(pc_results *r, size_t i,
                           const struct pc_suppression *s);

/* Take ownership of *item (its strings) and record it; on failure the
 * item's strings are freed all the same. */
pc_status results_add_disclosure(pc_results *r, struct disclose_item *item);
/* Count a judgement of class cls on the manifest `file` instead. */
pc_status results_tally(pc_results *r, const char *file,
                        enum disclose_class cls);
/* The same for a manifest's rights declarations. */
pc_status results_add_rights(pc_results *r, struct disclose_rights *rights);
void results_disclosure_free(struct disclose_item *item);
void results_rights_free(struct disclose_rights *rights);

#endif
