/*
 * scan.h - finding the next byte of a string that needs attention, eight
 * bytes at a time: the decoder's strings, the encoder's escaping and the
 * UTF-8 check spend most of their time on plain ASCII.
 */
#ifndef AUTHLETE_SCAN_H
#define AUTHLETE_SCAN_H

#include <stdint.h>
#include <string.h>

#define SCAN_ONES 0x0101010101010101ULL
#define SCAN_HIGHS 0x8080808080808080ULL

/* The offset of the first byte whose high bit is set in `stop` (a mask of
 * high bits), or 8 where that cannot be told (then look byte by byte). */
static inline int scan_first(uint64_t stop)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_ctzll(stop) >> 3;
#else
	(void)stop;
	return 8;
#endif
}

/* Plain bytes stand for themselves in a JSON string: not a quote, a
 * backslash, below 0x20 or above 0x7F. Returns the first byte from p on
 * that is not plain, or end. Each test sets a byte's high bit; a borrow
 * between bytes only follows a byte that is not plain, so the lowest bit
 * set marks the first such byte. */
static inline const char *skip_plain(const char *p, const char *end)
{
	while (end - p >= 8) {
		uint64_t x;
		memcpy(&x, p, 8);
		uint64_t quote = x ^ (SCAN_ONES * '"'), backslash = x ^ (SCAN_ONES * '\\');
		uint64_t stop = ((quote - SCAN_ONES) | (backslash - SCAN_ONES) | (x - SCAN_ONES * 0x20) | x) & SCAN_HIGHS;
		if (stop) {
			int at = scan_first(stop);
			if (at < 8)
				return p + at;
			break;
		}
		p += 8;
	}
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80)
			break;
		p++;
	}
	return p;
}

/* The first byte from p on that is not ASCII, or end. */
static inline const unsigned char *skip_ascii(const unsigned char *p, const unsigned char *end)
{
	while (end - p >= 8) {
		uint64_t x;
		memcpy(&x, p, 8);
		if (x & SCAN_HIGHS)
			break;
		p += 8;
	}
	while (p < end && *p < 0x80)
		p++;
	return p;
}

#endif
