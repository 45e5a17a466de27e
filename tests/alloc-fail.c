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
 * ALLOC_BACKTRACE=1 a crash prints its stack (for addr2line) to stderr,
 * with ALLOC_FAIL_TRACE=1 the failed call does too (in fork mode to
 * DIR/trace, kept with the outputs as DIR/KIND-N.trace).
 *
 * Fork mode tries every N in one run: with ALLOC_FORK_DIR=DIR, the process
 * forks at calls ALLOC_FORK_FROM (default 1), then every ALLOC_FORK_STEP
 * (default 1) after it; the child fails that call and runs on alone, the
 * parent waits for it and goes on unfailed. The child's standard output
 * and error go to DIR/out and DIR/err, which start with what the process
 * had written before the fork (so they hold what a run failing there alone
 * would have written, when the parent's own outputs are regular files).
 * The parent sorts each child's outcome against the unfailed run
 * (ALLOC_BASE_STATUS, ALLOC_BASE_OUT, ALLOC_BASE_ERR), the way
 * tests/alloc-fail.sh does, keeps the outputs of crashes, of exits that
 * do not say out of memory and of anything else unexpected as
 * DIR/crash-N.*, DIR/exit2-N.* and DIR/other-N.*, and writes the
 * counts to DIR/report at exit, after one line per exit-2 message. A child
 * running longer than ALLOC_FORK_TIMEOUT seconds (default 60) is killed by
 * SIGALRM and counts as a crash. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <execinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
#ifndef ALLOC_FAIL_WRAP
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static void *(*real_memalign)(size_t, size_t);
#endif

static atomic_ulong calls;
static unsigned long fail_at;
static int persist, resolving, trace;

/* Fork mode (see the top). */
static const char *fork_dir;
static unsigned long fork_from = 1, fork_step = 1;
static unsigned fork_timeout = 60;
static int in_child, forking, base_status = -1;
static char *base_out, *base_err;
static size_t base_out_len, base_err_len;
static unsigned long n_forks, n_oom, n_exit2, n_same, n_crash, n_other;
static unsigned long kept_crash, kept_exit2, kept_other;

#ifndef ALLOC_FAIL_WRAP
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
#endif

/* What the fork mode found, one line to DIR/report. The parent's own
 * allocator calls are not counted, as a stand-alone run has none. */
static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void report_counts(void);

static void
count_at_exit(void)
{
    const char *path = getenv("ALLOC_COUNT");
    char line[32];
    int fd, n;

    if (in_child)
        return;
    if (fork_dir != NULL)
        report_counts();
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
report(const char *fmt, ...)
{
    char path[4096], line[1024];
    va_list ap;
    int fd, n;

    snprintf(path, sizeof path, "%s/report", fork_dir);
    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line)
        n = sizeof line - 1;
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    if (write(fd, line, (size_t)n) < 0)
        n = 0;
    close(fd);
}

static void
report_counts(void)
{
    report("forks %lu oom %lu exit2 %lu same %lu crash %lu other %lu\n",
           n_forks, n_oom, n_exit2, n_same, n_crash, n_other);
}

/* A whole file, from the real allocator (NUL-terminated), or NULL. */
static char *
slurp(const char *path, size_t *len)
{
    struct stat st;
    char *buf = NULL;
    size_t got = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    *len = 0;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) == 0 &&
        (buf = real_malloc((size_t)st.st_size + 1)) != NULL) {
        while (got < (size_t)st.st_size) {
            ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

            if (r <= 0)
                break;
            got += (size_t)r;
        }
        buf[got] = '\0';
        *len = got;
    }
    close(fd);
    return buf;
}

static void
fork_setup(void)
{
    const char *p;

    fork_dir = getenv("ALLOC_FORK_DIR");
    if (fork_dir == NULL || *fork_dir == '\0') {
        fork_dir = NULL;
        return;
    }
    if ((p = getenv("ALLOC_FORK_FROM")) != NULL && strtoul(p, NULL, 10) > 0)
        fork_from = strtoul(p, NULL, 10);
    if ((p = getenv("ALLOC_FORK_STEP")) != NULL && strtoul(p, NULL, 10) > 0)
        fork_step = strtoul(p, NULL, 10);
    if ((p = getenv("ALLOC_FORK_TIMEOUT")) != NULL && atoi(p) > 0)
        fork_timeout = (unsigned)atoi(p);
    if ((p = getenv("ALLOC_BASE_STATUS")) != NULL)
        base_status = atoi(p);
    if ((p = getenv("ALLOC_BASE_OUT")) != NULL)
        base_out = slurp(p, &base_out_len);
    if ((p = getenv("ALLOC_BASE_ERR")) != NULL)
        base_err = slurp(p, &base_err_len);
}

/* In the child: DIR/NAME starts with what FD (a regular file) holds so
 * far, then becomes FD. */
static void
child_redirect(int fd, const char *name)
{
    char path[4096], buf[65536];
    struct stat st;
    off_t at = 0;
    ssize_t r;
    int to;

    snprintf(path, sizeof path, "%s/%s", fork_dir, name);
    to = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (to < 0)
        _exit(125);
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        while (at < st.st_size && (r = pread(fd, buf, sizeof buf, at)) > 0) {
            if (write(to, buf, (size_t)r) != r)
                _exit(125);
            at += r;
        }
    if (dup2(to, fd) < 0)
        _exit(125);
    close(to);
}

/* In the child: every file and directory open before the fork gets an
 * open file description of its own at the same offset, or the child's
 * reads (a directory listing, a file read in pieces) would move the
 * parent's too. */
static void
child_own_fds(void)
{
    for (int fd = 3; fd < 1024; fd++) {
        struct stat st;
        char path[64];
        int fdflags = fcntl(fd, F_GETFD), flags, nfd;
        off_t at;

        if (fdflags < 0 || fstat(fd, &st) != 0 ||
            !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
            continue;
        flags = fcntl(fd, F_GETFL);
        at = lseek(fd, 0, SEEK_CUR);
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        nfd = open(path, (flags & (O_ACCMODE | O_APPEND)) |
                             (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));
        if (nfd < 0 || (at >= 0 && lseek(nfd, at, SEEK_SET) != at) ||
            dup2(nfd, fd) < 0)
            _exit(125);
        close(nfd);
        fcntl(fd, F_SETFD, fdflags);
    }
}

static int
same_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* Keep a child's outputs as DIR/KIND-N.out and .err (the first 20 of
 * each kind). */
static void
keep(const char *kind, unsigned long n, unsigned long *kept)
{
    char from[4096], to[4096];

    if (++*kept > 20)
        return;
    snprintf(from, sizeof from, "%s/out", fork_dir);
    snprintf(to, sizeof to, "%s/%s-%lu.out", fork_dir, kind, n);
    rename(from, to);
    snprintf(from, sizeof from, "%s/err", fork_dir);
    snprintf(to, sizeof to, "%s/%s-%lu.err", fork_dir, kind, n);
    rename(from, to);
    snprintf(from, sizeof from, "%s/trace", fork_dir);
    snprintf(to, sizeof to, "%s/%s-%lu.trace", fork_dir, kind, n);
    rename(from, to);
}

/* The outcome of the child that failed call N, sorted as
 * tests/alloc-fail.sh sorts a run. */
static void
sort_child(unsigned long n, int ws)
{
    char path[4096];
    size_t olen, elen;
    char *out, *err;
    int code = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;

    snprintf(path, sizeof path, "%s/out", fork_dir);
    out = slurp(path, &olen);
    snprintf(path, sizeof path, "%s/err", fork_dir);
    err = slurp(path, &elen);
    if (code < 0 || code > 2) {
        n_crash++;
        if (WIFSIGNALED(ws))
            report("crash %lu: signal %d%s\n", n, WTERMSIG(ws),
                   WTERMSIG(ws) == SIGALRM ? " (timed out)" : "");
        else
            report("crash %lu: exit %d\n", n, code);
        keep("crash", n, &kept_crash);
    } else if (code == 2 && olen == 0 && elen > 0) {
        if (memmem(err, elen, "out of memory", 13) != NULL) {
            n_oom++;
        } else {
            const char *nl = memchr(err, '\n', elen);

            n_exit2++;
            report("exit2 %lu: %.*s\n", n,
                   (int)(nl != NULL ? (size_t)(nl - err) : elen), err);
            keep("exit2", n, &kept_exit2);
        }
    } else if (code == base_status &&
               same_bytes(out, olen, base_out, base_out_len) &&
               same_bytes(err, elen, base_err, base_err_len)) {
        n_same++;
    } else {
        n_other++;
        report("other %lu: exit %d (unfailed: %d)\n", n, code, base_status);
        keep("other", n, &kept_other);
    }
    real_free(out);
    real_free(err);
}

/* With ALLOC_FAIL_TRACE=1, the stack of the call made to fail, on
 * stderr (for addr2line): which call site a run's outcome comes from. */
static void
failed_here(void)
{
    static const char head[] = "alloc-fail: this call fails:\n";
    void *frames[32];
    char path[4096];
    int n, fd = 2;

    if (!trace)
        return;
    /* In fork mode, beside the child's outputs, not in them. */
    if (fork_dir != NULL) {
        snprintf(path, sizeof path, "%s/trace", fork_dir);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
            return;
    }
    n = backtrace(frames, 32);
    if (write(fd, head, sizeof head - 1) >= 0)
        backtrace_symbols_fd(frames, n, fd);
    if (fd != 2)
        close(fd);
}

/* Fork mode at call N: the child fails it, the parent waits and goes on. */
static int
fork_at(unsigned long n)
{
    int saved = errno, ws;
    pid_t pid;

    forking = 1;
    pid = fork();
    if (pid == 0) {
        in_child = 1;
        child_own_fds();
        child_redirect(1, "out");
        child_redirect(2, "err");
        alarm(fork_timeout);
        failed_here();
        errno = ENOMEM;
        return 1;
    }
    if (pid < 0) {
        n_other++;
        report("other %lu: fork failed\n", n);
    } else {
        while (waitpid(pid, &ws, 0) < 0)
            if (errno != EINTR) {
                ws = 0x7f00; /* counts as a crash */
                break;
            }
        n_forks++;
        sort_child(n, ws);
    }
    forking = 0;
    errno = saved;
    return 0;
}

#ifdef ALLOC_FAIL_WRAP
void *__wrap_malloc(size_t);
void *__wrap_calloc(size_t, size_t);
void *__wrap_realloc(void *, size_t);
char *__wrap_strdup(const char *);
char *__wrap_strndup(const char *, size_t);
void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
char *__real_strdup(const char *);
char *__real_strndup(const char *, size_t);
#endif

static void
resolve(void)
{
    const char *at, *p;

    if (real_malloc != NULL || resolving)
        return;
    resolving = 1;
#ifdef ALLOC_FAIL_WRAP
    real_malloc = __real_malloc;
    real_calloc = __real_calloc;
    real_realloc = __real_realloc;
    real_free = free;
#else
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    real_posix_memalign =
        (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
    real_aligned_alloc =
        (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
    real_memalign = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "memalign");
#endif
    at = getenv("ALLOC_FAIL_AT");
    fail_at = at != NULL ? strtoul(at, NULL, 10) : 0;
    p = getenv("ALLOC_FAIL_PERSIST");
    persist = p != NULL && *p == '1';
    atexit(count_at_exit);
    fork_setup();
    p = getenv("ALLOC_FAIL_TRACE");
    trace = p != NULL && *p == '1';
    p = getenv("ALLOC_BACKTRACE");
    if ((p != NULL && *p == '1') || trace) {
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

    if (fork_dir != NULL && !in_child && !forking && n >= fork_from &&
        (n - fork_from) % fork_step == 0)
        return fork_at(n);
    if (fail_at == 0 || n < fail_at || (n > fail_at && !persist))
        return 0;
    failed_here();
    errno = ENOMEM;
    return 1;
}

#ifdef ALLOC_FAIL_WRAP
/* Linked into privcheck with -Wl,--wrap=malloc and the rest (what
 * .ci/hardening's asan step does): only privcheck's own calls go through
 * here, the libraries' go straight to the sanitizer's allocator, and
 * LeakSanitizer checks what every failed run left behind. */
void *
__wrap_malloc(size_t n)
{
    resolve();
    return fail_now() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t a, size_t b)
{
    resolve();
    return fail_now() ? NULL : __real_calloc(a, b);
}

void *
__wrap_realloc(void *p, size_t n)
{
    resolve();
    return fail_now() ? NULL : __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
    resolve();
    return fail_now() ? NULL : __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
    resolve();
    return fail_now() ? NULL : __real_strndup(s, n);
}
#else
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
#endif
