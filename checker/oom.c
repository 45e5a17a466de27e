/* oom.c - what a program asks to be done when an allocation inside
 * libxml2 or jansson fails (pc_set_oom_handler in privcheck.h). */
#include "config.h"

#include "oom.h"

static void (*_Atomic oom_handler)(void);

void
pc_set_oom_handler(void (*handler)(void))
{
    oom_handler = handler;
}

void
oom_library_failed(void)
{
    void (*handler)(void) = oom_handler;

    if (handler != NULL)
        handler();
}
