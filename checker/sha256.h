/* sha256.h - content digests for audit trails (nettle does the work). */
#ifndef PC_SHA256_H
#define PC_SHA256_H

#include <stddef.h>

#include <nettle/sha2.h>

/* Lower-case hex SHA-256 of buf[0..len) into hex (65 bytes, NUL-ended). */
void sha256_hex(const void *buf, size_t len, char hex[65]);

/* The same over bytes that come in pieces. */
struct sha256_stream {
    struct sha256_ctx ctx;
};
void sha256_stream_init(struct sha256_stream *s);
void sha256_stream_add(struct sha256_stream *s, const void *buf, size_t len);
/* The digest of everything added; s must be initialised again to reuse. */
void sha256_stream_hex(struct sha256_stream *s, char hex[65]);

#endif
