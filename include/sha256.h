/* sha256.h - SHA-256 (FIPS 180-4), streaming; pure, no OpenSSL. */
#ifndef TCPTALK_SHA256_H
#define TCPTALK_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN	32
#define SHA256_HEX_LEN	(2 * SHA256_LEN + 1)	/* with the NUL */

struct sha256 {
	uint32_t	 h[8];
	uint64_t	 bytes;		/* hashed so far */
	uint8_t		 block[64];	/* a partial block */
	size_t		 nblock;
};

void	sha256_init(struct sha256 *);
void	sha256_update(struct sha256 *, const void *, size_t);
/* The digest; the state is spent (sha256_init to use it again). */
void	sha256_final(struct sha256 *, uint8_t digest[SHA256_LEN]);
/* A digest as 64 lower-case hex digits and a NUL. */
void	sha256_hex(const uint8_t digest[SHA256_LEN], char out[SHA256_HEX_LEN]);

#endif
