/*
 * utf8.h - strict UTF-8 validation (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF).
 */
#ifndef AUTHLETE_UTF8_H
#define AUTHLETE_UTF8_H

#include <stddef.h>

/* The length of the valid UTF-8 sequence starting at s (n bytes available),
 * or 0 when it is not valid. */
size_t utf8_sequence(const unsigned char *s, size_t n);

/* The offset of the first byte that is not valid UTF-8, or n if all are. */
size_t utf8_check(const unsigned char *s, size_t n);

/* Write code point cp as UTF-8 into out (4 bytes of room); returns the length. */
size_t utf8_encode(unsigned long cp, char *out);

#endif
