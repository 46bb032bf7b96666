/* SPDX-License-Identifier: MIT */
/*
 * sig.h - signature primitives for inbound sources: HMAC over several parts, hex/base64
 * codecs, constant-time checks against several secrets (rotation), timestamp windows, and the
 * two structured schemes (Wave's `t=..,v1=..` header and Standard Webhooks).
 *
 * Every check works on the exact raw bytes it is given and never reveals the expected value:
 * refusals carry only the AppError id of the check that failed:
 *   griot.source.signature.missing    the header is absent or empty
 *   griot.source.signature.malformed  the header cannot be parsed
 *   griot.source.signature.stale      the signed timestamp is outside the window
 *   griot.source.signature.mismatch   no secret produces a matching signature
 * all with status 401. Secrets are compared through their MACs with CRYPTO_memcmp.
 */
#ifndef GR_ADAPTER_SIG_H
#define GR_ADAPTER_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/apperr.h"
#include "core/buf.h"

enum gr_sig_algo { GR_SIG_SHA1, GR_SIG_SHA256, GR_SIG_SHA512 };
enum gr_sig_encoding { GR_SIG_HEX, GR_SIG_BASE64 };

#define GR_SIG_MAX_MAC 64

/* HMAC(algo, key, parts[0] || parts[1] || ...). Returns the MAC length (20, 32 or 64). */
size_t gr_sig_hmac(enum gr_sig_algo algo, const void *key, size_t keylen,
                   const struct gr_slice *parts, size_t nparts, unsigned char out[GR_SIG_MAX_MAC]);
/* Parses "sha1" / "sha256" / "sha512"; false otherwise. */
bool gr_sig_algo_parse(const char *s, enum gr_sig_algo *out);
/* Decoders: false on bad input or when the result would not fit in cap bytes. Hex accepts both
 * cases; base64 is the standard alphabet with optional padding. */
bool gr_sig_hex_decode(const char *s, size_t len, unsigned char *out, size_t cap, size_t *outlen);
bool gr_sig_b64_decode(const char *s, size_t len, unsigned char *out, size_t cap, size_t *outlen);
/* Encoders append to out (lowercase hex; standard base64 with padding). */
gr_err gr_sig_hex_encode(const unsigned char *p, size_t len, struct gr_buf *out);
gr_err gr_sig_b64_encode(const unsigned char *p, size_t len, struct gr_buf *out);

/*
 * Checks an encoded signature `given` (without any prefix) against HMAC(algo, secret, parts)
 * for each secret. Returns 0 when one matches; otherwise 401 with e filled (.missing when given
 * is empty, .malformed when it does not decode to a MAC of the right length, else .mismatch).
 */
int gr_sig_check(enum gr_sig_algo algo, enum gr_sig_encoding enc, const char *const *secrets,
                 size_t nsecrets, const struct gr_slice *parts, size_t nparts, const char *given,
                 struct gr_apperr *e);
/* Checks a Unix timestamp (decimal seconds in ts) against now +- tolerance (0 = no window).
 * Returns 0, or 401 .malformed (not a number) / .stale. */
int gr_sig_check_timestamp(const char *ts, int64_t now_s, int64_t tolerance_s,
                           struct gr_apperr *e);
/*
 * Wave's signing-secret scheme: header "t=<unix>,v1=<hex>[,v1=<hex>...]" over
 * "<t>" immediately followed by the body, HMAC-SHA256. Accepts when any v1 matches any secret
 * and t is within the window.
 */
int gr_sig_wave(const char *header, const char *const *secrets, size_t nsecrets,
                const char *body, size_t len, int64_t now_s, int64_t tolerance_s,
                struct gr_apperr *e);
/*
 * Standard Webhooks v1: content "<id>.<timestamp>.<body>", HMAC-SHA256 keyed with the
 * base64-decoded secret (a leading "whsec_" is stripped; a secret that is not base64 is used as
 * raw bytes), signature header a space-separated list of "v1,<base64>" (other versions
 * ignored). Refuses ids or timestamps containing '.', and timestamps outside the window.
 */
/* The HMAC key of a Standard Webhooks secret, shared by the verifier above and griot's own
 * signer (app/integ.c): the base64 after an optional "whsec_", decoded into buf[cap]; a secret
 * that is not base64 is the key itself (returned as is, *len_out = its length). */
const void *gr_sig_stdwebhooks_key(const char *secret, unsigned char *buf, size_t cap,
                                   size_t *len_out);
int gr_sig_stdwebhooks(const char *id, const char *timestamp, const char *sig_header,
                       const char *const *secrets, size_t nsecrets, const char *body, size_t len,
                       int64_t now_s, int64_t tolerance_s, struct gr_apperr *e);
/* Constant-time comparison of a presented bearer token (or any credential) with each of the
 * configured ones. Returns 0 or 401 griot.source.unauthorized. */
int gr_sig_check_token(const char *given, const char *const *expected, size_t nexpected,
                       struct gr_apperr *e);

#endif
