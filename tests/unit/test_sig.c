/* SPDX-License-Identifier: MIT */
/* test_sig.c - signature primitives: the Standard Webhooks official vector, Wave headers,
 * rotation, stale timestamps, malformed and missing signatures, codecs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "adapter/sig.h"

static void test_stdwebhooks_official_vector(void **state)
{
    const char *secrets[] = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"};
    const char *body = "{\"test\": 2432232314}";
    struct gr_apperr e;

    (void)state;
    assert_int_equal(gr_sig_stdwebhooks("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                                        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", secrets,
                                        1, body, strlen(body), 1614265330, 300, &e),
                     0);
    /* Known-invalid signature from the reference tests, and the empty one. */
    assert_int_equal(gr_sig_stdwebhooks("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                                        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", secrets,
                                        1, body, strlen(body), 1614265330, 300, &e),
                     401);
    assert_string_equal(e.id, "griot.source.signature.mismatch");
    assert_int_equal(gr_sig_stdwebhooks("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v1,",
                                        secrets, 1, body, strlen(body), 1614265330, 300, &e),
                     401);
    assert_string_equal(e.id, "griot.source.signature.malformed");
    /* Several signatures, one good; unknown versions ignored. */
    assert_int_equal(gr_sig_stdwebhooks("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                                        "v1a,xxxx v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= "
                                        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                                        secrets, 1, body, strlen(body), 1614265330, 300, &e),
                     0);
    /* Stale: six minutes later. */
    assert_int_equal(gr_sig_stdwebhooks("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                                        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", secrets,
                                        1, body, strlen(body), 1614265330 + 360, 300, &e),
                     401);
    assert_string_equal(e.id, "griot.source.signature.stale");
    /* Tampered body. */
    assert_int_equal(gr_sig_stdwebhooks("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                                        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", secrets,
                                        1, "{\"test\": 2432232315}", strlen(body), 1614265330,
                                        300, &e),
                     401);
}

static void sign_wave(const char *secret, const char *t, const char *body, struct gr_buf *hex)
{
    unsigned char mac[GR_SIG_MAX_MAC];
    struct gr_slice parts[2] = {{t, strlen(t)}, {body, strlen(body)}};
    size_t n = gr_sig_hmac(GR_SIG_SHA256, secret, strlen(secret), parts, 2, mac);
    gr_sig_hex_encode(mac, n, hex);
}

static void test_wave(void **state)
{
    const char *body = "{\"id\":\"AE_1\",\"type\":\"merchant.payment_received\"}";
    const char *new_and_old[] = {"griot-wave-old-secret", "griot-wave-test-secret"};
    struct gr_buf sig, hdr;
    struct gr_apperr e;

    (void)state;
    gr_buf_init(&sig, 1024);
    gr_buf_init(&hdr, 1024);
    sign_wave("griot-wave-test-secret", "1700000000", body, &sig);
    gr_buf_printf(&hdr, "t=1700000000,v1=%s", sig.p);
    assert_int_equal(gr_sig_wave(hdr.p, new_and_old, 2, body, strlen(body), 1700000100, 300, &e),
                     0);
    assert_int_equal(gr_sig_wave(hdr.p, new_and_old, 1, body, strlen(body), 1700000100, 300, &e),
                     401);
    assert_string_equal(e.id, "griot.source.signature.mismatch");
    assert_int_equal(gr_sig_wave(hdr.p, new_and_old, 2, body, strlen(body), 1700000400, 300, &e),
                     401);
    assert_string_equal(e.id, "griot.source.signature.stale");
    assert_int_equal(gr_sig_wave(hdr.p, new_and_old, 2, body, strlen(body), 1700000400, 0, &e), 0);
    gr_buf_reset(&hdr);
    gr_buf_printf(&hdr, "t=1700000000,v1=%s,v1=00", sig.p);
    assert_int_equal(gr_sig_wave(hdr.p, new_and_old, 2, body, strlen(body), 1700000100, 300, &e),
                     0);
    assert_int_equal(gr_sig_wave("v1=abc", new_and_old, 2, body, strlen(body), 1, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.malformed");
    assert_int_equal(gr_sig_wave("", new_and_old, 2, body, strlen(body), 1, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.missing");
    gr_buf_cleanup(&sig);
    gr_buf_cleanup(&hdr);
}

static void test_hmac_hex_rotation(void **state)
{
    const char *secrets[] = {"old", "griot-fixture-secret"};
    const char *body = "hello";
    struct gr_slice part = {body, 5};
    unsigned char mac[GR_SIG_MAX_MAC];
    struct gr_buf hex;
    struct gr_apperr e;

    (void)state;
    gr_buf_init(&hex, 1024);
    gr_sig_hex_encode(mac, gr_sig_hmac(GR_SIG_SHA256, "griot-fixture-secret", 20, &part, 1, mac),
                      &hex);
    assert_int_equal(gr_sig_check(GR_SIG_SHA256, GR_SIG_HEX, secrets, 2, &part, 1, hex.p, &e), 0);
    assert_int_equal(gr_sig_check(GR_SIG_SHA256, GR_SIG_HEX, secrets, 1, &part, 1, hex.p, &e),
                     401);
    assert_int_equal(gr_sig_check(GR_SIG_SHA256, GR_SIG_HEX, secrets, 2, &part, 1, "zz", &e), 401);
    assert_string_equal(e.id, "griot.source.signature.malformed");
    assert_int_equal(gr_sig_check(GR_SIG_SHA1, GR_SIG_HEX, secrets, 2, &part, 1, hex.p, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.malformed"); /* wrong length for sha1 */
    gr_buf_cleanup(&hex);
}

static void test_codecs_and_token(void **state)
{
    unsigned char out[64];
    size_t n;
    struct gr_buf b;
    const char *tokens[] = {"s3cret"};
    struct gr_apperr e;

    (void)state;
    assert_true(gr_sig_b64_decode("aGVsbG8=", 8, out, sizeof out, &n));
    assert_int_equal(n, 5);
    assert_memory_equal(out, "hello", 5);
    assert_false(gr_sig_b64_decode("a$==", 4, out, sizeof out, &n));
    gr_buf_init(&b, 100);
    gr_sig_b64_encode((const unsigned char *)"hello", 5, &b);
    assert_string_equal(b.p, "aGVsbG8=");
    gr_buf_cleanup(&b);
    assert_true(gr_sig_hex_decode("DEADbeef", 8, out, sizeof out, &n));
    assert_int_equal(n, 4);
    assert_int_equal(gr_sig_check_token("s3cret", tokens, 1, &e), 0);
    assert_int_equal(gr_sig_check_token("s3cre", tokens, 1, &e), 401);
    assert_string_equal(e.id, "griot.source.unauthorized");
    assert_int_equal(gr_sig_check_timestamp("12x", 0, 300, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.malformed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_stdwebhooks_official_vector),
            cmocka_unit_test(test_wave),
            cmocka_unit_test(test_hmac_hex_rotation),
            cmocka_unit_test(test_codecs_and_token),
    };
    return cmocka_run_group_tests_name("sig", tests, NULL, NULL);
}
