/* sha256.c - SHA-256 of the exact bytes privcheck parsed, so a report can
 * prove which policy, rules and manifests it checked. */
#include "config.h"

#include "sha256.h"

void
sha256_stream_init(struct sha256_stream *s)
{
    sha256_init(&s->ctx);
}

void
sha256_stream_add(struct sha256_stream *s, const void *buf, size_t len)
{
    if (len > 0)
        sha256_update(&s->ctx, len, buf);
}

void
sha256_stream_hex(struct sha256_stream *s, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[SHA256_DIGEST_SIZE];

    sha256_digest(&s->ctx, sizeof md, md);
    for (size_t i = 0; i < sizeof md; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}

void
sha256_hex(const void *buf, size_t len, char hex[65])
{
    struct sha256_stream s;

    sha256_stream_init(&s);
    sha256_stream_add(&s, buf, len);
    sha256_stream_hex(&s, hex);
}
