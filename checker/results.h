/* results.h - the findings of an audit run, owned in one place. */
#ifndef PC_RESULTS_H
#define PC_RESULTS_H

#include "privcheck.h"

struct pc_results {
    struct pc_finding *findings;
    size_t n, cap;
    struct pc_manifest_info *manifests;
    size_t nmanifests, capmanifests;
};

/* Add a finding; every string is copied (NULL stays NULL), clauses are
 * borrowed. */
pc_status results_add(pc_results *r, const struct pc_finding *f);
/* Record an audited manifest; strings copied. */
pc_status results_add_manifest(pc_results *r, const struct pc_manifest_info *m);

#endif
