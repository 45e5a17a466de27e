/* policy-render.c - the policy as Markdown for legal review: the text
 * section by section, every clause quoted under its id with what in the
 * model cites it, then the model itself as tables (categories, elements,
 * purposes, disclosures, rights by jurisdiction, retention, settings,
 * tracking, integrations). Deterministic: document order throughout. */
#include "config.h"

#include "policy.h"

#include "strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Markdown text: escape what would otherwise become markup. In a table
 * cell a '|' ends the cell and a line break ends the row. */
static void
md_put(FILE *out, const char *s, bool cell)
{
    const char *p = s;

    /* At the start of a line "1." or "-" would begin a list, "#" a
     * heading. */
    while (isdigit((unsigned char)*p))
        p++;
    if (p > s && (*p == '.' || *p == ')')) {
        fwrite(s, 1, (size_t)(p - s), out);
        fputc('\\', out);
        s = p;
    } else if (*s == '-' || *s == '+' || *s == '#') {
        fputc('\\', out);
    }
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '<':
        case '>':
            fputc('\\', out);
            fputc(*s, out);
            break;
        case '|':
            fputs(cell ? "\\|" : "|", out);
            break;
        case '\n':
        case '\r':
            fputc(' ', out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

static void
md_text(FILE *out, const char *s)
{
    md_put(out, s != NULL ? s : "", false);
}

static void
md_cell(FILE *out, const char *s)
{
    if (s == NULL || *s == '\0')
        fputs("—", out);
    else
        md_put(out, s, true);
}

/* An id as code. Ids are slugs, dotted ids, jurisdiction codes or URIs:
 * none contains a backtick or a '|'. */
static void
md_id(FILE *out, const char *id)
{
    fprintf(out, "`%s`", id);
}

static void
md_ids(FILE *out, const struct strv *sv)
{
    if (sv->n == 0) {
        fputs("—", out);
        return;
    }
    for (size_t i = 0; i < sv->n; i++) {
        if (i > 0)
            fputs(", ", out);
        md_id(out, sv->v[i]);
    }
}

static const char *
md_yes(bool b)
{
    return b ? "yes" : "no";
}

static void
md_row_end(FILE *out)
{
    fputs(" |\n", out);
}

/* ------------------------------------------------------------------ */
/* Which parts of the model cite each clause, for the text part. */

struct render {
    const pc_policy *p;
    FILE *out;
    struct strv *cites; /* per clause index: "category `x`", ... */
    bool nomem;
};

static void
render_cite(struct render *r, const struct strv *clauses, const char *kind,
            const char *id)
{
    struct strbuf b = STRBUF_INIT(0);

    if (strbuf_printf(&b, "%s `%s`", kind, id != NULL ? id : "?") != PC_OK) {
        r->nomem = true;
        strbuf_free(&b);
        return;
    }
    for (size_t i = 0; i < clauses->n; i++) {
        const struct policy_clause *c = policy_clause(r->p, clauses->v[i]);

        if (c != NULL && strv_add_unique(&r->cites[c - r->p->clauses],
                                         strbuf_str(&b)) != PC_OK)
            r->nomem = true;
    }
    strbuf_free(&b);
}

static pc_status
render_index(struct render *r)
{
    const pc_policy *p = r->p;

    if (p->nclauses == 0)
        return PC_OK;
    r->cites = calloc(p->nclauses, sizeof *r->cites);
    if (r->cites == NULL)
        return PC_ENOMEM;
    for (size_t i = 0; i < p->ncategories; i++)
        render_cite(r, &p->categories[i].clauses, "category",
                    p->categories[i].id);
    for (size_t i = 0; i < p->nelements; i++)
        render_cite(r, &p->elements[i].clauses, "element", p->elements[i].id);
    for (size_t i = 0; i < p->nsources; i++)
        render_cite(r, &p->sources[i].clauses, "source", p->sources[i].id);
    for (size_t i = 0; i < p->npurposes; i++)
        render_cite(r, &p->purposes[i].clauses, "purpose", p->purposes[i].id);
    for (size_t i = 0; i < p->nrecipient_types; i++)
        render_cite(r, &p->recipient_types[i].clauses, "recipient type",
                    p->recipient_types[i].id);
    for (size_t i = 0; i < p->nagreements; i++)
        render_cite(r, &p->agreements[i].clauses, "agreement",
                    p->agreements[i].id);
    render_cite(r, &p->appeal_clauses, "rights", "appeal");
    render_cite(r, &p->agents_clauses, "rights", "authorized agents");
    render_cite(r, &p->verification_clauses, "rights", "verification");
    for (size_t i = 0; i < p->nrights; i++)
        render_cite(r, &p->rights[i].clauses, "right", p->rights[i].id);
    for (size_t i = 0; i < p->njurisdictions; i++)
        render_cite(r, &p->jurisdictions[i].clauses, "jurisdiction",
                    p->jurisdictions[i].id);
    render_cite(r, &p->retention_clauses, "retention", "retention");
    for (size_t i = 0; i < p->nbases; i++)
        render_cite(r, &p->bases[i].clauses, "retention basis", p->bases[i].id);
    render_cite(r, &p->encrypt_clauses, "security", "encrypt-in-transit");
    for (size_t i = 0; i < p->nsettings; i++)
        render_cite(r, &p->settings[i].clauses, "setting", p->settings[i].id);
    render_cite(r, &p->tracking_clauses, "tracking", "tracking");
    for (size_t i = 0; i < p->ntechnologies; i++)
        render_cite(r, &p->technologies[i].clauses, "technology",
                    p->technologies[i].id);
    render_cite(r, &p->tracking_collects_clauses, "tracking", "collects");
    render_cite(r, &p->children_clauses, "children", "min-age");
    render_cite(r, &p->transfer_clauses, "transfers", "countries");
    for (size_t i = 0; i < p->nintegrations; i++) {
        const struct policy_integration *g = &p->integrations[i];

        render_cite(r, &g->clauses, "integration", g->id);
        for (size_t k = 0; k < g->scopes.n; k++)
            render_cite(r, &g->scope_clauses[k], "scope", g->scopes.v[k]);
    }
    return r->nomem ? PC_ENOMEM : PC_OK;
}

/* ------------------------------------------------------------------ */
/* The text. */

static void
render_header(struct render *r)
{
    const pc_policy *p = r->p;
    FILE *out = r->out;
    size_t normative = 0;

    for (size_t i = 0; i < p->nclauses; i++)
        normative += p->clauses[i].normative;
    fputs("# ", out);
    md_text(out, p->title);
    fputs("\n\n| | |\n|---|---|\n| Policy | ", out);
    md_id(out, p->id);
    fputs(" |\n| Version | ", out);
    md_cell(out, p->version);
    fputs(" |\n| Published | ", out);
    md_cell(out, p->published);
    fputs(" |\n| Source text | ", out);
    md_cell(out, p->source);
    fputs(" |\n| Encoded policy SHA-256 | ", out);
    md_id(out, p->sha256);
    fprintf(out,
            " |\n| Clauses | %zu in %zu sections (%zu normative, %zu "
            "quoted for completeness) |\n\n",
            p->nclauses, p->nsections, normative, p->nclauses - normative);
    fputs("Each clause quotes one sentence of the published text verbatim "
          "(runs of white space shown as one space), under its id. \"Cited "
          "by\" lists the parts of the encoded policy that rest on it; the "
          "tables after the text show those parts.\n\n",
          out);
}

static void
render_sections(struct render *r)
{
    const pc_policy *p = r->p;
    FILE *out = r->out;

    for (size_t s = 0; s < p->nsections; s++) {
        const struct policy_section *sec = &p->sections[s];

        fprintf(out, "## %s. ", sec->number);
        md_text(out, sec->title);
        fputs("\n\n", out);
        for (size_t i = sec->first; i < sec->first + sec->count; i++) {
            const struct policy_clause *c = &p->clauses[i];
            const struct strv *cites = &r->cites[i];

            md_id(out, c->id);
            if (!c->normative)
                fputs(" (not normative: quoted for completeness)", out);
            fputs("\n> ", out);
            md_text(out, c->text);
            fputs("\n\n", out);
            if (cites->n > 0) {
                fputs("Cited by: ", out);
                for (size_t k = 0; k < cites->n; k++)
                    fprintf(out, "%s%s", k > 0 ? ", " : "", cites->v[k]);
                fputs(".\n\n", out);
            } else if (c->normative) {
                fputs("Cited by: nothing in the encoded policy.\n\n", out);
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* The model as tables. */

static void
render_data(struct render *r)
{
    const pc_policy *p = r->p;
    FILE *out = r->out;

    fputs("## Data categories and elements\n\n", out);
    fputs("### Categories\n\n"
          "| Category | Title | Collection | Listed purposes | Open to "
          "general purposes | Sensitive | Shared for business purposes | "
          "Clauses |\n|---|---|---|---|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < p->ncategories; i++) {
        const struct policy_category *c = &p->categories[i];

        fputs("| ", out);
        md_id(out, c->id);
        fputs(" | ", out);
        md_cell(out, c->title);
        fputs(" | ", out);
        md_ids(out, &c->collection);
        fputs(" | ", out);
        md_ids(out, &c->purposes);
        fprintf(out, " | %s | %s | %s | ", md_yes(c->general_purposes),
                md_yes(c->sensitive), md_yes(c->shared_for_business));
        md_ids(out, &c->clauses);
        md_row_end(out);
    }
    fputs("\n### Elements\n\n"
          "Permitted purposes and collection methods are derived: what "
          "every category of the element allows, narrowed by the element's "
          "own purposes, less purposes prohibited for its data. An element "
          "is sensitive if any of its categories is, and shared for "
          "business purposes only if all of them are.\n\n"
          "| Element | Title | Categories | Collection | Permitted purposes "
          "| Sensitive | Shared for business purposes | Only from | Clauses "
          "|\n|---|---|---|---|---|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < p->nelements; i++) {
        const struct policy_element *e = &p->elements[i];

        fputs("| ", out);
        md_id(out, e->id);
        fputs(" | ", out);
        md_cell(out, e->title);
        fputs(" | ", out);
        md_ids(out, &e->categories);
        fputs(" | ", out);
        md_ids(out, &e->collection);
        fputs(" | ", out);
        md_ids(out, &e->purposes);
        fprintf(out, " | %s | %s | ", md_yes(e->sensitive),
                md_yes(e->shared_for_business));
        if (e->only_from.n > 0)
            md_ids(out, &e->only_from);
        else
            fputs("anywhere", out);
        fputs(" | ", out);
        md_ids(out, &e->clauses);
        md_row_end(out);
    }
    if (p->nsources == 0)
        return;
    fputs("\n### Restricted sources\n\n"
          "| Source | Title | Elements collected only here | Clauses |\n"
          "|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < p->nsources; i++) {
        const struct policy_source *s = &p->sources[i];
        struct strv only = STRV_INIT;

        for (size_t k = 0; k < p->nelements; k++)
            if (strv_has(&p->elements[k].only_from, s->id) &&
                strv_push(&only, p->elements[k].id) != PC_OK)
                r->nomem = true;
        fputs("| ", out);
        md_id(out, s->id);
        fputs(" | ", out);
        md_cell(out, s->title);
        fputs(" | ", out);
        md_ids(out, &only);
        fputs(" | ", out);
        md_ids(out, &s->clauses);
        md_row_end(out);
        strv_free(&only);
    }
}

static void
render_purposes(struct render *r)
{
    const pc_policy *p = r->p;
    FILE *out = r->out;

    fputs("\n## Purposes\n\n"
          "A general purpose is open to every category that accepts general "
          "purposes; a listed one only where a category or element lists "
          "it.\n\n"
          "| Purpose | Title | Scope | Needs | Internal only | Prohibited | "
          "Clauses |\n|---|---|---|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < p->npurposes; i++) {
        const struct policy_purpose *u = &p->purposes[i];

        fputs("| ", out);
        md_id(out, u->id);
        fputs(" | ", out);
        md_cell(out, u->title);
        fputs(" | ", out);
        md_cell(out, u->scope);
        fputs(" | ", out);
        if (strcmp(u->needs, "consent") == 0)
            fputs("**consent**", out);
        else if (strcmp(u->needs, "opt-out") == 0)
            fputs("**honoured opt-out**", out);
        else
            md_cell(out, u->prohibited ? "" : u->needs);
        fprintf(out, " | %s | ", md_yes(u->internal_only));
        if (u->prohibited) {
            fputs("**always**", out);
        } else if (u->prohibited_for.n > 0) {
            fputs("**for** ", out);
            md_ids(out, &u->prohibited_for);
        } else {
            fputs("no", out);
        }
        fputs(" | ", out);
        md_ids(out, &u->clauses);
        md_row_end(out);
    }
}

static void
render_disclosures(struct render *r)
{
    const pc_policy *p = r->p;
    FILE *out = r->out;

    fputs("\n## Disclosures\n\n"
          "### Recipient types\n\n"
          "Any recipient type not listed here is not disclosed by the "
          "policy.\n\n"
          "| Recipient type | Title | Needs | Clauses |\n|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < p->nrecipient_types; i++) {
        const struct policy_recipient_type *t = &p->recipient_types[i];

        fputs("| ", out);
        md_id(out, t->id);
        fputs(" | ", out);
        md_cell(out, t->title);
        fputs(" | ", out);
        if (t->needs != NULL && strcmp(t->needs, "none") != 0)
            fprintf(out, "**%s**", t->needs);
        else
            md_cell(out, t->needs);
        fputs(" | ", out);
        md_ids(out, &t->clauses);
        md_row_end(out);
    }
    if (p->nagreements == 0)
        return;
    fputs("\n### Agreements\n\n"
          "Data of the named flow subject may go only to recipients that "
          "have signed the agreement.\n\n"
          "| Agreement | Title | Data subject | Clauses |\n"
          "|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < p->nagreements; i++) {
        const struct policy_agreement *a = &p->agreements[i];

        fputs("| ", out);
        md_id(out, a->id);
        fputs(" | ", out);
        md_cell(out, a->title);
        fputs(" | ", out);
        md_id(out, a->subject);
        fputs(" | ", out);
        md_ids(out, &a->clauses);
        md_row_end(out);
    }
}

static void
render_rights(struct render *r)
{
    const pc_policy *p = r->p;
    FILE *out = r->out;

    if (p->nrights == 0)
        return;
    fputs("\n## Rights\n\n", out);
    if (p->appeal_channel != NULL) {
        fputs("- Appeals: by ", out);
        md_id(out, p->appeal_channel);
        fputs(" with the subject \"", out);
        md_text(out, p->appeal_subject);
        fputs("\" (", out);
        md_ids(out, &p->appeal_clauses);
        fputs(").\n- Authorized agents are accepted (", out);
        md_ids(out, &p->agents_clauses);
        fputs(").\n- Identity verification (", out);
        md_ids(out, &p->verification_clauses);
        fputs(").\n", out);
    }
    fputs("\n| Right | Title | Verify identity | At most once per | Clauses "
          "|\n|---|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < p->nrights; i++) {
        const struct policy_right *g = &p->rights[i];

        fputs("| ", out);
        md_id(out, g->id);
        fputs(" | ", out);
        md_cell(out, g->title);
        fprintf(out, " | %s | ", md_yes(g->verify));
        md_cell(out, g->frequency);
        fputs(" | ", out);
        md_ids(out, &g->clauses);
        md_row_end(out);
    }
    if (p->njurisdictions == 0)
        return;

    fputs("\n### Jurisdictions\n\n"
          "Statutory facts: law, not policy text. Deadlines are in days; "
          "the extension is for exceptional cases.\n\n"
          "| Jurisdiction | Law | Effective | Response deadline | Appeal | "
          "Clauses |\n|---|---|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < p->njurisdictions; i++) {
        const struct policy_jurisdiction *j = &p->jurisdictions[i];

        fputs("| ", out);
        md_id(out, j->id);
        fputs(" ", out);
        md_cell(out, j->title);
        fputs(" | ", out);
        md_cell(out, j->law);
        fputs(" (", out);
        md_cell(out, j->statute);
        fputs(") | ", out);
        md_cell(out, j->effective);
        fprintf(out, " | %ld days, extension %ld (", j->deadline_days,
                j->extension_days);
        md_cell(out, j->deadline_statute);
        fputs(") | ", out);
        if (j->appeal_required) {
            fprintf(out, "required: %ld days", j->appeal_days);
            if (j->appeal_extension_days > 0)
                fprintf(out, ", extension %ld", j->appeal_extension_days);
            fputs(" (", out);
            md_cell(out, j->appeal_statute);
            fputs(")", out);
        } else {
            fputs("not required by law", out);
        }
        fputs(" | ", out);
        md_ids(out, &j->clauses);
        md_row_end(out);
    }

    fputs("\n### Rights by jurisdiction\n\n"
          "*required*: by that jurisdiction's law (statute given); "
          "*offered*: by the policy voluntarily; —: neither.\n\n"
          "| Right |",
          out);
    for (size_t i = 0; i < p->njurisdictions; i++) {
        fputs(" ", out);
        md_id(out, p->jurisdictions[i].id);
        fputs(" |", out);
    }
    fputs("\n|---|", out);
    for (size_t i = 0; i < p->njurisdictions; i++)
        fputs("---|", out);
    fputc('\n', out);
    for (size_t g = 0; g < p->nrights; g++) {
        const char *right = p->rights[g].id;

        fputs("| ", out);
        md_id(out, right);
        fputs(" |", out);
        for (size_t i = 0; i < p->njurisdictions; i++) {
            const struct policy_jurisdiction *j = &p->jurisdictions[i];
            size_t k = 0;

            while (k < j->requires.n && strcmp(j->requires.v[k], right) != 0)
                k++;
            if (k < j->requires.n) {
                fputs(" *required* (", out);
                md_cell(out, k < j->requires_statutes.n
                                 ? j->requires_statutes.v[k]
                                 : NULL);
                fputs(") |", out);
            } else if (strv_has(&j->offers, right)) {
                fputs(" *offered* |", out);
            } else {
                fputs(" — |", out);
            }
        }
        fputc('\n', out);
    }
}

static void
render_retention(struct render *r)
{
    const pc_policy *p = r->p;
    FILE *out = r->out;

    if (p->nbases > 0 || p->retention_clauses.n > 0) {
        fputs("\n## Retention\n\nPersonal information may be kept on these "
              "bases (",
              out);
        md_ids(out, &p->retention_clauses);
        fputs("):\n\n| Basis | Clauses |\n|---|---|\n", out);
        for (size_t i = 0; i < p->nbases; i++) {
            fputs("| ", out);
            md_id(out, p->bases[i].id);
            fputs(" | ", out);
            md_ids(out, &p->bases[i].clauses);
            md_row_end(out);
        }
    }
    if (p->encrypt_categories.n > 0) {
        fputs("\n## Security\n\nEncrypted in transit: ", out);
        md_ids(out, &p->encrypt_categories);
        fputs(" (", out);
        md_ids(out, &p->encrypt_clauses);
        fputs(").\n", out);
    }
    if (p->nsettings == 0)
        return;
    fputs("\n## Settings\n\n"
          "An organisation setting is a number the published text does not "
          "give: the value is the organisation's default, not a promise "
          "of the policy.\n\n"
          "| Setting | Type | Default | Organisation setting | Why | "
          "Clauses |\n|---|---|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < p->nsettings; i++) {
        const struct policy_setting *s = &p->settings[i];

        fputs("| ", out);
        md_id(out, s->id);
        fputs(" | ", out);
        md_cell(out, s->type);
        fputs(" | ", out);
        md_id(out, s->value);
        fprintf(out, " | %s | ",
                s->organisation ? "**yes** (organisation default)" : "no");
        md_cell(out, s->why);
        fputs(" | ", out);
        md_ids(out, &s->clauses);
        md_row_end(out);
    }
}

static void
render_tracking(struct render *r)
{
    const pc_policy *p = r->p;
    FILE *out = r->out;

    if (p->ntechnologies > 0) {
        fputs("\n## Tracking\n\nDisclosed technologies (", out);
        md_ids(out, &p->tracking_clauses);
        fputs("); any other is undisclosed.\n\n"
              "| Technology | Title | Clauses |\n|---|---|---|\n",
              out);
        for (size_t i = 0; i < p->ntechnologies; i++) {
            fputs("| ", out);
            md_id(out, p->technologies[i].id);
            fputs(" | ", out);
            md_cell(out, p->technologies[i].title);
            fputs(" | ", out);
            md_ids(out, &p->technologies[i].clauses);
            md_row_end(out);
        }
        fputs("\nTracking may collect only: ", out);
        md_ids(out, &p->tracking_collects);
        fputs(" (", out);
        md_ids(out, &p->tracking_collects_clauses);
        fputs(").\n", out);
    }
    if (p->children_min_age > 0) {
        fprintf(out,
                "\n## Children\n\nNo knowing collection from children "
                "under %ld (",
                p->children_min_age);
        md_ids(out, &p->children_clauses);
        fputs(").\n", out);
    }
    if (p->transfer_countries.n > 0) {
        fputs("\n## International transfers\n\nTo and in: ", out);
        md_ids(out, &p->transfer_countries);
        if (p->transfer_other_countries)
            fputs(", and other countries the text does not name", out);
        fputs(" (", out);
        md_ids(out, &p->transfer_clauses);
        fputs(").\n", out);
    }
}

static void
render_integrations(struct render *r)
{
    const pc_policy *p = r->p;
    FILE *out = r->out;

    if (p->nintegrations == 0)
        return;
    fputs("\n## Integrations\n\n"
          "| Integration | Provider | Title | Data | Purposes | Stored | "
          "Transferred | Clauses |\n|---|---|---|---|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < p->nintegrations; i++) {
        const struct policy_integration *g = &p->integrations[i];

        fputs("| ", out);
        md_id(out, g->id);
        fputs(" | ", out);
        md_id(out, g->provider);
        fputs(" | ", out);
        md_cell(out, g->title);
        fputs(" | ", out);
        md_ids(out, &g->elements);
        fputs(" | ", out);
        md_ids(out, &g->purposes);
        fprintf(out, " | %s | %s | ", g->store ? "yes" : "**never**",
                g->transfer ? "yes" : "**never**");
        md_ids(out, &g->clauses);
        md_row_end(out);
    }
    for (size_t i = 0; i < p->nintegrations; i++) {
        const struct policy_integration *g = &p->integrations[i];

        fputs("\nScopes ", out);
        md_id(out, g->id);
        fputs(" may request (any other is beyond the policy):\n\n", out);
        for (size_t k = 0; k < g->scopes.n; k++) {
            fputs("- ", out);
            md_id(out, g->scopes.v[k]);
            fputs(" (", out);
            md_ids(out, &g->scope_clauses[k]);
            fputs(")\n", out);
        }
    }
}

pc_status
pc_policy_render_markdown(const pc_policy *p, FILE *out)
{
    struct render r = { p, out, NULL, false };
    pc_status st = render_index(&r);

    if (st == PC_OK) {
        render_header(&r);
        render_sections(&r);
        render_data(&r);
        render_purposes(&r);
        render_disclosures(&r);
        render_rights(&r);
        render_retention(&r);
        render_tracking(&r);
        render_integrations(&r);
        if (r.nomem)
            st = PC_ENOMEM;
        else if (fflush(out) != 0 || ferror(out))
            st = PC_EIO;
    }
    if (r.cites != NULL)
        for (size_t i = 0; i < p->nclauses; i++)
            strv_free(&r.cites[i]);
    free(r.cites);
    return st;
}
