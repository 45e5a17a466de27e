/* sha256.c - SHA-256 of the exact bytes privcheck parsed, so a report can
 * prove which policy, rules and manifests it checked. */
#include "config.h"

#include "sha256.h"

#include <nettle/sha2.h>

void
sha256_hex(const void *buf, size_t len, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    struct sha256_ctx ctx;
    unsigned char md[SHA256_DIGEST_SIZE];

    sha256_init(&ctx);
    sha256_update(&ctx, len, buf);
    sha256_digest(&ctx, sizeof md, md);
    for (size_t i = 0; i < sizeof md; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}
