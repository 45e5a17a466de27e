/* cache.h - what one run of this build learnt that the next can reuse:
 * that a document was valid, and the compiled form of patterns. Only an
 * optimisation: any failure to find, read or write an entry is a miss,
 * never an error, and the run does the work itself.
 *
 * The cache lives in $XDG_CACHE_HOME/privcheck (else
 * $HOME/.cache/privcheck); PRIVCHECK_NO_CACHE (non-empty, not "0") turns it
 * off. Every key starts with the GNU build ids of the program and of every
 * library loaded, so a rebuild or a library upgrade never reads what
 * another build wrote; no build id, no cache. The directory is trusted as
 * the user's own: it is used only when it belongs to the user and no one
 * else may write to it. */
#ifndef PC_CACHE_H
#define PC_CACHE_H

#include <stdbool.h>
#include <stddef.h>

/* The key of an entry: the build ids, then each of parts[0..n) (each
 * NUL-terminated; the NUL counts, so parts cannot run together). False
 * when there is no cache to use. */
bool cache_key(const char *const parts[], size_t n, char key[65]);

/* Is there an entry named key? */
bool cache_has(const char *key);

/* Record an entry named key with no contents; best effort. */
void cache_mark(const char *key);

/* The contents of the entry named key, at most max bytes, into *buf (the
 * caller's: free) and *len. False on a miss. */
bool cache_read(const char *key, size_t max, char **buf, size_t *len);

/* Replace the entry named key with buf[0..len), atomically; best effort. */
void cache_write(const char *key, const void *buf, size_t len);

#endif
