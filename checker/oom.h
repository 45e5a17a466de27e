/* oom.h - an allocation inside a library failed (oom.c). */
#ifndef PC_OOM_H
#define PC_OOM_H

#include "privcheck.h"

/* Called by the allocators given to libxml2 and jansson when one fails:
 * the program's handler runs, if it set one (and does not return). */
void oom_library_failed(void);

#endif
