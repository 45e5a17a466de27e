/* engine.h - what the library's other modules may ask of an engine
 * (waiver.c evaluates rules over waivers with it). */
#ifndef PC_ENGINE_H
#define PC_ENGINE_H

#include "eval.h"

/* The evaluator's view of e. */
void engine_eval_engine(const pc_engine *e, struct eval_engine *out);
/* The compiled rules, borrowed (policy lint reads what they look up). */
const struct ruleset *engine_rules(const pc_engine *e);
/* The waivers schema, or NULL when the engine was loaded without one. */
const char *engine_waivers_schema(const pc_engine *e);

#endif
