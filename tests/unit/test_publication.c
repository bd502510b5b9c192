/* test_publication.c — what the public pages and BIP exports write, from the
 * publication model: CSV quoting (RFC 4180, formula guard, BOM) read back by
 * our own CSV reader, named lists of motions, elections and secret votes,
 * HTML escaping of every text, links that can never be "javascript:", the
 * vote model (no user ids, election choices by name, secret votes without a
 * named list and with the verification link), and local times in Warsaw. */
#include "testutil.h"

#include "api/public_model.h"
#include "core/csv.h"
#include "report/bip.h"
#include "report/public_html.h"
#include "util/buf.h"
#include "util/html.h"

static json_t *load(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (!j)
        fail_msg("bad test JSON: %s at %d", e.text, e.position);
    return j;
}

#define MOTION                                                                                     \
    "{\"id\":\"v1\",\"title\":\"Uchwała\",\"kind\":\"open\",\"method\":\"yes_no_abstain\","       \
    "\"status\":\"closed\",\"result\":{\"yes\":2,\"no\":1,\"abstain\":0,\"outcome\":\"adopted\"}," \
    "\"verdict\":{\"pl\":\"podjęta\",\"en\":\"adopted\"},\"rule_text\":{\"pl\":\"r\",\"en\":"     \
    "\"r\"},"                                                                                      \
    "\"named\":[{\"name\":\"Łukasz Żółć\",\"choice\":\"yes\"},"                               \
    "{\"name\":\"=HYPERLINK(\\\"x\\\")\",\"choice\":\"no\"},"                                      \
    "{\"name\":\"Kowalski, Jan\",\"choice\":\"abstain\"},{\"name\":\"Nowak\",\"choice\":null}],"   \
    "\"links\":{\"csv\":\"/c\",\"json\":\"/j\",\"html\":\"/h\",\"report_pdf\":\"/r\"}}"

static void test_csv_field_quoting(void **state)
{
    struct buf b = BUF_INIT;
    const char *in[] = {"plain", "a,b", "say \"hi\"", "two\r\nlines", "=1+1",
                        "+48",   "-x",  "@me",        "Łódź",         ""};
    const char *out[] = {"plain",
                         "\"a,b\"",
                         "\"say \"\"hi\"\"\"",
                         "\"two\r\nlines\"",
                         "\"'=1+1\"",
                         "\"'+48\"",
                         "\"'-x\"",
                         "\"'@me\"",
                         "Łódź",
                         ""};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        buf_reset(&b);
        bip_csv_field(&b, in[i]);
        assert_string_equal(buf_str(&b), out[i]);
    }
    buf_free(&b);
}

static void test_vote_csv_motion_exact(void **state)
{
    json_t *v = load(MOTION);
    struct buf b = BUF_INIT;
    bip_vote_csv(&b, v, "pl", true);
    assert_string_equal(buf_str(&b), "\xEF\xBB\xBF"
                                     "Lp.,Imię i nazwisko,Głos\r\n"
                                     "1,Łukasz Żółć,za\r\n"
                                     "2,\"'=HYPERLINK(\"\"x\"\")\",przeciw\r\n"
                                     "3,\"Kowalski, Jan\",wstrzymuję się\r\n"
                                     "4,Nowak,nie głosował(a)\r\n");
    buf_reset(&b);
    bip_vote_csv(&b, v, "en", false);
    assert_string_equal(buf_str(&b), "No.,Name,Choice\r\n"
                                     "1,Łukasz Żółć,yes\r\n"
                                     "2,\"'=HYPERLINK(\"\"x\"\")\",no\r\n"
                                     "3,\"Kowalski, Jan\",abstain\r\n"
                                     "4,Nowak,did not vote\r\n");
    buf_free(&b);
    json_decref(v);
}

static void test_vote_csv_reads_back(void **state)
{
    json_t *v = load(MOTION);
    struct buf b = BUF_INIT;
    bip_vote_csv(&b, v, "pl", true);
    struct csv_doc *doc = NULL;
    assert_int_equal(csv_parse(buf_str(&b), b.len, &doc, NULL, NULL), 0);
    assert_int_equal(doc->n_rows, 5);
    assert_int_equal(doc->delimiter, ',');
    assert_string_equal(doc->rows[1].fields[1], "Łukasz Żółć");
    assert_string_equal(doc->rows[2].fields[1], "'=HYPERLINK(\"x\")");
    assert_string_equal(doc->rows[3].fields[1], "Kowalski, Jan");
    assert_string_equal(doc->rows[4].fields[2], "nie głosował(a)");
    csv_free(doc);
    buf_free(&b);
    json_decref(v);
}

static void test_vote_csv_election_and_secret(void **state)
{
    json_t *e = load("{\"method\":\"election\",\"kind\":\"open\",\"named\":["
                     "{\"name\":\"A\",\"choices\":[\"Anna Żak\",\"Jan Łoś\"]},"
                     "{\"name\":\"B\",\"choices\":[]},{\"name\":\"C\",\"choices\":null}]}");
    struct buf b = BUF_INIT;
    bip_vote_csv(&b, e, "pl", false);
    assert_string_equal(buf_str(&b), "Lp.,Imię i nazwisko,Głos\r\n"
                                     "1,A,Anna Żak; Jan Łoś\r\n"
                                     "2,B,głos pusty\r\n"
                                     "3,C,nie głosował(a)\r\n");
    json_t *s = load("{\"method\":\"yes_no_abstain\",\"kind\":\"secret\"}");
    buf_reset(&b);
    bip_vote_csv(&b, s, "en", false);
    assert_string_equal(buf_str(&b), "No.,Name,Choice\r\n");
    buf_free(&b);
    json_decref(e);
    json_decref(s);
}

static void test_html_escapes_every_text(void **state)
{
    json_t *v = load(MOTION);
    json_object_set_new(v, "title", json_string("<script>alert(1)</script> „Łódź”"));
    json_object_set_new(v, "motion", json_string("a & b <i>"));
    json_t *m = load("{\"id\":\"m1\",\"number\":\"<b>\",\"title\":\"\\\"><img src=x>\","
                     "\"org\":{\"name\":\"O&O\"},\"body\":{\"name\":\"'B'\"}}");
    struct buf b = BUF_INIT;
    public_html_vote(&b, v, m, false, "pl");
    const char *h = buf_str(&b);
    assert_null(strstr(h, "<script"));
    assert_null(strstr(h, "<img"));
    assert_null(strstr(h, "<i>"));
    assert_non_null(strstr(h, "<h1>&lt;script&gt;alert(1)&lt;/script&gt; „Łódź”</h1>"));
    assert_non_null(strstr(h, "a &amp; b &lt;i&gt;"));
    assert_non_null(strstr(h, "O&amp;O"));
    assert_non_null(strstr(h, "&#39;B&#39;"));
    assert_non_null(strstr(h, "&quot;&gt;&lt;img src=x&gt;"));
    assert_non_null(strstr(h, "<html lang=\"pl\">"));
    assert_non_null(strstr(h, "<caption>Kto jak głosował</caption>"));
    /* The formula guard is for spreadsheets only: HTML shows the name as it is. */
    assert_non_null(strstr(h, ">=HYPERLINK(&quot;x&quot;)</th>"));
    assert_non_null(strstr(h, "<a href=\"/r\" type=\"application/pdf\">"));
    buf_free(&b);
    json_decref(v);
    json_decref(m);
}

static void test_html_secret_vote_has_no_named_list(void **state)
{
    json_t *v = load("{\"id\":\"v2\",\"title\":\"Wybór\",\"kind\":\"secret\",\"method\":"
                     "\"yes_no_abstain\",\"result\":{\"yes\":3,\"no\":1,\"abstain\":1,"
                     "\"outcome\":\"adopted\"},\"links\":{\"verify\":\"/verify?vote=v2\"}}");
    json_t *m = load("{\"id\":\"m1\",\"title\":\"S\"}");
    struct buf b = BUF_INIT;
    public_html_vote(&b, v, m, false, "en");
    const char *h = buf_str(&b);
    assert_null(strstr(h, "table named"));
    assert_non_null(
        strstr(h, "<a href=\"/verify?vote=v2\" class=\"verify-link\">verify this vote</a>"));
    assert_non_null(strstr(h, "<tr><th scope=\"row\">Yes</th><td>3</td></tr>"));
    assert_non_null(strstr(h, "<html lang=\"en\">"));
    buf_free(&b);
    json_decref(v);
    json_decref(m);
}

static void test_html_election_lists_candidates(void **state)
{
    json_t *v =
        load("{\"id\":\"v3\",\"title\":\"Wybory\",\"kind\":\"open\",\"method\":\"election\","
             "\"result\":{\"cast\":3,\"blank\":1,\"outcome\":\"adopted\",\"candidates\":["
             "{\"index\":0,\"name\":\"Anna <Żak>\",\"votes\":2,\"elected\":true},"
             "{\"index\":1,\"name\":\"Jan Łoś\",\"votes\":1,\"elected\":false}]},"
             "\"named\":[{\"name\":\"X\",\"choices\":[\"Anna <Żak>\"]},"
             "{\"name\":\"Y\",\"choices\":[]}]}");
    json_t *m = load("{\"id\":\"m1\",\"title\":\"S\"}");
    struct buf b = BUF_INIT;
    public_html_vote(&b, v, m, true, "pl");
    const char *h = buf_str(&b);
    assert_non_null(strstr(h, "<caption>Kandydaci</caption>"));
    assert_non_null(
        strstr(h, "<tr><th scope=\"row\">Anna &lt;Żak&gt;</th><td>2</td><td>tak</td></tr>"));
    assert_non_null(strstr(h, "<td data-label=\"Głos\">Anna &lt;Żak&gt;</td>"));
    assert_non_null(strstr(h, "<td data-label=\"Głos\">głos pusty</td>"));
    assert_null(strstr(h, "class=\"breadcrumbs\""));
    buf_free(&b);
    json_decref(v);
    json_decref(m);
}

static void test_html_link_refuses_other_schemes(void **state)
{
    struct buf b = BUF_INIT;
    html_link(&b, "javascript:alert(1)", NULL, "x<y");
    assert_string_equal(buf_str(&b), "x&lt;y");
    buf_reset(&b);
    html_link(&b, " javascript:alert(1)", NULL, "t");
    assert_string_equal(buf_str(&b), "t");
    buf_reset(&b);
    html_link(&b, "https://bip.example/a?b=1&c=\"2\"", "rel=\"x\"", "ok");
    assert_string_equal(
        buf_str(&b), "<a href=\"https://bip.example/a?b=1&amp;c=&quot;2&quot;\" rel=\"x\">ok</a>");
    buf_reset(&b);
    html_url_part(&b, "Łódź a/b");
    assert_string_equal(buf_str(&b), "%C5%81%C3%B3d%C5%BA%20a%2Fb");
    buf_free(&b);
}

static void test_vote_model_publishes_names_not_ids(void **state)
{
    struct vote v;
    memset(&v, 0, sizeof v);
    snprintf(v.id, sizeof v.id, "v1");
    snprintf(v.kind, sizeof v.kind, "open");
    snprintf(v.method, sizeof v.method, "election");
    snprintf(v.majority, sizeof v.majority, "simple");
    snprintf(v.status, sizeof v.status, "closed");
    v.closed_ms = 1;
    v.result = load("{\"method\":\"election\",\"candidates\":[{\"index\":0,\"name\":\"Anna\"},"
                    "{\"index\":1,\"name\":\"Jan\"}],\"named\":[{\"user_id\":\"u1\",\"name\":"
                    "\"X\",\"choices\":[1,0]},{\"user_id\":\"u2\",\"name\":\"Y\",\"choices\":"
                    "null}],\"rule_text\":{\"pl\":\"a\",\"en\":\"b\"}}");
    json_t *j = pub_vote_json(&v, "https://o.example");
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    assert_null(strstr(text, "u1"));
    assert_non_null(strstr(text, "\"named\":[{\"absent\":false,\"choices\":[\"Jan\",\"Anna\"],"
                                 "\"name\":\"X\"},{\"absent\":false,\"choices\":null,\"name\":\"Y\"}]"));
    assert_null(json_object_get(json_object_get(j, "result"), "named"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "links"), "csv")),
                        "https://o.example/api/public/votes/v1/named.csv");
    assert_null(json_object_get(json_object_get(j, "links"), "verify"));
    free(text);
    json_decref(j);

    /* The same result on a secret vote: never a named list, always the verification link. */
    snprintf(v.kind, sizeof v.kind, "secret");
    j = pub_vote_json(&v, "");
    assert_null(json_object_get(j, "named"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "links"), "verify")),
                        "/verify?vote=v1");
    json_decref(j);
    vote_clear(&v);
}

static void test_local_time_warsaw(void **state)
{
    char out[40];
    bip_local_time(out, sizeof out, "2031-05-01T15:00:00.000Z", NULL);
    assert_string_equal(out, "2031-05-01 17:00"); /* CEST */
    bip_local_time(out, sizeof out, "2031-12-01T15:00:00Z", "Europe/Warsaw");
    assert_string_equal(out, "2031-12-01 16:00"); /* CET */
    bip_local_time(out, sizeof out, "yesterday", NULL);
    assert_string_equal(out, "");
    bip_local_time(out, sizeof out, NULL, NULL);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_field_quoting),
        cmocka_unit_test(test_vote_csv_motion_exact),
        cmocka_unit_test(test_vote_csv_reads_back),
        cmocka_unit_test(test_vote_csv_election_and_secret),
        cmocka_unit_test(test_html_escapes_every_text),
        cmocka_unit_test(test_html_secret_vote_has_no_named_list),
        cmocka_unit_test(test_html_election_lists_candidates),
        cmocka_unit_test(test_html_link_refuses_other_schemes),
        cmocka_unit_test(test_vote_model_publishes_names_not_ids),
        cmocka_unit_test(test_local_time_warsaw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
