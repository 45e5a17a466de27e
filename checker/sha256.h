/* sha256.h - content digests for audit trails (nettle does the work). */
#ifndef PC_SHA256_H
#define PC_SHA256_H

#include <stddef.h>

/* Lower-case hex SHA-256 of buf[0..len) into hex (65 bytes, NUL-ended). */
void sha256_hex(const void *buf, size_t len, char hex[65]);

#endif
