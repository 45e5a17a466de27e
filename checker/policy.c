/* policy.c - the policy model once loaded: lookups by id through the
 * indexes policy-xml.c builds, the public accessors, and freeing. Nothing
 * here reads XML. */
#include "config.h"

#include "policy.h"

#include "map.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

const char *
pc_policy_id(const pc_policy *p)
{
    return p->id;
}

const char *
pc_policy_version(const pc_policy *p)
{
    return p->version;
}

const char *
pc_policy_title(const pc_policy *p)
{
    return p->title;
}

const char *
pc_policy_sha256(const pc_policy *p)
{
    return p->sha256;
}

size_t
pc_policy_clause_count(const pc_policy *p)
{
    return p->nclauses;
}

/* ------------------------------------------------------------------ */
/* Lookups. Every index is built at load time; map_get(NULL, ...) is NULL,
 * so a policy without, say, integrations answers NULL too. */

const struct policy_clause *
policy_clause(const pc_policy *p, const char *id)
{
    return map_get(p->by_clause, id);
}

const struct policy_category *
policy_category(const pc_policy *p, const char *id)
{
    return map_get(p->by_category, id);
}

const struct policy_element *
policy_element(const pc_policy *p, const char *id)
{
    return map_get(p->by_element, id);
}

const struct policy_source *
policy_source(const pc_policy *p, const char *id)
{
    return map_get(p->by_source, id);
}

const struct policy_purpose *
policy_purpose(const pc_policy *p, const char *id)
{
    return map_get(p->by_purpose, id);
}

const struct policy_recipient_type *
policy_recipient_type(const pc_policy *p, const char *id)
{
    return map_get(p->by_recipient_type, id);
}

const struct policy_agreement *
policy_agreement(const pc_policy *p, const char *id)
{
    return map_get(p->by_agreement, id);
}

const struct policy_right *
policy_right(const pc_policy *p, const char *id)
{
    return map_get(p->by_right, id);
}

const struct policy_jurisdiction *
policy_jurisdiction(const pc_policy *p, const char *id)
{
    return map_get(p->by_jurisdiction, id);
}

const struct policy_setting *
policy_setting(const pc_policy *p, const char *id)
{
    return map_get(p->by_setting, id);
}

const struct policy_technology *
policy_technology(const pc_policy *p, const char *id)
{
    return map_get(p->by_technology, id);
}

const struct policy_integration *
policy_integration(const pc_policy *p, const char *id)
{
    return map_get(p->by_integration, id);
}

const struct policy_basis *
policy_basis(const pc_policy *p, const char *id)
{
    return map_get(p->by_basis, id);
}

/* The ids of one kind of thing the policy declares, by the name of its
 * element in the policy format ("purpose", "right"; "data" is every
 * category and element). Rules name the kind to have their literals
 * checked. PC_EINVALID for a kind the format does not have. */
#define POLICY_PUSH_IDS(arr, n)                                                \
    do {                                                                       \
        for (size_t i_ = 0; i_ < (n) && st == PC_OK; i_++)                     \
            st = strv_push(out, (arr)[i_].id);                                 \
    } while (0)

const char *
policy_default(const pc_policy *p, const char *kind)
{
    return strcmp(kind, "subject") == 0 ? p->default_subject : NULL;
}

pc_status
policy_names(const pc_policy *p, const char *kind, struct strv *out)
{
    pc_status st = PC_OK;
    bool data = strcmp(kind, "data") == 0;

    if (data || strcmp(kind, "category") == 0)
        POLICY_PUSH_IDS(p->categories, p->ncategories);
    if (data || strcmp(kind, "element") == 0)
        POLICY_PUSH_IDS(p->elements, p->nelements);
    if (data || strcmp(kind, "category") == 0 || strcmp(kind, "element") == 0)
        return st;
    if (strcmp(kind, "purpose") == 0)
        POLICY_PUSH_IDS(p->purposes, p->npurposes);
    else if (strcmp(kind, "recipient-type") == 0)
        POLICY_PUSH_IDS(p->recipient_types, p->nrecipient_types);
    else if (strcmp(kind, "agreement") == 0)
        POLICY_PUSH_IDS(p->agreements, p->nagreements);
    else if (strcmp(kind, "right") == 0)
        POLICY_PUSH_IDS(p->rights, p->nrights);
    else if (strcmp(kind, "jurisdiction") == 0)
        st = strv_copy_unique(out, &p->jurisdiction_codes);
    else if (strcmp(kind, "source") == 0)
        POLICY_PUSH_IDS(p->sources, p->nsources);
    else if (strcmp(kind, "setting") == 0)
        POLICY_PUSH_IDS(p->settings, p->nsettings);
    else if (strcmp(kind, "technology") == 0)
        POLICY_PUSH_IDS(p->technologies, p->ntechnologies);
    else if (strcmp(kind, "integration") == 0)
        POLICY_PUSH_IDS(p->integrations, p->nintegrations);
    else if (strcmp(kind, "basis") == 0)
        POLICY_PUSH_IDS(p->bases, p->nbases);
    else if (strcmp(kind, "clause") == 0)
        POLICY_PUSH_IDS(p->clauses, p->nclauses);
    else if (strcmp(kind, "subject") == 0)
        st = strv_copy_unique(out, &p->subjects);
    else
        return PC_EINVALID;
    return st;
}

pc_status
policy_add_fact(pc_policy *p, const char *key, const char *name,
                const char *kind, const char *value)
{
    struct strv **v, *vals;
    struct strbuf kn = STRBUF_INIT(0);
    pc_status st;

    if (p->facts == NULL && (p->facts = map_new()) == NULL)
        return PC_ENOMEM;
    if ((v = realloc(p->fact_values, (p->nfacts + 1) * sizeof *v)) == NULL)
        return PC_ENOMEM;
    p->fact_values = v;
    if ((vals = calloc(1, sizeof *vals)) == NULL)
        return PC_ENOMEM;
    v[p->nfacts++] = vals;
    if ((st = strv_split(vals, value)) != PC_OK ||
        (st = strv_push(&p->fact_keys, key)) != PC_OK ||
        (st = map_put(p->facts, p->fact_keys.v[p->fact_keys.n - 1], vals)) !=
            PC_OK ||
        (st = strbuf_printf(&kn, "%s %s", kind, name)) != PC_OK)
        goto out;
    st = strv_add_unique(&p->fact_kinds, strbuf_str(&kn));
out:
    strbuf_free(&kn);
    return st;
}

const struct strv *
policy_fact(const pc_policy *p, const char *kind, const char *id,
            const char *name)
{
    struct strbuf key = STRBUF_INIT(0);
    const struct strv *v = NULL;

    if (p->facts != NULL &&
        strbuf_printf(&key, "%s %s %s", kind, id, name) == PC_OK)
        v = map_get(p->facts, strbuf_str(&key));
    strbuf_free(&key);
    return v;
}

bool
policy_has_fact(const pc_policy *p, const char *kind, const char *name)
{
    struct strbuf kn = STRBUF_INIT(0);
    bool has = false;

    if (strbuf_printf(&kn, "%s %s", kind, name) == PC_OK)
        has = strv_has(&p->fact_kinds, strbuf_str(&kn));
    strbuf_free(&kn);
    return has;
}

/* ------------------------------------------------------------------ */
/* Freeing: every string and list is owned by the struct holding it. */

static void
policy_clauses_free(struct policy_clause *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].section);
        free(v[i].text);
    }
    free(v);
}

static void
policy_sections_free(struct policy_section *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].number);
        free(v[i].title);
    }
    free(v);
}

static void
policy_categories_free(struct policy_category *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].title);
        strv_free(&v[i].collection);
        strv_free(&v[i].purposes);
        strv_free(&v[i].clauses);
        strv_free(&v[i].elements);
        strv_free(&v[i].members);
    }
    free(v);
}

static void
policy_elements_free(struct policy_element *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].title);
        strv_free(&v[i].categories);
        strv_free(&v[i].only_from);
        strv_free(&v[i].own_purposes);
        strv_free(&v[i].clauses);
        strv_free(&v[i].purposes);
        strv_free(&v[i].collection);
    }
    free(v);
}

static void
policy_sources_free(struct policy_source *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].title);
        strv_free(&v[i].clauses);
    }
    free(v);
}

static void
policy_purposes_free(struct policy_purpose *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].title);
        free(v[i].scope);
        free(v[i].needs);
        strv_free(&v[i].prohibited_for);
        strv_free(&v[i].clauses);
    }
    free(v);
}

static void
policy_recipient_types_free(struct policy_recipient_type *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].title);
        free(v[i].needs);
        strv_free(&v[i].clauses);
    }
    free(v);
}

static void
policy_agreements_free(struct policy_agreement *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].title);
        free(v[i].subject);
        strv_free(&v[i].clauses);
    }
    free(v);
}

static void
policy_rights_free(struct policy_right *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].title);
        free(v[i].frequency);
        strv_free(&v[i].clauses);
    }
    free(v);
}

static void
policy_jurisdictions_free(struct policy_jurisdiction *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].title);
        free(v[i].law);
        free(v[i].statute);
        free(v[i].effective);
        free(v[i].deadline_statute);
        free(v[i].appeal_statute);
        strv_free(&v[i].requires);
        strv_free(&v[i].offers);
        strv_free(&v[i].requires_statutes);
        strv_free(&v[i].requires_days);
        strv_free(&v[i].requires_periods);
        strv_free(&v[i].members);
        free(v[i].deadline_period);
        free(v[i].extension_period);
        strv_free(&v[i].requires_days_statutes);
        strv_free(&v[i].clauses);
    }
    free(v);
}

static void
policy_bases_free(struct policy_basis *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        strv_free(&v[i].clauses);
    }
    free(v);
}

static void
policy_settings_free(struct policy_setting *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].type);
        free(v[i].value);
        free(v[i].why);
        strv_free(&v[i].clauses);
    }
    free(v);
}

static void
policy_technologies_free(struct policy_technology *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].title);
        strv_free(&v[i].clauses);
    }
    free(v);
}

static void
policy_integrations_free(struct policy_integration *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].provider);
        free(v[i].title);
        strv_free(&v[i].elements);
        strv_free(&v[i].purposes);
        if (v[i].scope_clauses != NULL)
            for (size_t j = 0; j < v[i].scopes.n; j++)
                strv_free(&v[i].scope_clauses[j]);
        free(v[i].scope_clauses);
        strv_free(&v[i].scopes);
        strv_free(&v[i].clauses);
    }
    free(v);
}

void
pc_policy_free(pc_policy *p)
{
    if (p == NULL)
        return;
    /* The indexes borrow ids from the arrays: free them first. */
    map_free(p->by_clause);
    map_free(p->by_category);
    map_free(p->by_element);
    map_free(p->by_source);
    map_free(p->by_purpose);
    map_free(p->by_recipient_type);
    map_free(p->by_right);
    map_free(p->by_jurisdiction);
    strv_free(&p->jurisdiction_codes);
    map_free(p->by_setting);
    map_free(p->by_technology);
    map_free(p->by_integration);
    map_free(p->by_agreement);
    map_free(p->by_basis);

    policy_clauses_free(p->clauses, p->nclauses);
    policy_sections_free(p->sections, p->nsections);
    policy_categories_free(p->categories, p->ncategories);
    policy_elements_free(p->elements, p->nelements);
    policy_sources_free(p->sources, p->nsources);
    policy_purposes_free(p->purposes, p->npurposes);
    policy_recipient_types_free(p->recipient_types, p->nrecipient_types);
    policy_agreements_free(p->agreements, p->nagreements);
    policy_rights_free(p->rights, p->nrights);
    policy_jurisdictions_free(p->jurisdictions, p->njurisdictions);
    policy_bases_free(p->bases, p->nbases);
    policy_settings_free(p->settings, p->nsettings);
    policy_technologies_free(p->technologies, p->ntechnologies);
    policy_integrations_free(p->integrations, p->nintegrations);

    free(p->file);
    free(p->id);
    free(p->version);
    free(p->title);
    free(p->published);
    free(p->source);
    free(p->appeal_channel);
    free(p->appeal_subject);
    strv_free(&p->appeal_clauses);
    strv_free(&p->agents_clauses);
    strv_free(&p->verification_clauses);
    strv_free(&p->retention_bases);
    strv_free(&p->retention_clauses);
    strv_free(&p->encrypt_categories);
    strv_free(&p->encrypt_clauses);
    strv_free(&p->tracking_collects);
    strv_free(&p->tracking_clauses);
    strv_free(&p->tracking_collects_clauses);
    strv_free(&p->children_clauses);
    strv_free(&p->transfer_countries);
    strv_free(&p->transfer_clauses);
    strv_free(&p->subjects);
    free(p->default_subject);
    for (size_t i = 0; i < p->nfacts; i++) {
        strv_free(p->fact_values[i]);
        free(p->fact_values[i]);
    }
    free(p->fact_values);
    map_free(p->facts);
    strv_free(&p->fact_keys);
    strv_free(&p->fact_kinds);
    free(p);
}
