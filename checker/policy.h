/* policy.h - the in-memory policy model. Loaded by policy-xml.c, indexed
 * by id, read by the rule engine through the accessors below. The model
 * knows the *shape* of a privacy policy (categories, purposes, rights...)
 * and nothing about any one company. */
#ifndef PC_POLICY_H
#define PC_POLICY_H

#include "privcheck.h"
#include "strv.h"

struct map;

struct policy_clause {
    char *id;
    char *section;  /* its section's number, e.g. "8" */
    char *text;     /* verbatim, whitespace collapsed */
    bool normative; /* false: quoted for completeness, states no commitment */
    unsigned line;
};

struct policy_section {
    char *number, *title;
    size_t first, count; /* range in policy.clauses */
    unsigned line;
};

/* Collection methods, as a bit set. */
enum {
    POLICY_COLLECT_DIRECT = 1u << 0,
    POLICY_COLLECT_AUTOMATIC = 1u << 1,
    POLICY_COLLECT_THIRD_PARTY = 1u << 2,
    POLICY_COLLECT_DERIVED = 1u << 3,
};

struct policy_category {
    char *id, *title;
    struct strv collection; /* methods, as written */
    struct strv purposes;   /* as listed */
    bool general_purposes, shared_for_business, sensitive;
    struct strv clauses;
    struct strv elements; /* ids of elements whose first category it is */
    struct strv members;  /* every element in it, including through @also */
    unsigned line;
};

struct policy_element {
    char *id, *title;
    struct strv categories;   /* its own category first, then @also */
    struct strv only_from;    /* empty: any source */
    struct strv own_purposes; /* @purposes as written; empty: not narrowed */
    struct strv clauses;
    /* Derived at load time. purposes: the permitted ones, in <purposes>
     * order: the intersection over its categories of (the listed purposes,
     * plus every general purpose if the category is open to them),
     * narrowed by the element's own @purposes, minus any purpose prohibited
     * for one of its categories or for the element itself. */
    struct strv purposes;
    struct strv collection;   /* permitted methods: intersection */
    bool sensitive;           /* any of its categories is */
    bool shared_for_business; /* every one of its categories is */
    unsigned line;
};

struct policy_source {
    char *id, *title;
    struct strv clauses;
    unsigned line;
};

struct policy_purpose {
    char *id, *title; /* title: NULL when not given */
    char *scope;      /* "general" | "listed"; NULL when prohibited */
    char *needs;      /* "none" | "consent" | "opt-out" */
    bool internal_only, prohibited;
    struct strv prohibited_for; /* category or element ids */
    struct strv clauses;
    unsigned line;
};

struct policy_recipient_type {
    char *id, *title; /* title: NULL when not given */
    char *needs;      /* "none" | "consent" | "permission" */
    struct strv clauses;
    unsigned line;
};

struct policy_agreement {
    char *id, *title, *subject;
    struct strv clauses;
    unsigned line;
};

struct policy_right {
    char *id, *title;
    bool verify;
    char *frequency; /* ISO 8601 duration or NULL */
    struct strv clauses;
    unsigned line;
};

struct policy_jurisdiction {
    char *id, *title, *law, *statute, *effective;
    /* Deadlines in days are the fewest a period of months spans (P1M: 28),
     * so a promise of that many days meets it from every start date. */
    long deadline_days, extension_days;
    /* As written when given as periods ("P1M"), else NULL. */
    char *deadline_period, *extension_period;
    char *deadline_statute;
    bool appeal_required;
    long appeal_days, appeal_extension_days; /* 0 when not required */
    char *appeal_statute;
    struct strv requires;          /* right ids required by law */
    struct strv offers;            /* right ids offered voluntarily */
    struct strv requires_statutes; /* parallel to requires */
    /* Parallel to requires: a deadline in days that the law sets for that
     * right alone, "" where the jurisdiction's deadline applies. */
    struct strv requires_days;
    /* Parallel to requires: the period as written ("P1M") where the
     * right's deadline is one, else "". */
    struct strv requires_periods;
    /* Parallel to requires: the statute behind requires_days, "" where
     * none is named (the right's own statute then stands for it) or the
     * jurisdiction's deadline applies. */
    struct strv requires_days_statutes;
    /* The places whose audiences this jurisdiction's law covers besides
     * its own id (a group: several states under one law). Each is
     * indexed in by_jurisdiction beside the ids, so every lookup of a
     * member finds the group. */
    struct strv members;
    struct strv clauses;
    unsigned line;
};

struct policy_basis { /* a retention basis */
    char *id;
    struct strv clauses;
    unsigned line;
};

struct policy_setting {
    char *id, *type, *value, *why;
    bool organisation;
    struct strv clauses;
    unsigned line;
};

struct policy_technology {
    char *id, *title;
    struct strv clauses;
    unsigned line;
};

struct policy_integration {
    char *id, *provider, *title;
    struct strv elements, purposes, scopes;
    struct strv *scope_clauses; /* parallel to scopes */
    bool store, transfer;
    struct strv clauses;
    unsigned line;
};

struct pc_policy {
    char *file, *id, *version, *title, *published, *source;
    char sha256[65];

    struct policy_clause *clauses;
    size_t nclauses;
    struct policy_section *sections;
    size_t nsections;
    struct policy_category *categories;
    size_t ncategories;
    struct policy_element *elements;
    size_t nelements;
    struct policy_source *sources;
    size_t nsources;
    struct policy_purpose *purposes;
    size_t npurposes;
    struct policy_recipient_type *recipient_types;
    size_t nrecipient_types;
    struct policy_agreement *agreements;
    size_t nagreements;
    struct policy_right *rights;
    size_t nrights;
    struct policy_jurisdiction *jurisdictions;
    size_t njurisdictions;
    /* Every code the jurisdictions cover: their ids, then their members,
     * each once (policy.jurisdictions; the "jurisdiction" names). */
    struct strv jurisdiction_codes;
    struct policy_setting *settings;
    size_t nsettings;
    struct policy_technology *technologies;
    size_t ntechnologies;
    struct policy_integration *integrations;
    size_t nintegrations;

    char *appeal_channel, *appeal_subject;
    struct strv appeal_clauses, agents_clauses, verification_clauses;
    struct strv retention_bases, retention_clauses; /* basis ids, in order */
    struct policy_basis *bases; /* the same bases, with their clauses */
    size_t nbases;
    /* every <encrypt-in-transit>, merged */
    struct strv encrypt_categories, encrypt_clauses;
    struct strv tracking_collects, tracking_clauses, tracking_collects_clauses;
    long children_min_age; /* 0: not stated */
    struct strv children_clauses;
    struct strv transfer_countries, transfer_clauses;
    bool transfer_other_countries; /* also to countries it does not name */
    /* <subjects>: the data subjects flows may name, and the one a flow
     * that names none is about (NULL: none declared). */
    struct strv subjects;
    char *default_subject;

    /* The policy's own facts (<fact>): "kind id name" -> struct strv *
     * of values; fact_kinds holds "kind name" for each name stated. */
    struct map *facts;
    struct strv fact_keys, fact_kinds;
    struct strv **fact_values;
    size_t nfacts;

    /* Indexes, id -> pointer into the arrays above. */
    struct map *by_clause, *by_category, *by_element, *by_source, *by_purpose,
        *by_recipient_type, *by_right, *by_jurisdiction, *by_setting,
        *by_technology, *by_integration, *by_agreement, *by_basis;
};

/* Lookups by id, O(1); NULL when the policy has no such thing. Borrowed. */
const struct policy_clause *policy_clause(const pc_policy *p, const char *id);
const struct policy_category *policy_category(const pc_policy *p,
                                              const char *id);
const struct policy_element *policy_element(const pc_policy *p, const char *id);
const struct policy_source *policy_source(const pc_policy *p, const char *id);
const struct policy_purpose *policy_purpose(const pc_policy *p, const char *id);
const struct policy_recipient_type *policy_recipient_type(const pc_policy *p,
                                                          const char *id);
const struct policy_agreement *policy_agreement(const pc_policy *p,
                                                const char *id);
const struct policy_right *policy_right(const pc_policy *p, const char *id);
/* By id, or by the code of a member: the group whose law covers it. */
const struct policy_jurisdiction *policy_jurisdiction(const pc_policy *p,
                                                      const char *id);
const struct policy_setting *policy_setting(const pc_policy *p, const char *id);
const struct policy_technology *policy_technology(const pc_policy *p,
                                                  const char *id);
const struct policy_integration *policy_integration(const pc_policy *p,
                                                    const char *id);
const struct policy_basis *policy_basis(const pc_policy *p, const char *id);
/* Append to out the ids of one kind of thing the policy declares, named
 * as in the policy format ("purpose", "right", "setting", ...; "data":
 * every category and element), as copies.
 * PC_EINVALID when the format has no such kind. */
pc_status policy_names(const pc_policy *p, const char *kind, struct strv *out);
/* The id a manifest attribute holding ids of `kind` takes when it is
 * not written ("subject": <subjects default>); NULL: none. Borrowed. */
const char *policy_default(const pc_policy *p, const char *kind);
/* The values of the fact `name` the policy states on its `kind` with this
 * id ("purpose", "service", "a-fact-name"); NULL when it states none.
 * Borrowed. */
const struct strv *policy_fact(const pc_policy *p, const char *kind,
                               const char *id, const char *name);
/* Does the policy state a fact `name` on any of its `kind`? */
bool policy_has_fact(const pc_policy *p, const char *kind, const char *name);
/* Record a fact (loader only): key "kind id name", value a list. */
pc_status policy_add_fact(pc_policy *p, const char *key, const char *name,
                          const char *kind, const char *value);

#endif
