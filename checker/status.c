/* status.c - names of statuses and severities, and the version. */
#include "config.h"

#include "privcheck.h"

#include <string.h>

const char *
pc_version(void)
{
    return PACKAGE_VERSION;
}

const char *
pc_status_str(pc_status st)
{
    switch (st) {
    case PC_OK:
        return "success";
    case PC_ENOMEM:
        return "out of memory";
    case PC_EIO:
        return "input/output error";
    case PC_ESYNTAX:
        return "syntax error";
    case PC_EINVALID:
        return "invalid input";
    case PC_ELIMIT:
        return "input exceeds a limit";
    }
    return "unknown status";
}

static const char *const severity_names[] = { "note", "warning", "error" };

const char *
pc_severity_str(pc_severity sev)
{
    return (unsigned)sev < 3 ? severity_names[sev] : "error";
}

bool
pc_severity_parse(const char *s, pc_severity *out)
{
    for (unsigned i = 0; i < 3; i++)
        if (strcmp(s, severity_names[i]) == 0) {
            *out = (pc_severity)i;
            return true;
        }
    return false;
}
