/* SPDX-License-Identifier: MIT */
/*
 * wave.c - the Wave adapter (mobile money, Senegal / Côte d'Ivoire; spec sources.md §7).
 *
 * Wave POSTs a Stripe-like envelope {id, type, data}. With the "signing secret" strategy it
 * signs "<t>" immediately followed by the raw body, HMAC-SHA256 in hex, in
 * `Wave-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]` (one v1 per active secret during a
 * rotation); verify() checks that with the hook's secrets and window. The "shared secret"
 * strategy sends `Authorization: Bearer <secret>` instead: that is the caller's --auth-bearer
 * check, and verify() says so when it meets such a request with no Wave-Signature. The adapter
 * requires authentication (requires_auth): a Wave hook has a secret or a bearer token, so a
 * forged "payment received" is never posted.
 *
 * parse() renders the six documented event types in French (cfg->lang "fr") or English:
 * amounts are strings in major units, XOF (and the other zero-decimal currencies) print without
 * decimals, grouped by three ("12 500" / "12,500"). The payer's phone number (only
 * merchant.payment_received carries one) is personal data and is never printed in full: text,
 * fallback and fields show "+221 •• ••• •• 67", and the payload handed to templates gains
 * data.sender_mobile_masked. Unknown types get a generic message (type + key fields of data).
 * A body that is not JSON is refused (400); any JSON renders.
 */
#include "adapter/adapter.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "adapter/render.h"
#include "adapter/sig.h"
#include "adapter/summary.h"

enum kind { K_MERCHANT, K_CHECKOUT_OK, K_CHECKOUT_FAIL, K_B2B_OK, K_B2B_FAIL, K_TEST, K_OTHER };

/* Every word of the default message, per language. */
struct words {
    const char *head[K_OTHER + 1];
    const char *colon, *from, *ref, *amount, *fee, *sender, *merchant, *reference, *transaction,
            *status, *time, *error, *session, *more;
};

static const struct words fr = {
        .head = {"💰 Paiement Wave reçu", "💰 Paiement Wave Checkout reçu",
                 "❌ Échec du paiement Wave Checkout", "💰 Paiement B2B Wave reçu",
                 "❌ Échec du paiement B2B Wave",
                 "🔔 Événement de test Wave reçu : le webhook fonctionne.", "🔔 Événement Wave"},
        .colon = " : ",
        .from = " de ",
        .ref = " — réf. ",
        .amount = "Montant",
        .fee = "Frais",
        .sender = "Expéditeur",
        .merchant = "Marchand",
        .reference = "Référence",
        .transaction = "Transaction",
        .status = "Statut",
        .time = "Date",
        .error = "Erreur",
        .session = "Session",
        .more = "autres champs",
};

static const struct words en = {
        .head = {"💰 Wave payment received", "💰 Wave Checkout payment received",
                 "❌ Wave Checkout payment failed", "💰 Wave B2B payment received",
                 "❌ Wave B2B payment failed", "🔔 Wave test event received: the webhook works.",
                 "🔔 Wave event"},
        .colon = ": ",
        .from = " from ",
        .ref = " — ref. ",
        .amount = "Amount",
        .fee = "Fee",
        .sender = "Sender",
        .merchant = "Merchant",
        .reference = "Reference",
        .transaction = "Transaction",
        .status = "Status",
        .time = "Time",
        .error = "Error",
        .session = "Session",
        .more = "more fields",
};

static const struct {
    const char *type;
    enum kind kind;
} kinds[] = {
        {"merchant.payment_received", K_MERCHANT},
        {"checkout.session.completed", K_CHECKOUT_OK},
        {"checkout.session.payment_failed", K_CHECKOUT_FAIL},
        {"b2b.payment_received", K_B2B_OK},
        {"b2b.payment_failed", K_B2B_FAIL},
        {"test.test_event", K_TEST},
};

/* Status words as Wave sends them, and in French. */
static const char *const status_fr[][2] = {
        {"succeeded", "réussi"}, {"processing", "en cours"}, {"cancelled", "annulé"},
        {"failed", "échoué"},    {"complete", "terminé"},    {"open", "ouvert"},
        {"expired", "expiré"},
};

/* ISO 4217 currencies without a minor unit: their amounts print without decimals. */
static const char *const zero_decimal[] = {"XOF", "XAF", "XPF", "GNF", "UGX", "RWF",
                                           "BIF", "DJF", "KMF", "CLP", "ISK", "JPY",
                                           "KRW", "PYG", "VND", "VUV", NULL};

static const char *hdr(const struct gr_src_request *req, const char *name)
{
    return req->header ? req->header(req->header_ud, name) : NULL;
}

static int verify(const struct gr_src_config *cfg, const struct gr_src_request *req,
                  struct gr_apperr *e)
{
    const char *sig = hdr(req, "Wave-Signature");

    if ((sig == NULL || sig[0] == '\0') && hdr(req, "Authorization") != NULL)
        return gr_apperr_set(e, 401, "griot.source.signature.missing",
                             "The request carries no Wave-Signature. For Wave's shared-secret "
                             "strategy, give the hook --auth-bearer instead of --secret.");
    return gr_sig_wave(sig, cfg->secrets, cfg->nsecrets, req->body, req->len, req->now_s,
                       cfg->tolerance_s, e);
}

static bool is_zero_decimal(const char *cur)
{
    for (size_t i = 0; cur && zero_decimal[i]; i++)
        if (strcmp(cur, zero_decimal[i]) == 0)
            return true;
    return false;
}

/*
 * Appends a decimal amount string "[-]digits[.digits]" grouped by three, in the language's
 * separators. Returns false (nothing appended) when s is not such a number.
 */
static bool number(struct gr_buf *b, const char *s, const char *cur, bool is_fr)
{
    const char *p = s, *frac;
    size_t ni, nf = 0;
    bool neg = false;

    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    ni = strspn(p, "0123456789");
    frac = p + ni;
    if (*frac == '.') {
        frac++;
        nf = strspn(frac, "0123456789");
        if (frac[nf] != '\0' || nf > 18)
            return false;
    } else if (*frac != '\0') {
        return false;
    }
    if (ni == 0 || ni > 30)
        return false;
    while (ni > 1 && *p == '0') {
        p++;
        ni--;
    }
    /* XOF has no minor unit: "12500.00" is 12 500. A non-zero fraction is kept, never hidden. */
    if (is_zero_decimal(cur) && strspn(frac, "0") == nf)
        nf = 0;
    if (neg)
        gr_buf_appendc(b, '-');
    for (size_t i = 0; i < ni; i++) {
        if (i > 0 && (ni - i) % 3 == 0)
            gr_buf_appendc(b, is_fr ? ' ' : ',');
        gr_buf_appendc(b, p[i]);
    }
    if (nf > 0) {
        gr_buf_appendc(b, is_fr ? ',' : '.');
        gr_buf_append(b, frac, nf);
    }
    return true;
}

/* Appends amount v (string or number) and currency; false when there is no amount. */
static bool amount(struct gr_buf *b, json_t *v, const char *cur, bool is_fr)
{
    char tmp[64];
    const char *s = NULL;

    if (json_is_string(v)) {
        s = json_string_value(v);
    } else if (json_is_integer(v)) {
        snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
        s = tmp;
    } else if (json_is_real(v) && isfinite(json_real_value(v)) && fabs(json_real_value(v)) < 1e15) {
        snprintf(tmp, sizeof tmp, "%.2f", json_real_value(v));
        s = tmp;
    }
    if (s == NULL || s[0] == '\0')
        return false;
    if (!number(b, s, cur, is_fr)) {
        /* Not a plain number: show it as it came, bounded. */
        char cut[48];
        gr_adapter__copy_name(cut, sizeof cut, s);
        gr_buf_appends(b, cut);
    }
    if (cur && cur[0]) {
        char c[16];
        gr_adapter__copy_name(c, sizeof c, cur);
        gr_buf_appendc(b, ' ');
        gr_buf_appends(b, c);
    }
    return true;
}

static const char *status_word(const char *s, bool is_fr)
{
    for (size_t i = 0; is_fr && s && i < sizeof status_fr / sizeof status_fr[0]; i++)
        if (strcmp(s, status_fr[i][0]) == 0)
            return status_fr[i][1];
    return s;
}

/* The reason of a failed payment: a known code in the hook's language, else Wave's text. */
static const char *failure(json_t *data, bool is_fr)
{
    const char *code = gr_json_str(data, "last_payment_error.code");
    const char *msg = gr_json_str(data, "last_payment_error.message");

    if (code && strcmp(code, "insufficient-funds") == 0)
        return is_fr ? "solde insuffisant" : "insufficient funds";
    if (msg && msg[0])
        return msg;
    if (code && code[0])
        return code;
    msg = gr_json_str(data, "error.message");
    return msg ? msg : gr_json_str(data, "reason");
}

static void field(json_t *att, const char *title, const char *value)
{
    struct gr_buf b;

    if (value == NULL || value[0] == '\0')
        return;
    gr_buf_init(&b, 8192);
    gr_adapter__mask_text(&b, value);
    gr_att_field(att, title, gr_buf_str(&b), true);
    gr_buf_cleanup(&b);
}

static void time_field(json_t *att, const char *title, const char *iso)
{
    struct gr_buf b;

    if (iso == NULL || iso[0] == '\0')
        return;
    gr_buf_init(&b, 1024);
    gr_adapter__time(&b, iso);
    gr_att_field(att, title, gr_buf_str(&b), true);
    gr_buf_cleanup(&b);
}

static enum kind kind_of(const char *type)
{
    for (size_t i = 0; type && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(type, kinds[i].type) == 0)
            return kinds[i].kind;
    return K_OTHER;
}

static const char *color_of(enum kind k, const char *type)
{
    switch (k) {
    case K_MERCHANT:
    case K_CHECKOUT_OK:
    case K_B2B_OK:
        return GR_COLOR_GREEN;
    case K_CHECKOUT_FAIL:
    case K_B2B_FAIL:
        return GR_COLOR_RED;
    case K_TEST:
        return GR_COLOR_BLUE;
    case K_OTHER:
        break;
    }
    /* Unknown types: go by the words Wave uses in its type names. */
    if (type && (strstr(type, "fail") || strstr(type, "cancel") || strstr(type, "reversed")))
        return GR_COLOR_RED;
    if (type && (strstr(type, "received") || strstr(type, "completed") || strstr(type, "succeed")))
        return GR_COLOR_GREEN;
    return GR_COLOR_GREY;
}

/* Builds the attachment's fields for a known kind. */
static void known_fields(json_t *att, enum kind k, json_t *data, const char *amt, const char *fee,
                         const char *phone, const struct words *w, bool is_fr)
{
    const char *status = gr_json_str(data, "payment_status");

    field(att, w->amount, amt);
    if (k == K_MERCHANT) {
        field(att, w->fee, fee);
        field(att, w->sender, phone);
        field(att, w->merchant, gr_json_str(data, "merchant_name"));
        field(att, w->transaction, gr_json_str(data, "id"));
    } else if (k == K_CHECKOUT_OK || k == K_CHECKOUT_FAIL) {
        field(att, w->reference, gr_json_str(data, "client_reference"));
        field(att, w->transaction, gr_json_str(data, "transaction_id"));
        if (status == NULL)
            status = gr_json_str(data, "checkout_status");
        field(att, w->status, status_word(status, is_fr));
        field(att, w->merchant, gr_json_str(data, "business_name"));
        field(att, w->session, gr_json_str(data, "id"));
    } else {
        field(att, w->reference, gr_json_str(data, "client_reference"));
        field(att, w->transaction, gr_json_str(data, "id"));
        field(att, w->sender, gr_json_str(data, "sender_id"));
        field(att, w->status, status_word(status, is_fr));
    }
    if (k == K_CHECKOUT_FAIL || k == K_B2B_FAIL)
        field(att, w->error, failure(data, is_fr));
    if (k == K_CHECKOUT_OK && gr_json_str(data, "when_completed"))
        time_field(att, w->time, gr_json_str(data, "when_completed"));
    else
        time_field(att, w->time, gr_json_str(data, "when_created"));
    if (k == K_MERCHANT)
        gr_adapter__fields(att, json_object_get(data, "custom_fields"), 5, NULL);
}

/* Renders the message for envelope root into *out. Returns GR_OK or a buffer error. */
static gr_err render(json_t *root, const char *type, const char *lang, json_t **out)
{
    static const char *const skip[] = {"amount", "currency", NULL};
    bool is_fr = lang && strcmp(lang, "fr") == 0;
    const struct words *w = is_fr ? &fr : &en;
    enum kind k = kind_of(type);
    json_t *data = json_object_get(root, "data"), *att = NULL;
    const char *cur = gr_json_str(data, "currency"), *ref = gr_json_str(data, "client_reference");
    const char *mobile = gr_json_str(data, "sender_mobile"), *id = gr_json_str(root, "id");
    struct gr_buf amt, fee, phone, footer;
    struct gr_adapter__text t;
    bool has_amt, has_phone;
    gr_err rc;

    gr_adapter__text_init(&t);
    gr_buf_init(&amt, 1024);
    gr_buf_init(&fee, 1024);
    gr_buf_init(&phone, 1024);
    gr_buf_init(&footer, 1024);
    has_amt = amount(&amt, json_object_get(data, "amount"), cur, is_fr);
    amount(&fee, json_object_get(data, "fee"), cur, is_fr);
    has_phone = k == K_MERCHANT && mobile && mobile[0] &&
                gr_adapter__phone_mask(&phone, mobile) == GR_OK;

    gr_adapter__lit(&t, w->head[k]);
    if (k == K_OTHER && type && type[0]) {
        gr_adapter__lit(&t, w->colon);
        gr_adapter__code(&t, type);
    }
    if (has_amt && k != K_TEST) {
        gr_adapter__lit(&t, k == K_OTHER ? " — " : w->colon);
        gr_adapter__val(&t, gr_buf_str(&amt));
    }
    if (has_phone) {
        gr_adapter__lit(&t, w->from);
        gr_adapter__val(&t, gr_buf_str(&phone));
    }
    if (ref && ref[0] && k != K_MERCHANT && k != K_TEST) {
        gr_adapter__lit(&t, w->ref);
        gr_adapter__val(&t, ref);
    }
    if ((k == K_CHECKOUT_FAIL || k == K_B2B_FAIL) && failure(data, is_fr)) {
        gr_adapter__lit(&t, " (");
        gr_adapter__val(&t, failure(data, is_fr));
        gr_adapter__lit(&t, ")");
    }
    rc = t.rc;
    if (rc != GR_OK)
        goto out;

    att = gr_att_new(gr_buf_str(&t.plain), color_of(k, type));
    if (k == K_TEST || k == K_OTHER) {
        field(att, w->amount, has_amt ? gr_buf_str(&amt) : NULL);
        size_t left = gr_adapter__fields(att, data, 8, skip);
        if (left > 0) {
            char more[64];
            snprintf(more, sizeof more, "+%zu %s", left, w->more);
            gr_att_field(att, "…", more, true);
        }
    } else {
        known_fields(att, k, data, has_amt ? gr_buf_str(&amt) : NULL, gr_buf_str(&fee),
                     has_phone ? gr_buf_str(&phone) : NULL, w, is_fr);
    }
    gr_buf_appends(&footer, "Wave");
    if (id && id[0]) {
        gr_buf_appends(&footer, " · ");
        gr_adapter__mask_text(&footer, id);
    }
    json_object_set_new(att, "footer", json_string(gr_buf_str(&footer)));
    *out = gr_message_new(gr_buf_str(&t.md), att);
    /* Templates see the payload; give them a printable form of the phone number too. */
    if (has_phone)
        json_object_set_new(data, "sender_mobile_masked", json_string(gr_buf_str(&phone)));
out:
    gr_adapter__text_cleanup(&t);
    gr_buf_cleanup(&amt);
    gr_buf_cleanup(&fee);
    gr_buf_cleanup(&phone);
    gr_buf_cleanup(&footer);
    return rc;
}

static int parse(const struct gr_src_config *cfg, const struct gr_src_request *req,
                 struct gr_src_event *out, struct gr_apperr *e)
{
    json_error_t err;
    json_t *root;
    const char *type;

    memset(out, 0, sizeof *out);
    root = json_loadb(req->body, req->len, JSON_DECODE_ANY, &err);
    if (root == NULL) {
        gr_apperr_set(e, 400, "griot.source.payload.invalid", "The Wave request body is not JSON.");
        snprintf(e->detail, sizeof e->detail, "line %d, column %d: %s", err.line, err.column,
                 err.text);
        return 400;
    }
    type = gr_json_str(root, "type");
    gr_adapter__copy_name(out->event, sizeof out->event, type);
    gr_adapter__set_id(out->delivery_id, sizeof out->delivery_id, gr_json_str(root, "id"));
    if (render(root, type, cfg->lang, &out->message) != GR_OK) {
        json_decref(root);
        return gr_apperr_set(e, 500, "griot.source.render.failed",
                             "The Wave message could not be rendered.");
    }
    out->payload = root;
    return 0;
}

const struct gr_adapter gr_adapter_wave = {
        .name = "wave",
        .max_body = 0,
        .requires_auth = true,
        .verify = verify,
        .parse = parse,
        .display_name = "Wave",
};
