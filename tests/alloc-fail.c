/* alloc-fail.c - an LD_PRELOAD shim that makes one allocation fail, the
 * way SQLite tests its out-of-memory paths: with ALLOC_FAIL_AT=N the N-th
 * call (from 1) to malloc, calloc, realloc, posix_memalign, aligned_alloc
 * or memalign in the process returns NULL with errno ENOMEM; with
 * ALLOC_FAIL_PERSIST=1 every call from the N-th on does. ALLOC_COUNT=FILE
 * writes the number of calls made to FILE at exit (a first run with no
 * failure tells how many a command makes). Used by tests/alloc-fail.sh;
 * not for sanitizer or valgrind builds, which bring their own allocator.
 * The real allocator is glibc's, found with dlsym(RTLD_NEXT); what dlsym
 * itself allocates before that comes from a small static arena. With
 * ALLOC_BACKTRACE=1 a crash prints its stack (for addr2line) to stderr. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static void *(*real_memalign)(size_t, size_t);

static atomic_ulong calls;
static unsigned long fail_at;
static int persist, resolving;

/* dlsym may calloc before the real one is known. */
static _Alignas(16) unsigned char boot[8192];
static size_t boot_used;

static int
from_boot(const void *p)
{
    return (const unsigned char *)p >= boot &&
           (const unsigned char *)p < boot + sizeof boot;
}

static void *
boot_alloc(size_t n)
{
    size_t at = (boot_used + 15) & ~(size_t)15;

    if (at + n > sizeof boot)
        return NULL;
    boot_used = at + n;
    return boot + at;
}

static void
count_at_exit(void)
{
    const char *path = getenv("ALLOC_COUNT");
    char line[32];
    int fd, n;

    if (path == NULL || *path == '\0')
        return;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return;
    n = snprintf(line, sizeof line, "%lu\n", (unsigned long)calls);
    if (n > 0 && write(fd, line, (size_t)n) < 0)
        n = 0;
    close(fd);
}

static void
on_crash(int sig)
{
    void *frames[48];
    int n = backtrace(frames, 48);

    backtrace_symbols_fd(frames, n, 2);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void
resolve(void)
{
    const char *at, *p;

    if (real_malloc != NULL || resolving)
        return;
    resolving = 1;
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    real_posix_memalign =
        (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
    real_aligned_alloc =
        (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
    real_memalign = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "memalign");
    at = getenv("ALLOC_FAIL_AT");
    fail_at = at != NULL ? strtoul(at, NULL, 10) : 0;
    p = getenv("ALLOC_FAIL_PERSIST");
    persist = p != NULL && *p == '1';
    atexit(count_at_exit);
    p = getenv("ALLOC_BACKTRACE");
    if (p != NULL && *p == '1') {
        void *warm[1];

        backtrace(warm, 1); /* loads libgcc now, not in the handler */
        signal(SIGSEGV, on_crash);
        signal(SIGBUS, on_crash);
        signal(SIGABRT, on_crash);
    }
    resolving = 0;
}

/* Should this call fail? */
static int
fail_now(void)
{
    unsigned long n = atomic_fetch_add(&calls, 1) + 1;

    if (fail_at == 0 || n < fail_at || (n > fail_at && !persist))
        return 0;
    errno = ENOMEM;
    return 1;
}

void *
malloc(size_t n)
{
    resolve();
    if (real_malloc == NULL)
        return boot_alloc(n);
    return fail_now() ? NULL : real_malloc(n);
}

void *
calloc(size_t a, size_t b)
{
    resolve();
    if (real_calloc == NULL) {
        void *p = b != 0 && a > (size_t)-1 / b ? NULL : boot_alloc(a * b);

        return p != NULL ? memset(p, 0, a * b) : NULL;
    }
    return fail_now() ? NULL : real_calloc(a, b);
}

void *
realloc(void *p, size_t n)
{
    resolve();
    if (from_boot(p)) {
        void *q = malloc(n);

        if (q != NULL)
            memcpy(q, p, n < sizeof boot ? n : sizeof boot);
        return q;
    }
    return fail_now() ? NULL : real_realloc(p, n);
}

void
free(void *p)
{
    resolve();
    if (p == NULL || from_boot(p))
        return;
    real_free(p);
}

int
posix_memalign(void **out, size_t align, size_t n)
{
    resolve();
    if (fail_now())
        return ENOMEM;
    return real_posix_memalign(out, align, n);
}

void *
aligned_alloc(size_t align, size_t n)
{
    resolve();
    return fail_now() ? NULL : real_aligned_alloc(align, n);
}

void *
memalign(size_t align, size_t n)
{
    resolve();
    return fail_now() ? NULL : real_memalign(align, n);
}
