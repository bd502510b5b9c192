/* test_outbox.c — the outbox and its transports on a real SQLite file: the
 * worker delivers queued rows through the file transport, wipes sensitive
 * ones, retries and finally gives up on an SMTP server that is not there,
 * resumes pending rows after a restart; and the SMTP transport delivers a
 * built message intact to a real SMTP server (Python's aiosmtpd, skipped when
 * /usr/bin/python3 lacks it). */
#include "mail_testutil.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "mail/mail.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/ids.h"

extern char **environ;

#define FROM "obrady <no-reply@uczelnia.example>"

struct fx {
    char *dir;
    char db_path[700], mail_dir[512]; /* db_path: SQLite path or PostgreSQL URL */
    struct db *db;        /* the test's own connection */
    struct db_pool *pool; /* the worker's */
    struct outbox *ob;
};

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    fx->dir = testutil_tmpdir();
    assert_non_null(fx->dir);
    snprintf(fx->mail_dir, sizeof fx->mail_dir, "%s/mail", fx->dir);
    struct db_config cfg = testutil_db_config(fx->dir, false, fx->db_path, sizeof fx->db_path);
    assert_int_equal(db_open(&cfg, &fx->db), 0);
    assert_int_equal(db_migrate(fx->db), 0);
    assert_int_equal(db_pool_open(&cfg, &fx->pool), 0);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    outbox_stop(fx->ob);
    db_pool_close(fx->pool);
    db_close(fx->db);
    testutil_rmdir(fx->dir);
    free(fx);
    return 0;
}

static struct mail_config file_config(struct fx *fx)
{
    struct mail_config c = {.transport = "file", .dir = fx->mail_dir, .from = FROM};
    return c;
}

/* Nothing listens on port 1: connecting fails at once. */
static struct mail_config dead_smtp_config(unsigned max_attempts)
{
    struct mail_config c = {.transport = "smtp",
                            .from = FROM,
                            .smtp_url = "smtp://127.0.0.1:1",
                            .max_attempts = max_attempts};
    return c;
}

static const struct mail_message code_mail = {
    .to_addr = "anna.nowak@uczelnia.example",
    .to_name = "Anna Nowak",
    .subject = "Twój kod logowania do obrady: 123456",
    .text = "Twój kod to 123456.\n",
};

struct row {
    char status[16];
    char subject[128];
    char last_error[200];
    bool has_error;
    int64_t attempts, next_attempt_ms, created_ms, sent_ms;
    size_t message_len;
};

DB_QUERY(q_row, "test_outbox_row",
         "SELECT status, subject, last_error, attempts, next_attempt_ms, created_ms, sent_ms, "
         "length(message) FROM outbox WHERE id = $1");
DB_QUERY(q_reschedule, "test_outbox_reschedule",
         "UPDATE outbox SET next_attempt_ms = 0 WHERE id = $1");

static void read_row(struct fx *fx, const char *id, struct row *r)
{
    memset(r, 0, sizeof *r);
    struct db_stmt *s = db_prepare(fx->db, &q_row);
    assert_non_null(s);
    db_bind_text(s, 1, id);
    assert_int_equal(db_step(s), DB_ROW);
    snprintf(r->status, sizeof r->status, "%s", db_col_text(s, 0));
    snprintf(r->subject, sizeof r->subject, "%s", db_col_text(s, 1));
    r->has_error = !db_col_is_null(s, 2);
    if (r->has_error)
        snprintf(r->last_error, sizeof r->last_error, "%s", db_col_text(s, 2));
    r->attempts = db_col_int(s, 3);
    r->next_attempt_ms = db_col_int(s, 4);
    r->created_ms = db_col_int(s, 5);
    r->sent_ms = db_col_int(s, 6);
    r->message_len = (size_t)db_col_int(s, 7);
    db_stmt_done(s);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits up to 10 s for the row to leave 'pending' or to reach min_attempts. */
static void wait_row(struct fx *fx, const char *id, int64_t min_attempts, struct row *r)
{
    for (int i = 0; i < 200; i++) {
        read_row(fx, id, r);
        if (strcmp(r->status, "pending") != 0 || (min_attempts && r->attempts >= min_attempts))
            return;
        sleep_ms(50);
    }
    fail_msg("outbox row %s still %s after 10 s", id, r->status);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return buf_take(&b);
}

/* ---- the file transport ---- */

static void test_file_worker_delivers_and_wipes_sensitive(void **state)
{
    struct fx *fx = *state;
    struct mail_config cfg = file_config(fx);
    assert_int_equal(outbox_start(fx->pool, &cfg, &fx->ob), 0);

    struct mail_message plain = {
        .to_addr = "jan@uczelnia.example", .subject = "Zaproszenie", .text = "Zapraszam.\n"};
    char code_id[21], plain_id[21];
    assert_int_equal(outbox_enqueue(fx->db, &cfg, &code_mail, true, code_id), 0);
    assert_int_equal(outbox_enqueue(fx->db, &cfg, &plain, false, plain_id), 0);
    struct row code_row, plain_row;
    wait_row(fx, code_id, 0, &code_row);
    wait_row(fx, plain_id, 0, &plain_row);

    assert_string_equal(code_row.status, "sent");
    assert_int_equal(code_row.attempts, 1);
    assert_true(code_row.sent_ms >= code_row.created_ms);
    assert_int_equal(code_row.message_len, 0); /* the code is gone from the database */
    assert_string_equal(code_row.subject, "");
    assert_false(code_row.has_error);
    assert_string_equal(plain_row.status, "sent");
    assert_true(plain_row.message_len > 0);
    assert_string_equal(plain_row.subject, "Zaproszenie");

    char path[700];
    snprintf(path, sizeof path, "%s/%lld-%s.eml", fx->mail_dir, (long long)code_row.created_ms,
             code_id);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    size_t len;
    char *msg = read_file(path, &len);
    assert_non_null(msg);
    assert_mail_lines(msg, len);
    json_t *j = mail_py_parse(msg, len);
    assert_string_equal(jstr(j, "subject"), code_mail.subject);
    assert_string_equal(jstr(j, "to_addr"), code_mail.to_addr);
    assert_string_equal(jstr(json_array_get(json_object_get(j, "parts"), 0), "text"),
                        code_mail.text);
    json_decref(j);
    free(msg);

    /* no temporary files are left behind */
    DIR *d = opendir(fx->mail_dir);
    assert_non_null(d);
    int files = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            assert_true(strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0);
        else
            files++;
    }
    closedir(d);
    assert_int_equal(files, 2);
}

static void test_enqueue_refuses_injection_and_writes_nothing(void **state)
{
    struct fx *fx = *state;
    struct mail_config cfg = file_config(fx);
    struct mail_message m = code_mail;
    m.subject = "x\r\nBcc: all@example.com";
    char id[21] = "";
    assert_int_equal(outbox_enqueue(fx->db, &cfg, &m, false, id), OBR_EINVAL);
    struct db_query q = {"test_outbox_count", "SELECT count(*) FROM outbox", -1};
    struct db_stmt *s = db_prepare(fx->db, &q);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 0);
    db_stmt_done(s);
}

static void test_enqueue_inside_rolled_back_transaction_sends_nothing(void **state)
{
    struct fx *fx = *state;
    struct mail_config cfg = file_config(fx);
    assert_int_equal(db_begin_write(fx->db), 0);
    char id[21];
    assert_int_equal(outbox_enqueue(fx->db, &cfg, &code_mail, false, id), 0);
    assert_int_equal(db_rollback(fx->db), 0);
    struct db_query q = {"test_outbox_count2", "SELECT count(*) FROM outbox", -1};
    struct db_stmt *s = db_prepare(fx->db, &q);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 0);
    db_stmt_done(s);
}

/* ---- failures, retries, restart ---- */

static void test_failed_delivery_is_retried_later_and_keeps_the_message(void **state)
{
    struct fx *fx = *state;
    struct mail_config cfg = dead_smtp_config(0);
    assert_int_equal(outbox_start(fx->pool, &cfg, &fx->ob), 0);
    char id[21];
    int64_t before = clock_now_ms();
    assert_int_equal(outbox_enqueue(fx->db, &cfg, &code_mail, true, id), 0);
    struct row r;
    wait_row(fx, id, 1, &r);
    outbox_stop(fx->ob);
    fx->ob = NULL;

    assert_string_equal(r.status, "pending");
    assert_int_equal(r.attempts, 1);
    assert_true(r.next_attempt_ms >= before + 30000);
    assert_true(r.next_attempt_ms <= clock_now_ms() + 30000);
    assert_true(r.has_error);
    assert_non_null(strstr(r.last_error, "smtp"));
    assert_null(strstr(r.last_error, "anna.nowak")); /* no address in the error */
    assert_true(r.message_len > 0);                  /* nothing lost, not yet wiped */
    assert_string_equal(r.subject, code_mail.subject);

    /* a restarted process with a working transport picks the row up once due */
    read_row(fx, id, &r);
    struct db_stmt *s = db_prepare(fx->db, &q_reschedule);
    db_bind_text(s, 1, id);
    assert_int_equal(db_run(s), 0);
    struct mail_config fcfg = file_config(fx);
    assert_int_equal(outbox_start(fx->pool, &fcfg, &fx->ob), 0);
    wait_row(fx, id, 0, &r);
    assert_string_equal(r.status, "sent");
    assert_int_equal(r.attempts, 2);
    assert_false(r.has_error);
    assert_int_equal(r.message_len, 0);
}

static void test_gives_up_after_max_attempts_and_wipes(void **state)
{
    struct fx *fx = *state;
    struct mail_config cfg = dead_smtp_config(2);
    assert_int_equal(outbox_start(fx->pool, &cfg, &fx->ob), 0);
    char id[21];
    assert_int_equal(outbox_enqueue(fx->db, &cfg, &code_mail, true, id), 0);
    struct row r;
    wait_row(fx, id, 1, &r);
    assert_string_equal(r.status, "pending");
    struct db_stmt *s = db_prepare(fx->db, &q_reschedule);
    db_bind_text(s, 1, id);
    assert_int_equal(db_run(s), 0);
    outbox_nudge(NULL);
    wait_row(fx, id, 0, &r);
    assert_string_equal(r.status, "failed");
    assert_int_equal(r.attempts, 2);
    assert_true(r.has_error);
    assert_int_equal(r.message_len, 0);
    assert_string_equal(r.subject, "");
}

static void test_restart_delivers_rows_queued_while_stopped(void **state)
{
    struct fx *fx = *state;
    struct mail_config cfg = file_config(fx);
    char ids[3][21];
    for (int i = 0; i < 3; i++)
        assert_int_equal(outbox_enqueue(fx->db, &cfg, &code_mail, false, ids[i]), 0);
    outbox_stop(NULL); /* accepts NULL */
    assert_int_equal(outbox_start(fx->pool, &cfg, &fx->ob), 0);
    for (int i = 0; i < 3; i++) {
        struct row r;
        wait_row(fx, ids[i], 0, &r);
        assert_string_equal(r.status, "sent");
    }
}

static void test_start_refuses_bad_config(void **state)
{
    struct fx *fx = *state;
    struct outbox *ob = (struct outbox *)1;
    struct mail_config c = {.transport = "pigeon", .from = FROM, .dir = "/tmp"};
    assert_int_equal(outbox_start(fx->pool, &c, &ob), OBR_EINVAL);
    assert_null(ob);
    c.transport = "file", c.from = "not an address";
    assert_int_equal(outbox_start(fx->pool, &c, &ob), OBR_EINVAL);
    c.transport = "smtp", c.from = FROM;
    assert_int_equal(outbox_start(fx->pool, &c, &ob), OBR_EINVAL); /* no smtp_url */
}

static void test_backoff_doubles_up_to_an_hour(void **state)
{
    static const struct {
        unsigned n;
        int64_t ms;
    } cases[] = {{1, 30000},   {2, 60000},   {3, 120000},   {4, 240000},           {7, 1920000},
                 {8, 3600000}, {9, 3600000}, {50, 3600000}, {4000000000u, 3600000}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_int_equal(outbox_backoff_ms(cases[i].n), cases[i].ms);
}

/* ---- SMTP against a real server ---- */

static bool has_aiosmtpd(void)
{
    return system(PYTHON " -c 'import aiosmtpd' >/dev/null 2>&1") == 0;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t l = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &l);
    close(fd);
    return ntohs(a.sin_port);
}

static bool port_accepts(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

/* Reads the first message file in maildir/new, waiting up to 10 s. */
static char *wait_maildir(const char *maildir, size_t *len)
{
    char dir[700];
    snprintf(dir, sizeof dir, "%s/new", maildir);
    for (int i = 0; i < 200; i++) {
        DIR *d = opendir(dir);
        for (struct dirent *e; d && (e = readdir(d));) {
            if (e->d_name[0] == '.')
                continue;
            char path[1000];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            closedir(d);
            return read_file(path, len);
        }
        if (d)
            closedir(d);
        sleep_ms(50);
    }
    return NULL;
}

static void test_smtp_transport_delivers_intact_to_a_real_server(void **state)
{
    struct fx *fx = *state;
    if (!has_aiosmtpd()) {
        skip();
        return;
    }
    int port = free_port();
    char listen[32], maildir[600];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    snprintf(maildir, sizeof maildir, "%s/maildir", fx->dir);
    char *argv[] = {PYTHON,  "-m",   "aiosmtpd", "-n",
                    "-l",    listen, "-c",       "aiosmtpd.handlers.Mailbox",
                    maildir, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, PYTHON, &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    bool is_up = false;
    for (int i = 0; i < 200 && !(is_up = port_accepts(port)); i++)
        sleep_ms(50);

    unsigned char bin[5000];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (unsigned char)(i * 13 + 1);
    struct mail_attachment at = {.filename = "Protokół.pdf",
                                 .content_type = "application/pdf",
                                 .data = bin,
                                 .len = sizeof bin};
    struct mail_message m = {.to_addr = "rada@uczelnia.example",
                             .to_name = "Rada Wydziału",
                             .subject = "Protokół posiedzenia — głosowanie",
                             .text = ".\n..kropki\nZażółć gęślą jaźń.\n",
                             .html = "<p>Zażółć</p>",
                             .attachments = &at,
                             .n_attachments = 1};
    size_t len;
    char *msg = mime_build(&m, FROM, &len);
    assert_non_null(msg);
    char url[64], err[160] = "";
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d", port);
    struct mail_config cfg = {.transport = "smtp", .from = FROM, .smtp_url = url};
    int rc = is_up ? mail_transport_smtp_send(&cfg, m.to_addr, msg, len, err, sizeof err) : -1;
    size_t got_len = 0;
    char *got = rc == 0 ? wait_maildir(maildir, &got_len) : NULL;
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    assert_true(is_up);
    if (rc != 0)
        fail_msg("smtp send failed: %s", err);
    assert_non_null(got);

    json_t *j = mail_py_parse(got, got_len);
    assert_string_equal(jstr(j, "subject"), m.subject);
    assert_string_equal(jstr(j, "to_name"), "Rada Wydziału");
    json_t *parts = json_object_get(j, "parts");
    assert_int_equal(json_array_size(parts), 3);
    assert_string_equal(jstr(json_array_get(parts, 0), "text"), m.text);
    assert_string_equal(jstr(json_array_get(parts, 1), "text"), m.html);
    char hex[2 * sizeof bin + 1];
    hex_encode(hex, bin, sizeof bin);
    assert_string_equal(jstr(json_array_get(parts, 2), "hex"), hex);
    assert_string_equal(jstr(json_array_get(parts, 2), "filename"), "Protokół.pdf");
    json_decref(j);
    free(got);
    free(msg);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_file_worker_delivers_and_wipes_sensitive),
        T(test_enqueue_refuses_injection_and_writes_nothing),
        T(test_enqueue_inside_rolled_back_transaction_sends_nothing),
        T(test_failed_delivery_is_retried_later_and_keeps_the_message),
        T(test_gives_up_after_max_attempts_and_wipes),
        T(test_restart_delivers_rows_queued_while_stopped),
        T(test_start_refuses_bad_config),
        T(test_backoff_doubles_up_to_an_hour),
        T(test_smtp_transport_delivers_intact_to_a_real_server),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
