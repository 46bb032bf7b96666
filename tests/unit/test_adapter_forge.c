/* SPDX-License-Identifier: MIT */
/*
 * test_adapter_forge.c - the Forgejo, Gitea and GitHub adapters against every captured
 * fixture in ../shared/fixtures/{forgejo,gitea,github} (or $GRIOT_SHARED/fixtures/...).
 *
 * For each fixture (one cmocka test each): the signed header set verifies with the fixture
 * secret, and fails with the right id for a wrong secret, a tampered body and a missing header;
 * the parsed event, action and delivery id match the headers; the rendered text and attachment
 * contain the fragments listed in the table below (repository, numbers, titles, short shas,
 * links) and the expected colour. Further tests cover form deliveries, secret rotation, header
 * fallbacks, invalid bodies, odd shapes, Markdown safety and the push variants the fixtures lack.
 *
 * GRIOT_TEST_VERBOSE=1 prints every rendered message once, for a human to judge the wording.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adapter/adapter.h"
#include "adapter/forge.h"
#include "adapter/render.h"
#include "adapter/sig.h"
#include "core/buf.h"

#define SECRET  "griot-fixture-secret"
#define FORM_CT "application/x-www-form-urlencoded"
#define ZW      "\xe2\x80\x8b" /* U+200B, inserted by gr_md_text to break @channel */

/* ---- fixtures -------------------------------------------------------------------------- */

struct hdr {
    char *name, *value;
};

struct fx {
    char *body;
    size_t len;
    struct hdr h[40];
    size_t nh;
    const char *drop[4]; /* headers to pretend absent */
};

static const char *shared_dir(void)
{
    const char *s = getenv("GRIOT_SHARED");
    return s && s[0] ? s : "../shared";
}

static char *slurp(const char *path, size_t *len_out)
{
    FILE *fp = fopen(path, "rb");
    struct gr_buf b;
    char chunk[8192];
    size_t n;

    if (fp == NULL)
        return NULL;
    gr_buf_init(&b, (size_t)64 << 20);
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        assert_int_equal(gr_buf_append(&b, chunk, n), GR_OK);
    fclose(fp);
    if (len_out)
        *len_out = b.len;
    return gr_buf_steal(&b);
}

/* Loads <shared>/fixtures/<name>.json and .headers ("Name: value" lines). */
static void fx_load(struct fx *x, const char *name)
{
    char path[512], *hdrs, *line, *save = NULL;

    memset(x, 0, sizeof *x);
    snprintf(path, sizeof path, "%s/fixtures/%s.json", shared_dir(), name);
    x->body = slurp(path, &x->len);
    if (x->body == NULL)
        fail_msg("cannot read %s (set GRIOT_SHARED to the shared directory)", path);
    snprintf(path, sizeof path, "%s/fixtures/%s.headers", shared_dir(), name);
    hdrs = slurp(path, NULL);
    assert_non_null(hdrs);
    for (line = strtok_r(hdrs, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *colon = strchr(line, ':'), *v, *end;
        if (colon == NULL || x->nh == sizeof x->h / sizeof x->h[0])
            continue;
        *colon = '\0';
        for (v = colon + 1; *v == ' '; v++)
            ;
        end = v + strlen(v);
        while (end > v && (end[-1] == '\r' || end[-1] == ' '))
            *--end = '\0';
        x->h[x->nh].name = strdup(line);
        x->h[x->nh].value = strdup(v);
        x->nh++;
    }
    free(hdrs);
}

static void fx_free(struct fx *x)
{
    free(x->body);
    for (size_t i = 0; i < x->nh; i++) {
        free(x->h[i].name);
        free(x->h[i].value);
    }
    memset(x, 0, sizeof *x);
}

static const char *fx_header(void *ud, const char *name)
{
    struct fx *x = ud;

    for (size_t i = 0; i < sizeof x->drop / sizeof x->drop[0]; i++)
        if (x->drop[i] && strcasecmp(x->drop[i], name) == 0)
            return NULL;
    for (size_t i = 0; i < x->nh; i++)
        if (strcasecmp(x->h[i].name, name) == 0)
            return x->h[i].value;
    return NULL;
}

/* Replaces (or adds) a header value. */
static void fx_set(struct fx *x, const char *name, const char *value)
{
    for (size_t i = 0; i < x->nh; i++) {
        if (strcasecmp(x->h[i].name, name) == 0) {
            free(x->h[i].value);
            x->h[i].value = strdup(value);
            return;
        }
    }
    assert_true(x->nh < sizeof x->h / sizeof x->h[0]);
    x->h[x->nh].name = strdup(name);
    x->h[x->nh].value = strdup(value);
    x->nh++;
}

static struct gr_src_request fx_req(struct fx *x)
{
    struct gr_src_request r = {
            .content_type = fx_header(x, "Content-Type"),
            .body = x->body,
            .len = x->len,
            .header = fx_header,
            .header_ud = x,
            .now_s = 1700000000,
    };
    return r;
}

static const char *const good[] = {SECRET};
static const struct gr_src_config cfg_good = {.secrets = good, .nsecrets = 1};

/* What gr_src_event_cleanup() does. Kept local so this test links without adapter.c, whose
 * table references every adapter of the project. */
static void ev_cleanup(struct gr_src_event *ev)
{
    json_decref(ev->payload);
    json_decref(ev->message);
    ev->payload = NULL;
    ev->message = NULL;
}

/* ---- reading a message ----------------------------------------------------------------- */

static const char *msg_text(json_t *msg)
{
    return json_string_value(json_object_get(msg, "text"));
}

static json_t *msg_att(json_t *msg)
{
    json_t *atts = json_object_get(msg, "attachments");
    assert_true(json_is_array(atts));
    assert_int_equal(json_array_size(atts), 1);
    return json_array_get(atts, 0);
}

static const char *att_str(json_t *msg, const char *key)
{
    const char *s = json_string_value(json_object_get(msg_att(msg), key));
    return s ? s : "";
}

/* title, title_link, text and "Field: value" lines of the attachment, for substring checks. */
static char *att_flat(json_t *msg)
{
    json_t *a = msg_att(msg), *f;
    struct gr_buf b;
    size_t i;

    gr_buf_init(&b, GR_BUF_UNBOUNDED);
    gr_buf_printf(&b, "%s\n%s\n%s\n", att_str(msg, "title"), att_str(msg, "title_link"),
                  att_str(msg, "text"));
    for (i = 0; i < json_array_size(json_object_get(a, "fields")); i++) {
        f = json_array_get(json_object_get(a, "fields"), i);
        gr_buf_printf(&b, "%s: %s\n", json_string_value(json_object_get(f, "title")),
                      json_string_value(json_object_get(f, "value")));
    }
    return gr_buf_steal(&b);
}

static void show(const char *what, json_t *msg)
{
    char *flat;

    if (what == NULL || !getenv("GRIOT_TEST_VERBOSE"))
        return;
    flat = att_flat(msg);
    printf("---- %s\n%s\n  [%s] %s", what, msg_text(msg), att_str(msg, "color"), flat);
    printf("  fallback: %s\n", att_str(msg, "fallback"));
    free(flat);
}

/* Checks the shape every message must have, whatever the event. */
static void check_shape(json_t *msg, const char *footer)
{
    const char *text = msg_text(msg), *fb;

    assert_non_null(text);
    assert_true(strlen(text) > 10);
    assert_string_not_equal(att_str(msg, "color"), "");
    fb = att_str(msg, "fallback");
    assert_true(strlen(fb) > 5);
    assert_null(strstr(fb, "\n"));
    if (footer)
        assert_string_equal(att_str(msg, "footer"), footer);
}

static void assert_has(const char *hay, const char *needle, const char *where)
{
    if (strstr(hay, needle) == NULL)
        fail_msg("%s lacks \"%s\":\n%s", where, needle, hay);
}

/* ---- the fixture table ----------------------------------------------------------------- */

struct expect {
    const char *name; /* fixture path below fixtures/, without .json */
    const struct gr_adapter *a;
    const char *event, *action, *color;
    const char *text[7]; /* fragments of the Markdown text */
    const char *att[7];  /* fragments of the flattened attachment */
};

#define FJ     &gr_adapter_forgejo
#define GT     &gr_adapter_gitea
#define GH     &gr_adapter_github
#define GREEN  GR_COLOR_GREEN
#define RED    GR_COLOR_RED
#define ORANGE GR_COLOR_ORANGE
#define BLUE   GR_COLOR_BLUE
#define PURPLE GR_COLOR_PURPLE
#define GREY   GR_COLOR_GREY

/* clang-format off: one row per fixture reads better than one field per line */
static const struct expect table[] = {
        /* ---- Forgejo ---- */
        {"forgejo/create__tag_abridged",
         FJ,
         "create",
         "",
         GREEN,
         {"**gordon** created tag [`v1.0.0`](http://forgejo.golang.org/gordon/hello-world/src/"
          "tag/v1.0.0) in [gordon/hello-world](http://forgejo.golang.org/gordon/hello-world)"},
         {"Points to [`ef98532`](http://forgejo.golang.org/gordon/hello-world/commit/"
          "ef98532add3b2feb7a137426bba1248724367df5)"}},
        {"forgejo/pull_request__closed",
         FJ,
         "pull_request",
         "closed",
         RED,
         {"**anbraten** closed pull request [\\#1 Adjust file](https://forgejo.com/anbraten/"
          "test-repo/pulls/1) without merging in [anbraten/test-repo]"},
         {"#1 Adjust file\nhttps://forgejo.com/anbraten/test-repo/pulls/1\n",
          "Branches: [`main`](https://forgejo.com/anbraten/test-repo/src/branch/main) ← "
          "`anbraten-patch-1`"}},
        {"forgejo/pull_request__edited",
         FJ,
         "pull_request",
         "edited",
         BLUE,
         {"**anbraten** edited pull request [\\#1 Adjust file](https://forgejo.com/anbraten/"
          "test-repo/pulls/1)"},
         {"#1 Adjust file\n"}},
        {"forgejo/pull_request__merged",
         FJ,
         "pull_request",
         "merged",
         GREEN,
         {"**anbraten** merged pull request [\\#1 Adjust file](https://forgejo.com/anbraten/"
          "test-repo/pulls/1) in [anbraten/test-repo](https://forgejo.com/anbraten/test-repo)"},
         {"← `anbraten-patch-1`"}},
        {"forgejo/pull_request__opened_abridged",
         FJ,
         "pull_request",
         "opened",
         GREEN,
         {"**gordon** opened pull request [\\#1 Update the README with new information]"
          "(http://forgejo.golang.org/gordon/hello-world/pull/1)"},
         {"> please merge", "Branches: [`main`]", "← `feature/changes`"}},
        {"forgejo/pull_request__reopened",
         FJ,
         "pull_request",
         "reopened",
         ORANGE,
         {"**6543** reopened pull request [\\#1 Some ned more AAAA](https://codeberg.org/test_it/"
          "test_ci_thing/pulls/1)",
          "in [test\\_it/test\\_ci\\_thing](https://codeberg.org/test_it/test_ci_thing)"},
         {"#1 Some ned more AAAA\n"}},
        {"forgejo/pull_request__synchronized",
         FJ,
         "pull_request_sync",
         "synchronized",
         BLUE,
         {"**test** pushed to pull request [\\#2 New Pull](http://127.0.0.1:3000/Test-CI/"
          "multi-line-secrets/pulls/2)"},
         {"Head: [`788ed8d`](http://127.0.0.1:3000/Test-CI/multi-line-secrets/commit/"
          "788ed8d02d3b7fcfcf6386dbcbca696aa1d4dc25)"}},
        {"forgejo/pull_request_assign__assigned",
         FJ,
         "pull_request_assign",
         "assigned",
         BLUE,
         {"**6543** assigned **6543** to pull request [\\#1 Some ned more AAAA]"},
         {"Branches: [`main`]"}},
        {"forgejo/pull_request_label__label_updated",
         FJ,
         "pull_request_label",
         "label_updated",
         BLUE,
         {"**6543** updated the labels of pull request [\\#1 Some ned more AAAA]"},
         {"Labels: Kind/Documentation, Kind/Enhancement"}},
        {"forgejo/push__abridged",
         FJ,
         "push",
         "",
         BLUE,
         {"**gordon** pushed 1 commit to [`main`](http://forgejo.golang.org/gordon/hello-world/"
          "src/branch/main) in [gordon/hello-world](http://forgejo.golang.org/gordon/"
          "hello-world)"},
         {"Compare changes\nhttp://forgejo.golang.org/gordon/hello-world/compare/"
          "4b2626259b5a97b6b4eab5e6cca66adb986b672b...ef98532add3b2feb7a137426bba1248724367df5",
          "- [`ef98532`](http://forgejo.golang.org/gordon/hello-world/commit/"
          "ef98532add3b2feb7a137426bba1248724367df5) bump — Gordon the Gopher"}},
        {"forgejo/push__multi_commits",
         FJ,
         "push",
         "",
         BLUE,
         {"**test-user** pushed 3 commits to [`main`](http://127.0.0.1:3000/Test-CI/"
          "multi-line-secrets/src/branch/main) in [Test-CI/multi-line-secrets]"
          "(http://127.0.0.1:3000/Test-CI/multi-line-secrets)"},
         {"- [`29be01c`](http://127.0.0.1:3000/Test-CI/multi-line-secrets/commit/"
          "29be01c073851cf0db0c6a466e396b725a670453) add some text — 6543",
          "- [`29cd952`]", "rm a a file — 6543", "- [`93787b8`]", "add some a files — 6543"}},
        {"forgejo/push__new_branch",
         FJ,
         "push",
         "",
         GREEN,
         {"**6543** pushed new branch [`fdsafdsa`](https://codeberg.org/meisam/woodpecktester/"
          "src/branch/fdsafdsa) in [meisam/woodpecktester]"},
         {"https://codeberg.org/meisam/woodpecktester/compare/main..."
          "28c3613ae62640216bea5e7dc71aa65356e4298b",
          "Now at [`28c3613`]"}},
        {"forgejo/release__published",
         FJ,
         "release",
         "published",
         GREEN,
         {"**anbraten** published release [Version 0.0.5](https://git.xxx/anbraten/demo/"
          "releases/tag/0.0.5) in [anbraten/demo](https://git.xxx/anbraten/demo)"},
         {"Tag: [`0.0.5`](https://git.xxx/anbraten/demo/src/tag/0.0.5)"}},

        /* ---- Gitea ---- */
        {"gitea/create__branch",
         GT,
         "create",
         "",
         GREEN,
         {"**example** created branch [`master`](http://localhost:3000/example/example/src/"
          "branch/master) in [example/example](http://localhost:3000/example/example)"},
         {"At [`67b5658`](http://localhost:3000/example/example/commit/"
          "67b56589a45103f891bdee7c0546e5d40bc02001)"}},
        {"gitea/create__tag",
         GT,
         "create",
         "",
         GREEN,
         {"**unknwon** created tag [`v1.0.0`](http://try.gitea.io/gogits/hello-world/src/tag/"
          "v1.0.0)"},
         {"Points to [`599d25c`]"}},
        {"gitea/delete__branch",
         GT,
         "delete",
         "",
         RED,
         {"**example** deleted branch `example3` in [example/example](http://localhost:3000/"
          "example/example)"},
         {"example/example\nhttp://localhost:3000/example/example\n"}},
        {"gitea/issue_comment__created",
         GT,
         "issue_comment",
         "created",
         BLUE,
         {"**example** [commented](http://localhost:3000/example/example/issues/"
          "1#issuecomment-2) on issue [\\#1 example](http://localhost:3000/example/example/"
          "issues/1)"},
         {"http://localhost:3000/example/example/issues/1#issuecomment-2", "> example"}},
        {"gitea/issue_comment__created_old",
         GT,
         "issue_comment",
         "created",
         BLUE,
         /* No html_url on this old issue: the link is built from the repository URL. */
         {"**unknwon** [commented](http://try.gitea.io/gogits/hello-world/issues/"
          "1#issuecomment-43) on issue [\\#1 Problem](http://try.gitea.io/gogits/hello-world/"
          "issues/1)"},
         {"> Got it"}},
        {"gitea/issue_label__label_updated",
         GT,
         "issue_label",
         "label_updated",
         BLUE,
         {"**example** updated the labels of issue [\\#1 example]"},
         {"Labels: bug"}},
        {"gitea/issues__closed",
         GT,
         "issues",
         "closed",
         PURPLE,
         {"**unknwon** closed issue [\\#1 Problem](http://try.gitea.io/gogits/hello-world/"
          "issues/1) in [gogits/hello-world]"},
         {"#1 Problem\n"}},
        {"gitea/issues__opened",
         GT,
         "issues",
         "opened",
         GREEN,
         {"**example** opened issue [\\#1 example](http://localhost:3000/example/example/"
          "issues/1)"},
         {"#1 example\nhttp://localhost:3000/example/example/issues/1\n"}},
        {"gitea/issues__opened_old",
         GT,
         "issues",
         "opened",
         GREEN,
         {"**unknwon** opened issue [\\#1 Problem]"},
         {"> Found a bug"}},
        {"gitea/pull_request__closed",
         GT,
         "pull_request",
         "closed",
         RED,
         {"**jcitizen** closed pull request [\\#1 Add LICENSE File](https://try.gitea.io/"
          "jcitizen/my-repo/pulls/1) without merging"},
         {"← `feature`"}},
        {"gitea/pull_request__edited",
         GT,
         "pull_request",
         "edited",
         BLUE,
         {"**jcitizen** edited pull request [\\#1 Add LICENSE File]"},
         {"#1 Add LICENSE File\n"}},
        {"gitea/pull_request__merged",
         GT,
         "pull_request",
         "merged",
         GREEN,
         {"**jcitizen** merged pull request [\\#1 Add LICENSE File](https://try.gitea.io/"
          "jcitizen/my-repo/pulls/1) in [jcitizen/my-repo]"},
         {"Branches: [`master`](https://try.gitea.io/jcitizen/my-repo/src/branch/master) ← "
          "`feature`"}},
        {"gitea/pull_request__merged_gitea_com",
         GT,
         "pull_request",
         "merged",
         GREEN,
         {"**anbraten** merged pull request [\\#1 Adjust file](https://gitea.com/anbraten/"
          "test-repo/pulls/1)"},
         {"← `anbraten-patch-1`"}},
        {"gitea/pull_request__opened",
         GT,
         "pull_request",
         "opened",
         GREEN,
         {"**example2** opened pull request [\\#2 update](http://localhost:3000/example/example/"
          "pulls/2) in [example/example]"},
         {"Branches: [`master`]"}},
        {"gitea/pull_request__reopened",
         GT,
         "pull_request",
         "reopened",
         ORANGE,
         {"**jcitizen** reopened pull request [\\#1 Add LICENSE File]"},
         {"#1 Add LICENSE File\nhttps://try.gitea.io/jcitizen/my-repo/pulls/1\n"}},
        {"gitea/pull_request__synchronized",
         GT,
         "pull_request_sync",
         "synchronized",
         BLUE,
         {"**jcitizen** pushed to pull request [\\#1 Add License File]"},
         {"Head: [`2eba238`]"}},
        {"gitea/pull_request_comment__created",
         GT,
         "pull_request_comment",
         "created",
         BLUE,
         {"**example** [commented](http://localhost:3000/example/example/pulls/"
          "2#issuecomment-6) on pull request [\\#2 update](http://localhost:3000/example/"
          "example/pulls/2)"},
         {"> example"}},
        {"gitea/pull_request_review_approved__reviewed",
         GT,
         "pull_request_review_approved",
         "reviewed",
         GREEN,
         {"**a\\_nice\\_user** approved pull request [\\#7 somepull](https://gitea.com/"
          "a_nice_user/hello_world_ci/pulls/7)"},
         {"> juhu thats a great idea"}},
        {"gitea/pull_request_review_comment__reviewed",
         GT,
         "pull_request_review_comment",
         "reviewed",
         BLUE,
         {"**example** reviewed pull request [\\#2 update]"},
         {"> 123"}},
        {"gitea/push",
         GT,
         "push",
         "",
         GREEN,
         {"**example** pushed 1 commit to new branch [`master`](http://localhost:3000/example/"
          "example/src/branch/master)"},
         /* The compare URL of a new branch starts from 000…: the title links the branch. */
         {"master\nhttp://localhost:3000/example/example/src/branch/master\n",
          "- [`67b5658`](http://localhost:3000/example/example/commit/"
          "67b56589a45103f891bdee7c0546e5d40bc02001) example — example"}},
        {"gitea/release__published",
         GT,
         "release",
         "published",
         GREEN,
         {"**example** published release [0.0.0](http://localhost:3000/example/example/"
          "releases/tag/example)"},
         {"Tag: [`example`]"}},

        /* ---- GitHub ---- */
        {"github/issue_comment__created",
         GH,
         "issue_comment",
         "created",
         BLUE,
         {"**Codertocat** [commented](https://github.com/Codertocat/Hello-World/issues/"
          "1#issuecomment-492700400) on issue [\\#1 Spelling error in the README file]"
          "(https://github.com/Codertocat/Hello-World/issues/1) in [Codertocat/Hello-World]"
          "(https://github.com/Codertocat/Hello-World)"},
         {"> You are totally right! I'll get this fixed right away."}},
        {"github/issues__opened",
         GH,
         "issues",
         "opened",
         GREEN,
         {"**Codertocat** opened issue [\\#1 Spelling error in the README file]"
          "(https://github.com/Codertocat/Hello-World/issues/1)"},
         {"> It looks like you accidently spelled 'commit' with two 't's.", "Labels: bug"}},
        {"github/issues__reopened",
         GH,
         "issues",
         "reopened",
         ORANGE,
         {"**Codertocat** reopened issue [\\#1 Spelling error in the README file]"},
         {"#1 Spelling error in the README file\nhttps://github.com/Codertocat/Hello-World/"
          "issues/1\n"}},
        {"github/ping",
         GH,
         "ping",
         "",
         GREEN,
         {"**Codertocat** set up a GitHub webhook for [Octocoders/Hello-World]"
          "(https://github.com/Octocoders/Hello-World)"},
         {"> Anything added dilutes everything else.", "Events: `*`"}},
        {"github/pull_request__closed",
         GH,
         "pull_request",
         "closed",
         RED,
         {"**Codertocat** closed pull request [\\#2 Update the README with new information.]"
          "(https://github.com/Codertocat/Hello-World/pull/2) without merging"},
         {"← `changes`"}},
        {"github/pull_request__opened",
         GH,
         "pull_request",
         "opened",
         GREEN,
         {"**Codertocat** opened pull request [\\#2 Update the README with new information.]"
          "(https://github.com/Codertocat/Hello-World/pull/2) in [Codertocat/Hello-World]"},
         {"> This is a pretty simple change that we need to pull into master.",
          "Branches: [`master`](https://github.com/Codertocat/Hello-World/tree/master) ← "
          "`changes`",
          "Labels: bug"}},
        {"github/pull_request__synchronize",
         GH,
         "pull_request",
         "synchronize",
         BLUE,
         {"**Codertocat** pushed to pull request [\\#2 Update the README with new information.]"},
         {"Head: [`ec26c3e`](https://github.com/Codertocat/Hello-World/commit/"
          "ec26c3e57ca3a959ca5aad62de7213c562f8c821)"}},
        {"github/push",
         GH,
         "push",
         "",
         RED,
         /* A tag deletion: after is all zeros, `deleted: true`. */
         {"**Codertocat** deleted tag `simple-tag` in [Codertocat/Hello-World]"
          "(https://github.com/Codertocat/Hello-World)"},
         {"It pointed to [`6113728`](https://github.com/Codertocat/Hello-World/commit/"
          "6113728f27ae82c7b1a177c8d03f9e96e0adf246)."}},
        {"github/release__published",
         GH,
         "release",
         "published",
         GREEN,
         {"**Codertocat** published release [0.0.1](https://github.com/Codertocat/Hello-World/"
          "releases/tag/0.0.1)"},
         {"Tag: [`0.0.1`](https://github.com/Codertocat/Hello-World/tree/0.0.1)"}},
};
/* clang-format on */

static const char *const *sig_headers_of(const struct gr_adapter *a)
{
    static const char *const fj[] = {"X-Forgejo-Signature", "X-Gitea-Signature", NULL};
    static const char *const gt[] = {"X-Gitea-Signature", NULL};
    static const char *const gh[] = {"X-Hub-Signature-256", NULL};
    return a == FJ ? fj : a == GT ? gt : gh;
}

static const char *delivery_header_of(const struct gr_adapter *a)
{
    return a == FJ ? "X-Forgejo-Delivery" : a == GT ? "X-Gitea-Delivery" : "X-GitHub-Delivery";
}

static void test_fixture(void **state)
{
    const struct expect *x = *state;
    const char *const wrong[] = {"not-the-secret"};
    const struct gr_src_config cfg_wrong = {.secrets = wrong, .nsecrets = 1};
    const char *const *sh = sig_headers_of(x->a);
    struct gr_src_event ev;
    struct gr_apperr e;
    struct gr_src_request r;
    struct fx f;
    char *flat;

    fx_load(&f, x->name);
    r = fx_req(&f);

    /* Verification: good secret, wrong secret, tampered body, missing header. */
    assert_int_equal(x->a->verify(&cfg_good, &r, &e), 0);
    assert_int_equal(x->a->verify(&cfg_wrong, &r, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.mismatch");
    f.body[f.len / 2] ^= 0x01;
    assert_int_equal(x->a->verify(&cfg_good, &r, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.mismatch");
    f.body[f.len / 2] ^= 0x01;
    for (size_t i = 0; sh[i]; i++)
        f.drop[i] = sh[i];
    assert_int_equal(x->a->verify(&cfg_good, &r, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.missing");
    memset(f.drop, 0, sizeof f.drop);

    /* Parsing and rendering. */
    assert_int_equal(x->a->parse(&cfg_good, &r, &ev, &e), 0);
    assert_string_equal(ev.event, x->event);
    assert_string_equal(ev.action, x->action);
    assert_string_equal(ev.delivery_id, fx_header(&f, delivery_header_of(x->a)));
    assert_true(json_is_object(ev.payload));
    show(x->name, ev.message);
    check_shape(ev.message, x->a == FJ ? "Forgejo" : x->a == GT ? "Gitea" : "GitHub");
    assert_string_equal(att_str(ev.message, "color"), x->color);
    /* The fallback is the headline without Markdown. */
    assert_null(strstr(att_str(ev.message, "fallback"), "**"));
    assert_null(strstr(att_str(ev.message, "fallback"), "]("));
    assert_null(strstr(att_str(ev.message, "fallback"), "\\"));
    for (size_t i = 0; i < sizeof x->text / sizeof x->text[0] && x->text[i]; i++)
        assert_has(msg_text(ev.message), x->text[i], "text");
    flat = att_flat(ev.message);
    for (size_t i = 0; i < sizeof x->att / sizeof x->att[0] && x->att[i]; i++)
        assert_has(flat, x->att[i], "attachment");
    free(flat);
    ev_cleanup(&ev);
    fx_free(&f);
}

/* Every fixture with a .headers file in the three directories has a row in the table. */
static void test_table_covers_fixtures(void **state)
{
    static const char *const dirs[] = {"forgejo", "gitea", "github"};
    size_t seen = 0;

    (void)state;
    for (size_t d = 0; d < 3; d++) {
        char path[512];
        struct dirent *de;
        DIR *dir;

        snprintf(path, sizeof path, "%s/fixtures/%s", shared_dir(), dirs[d]);
        dir = opendir(path);
        assert_non_null(dir);
        while ((de = readdir(dir)) != NULL) {
            size_t n = strlen(de->d_name);
            char name[300];
            bool found = false;
            if (n < 9 || strcmp(de->d_name + n - 8, ".headers") != 0)
                continue;
            snprintf(name, sizeof name, "%s/%.*s", dirs[d], (int)(n - 8), de->d_name);
            for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
                found |= strcmp(table[i].name, name) == 0;
            if (!found)
                fail_msg("fixture %s has no row in the table", name);
            seen++;
        }
        closedir(dir);
    }
    assert_int_equal(seen, sizeof table / sizeof table[0]);
}

/* ---- helpers for constructed deliveries ------------------------------------------------ */

/* Replaces the body of x with the compact serialisation of v (steals v). */
static void fx_body_json(struct fx *x, json_t *v)
{
    free(x->body);
    x->body = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_non_null(x->body);
    x->len = strlen(x->body);
    json_decref(v);
}

static json_t *fx_json(struct fx *x)
{
    json_t *v = json_loadb(x->body, x->len, 0, NULL);
    assert_non_null(v);
    return v;
}

/* Parses x with adapter a, checks the common shape, prints it; caller cleans ev up. */
static void parse_ok(const struct gr_adapter *a, struct fx *x, struct gr_src_event *ev,
                     const char *what)
{
    struct gr_src_request r = fx_req(x);
    struct gr_apperr e;

    if (a->parse(&cfg_good, &r, ev, &e) != 0)
        fail_msg("%s: parse refused: %s %s", what, e.id, e.message);
    show(what, ev->message);
    check_shape(ev->message, NULL);
}

/* A bare request: just a body and a few headers. */
static void fx_bare(struct fx *x, const char *event_header, const char *event, const char *body)
{
    memset(x, 0, sizeof *x);
    x->body = strdup(body);
    x->len = strlen(body);
    fx_set(x, "Content-Type", "application/json");
    if (event_header)
        fx_set(x, event_header, event);
}

/* application/x-www-form-urlencoded encoding of s, as browsers and Go's url.Values do. */
static void form_encode(const char *s, size_t len, struct gr_buf *out)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~", c))
            gr_buf_appendc(out, (char)c);
        else if (c == ' ')
            gr_buf_appendc(out, '+');
        else
            gr_buf_printf(out, "%%%02X", c);
    }
}

static void hmac_hex(const char *secret, const char *p, size_t len, struct gr_buf *out)
{
    unsigned char mac[GR_SIG_MAX_MAC];
    struct gr_slice part = {p, len};
    size_t n = gr_sig_hmac(GR_SIG_SHA256, secret, strlen(secret), &part, 1, mac);
    gr_sig_hex_encode(mac, n, out);
}

/* ---- transport -------------------------------------------------------------------------- */

static void test_adapter_rows(void **state)
{
    (void)state;
    assert_string_equal(gr_adapter_forgejo.name, "forgejo");
    assert_string_equal(gr_adapter_gitea.name, "gitea");
    assert_string_equal(gr_adapter_github.name, "github");
    assert_int_equal(gr_adapter_forgejo.max_body, 10 << 20);
    assert_int_equal(gr_adapter_gitea.max_body, 10 << 20);
    assert_int_equal(gr_adapter_github.max_body, 25 << 20);
    assert_false(gr_adapter_forgejo.requires_auth);
    assert_false(gr_adapter_gitea.requires_auth);
    assert_false(gr_adapter_github.requires_auth);
}

/* Forgejo falls back to X-Gitea-* when X-Forgejo-* are absent; Gitea ignores X-Forgejo-*. */
static void test_forgejo_gitea_headers(void **state)
{
    struct gr_src_event ev;
    struct gr_apperr e;
    struct gr_src_request r;
    struct fx f;

    (void)state;
    fx_load(&f, "forgejo/push__multi_commits");
    r = fx_req(&f);
    f.drop[0] = "X-Forgejo-Signature";
    f.drop[1] = "X-Forgejo-Event-Type";
    f.drop[2] = "X-Forgejo-Event";
    f.drop[3] = "X-Forgejo-Delivery";
    assert_int_equal(gr_adapter_forgejo.verify(&cfg_good, &r, &e), 0);
    assert_int_equal(gr_adapter_forgejo.parse(&cfg_good, &r, &ev, &e), 0);
    assert_string_equal(ev.event, "push");
    assert_string_equal(ev.delivery_id, "9b979efc-fef4-544a-b817-bf0a671b5297");
    ev_cleanup(&ev);
    /* An empty X-Forgejo-Signature (a hook without secret) also falls back. */
    memset(f.drop, 0, sizeof f.drop);
    fx_set(&f, "X-Forgejo-Signature", "");
    assert_int_equal(gr_adapter_forgejo.verify(&cfg_good, &r, &e), 0);
    /* The coarse event name is used when the fine one is missing. */
    fx_set(&f, "X-Forgejo-Event-Type", "");
    fx_set(&f, "X-Forgejo-Event", "push");
    assert_int_equal(gr_adapter_forgejo.parse(&cfg_good, &r, &ev, &e), 0);
    assert_string_equal(ev.event, "push");
    ev_cleanup(&ev);
    /* Gitea reads only X-Gitea-*: a Forgejo-only signature is missing for it. */
    f.drop[0] = "X-Gitea-Signature";
    assert_int_equal(gr_adapter_gitea.verify(&cfg_good, &r, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.missing");
    fx_free(&f);
}

static void test_signature_shapes(void **state)
{
    struct gr_apperr e;
    struct gr_src_request r;
    struct gr_buf up;
    struct fx f;
    char *hex;

    (void)state;
    fx_load(&f, "github/push");
    r = fx_req(&f);
    hex = strdup(fx_header(&f, "X-Hub-Signature-256") + 7);
    /* GitHub needs the sha256= prefix. */
    fx_set(&f, "X-Hub-Signature-256", hex);
    assert_int_equal(gr_adapter_github.verify(&cfg_good, &r, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.malformed");
    assert_null(strstr(e.message, hex)); /* never echoes a signature */
    fx_set(&f, "X-Hub-Signature-256", "sha1=378436c3b28b522d14bb1bb1bd1ac25338bc7f99");
    assert_int_equal(gr_adapter_github.verify(&cfg_good, &r, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.malformed");
    fx_set(&f, "X-Hub-Signature-256", "sha256=4855a8e86d");
    assert_int_equal(gr_adapter_github.verify(&cfg_good, &r, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.malformed");
    /* Upper-case hex is the same MAC. */
    gr_buf_init(&up, 256);
    gr_buf_appends(&up, "sha256=");
    for (const char *p = hex; *p; p++)
        gr_buf_appendc(&up, (char)(*p >= 'a' && *p <= 'f' ? *p - 32 : *p));
    fx_set(&f, "X-Hub-Signature-256", up.p);
    assert_int_equal(gr_adapter_github.verify(&cfg_good, &r, &e), 0);
    /* Only the legacy SHA-1 header: not accepted. */
    f.drop[0] = "X-Hub-Signature-256";
    assert_int_equal(gr_adapter_github.verify(&cfg_good, &r, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.missing");
    gr_buf_cleanup(&up);
    free(hex);
    fx_free(&f);

    /* Forgejo/Gitea take the bare hex; a prefixed value is malformed for them. */
    fx_load(&f, "gitea/push");
    r = fx_req(&f);
    fx_set(&f, "X-Gitea-Signature", fx_header(&f, "X-Hub-Signature-256"));
    assert_int_equal(gr_adapter_gitea.verify(&cfg_good, &r, &e), 401);
    assert_string_equal(e.id, "griot.source.signature.malformed");
    fx_free(&f);
}

static void test_rotation(void **state)
{
    const char *const old_new[] = {"griot-old-secret", SECRET};
    const char *const new_old[] = {SECRET, "griot-old-secret"};
    const char *const neither[] = {"griot-old-secret", "griot-older-secret"};
    const struct gr_src_config c1 = {.secrets = old_new, .nsecrets = 2};
    const struct gr_src_config c2 = {.secrets = new_old, .nsecrets = 2};
    const struct gr_src_config c3 = {.secrets = neither, .nsecrets = 2};
    const struct gr_src_config c0 = {.secrets = neither, .nsecrets = 0};
    static const char *const names[] = {"forgejo/release__published", "gitea/issues__opened",
                                        "github/pull_request__opened"};
    const struct gr_adapter *const as[] = {FJ, GT, GH};
    struct gr_apperr e;

    (void)state;
    for (size_t i = 0; i < 3; i++) {
        struct fx f;
        struct gr_src_request r;
        fx_load(&f, names[i]);
        r = fx_req(&f);
        assert_int_equal(as[i]->verify(&c1, &r, &e), 0);
        assert_int_equal(as[i]->verify(&c2, &r, &e), 0);
        assert_int_equal(as[i]->verify(&c3, &r, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.mismatch");
        assert_int_equal(as[i]->verify(&c0, &r, &e), 401);
        fx_free(&f);
    }
}

/* Form deliveries: Forgejo/Gitea sign the decoded JSON, GitHub the form body; both verify,
 * and the message is the same as for the JSON delivery. */
static void test_form_delivery(void **state)
{
    static const char *const names[] = {"forgejo/push__multi_commits", "gitea/pull_request__opened",
                                        "github/pull_request__opened"};
    const struct gr_adapter *const as[] = {FJ, GT, GH};
    const char *sigh[] = {"X-Forgejo-Signature", "X-Gitea-Signature", "X-Hub-Signature-256"};

    (void)state;
    for (size_t i = 0; i < 3; i++) {
        struct gr_src_event ev_json, ev_form;
        struct gr_buf form, sig;
        struct gr_src_request r;
        struct gr_apperr e;
        struct fx f;
        char *json_text;

        fx_load(&f, names[i]);
        r = fx_req(&f);
        assert_int_equal(as[i]->parse(&cfg_good, &r, &ev_json, &e), 0);
        json_text = f.body;
        gr_buf_init(&form, GR_BUF_UNBOUNDED);
        gr_buf_appends(&form, "hook=1&payload=");
        form_encode(json_text, f.len, &form);
        gr_buf_appends(&form, "&x=%7E");
        f.body = gr_buf_steal(&form);
        f.len = strlen(f.body);
        fx_set(&f, "Content-Type", FORM_CT "; charset=utf-8");
        r = fx_req(&f);
        /* The fixture's signature covers the JSON text: the decoded payload. */
        assert_int_equal(as[i]->verify(&cfg_good, &r, &e), 0);
        assert_int_equal(as[i]->parse(&cfg_good, &r, &ev_form, &e), 0);
        assert_string_equal(msg_text(ev_form.message), msg_text(ev_json.message));
        assert_true(json_equal(ev_form.payload, ev_json.payload));
        if (i == 0)
            show("form delivery of forgejo/push__multi_commits", ev_form.message);
        ev_cleanup(&ev_form);
        /* A signature over the raw form body (GitHub's way) is accepted too. */
        gr_buf_init(&sig, 256);
        if (as[i] == GH)
            gr_buf_appends(&sig, "sha256=");
        hmac_hex(SECRET, f.body, f.len, &sig);
        fx_set(&f, sigh[i], sig.p);
        assert_int_equal(as[i]->verify(&cfg_good, &r, &e), 0);
        /* Tampering with the encoded JSON breaks both. */
        f.body[40] = f.body[40] == 'A' ? 'B' : 'A';
        assert_int_equal(as[i]->verify(&cfg_good, &r, &e), 401);
        assert_string_equal(e.id, "griot.source.signature.mismatch");
        gr_buf_cleanup(&sig);
        ev_cleanup(&ev_json);
        free(json_text);
        fx_free(&f);
    }
}

static void test_form_errors(void **state)
{
    static const char *const bodies[] = {"hook=1&other=2", "payload=%7B%zz", "payload=%7", "",
                                         "payload=%7B%22a%22"};
    static const char *const ids[] = {"no payload", "malformed", "malformed", "no payload", "JSON"};
    struct gr_src_event ev;
    struct gr_apperr e;

    (void)state;
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        struct fx f;
        struct gr_src_request r;
        fx_bare(&f, "X-Gitea-Event-Type", "push", bodies[i]);
        fx_set(&f, "Content-Type", FORM_CT);
        r = fx_req(&f);
        assert_int_equal(gr_adapter_gitea.parse(&cfg_good, &r, &ev, &e), 400);
        assert_string_equal(e.id, "griot.source.payload.invalid");
        assert_has(e.message, ids[i], "error message");
        assert_null(ev.payload);
        assert_null(ev.message);
        /* verify still runs (over the raw bytes) and refuses cleanly. */
        fx_set(&f, "X-Gitea-Signature", "00");
        assert_int_equal(gr_adapter_gitea.verify(&cfg_good, &r, &e), 401);
        fx_free(&f);
    }
    /* No Content-Type, body starting with payload=: still a form. */
    {
        struct fx f;
        struct gr_src_request r;
        fx_bare(&f, "X-GitHub-Event", "ping", "payload=%7B%22zen%22%3A%22Hi%22%7D");
        f.drop[0] = "Content-Type";
        r = fx_req(&f);
        assert_int_equal(gr_adapter_github.parse(&cfg_good, &r, &ev, &e), 0);
        assert_string_equal(gr_json_str(ev.payload, "zen"), "Hi");
        ev_cleanup(&ev);
        fx_free(&f);
    }
}

static void test_invalid_json(void **state)
{
    static const char *const bodies[] = {"not json", "", "{\"ref\": ", "{\"a\":1} trailing",
                                         "\xff\xfe{}"};
    const struct gr_adapter *const as[] = {FJ, GT, GH};
    struct gr_src_event ev;
    struct gr_apperr e;

    (void)state;
    for (size_t a = 0; a < 3; a++) {
        for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
            struct fx f;
            struct gr_src_request r;
            fx_bare(&f, NULL, NULL, bodies[i]);
            r = fx_req(&f);
            assert_int_equal(as[a]->parse(&cfg_good, &r, &ev, &e), 400);
            assert_string_equal(e.id, "griot.source.payload.invalid");
            assert_has(e.message, "not valid JSON", "error message");
            assert_null(ev.payload);
            fx_free(&f);
        }
    }
}

/* Valid JSON of any shape never fails and always renders something. */
static void test_odd_shapes(void **state)
{
    static const char *const bodies[] = {
            "[]",
            "42",
            "null",
            "\"str\"",
            "{}",
            "{\"sender\":\"x\",\"repository\":5,\"pull_request\":\"s\",\"commits\":{}}",
            "{\"pull_request\":{},\"issue\":[]}",
            "{\"ref\":7,\"commits\":[1,null,{\"id\":5}],\"before\":null,\"after\":[]}",
            "{\"release\":{\"tag_name\":null},\"action\":{\"x\":1}}",
            "{\"comment\":{},\"issue\":{}}",
            "{\"review\":{},\"pull_request\":{\"number\":\"9\"}}",
            "{\"run\":{}}",
            "{\"a\":\"\\u0000b\",\"sender\":{\"login\":\"a\\u0000b\"}}"};
    static const char *const events[] = {"push",          "pull_request", "issues",  "release",
                                         "create",        "delete",       "ping",    "",
                                         "issue_comment", "fork",         "whatever"};
    const struct gr_adapter *const as[] = {FJ, GT, GH};
    const char *eh[] = {"X-Forgejo-Event-Type", "X-Gitea-Event-Type", "X-GitHub-Event"};

    (void)state;
    for (size_t a = 0; a < 3; a++)
        for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
            for (size_t k = 0; k < sizeof events / sizeof events[0]; k++) {
                struct gr_src_event ev;
                struct gr_src_request r;
                struct gr_apperr e;
                struct fx f;
                fx_bare(&f, eh[a], events[k], bodies[i]);
                r = fx_req(&f);
                assert_int_equal(as[a]->parse(&cfg_good, &r, &ev, &e), 0);
                check_shape(ev.message, NULL);
                ev_cleanup(&ev);
                fx_free(&f);
            }
}

/* Unknown events: a generic message with the key fields found. Event names from headers are
 * reduced to a safe character set. */
static void test_unknown_event(void **state)
{
    struct gr_src_event ev;
    struct fx f;
    json_t *p;
    char *flat;

    (void)state;
    fx_load(&f, "gitea/issues__opened");
    p = fx_json(&f);
    json_object_del(p, "issue");
    json_object_set_new(p, "action", json_string("edited"));
    json_object_set_new(p, "page", json_string("Home"));
    fx_body_json(&f, p);
    fx_set(&f, "X-Gitea-Event-Type", "wiki");
    parse_ok(GT, &f, &ev, "gitea wiki (generic)");
    assert_string_equal(ev.event, "wiki");
    assert_has(msg_text(ev.message),
               "**example** triggered `wiki` (`edited`) in [example/example]"
               "(http://localhost:3000/example/example)",
               "text");
    flat = att_flat(ev.message);
    assert_has(flat, "Page: Home", "attachment");
    free(flat);
    assert_string_equal(att_str(ev.message, "color"), GREY);
    ev_cleanup(&ev);

    fx_set(&f, "X-Gitea-Event-Type", "we ird`\n@all");
    parse_ok(GT, &f, &ev, "odd event name");
    assert_string_equal(ev.event, "we_ird___all");
    ev_cleanup(&ev);
    fx_free(&f);

    /* GitHub star and fork. */
    fx_load(&f, "github/ping");
    p = fx_json(&f);
    json_object_set_new(p, "action", json_string("created"));
    fx_body_json(&f, p);
    fx_set(&f, "X-GitHub-Event", "star");
    parse_ok(GH, &f, &ev, "github star");
    assert_has(msg_text(ev.message), "**Codertocat** starred [Octocoders/Hello-World]", "text");
    ev_cleanup(&ev);
    p = fx_json(&f);
    json_object_set_new(p, "forkee",
                        json_pack("{s:s,s:s}", "full_name", "alice/Hello-World", "html_url",
                                  "https://github.com/alice/Hello-World"));
    fx_body_json(&f, p);
    fx_set(&f, "X-GitHub-Event", "fork");
    parse_ok(GH, &f, &ev, "github fork");
    assert_has(msg_text(ev.message),
               "forked [Octocoders/Hello-World](https://github.com/Octocoders/Hello-World) to "
               "[alice/Hello-World](https://github.com/alice/Hello-World)",
               "text");
    ev_cleanup(&ev);
    fx_free(&f);
}

/* Payload text can neither format the message nor ping a channel, and only http(s) links. */
static void test_markdown_safety(void **state)
{
    struct gr_src_event ev;
    const char *text;
    struct fx f;
    json_t *p;
    char *flat;

    (void)state;
    fx_load(&f, "gitea/issues__opened");
    p = fx_json(&f);
    json_object_set_new(json_object_get(p, "issue"), "title",
                        json_string("@channel [click](javascript:alert(1)) *boom* <b>"));
    json_object_set_new(json_object_get(p, "issue"), "body",
                        json_string("@here first\r\n\r\n\r\n# heading\n`code`\n3\n4\n5\n6\n7\n8"));
    json_object_set_new(json_object_get(p, "issue"), "html_url",
                        json_string("javascript:alert(1)"));
    json_object_set_new(json_object_get(p, "sender"), "login", json_string("@all"));
    json_object_set_new(json_object_get(p, "repository"), "html_url",
                        json_string("https://x.test/a b(c)"));
    fx_body_json(&f, p);
    parse_ok(GT, &f, &ev, "hostile strings");
    text = msg_text(ev.message);
    assert_has(text, "**@" ZW "all**", "text");
    assert_has(text, "@" ZW "channel \\[click\\](javascript:alert(1)) \\*boom\\* \\<b\\>", "text");
    assert_null(strstr(text, "[click]")); /* only the escaped form, \[click\] */
    assert_has(text, "(https://x.test/a%20b%28c%29)", "text");
    /* The issue link falls back to the repository URL, escaped. */
    assert_has(text, "](https://x.test/a%20b%28c%29/issues/1)", "text");
    flat = att_flat(ev.message);
    assert_has(flat, "> @" ZW "here first\n>\n> \\# heading\n> \\`code\\`\n> 3\n> 4\n> 5\n> …",
               "attachment");
    assert_null(strstr(att_str(ev.message, "fallback"), "@all"));
    assert_string_equal(att_str(ev.message, "title"),
                        "#1 @" ZW "channel [click](javascript:alert(1)) *boom* <b>");
    free(flat);
    ev_cleanup(&ev);
    fx_free(&f);
}

/* Push variants the fixtures lack: many commits, branch deletion, tag push, force push,
 * awkward branch names. */
static void test_push_variants(void **state)
{
    struct gr_src_event ev;
    struct fx f;
    json_t *p, *commits;
    char *flat;

    (void)state;
    fx_load(&f, "forgejo/push__multi_commits");
    p = fx_json(&f);
    commits = json_object_get(p, "commits");
    for (size_t i = 0; i < 5; i++)
        json_array_append_new(commits, json_deep_copy(json_array_get(commits, i % 3)));
    json_object_set_new(p, "total_commits", json_integer(8));
    fx_body_json(&f, p);
    parse_ok(FJ, &f, &ev, "forgejo push, 8 commits");
    assert_has(msg_text(ev.message), "pushed 8 commits to [`main`]", "text");
    flat = att_flat(ev.message);
    assert_has(flat,
               "\n[… and 3 more](http://127.0.0.1:3000/Test-CI/multi-line-secrets/compare/"
               "6efcf5b7c98f3e7a491675164b7a2e7acac27941...",
               "attachment");
    {
        size_t lines = 0;
        for (const char *s = flat; (s = strstr(s, "- [`")) != NULL; s++)
            lines++;
        assert_int_equal(lines, 5);
    }
    free(flat);
    ev_cleanup(&ev);

    /* Branch deletion through a push: after is all zeros. */
    p = fx_json(&f);
    json_object_set_new(p, "after", json_string("0000000000000000000000000000000000000000"));
    json_object_set_new(p, "commits", json_array());
    json_object_set_new(p, "total_commits", json_integer(0));
    fx_body_json(&f, p);
    parse_ok(FJ, &f, &ev, "forgejo branch deletion");
    assert_has(msg_text(ev.message), "**test-user** deleted branch `main` in [Test-CI/", "text");
    assert_string_equal(att_str(ev.message, "color"), RED);
    assert_has(att_str(ev.message, "text"), "It pointed to [`6efcf5b`]", "attachment");
    ev_cleanup(&ev);

    /* A new tag. */
    p = fx_json(&f);
    json_object_set_new(p, "ref", json_string("refs/tags/v2.0"));
    json_object_set_new(p, "before", json_string("0000000000000000000000000000000000000000"));
    json_object_set_new(p, "after", json_string("29be01c073851cf0db0c6a466e396b725a670453"));
    fx_body_json(&f, p);
    parse_ok(FJ, &f, &ev, "forgejo tag push");
    assert_has(msg_text(ev.message),
               "pushed tag [`v2.0`](http://127.0.0.1:3000/Test-CI/multi-line-secrets/src/tag/v2.0)",
               "text");
    assert_string_equal(att_str(ev.message, "color"), GREEN);
    assert_has(att_str(ev.message, "text"), "Points to [`29be01c`]", "attachment");
    ev_cleanup(&ev);

    /* A branch name that needs escaping in the URL and in Markdown. */
    p = fx_json(&f);
    json_object_set_new(p, "ref", json_string("refs/heads/feat/ü #1`x"));
    json_object_set_new(p, "before", json_string("6efcf5b7c98f3e7a491675164b7a2e7acac27941"));
    fx_body_json(&f, p);
    parse_ok(FJ, &f, &ev, "awkward branch name");
    assert_has(msg_text(ev.message),
               "[`feat/ü #1x`](http://127.0.0.1:3000/Test-CI/"
               "multi-line-secrets/src/branch/feat/%C3%BC%20%231%60x)",
               "text");
    ev_cleanup(&ev);
    fx_free(&f);

    /* GitHub force push with two commits. */
    fx_load(&f, "github/push");
    p = fx_json(&f);
    json_object_set_new(p, "ref", json_string("refs/heads/main"));
    json_object_set_new(p, "after", json_string("ec26c3e57ca3a959ca5aad62de7213c562f8c821"));
    json_object_set_new(p, "deleted", json_false());
    json_object_set_new(p, "forced", json_true());
    json_object_set_new(p, "compare",
                        json_string("https://github.com/Codertocat/Hello-World/"
                                    "compare/6113728f27ae...ec26c3e57ca3"));
    json_object_set_new(p, "commits",
                        json_pack("[{s:s,s:s,s:s,s:{s:s}},{s:s,s:s,s:s,s:{s:s}}]", "id",
                                  "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "message",
                                  "Fix the README\n\nLong description", "url",
                                  "https://github.com/Codertocat/Hello-World/commit/0d1a26e",
                                  "author", "name", "Mona", "id",
                                  "ec26c3e57ca3a959ca5aad62de7213c562f8c821", "message",
                                  "Rewrite history", "url",
                                  "https://github.com/Codertocat/Hello-World/commit/ec26c3e",
                                  "author", "name", "Hubot"));
    fx_body_json(&f, p);
    parse_ok(GH, &f, &ev, "github force push");
    assert_has(msg_text(ev.message),
               "**Codertocat** force-pushed 2 commits to [`main`](https://github.com/Codertocat/"
               "Hello-World/tree/main) in [Codertocat/Hello-World]",
               "text");
    assert_string_equal(att_str(ev.message, "color"), ORANGE);
    flat = att_flat(ev.message);
    assert_has(flat,
               "- [`0d1a26e`](https://github.com/Codertocat/Hello-World/commit/0d1a26e) "
               "Fix the README — Mona\n- [`ec26c3e`]",
               "attachment");
    assert_null(strstr(flat, "Long description"));
    free(flat);
    ev_cleanup(&ev);
    fx_free(&f);
}

/* Reviews that request changes (Gitea event type, GitHub review state), GitHub draft PRs and
 * label/assignee objects. */
static void test_reviews_and_actions(void **state)
{
    struct gr_src_event ev;
    struct fx f;
    json_t *p;

    (void)state;
    fx_load(&f, "gitea/pull_request_review_approved__reviewed");
    p = fx_json(&f);
    json_object_set_new(json_object_get(p, "review"), "type",
                        json_string("pull_request_review_rejected"));
    json_object_set_new(json_object_get(p, "review"), "content", json_string("Please add tests"));
    fx_body_json(&f, p);
    fx_set(&f, "X-Gitea-Event-Type", "pull_request_review_rejected");
    parse_ok(GT, &f, &ev, "gitea review rejected");
    assert_has(msg_text(ev.message), "requested changes on pull request [\\#7 somepull]", "text");
    assert_string_equal(att_str(ev.message, "color"), ORANGE);
    assert_has(att_str(ev.message, "text"), "> Please add tests", "attachment");
    ev_cleanup(&ev);
    fx_free(&f);

    fx_load(&f, "github/pull_request__opened");
    p = fx_json(&f);
    json_object_set_new(p, "action", json_string("submitted"));
    json_object_set_new(p, "review",
                        json_pack("{s:s,s:s,s:s}", "state", "changes_requested", "body",
                                  "Needs work", "html_url",
                                  "https://github.com/Codertocat/Hello-World/pull/"
                                  "2#pullrequestreview-1"));
    fx_body_json(&f, p);
    fx_set(&f, "X-GitHub-Event", "pull_request_review");
    parse_ok(GH, &f, &ev, "github review changes requested");
    assert_has(msg_text(ev.message), "**Codertocat** requested changes on pull request [\\#2 ",
               "text");
    assert_string_equal(att_str(ev.message, "title_link"),
                        "https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-1");
    ev_cleanup(&ev);

    p = fx_json(&f);
    json_object_del(p, "review");
    json_object_set_new(p, "action", json_string("labeled"));
    json_object_set_new(p, "label", json_pack("{s:s}", "name", "help wanted"));
    fx_body_json(&f, p);
    fx_set(&f, "X-GitHub-Event", "pull_request");
    parse_ok(GH, &f, &ev, "github labeled");
    assert_has(msg_text(ev.message),
               "**Codertocat** added the label `help wanted` to pull request [\\#2 ", "text");
    ev_cleanup(&ev);

    p = fx_json(&f);
    json_object_set_new(p, "action", json_string("review_requested"));
    json_object_set_new(p, "requested_reviewer", json_pack("{s:s}", "login", "hubot"));
    fx_body_json(&f, p);
    parse_ok(GH, &f, &ev, "github review requested");
    assert_has(msg_text(ev.message), "requested a review from **hubot** on pull request", "text");
    ev_cleanup(&ev);

    p = fx_json(&f);
    json_object_set_new(p, "action", json_string("opened"));
    json_object_set_new(json_object_get(p, "pull_request"), "draft", json_true());
    fx_body_json(&f, p);
    parse_ok(GH, &f, &ev, "github draft");
    assert_has(msg_text(ev.message), "opened draft pull request [\\#2 ", "text");
    assert_string_equal(att_str(ev.message, "color"), GREY);
    ev_cleanup(&ev);

    p = fx_json(&f);
    json_object_set_new(p, "action", json_string("frobnicated"));
    fx_body_json(&f, p);
    parse_ok(GH, &f, &ev, "github unknown PR action");
    assert_has(msg_text(ev.message), "updated draft pull request [\\#2 ", "text");
    assert_has(msg_text(ev.message), " (`frobnicated`)", "text");
    ev_cleanup(&ev);
    fx_free(&f);
}

/* CI: Forgejo action_run_* (shape from Forgejo's ActionRunPayload) and GitHub workflow_run. */
static void test_ci_runs(void **state)
{
    struct gr_src_event ev;
    struct fx f;
    json_t *p;
    char *flat;

    (void)state;
    fx_load(&f, "forgejo/push__abridged");
    p = fx_json(&f);
    json_object_set_new(p, "action", json_string("failure"));
    json_object_set_new(p, "run",
                        json_pack("{s:s,s:s,s:s,s:s,s:s}", "title", "Test Suite", "status",
                                  "failure", "html_url",
                                  "http://forgejo.golang.org/gordon/hello-world/actions/runs/7",
                                  "head_branch", "main", "head_sha",
                                  "ef98532add3b2feb7a137426bba1248724367df5"));
    json_object_del(p, "commits");
    fx_body_json(&f, p);
    fx_set(&f, "X-Forgejo-Event-Type", "action_run_failure");
    parse_ok(FJ, &f, &ev, "forgejo action run failure");
    assert_has(msg_text(ev.message),
               "Workflow [Test Suite](http://forgejo.golang.org/gordon/hello-world/actions/runs/7)"
               " **failed** on [`main`](http://forgejo.golang.org/gordon/hello-world/src/branch/"
               "main) in [gordon/hello-world]",
               "text");
    assert_string_equal(att_str(ev.message, "color"), RED);
    flat = att_flat(ev.message);
    assert_has(flat, "Commit: [`ef98532`]", "attachment");
    assert_has(flat, "Triggered by: gordon", "attachment");
    free(flat);
    ev_cleanup(&ev);
    fx_set(&f, "X-Forgejo-Event-Type", "action_run_recover");
    parse_ok(FJ, &f, &ev, "forgejo action run recovered");
    assert_has(msg_text(ev.message), " **is passing again** ", "text");
    assert_string_equal(att_str(ev.message, "color"), GREEN);
    ev_cleanup(&ev);
    fx_free(&f);

    fx_load(&f, "github/ping");
    p = fx_json(&f);
    json_object_set_new(p, "action", json_string("completed"));
    json_object_set_new(
            p, "workflow_run",
            json_pack("{s:s,s:s,s:s,s:s,s:s}", "name", "CI", "conclusion", "success", "html_url",
                      "https://github.com/Octocoders/Hello-World/actions/runs/1", "head_branch",
                      "main", "head_sha", "ec26c3e57ca3a959ca5aad62de7213c562f8c821"));
    fx_body_json(&f, p);
    fx_set(&f, "X-GitHub-Event", "workflow_run");
    parse_ok(GH, &f, &ev, "github workflow_run success");
    assert_has(msg_text(ev.message),
               "Workflow [CI](https://github.com/Octocoders/Hello-World/actions/runs/1) "
               "**succeeded** on [`main`](https://github.com/Octocoders/Hello-World/tree/main)",
               "text");
    assert_string_equal(att_str(ev.message, "color"), GREEN);
    ev_cleanup(&ev);
    fx_free(&f);
}

/* A payload far larger than any message: output stays bounded (titles, excerpts clipped). */
static void test_bounded_output(void **state)
{
    struct gr_src_event ev;
    struct gr_buf big;
    struct fx f;
    json_t *p;

    (void)state;
    gr_buf_init(&big, GR_BUF_UNBOUNDED);
    for (size_t i = 0; i < 20000; i++)
        gr_buf_appends(&big, "é*@channel ");
    fx_load(&f, "github/pull_request__opened");
    p = fx_json(&f);
    json_object_set_new(json_object_get(p, "pull_request"), "title", json_string(big.p));
    json_object_set_new(json_object_get(p, "pull_request"), "body", json_string(big.p));
    json_object_set_new(json_object_get(p, "sender"), "login", json_string(big.p));
    fx_body_json(&f, p);
    parse_ok(GH, &f, &ev, NULL);
    assert_true(strlen(msg_text(ev.message)) < 2000);
    assert_true(strlen(att_str(ev.message, "text")) < 4000);
    assert_has(msg_text(ev.message), "…", "text");
    assert_null(strstr(att_str(ev.message, "text"), "…\n> …")); /* one ellipsis per cut */
    ev_cleanup(&ev);
    gr_buf_cleanup(&big);
    fx_free(&f);
}

/* gr_forge_render on a raw payload: `closed` + `merged: true` still reads as a merge, and a
 * NULL event/action is accepted. */
static void test_render_direct(void **state)
{
    static const struct gr_forge gh = {.name = "GitHub", .dialect = GR_FORGE_GITHUB};
    struct fx f;
    json_t *p, *msg;

    (void)state;
    fx_load(&f, "github/pull_request__closed");
    p = fx_json(&f);
    json_object_set_new(json_object_get(p, "pull_request"), "merged", json_true());
    msg = gr_forge_render(&gh, "pull_request", "closed", p);
    assert_non_null(msg);
    show("render of a raw merged payload", msg);
    assert_has(msg_text(msg), "**Codertocat** merged pull request [\\#2 ", "text");
    assert_string_equal(att_str(msg, "color"), GREEN);
    json_decref(msg);
    msg = gr_forge_render(&gh, NULL, NULL, p);
    assert_non_null(msg);
    check_shape(msg, "GitHub");
    json_decref(msg);
    json_decref(p);
    fx_free(&f);
}

int main(void)
{
    size_t n = sizeof table / sizeof table[0];
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    int failed;

    for (size_t i = 0; i < n; i++) {
        tests[i].name = table[i].name;
        tests[i].test_func = test_fixture;
        tests[i].initial_state = (void *)(uintptr_t)&table[i];
    }
    failed = _cmocka_run_group_tests("forge_fixtures", tests, n, NULL, NULL);
    free(tests);
    {
        const struct CMUnitTest more[] = {
                cmocka_unit_test(test_table_covers_fixtures),
                cmocka_unit_test(test_adapter_rows),
                cmocka_unit_test(test_forgejo_gitea_headers),
                cmocka_unit_test(test_signature_shapes),
                cmocka_unit_test(test_rotation),
                cmocka_unit_test(test_form_delivery),
                cmocka_unit_test(test_form_errors),
                cmocka_unit_test(test_invalid_json),
                cmocka_unit_test(test_odd_shapes),
                cmocka_unit_test(test_unknown_event),
                cmocka_unit_test(test_markdown_safety),
                cmocka_unit_test(test_push_variants),
                cmocka_unit_test(test_reviews_and_actions),
                cmocka_unit_test(test_ci_runs),
                cmocka_unit_test(test_bounded_output),
                cmocka_unit_test(test_render_direct),
        };
        failed += cmocka_run_group_tests_name("forge_adapters", more, NULL, NULL);
    }
    return failed;
}
