/* SPDX-License-Identifier: MIT */
/* sig.c - see sig.h. OpenSSL 3 one-shot HMAC; CRYPTO_memcmp for every comparison of secrets. */
#include "adapter/sig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/hash.h"

static const EVP_MD *md_of(enum gr_sig_algo a)
{
    switch (a) {
    case GR_SIG_SHA1:
        return EVP_sha1();
    case GR_SIG_SHA512:
        return EVP_sha512();
    case GR_SIG_SHA256:
        break;
    }
    return EVP_sha256();
}

bool gr_sig_algo_parse(const char *s, enum gr_sig_algo *out)
{
    if (strcmp(s, "sha1") == 0)
        *out = GR_SIG_SHA1;
    else if (strcmp(s, "sha256") == 0)
        *out = GR_SIG_SHA256;
    else if (strcmp(s, "sha512") == 0)
        *out = GR_SIG_SHA512;
    else
        return false;
    return true;
}

size_t gr_sig_hmac(enum gr_sig_algo algo, const void *key, size_t keylen,
                   const struct gr_slice *parts, size_t nparts, unsigned char out[GR_SIG_MAX_MAC])
{
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[2];
    size_t outlen = 0;
    static const unsigned char empty_key[1] = {0};

    if (ctx == NULL)
        goto out;
    params[0] = OSSL_PARAM_construct_utf8_string("digest", (char *)(uintptr_t)EVP_MD_get0_name(md_of(algo)), 0);
    params[1] = OSSL_PARAM_construct_end();
    if (!EVP_MAC_init(ctx, keylen ? key : empty_key, keylen, params))
        goto out;
    for (size_t i = 0; i < nparts; i++)
        if (parts[i].len && !EVP_MAC_update(ctx, (const unsigned char *)parts[i].p, parts[i].len))
            goto out;
    if (!EVP_MAC_final(ctx, out, &outlen, GR_SIG_MAX_MAC))
        outlen = 0;
out:
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return outlen;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool gr_sig_hex_decode(const char *s, size_t len, unsigned char *out, size_t cap, size_t *outlen)
{
    if (len % 2 || len / 2 > cap)
        return false;
    for (size_t i = 0; i < len; i += 2) {
        int hi = hexval(s[i]), lo = hexval(s[i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i / 2] = (unsigned char)(hi << 4 | lo);
    }
    *outlen = len / 2;
    return true;
}

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

bool gr_sig_b64_decode(const char *s, size_t len, unsigned char *out, size_t cap, size_t *outlen)
{
    unsigned int acc = 0, bits = 0;
    size_t o = 0;

    while (len > 0 && s[len - 1] == '=')
        len--;
    if (len % 4 == 1)
        return false;
    for (size_t i = 0; i < len; i++) {
        int v = b64val(s[i]);
        if (v < 0)
            return false;
        acc = (acc << 6) | (unsigned int)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= cap)
                return false;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    *outlen = o;
    return true;
}

gr_err gr_sig_hex_encode(const unsigned char *p, size_t len, struct gr_buf *out)
{
    static const char hex[] = "0123456789abcdef";
    gr_err rc = GR_OK;
    for (size_t i = 0; i < len && rc == GR_OK; i++) {
        char two[2] = {hex[p[i] >> 4], hex[p[i] & 15]};
        rc = gr_buf_append(out, two, 2);
    }
    return rc;
}

gr_err gr_sig_b64_encode(const unsigned char *p, size_t len, struct gr_buf *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    gr_err rc = GR_OK;
    size_t i;

    for (i = 0; i + 2 < len && rc == GR_OK; i += 3) {
        unsigned int v = (unsigned int)p[i] << 16 | (unsigned int)p[i + 1] << 8 | p[i + 2];
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63], tab[v & 63]};
        rc = gr_buf_append(out, q, 4);
    }
    if (rc == GR_OK && i < len) {
        unsigned int v = (unsigned int)p[i] << 16 | (i + 1 < len ? (unsigned int)p[i + 1] << 8 : 0);
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], i + 1 < len ? tab[(v >> 6) & 63] : '=',
                     '='};
        rc = gr_buf_append(out, q, 4);
    }
    return rc;
}

static int fail(struct gr_apperr *e, const char *what, const char *msg)
{
    return gr_apperr_set(e, 401, what, "%s", msg);
}

#define MISSING "griot.source.signature.missing"
#define MALFORMED "griot.source.signature.malformed"
#define STALE "griot.source.signature.stale"
#define MISMATCH "griot.source.signature.mismatch"

const void *gr_sig_stdwebhooks_key(const char *secret, unsigned char *buf, size_t cap,
                                   size_t *len_out)
{
    const char *b64 = strncmp(secret, "whsec_", 6) == 0 ? secret + 6 : secret;

    if (gr_sig_b64_decode(b64, strlen(b64), buf, cap, len_out))
        return buf;
    *len_out = strlen(secret);
    return secret;
}

/* True when mac (len bytes) equals HMAC(algo, any secret, parts). Constant time per secret. */
static bool any_secret(enum gr_sig_algo algo, const char *const *secrets, size_t nsecrets,
                       const struct gr_slice *parts, size_t nparts, const unsigned char *mac,
                       size_t len, bool b64_key)
{
    bool ok = false;

    for (size_t i = 0; i < nsecrets; i++) {
        unsigned char want[GR_SIG_MAX_MAC], key[256];
        const char *sec = secrets[i];
        size_t keylen = strlen(sec), wl;

        if (b64_key) {
            const void *k = gr_sig_stdwebhooks_key(sec, key, sizeof key, &keylen);
            wl = gr_sig_hmac(algo, k, keylen, parts, nparts, want);
            explicit_bzero(key, sizeof key);
        } else {
            wl = gr_sig_hmac(algo, sec, keylen, parts, nparts, want);
        }
        /* Keep going after a match so the time does not depend on which secret matched. */
        if (wl == len && CRYPTO_memcmp(want, mac, len) == 0)
            ok = true;
        explicit_bzero(want, sizeof want);
    }
    return ok;
}

static size_t mac_len(enum gr_sig_algo algo)
{
    return algo == GR_SIG_SHA1 ? 20 : algo == GR_SIG_SHA512 ? 64 : 32;
}

int gr_sig_check(enum gr_sig_algo algo, enum gr_sig_encoding enc, const char *const *secrets,
                 size_t nsecrets, const struct gr_slice *parts, size_t nparts, const char *given,
                 struct gr_apperr *e)
{
    unsigned char mac[GR_SIG_MAX_MAC];
    size_t len = 0;
    bool decoded;

    if (given == NULL || given[0] == '\0')
        return fail(e, MISSING, "The request carries no signature.");
    decoded = enc == GR_SIG_HEX ? gr_sig_hex_decode(given, strlen(given), mac, sizeof mac, &len)
                                : gr_sig_b64_decode(given, strlen(given), mac, sizeof mac, &len);
    if (!decoded || len != mac_len(algo))
        return fail(e, MALFORMED, "The request's signature is malformed.");
    if (!any_secret(algo, secrets, nsecrets, parts, nparts, mac, len, false))
        return fail(e, MISMATCH, "The request's signature does not match.");
    return 0;
}

static bool parse_i64(const char *s, size_t len, int64_t *out)
{
    char buf[24], *end;
    long long v;

    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    for (size_t i = 0; i < len; i++)
        if (buf[i] < '0' || buf[i] > '9')
            return false;
    errno = 0;
    v = strtoll(buf, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static int window(int64_t ts, int64_t now_s, int64_t tol, struct gr_apperr *e)
{
    if (tol > 0 && (ts < now_s - tol || ts > now_s + tol))
        return fail(e, STALE, "The request's signed timestamp is outside the allowed window.");
    return 0;
}

int gr_sig_check_timestamp(const char *ts, int64_t now_s, int64_t tolerance_s,
                           struct gr_apperr *e)
{
    int64_t t;

    if (ts == NULL || ts[0] == '\0')
        return fail(e, MISSING, "The request carries no signature timestamp.");
    if (!parse_i64(ts, strlen(ts), &t))
        return fail(e, MALFORMED, "The request's signature timestamp is malformed.");
    return window(t, now_s, tolerance_s, e);
}

int gr_sig_wave(const char *header, const char *const *secrets, size_t nsecrets,
                const char *body, size_t len, int64_t now_s, int64_t tolerance_s,
                struct gr_apperr *e)
{
    const char *p = header, *t = NULL;
    size_t tlen = 0, nsig = 0;
    unsigned char sigs[8][32];
    int64_t ts;
    bool ok = false;

    if (header == NULL || header[0] == '\0')
        return fail(e, MISSING, "The request carries no Wave-Signature.");
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        while (n > 0 && *p == ' ') {
            p++;
            n--;
        }
        if (n > 2 && p[0] == 't' && p[1] == '=') {
            t = p + 2;
            tlen = n - 2;
        } else if (n > 3 && strncmp(p, "v1=", 3) == 0) {
            size_t ml;
            if (nsig < 8 && gr_sig_hex_decode(p + 3, n - 3, sigs[nsig], 32, &ml) && ml == 32)
                nsig++;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    if (t == NULL || nsig == 0 || !parse_i64(t, tlen, &ts))
        return fail(e, MALFORMED, "The request's Wave-Signature is malformed.");
    if (window(ts, now_s, tolerance_s, e))
        return e->status;
    struct gr_slice parts[2] = {{t, tlen}, {body, len}};
    for (size_t i = 0; i < nsig; i++)
        if (any_secret(GR_SIG_SHA256, secrets, nsecrets, parts, 2, sigs[i], 32, false))
            ok = true;
    if (!ok)
        return fail(e, MISMATCH, "The request's signature does not match.");
    return 0;
}

int gr_sig_stdwebhooks(const char *id, const char *timestamp, const char *sig_header,
                       const char *const *secrets, size_t nsecrets, const char *body, size_t len,
                       int64_t now_s, int64_t tolerance_s, struct gr_apperr *e)
{
    const char *p;
    bool ok = false, any = false;
    int64_t ts;

    if (id == NULL || !id[0] || timestamp == NULL || !timestamp[0] || sig_header == NULL ||
        !sig_header[0])
        return fail(e, MISSING, "The request lacks webhook-id, webhook-timestamp or "
                                "webhook-signature.");
    if (strchr(id, '.') || !parse_i64(timestamp, strlen(timestamp), &ts))
        return fail(e, MALFORMED, "The request's webhook-id or webhook-timestamp is malformed.");
    if (window(ts, now_s, tolerance_s, e))
        return e->status;
    struct gr_slice parts[5] = {{id, strlen(id)}, {".", 1}, {timestamp, strlen(timestamp)},
                                {".", 1}, {body, len}};
    for (p = sig_header; *p;) {
        size_t n = strcspn(p, " ");
        if (n > 3 && strncmp(p, "v1,", 3) == 0) {
            unsigned char mac[GR_SIG_MAX_MAC];
            size_t ml;
            any = true;
            if (gr_sig_b64_decode(p + 3, n - 3, mac, sizeof mac, &ml) && ml == 32 &&
                any_secret(GR_SIG_SHA256, secrets, nsecrets, parts, 5, mac, 32, true))
                ok = true;
        }
        p += n;
        while (*p == ' ')
            p++;
    }
    if (!any)
        return fail(e, MALFORMED, "The request's webhook-signature has no v1 signature.");
    if (!ok)
        return fail(e, MISMATCH, "The request's signature does not match.");
    return 0;
}

int gr_sig_check_token(const char *given, const char *const *expected, size_t nexpected,
                       struct gr_apperr *e)
{
    char hg[65], he[65];
    bool ok = false;

    if (given == NULL || given[0] == '\0')
        return gr_apperr_set(e, 401, "griot.source.unauthorized",
                             "The request carries no credentials.");
    /* Compare digests: equal length, constant time, and no length leak of the secret. */
    gr_sha256_hex(given, strlen(given), hg);
    for (size_t i = 0; i < nexpected; i++) {
        gr_sha256_hex(expected[i], strlen(expected[i]), he);
        if (CRYPTO_memcmp(hg, he, 64) == 0)
            ok = true;
    }
    if (!ok)
        return gr_apperr_set(e, 401, "griot.source.unauthorized",
                             "The request's credentials are not accepted.");
    return 0;
}
