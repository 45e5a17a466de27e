/* cache.c - entries named by digest in the user's cache directory (see
 * cache.h). The directory and the build ids are looked up once per
 * process; an entry is a file named by its 64-hex-digit key. */
#include "config.h"

#include "cache.h"

#include "privcheck.h"
#include "sha256.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bumped when what an entry means changes within one release. */
#define CACHE_FORMAT "privcheck-cache 1"

static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static char cache_dir[PATH_MAX];       /* "" when there is no cache */
static struct sha256_ctx cache_builds; /* the build ids, hashed */

static bool
cache_env_off(void)
{
    const char *v = getenv("PRIVCHECK_NO_CACHE");

    return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}

/* Is path a directory of ours that no one else may write to, made if it
 * is missing? */
static bool
cache_own_dir(const char *path)
{
    struct stat st;

    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return false;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
           st.st_uid == geteuid() && (st.st_mode & 022) == 0;
}

struct cache_ids {
    struct sha256_ctx *sha;
    bool missing; /* an object without a build id */
};

/* Hash the GNU build id of one loaded object; note one that has none. */
static int
cache_object_id(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct cache_ids *ids = arg;
    bool found = false;

    (void)size;
    for (ElfW(Half) i = 0; i < info->dlpi_phnum && !found; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        const char *p, *end;

        if (ph->p_type != PT_NOTE)
            continue;
        p = (const char *)(info->dlpi_addr + ph->p_vaddr);
        end = p + ph->p_memsz;
        while (!found && (size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
            const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)(const void *)p;
            size_t name = (nh->n_namesz + 3u) & ~3u;
            size_t desc = (nh->n_descsz + 3u) & ~3u;

            p += sizeof *nh;
            if ((size_t)(end - p) < name + desc)
                break;
            if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
                memcmp(p, "GNU", 4) == 0 && nh->n_descsz > 0) {
                sha256_update(ids->sha, nh->n_descsz,
                              (const uint8_t *)p + name);
                found = true;
            }
            p += name + desc;
        }
    }
    if (!found)
        ids->missing = true;
    return 0;
}

static void
cache_init(void)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    struct cache_ids ids = { .sha = &cache_builds };
    char base[PATH_MAX];
    int n;

    cache_dir[0] = '\0';
    if (cache_env_off())
        return;
    if (xdg != NULL && xdg[0] == '/')
        n = snprintf(base, sizeof base, "%s", xdg);
    else if (home != NULL && home[0] == '/')
        n = snprintf(base, sizeof base, "%s/.cache", home);
    else
        return;
    if (n <= 0 || (size_t)n >= sizeof base)
        return;
    /* The base is made if missing, as XDG asks, but need not be ours
     * alone; the privcheck directory must be. */
    if (mkdir(base, 0700) != 0 && errno != EEXIST)
        return;
    n = snprintf(cache_dir, sizeof cache_dir, "%s/privcheck", base);
    if (n <= 0 || (size_t)n >= sizeof cache_dir - 66 ||
        !cache_own_dir(cache_dir)) {
        cache_dir[0] = '\0';
        return;
    }
    sha256_init(&cache_builds);
    sha256_update(&cache_builds, sizeof CACHE_FORMAT,
                  (const uint8_t *)CACHE_FORMAT);
    sha256_update(&cache_builds, sizeof PACKAGE_VERSION,
                  (const uint8_t *)PACKAGE_VERSION);
    dl_iterate_phdr(cache_object_id, &ids);
    if (ids.missing)
        cache_dir[0] = '\0';
}

static bool
cache_on(void)
{
    pthread_once(&cache_once, cache_init);
    return cache_dir[0] != '\0';
}

bool
cache_key(const char *const parts[], size_t n, char key[65])
{
    static const char hex[] = "0123456789abcdef";
    struct sha256_ctx sha;
    uint8_t digest[SHA256_DIGEST_SIZE];

    if (!cache_on())
        return false;
    sha = cache_builds;
    for (size_t i = 0; i < n; i++)
        sha256_update(&sha, strlen(parts[i]) + 1, (const uint8_t *)parts[i]);
    sha256_digest(&sha, sizeof digest, digest);
    for (size_t i = 0; i < sizeof digest; i++) {
        key[2 * i] = hex[digest[i] >> 4];
        key[2 * i + 1] = hex[digest[i] & 0xf];
    }
    key[64] = '\0';
    return true;
}

/* The entry's file name; false when there is no cache or key is not one. */
static bool
cache_path(const char *key, char path[PATH_MAX])
{
    if (!cache_on() || strlen(key) != 64 ||
        strspn(key, "0123456789abcdef") != 64)
        return false;
    /* cache_init left room for the name: this cannot be cut short. */
    return snprintf(path, PATH_MAX, "%s/%.64s", cache_dir, key) < PATH_MAX;
}

bool
cache_has(const char *key)
{
    char path[PATH_MAX];
    struct stat st;

    return cache_path(key, path) && lstat(path, &st) == 0 &&
           S_ISREG(st.st_mode);
}

void
cache_mark(const char *key)
{
    char path[PATH_MAX];
    int fd;

    if (!cache_path(key, path))
        return;
    /* An empty file is whole the moment it exists. */
    fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0)
        close(fd);
}

bool
cache_read(const char *key, size_t max, char **buf, size_t *len)
{
    char path[PATH_MAX];
    struct stat st;
    char *b = NULL;
    size_t got = 0;
    int fd;

    *buf = NULL;
    *len = 0;
    if (!cache_path(key, path))
        return false;
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (unsigned long long)st.st_size > max ||
        (b = malloc((size_t)st.st_size)) == NULL)
        goto fail;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, b + got, (size_t)st.st_size - got);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            goto fail;
        got += (size_t)r;
    }
    close(fd);
    *buf = b;
    *len = got;
    return true;
fail:
    free(b);
    close(fd);
    return false;
}

void
cache_write(const char *key, const void *buf, size_t len)
{
    char path[PATH_MAX];
    pc_diags *d;
    pc_atomic *a;
    FILE *out;

    if (!cache_path(key, path) || (d = pc_diags_new()) == NULL)
        return;
    if (pc_atomic_open(path, d, &a, &out) == PC_OK) {
        if (fwrite(buf, 1, len, out) == len)
            (void)pc_atomic_commit(a, d);
        else
            pc_atomic_abort(a);
    }
    pc_diags_free(d);
}
