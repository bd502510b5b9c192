/* mail_testutil.h — helpers shared by test_mail.c and test_outbox.c: checking
 * a message's line discipline, and parsing it with Python's email package
 * (/usr/bin/python3, policy=default) — an independent MIME implementation
 * that decodes headers, bodies and attachments and reports defects. */
#ifndef OBR_MAIL_TESTUTIL_H
#define OBR_MAIL_TESTUTIL_H

#include <jansson.h>

#include "testutil.h"

#define PYTHON "/usr/bin/python3"

/* Prints the message as JSON: decoded headers, every leaf part (type,
 * filename, payload as hex, text with CRLF made LF) and every defect. */
static const char mail_py_parser[] =
    "import email, email.policy, json, sys\n"
    "raw = open(sys.argv[1], 'rb').read()\n"
    "m = email.message_from_bytes(raw, policy=email.policy.default)\n"
    "out = {'from': str(m['from']), 'to': str(m['to']), 'subject': str(m['subject']),\n"
    "       'to_name': m['to'].addresses[0].display_name, 'to_addr': "
    "m['to'].addresses[0].addr_spec,\n"
    "       'date': str(m['date']), 'message_id': str(m['message-id']), 'parts': [],\n"
    "       'types': [], 'defects': [repr(d) for d in m.defects]}\n"
    "for p in m.walk():\n"
    "    out['types'].append(p.get_content_type())\n"
    "    out['defects'] += [repr(d) for d in p.defects]\n"
    "    if p.is_multipart(): continue\n"
    "    b = p.get_payload(decode=True)\n"
    "    e = {'type': p.get_content_type(), 'filename': p.get_filename(),\n"
    "         'hex': b.hex(), 'method': p.get_param('method')}\n"
    "    if p.get_content_maintype() == 'text':\n"
    "        e['text'] = b.replace(b'\\r\\n', b'\\n').decode('utf-8')\n"
    "    out['parts'].append(e)\n"
    "print(json.dumps(out))\n";

/* Parses msg with Python; the caller json_decref()s the result. */
static inline json_t *mail_py_parse(const char *msg, size_t len)
{
    char dir_tmpl[] = "/tmp/obrady-mailpy-XXXXXX";
    char *dir = mkdtemp(dir_tmpl);
    assert_non_null(dir);
    char script[256], file[256], cmd[700];
    snprintf(script, sizeof script, "%s/parse.py", dir);
    snprintf(file, sizeof file, "%s/msg.eml", dir);
    FILE *f = fopen(script, "w");
    assert_non_null(f);
    fputs(mail_py_parser, f);
    fclose(f);
    f = fopen(file, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(msg, 1, len, f), len);
    fclose(f);
    snprintf(cmd, sizeof cmd, PYTHON " %s %s", script, file);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    json_error_t je;
    json_t *j = json_loadf(p, 0, &je);
    pclose(p);
    unlink(script);
    unlink(file);
    rmdir(dir);
    if (!j)
        fail_msg("python could not parse the message: %s", je.text);
    json_t *defects = json_object_get(j, "defects");
    if (json_array_size(defects))
        fail_msg("python found defects: %s", json_string_value(json_array_get(defects, 0)));
    return j;
}

static inline const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Every line ends in CRLF, there is no bare CR or LF, and no line is longer
 * than 78 octets. */
static inline void assert_mail_lines(const char *msg, size_t len)
{
    size_t col = 0;
    for (size_t i = 0; i < len; i++) {
        if (msg[i] == '\r') {
            assert_true(i + 1 < len && msg[i + 1] == '\n');
            i++;
            col = 0;
        } else if (msg[i] == '\n') {
            fail_msg("bare LF at offset %zu", i);
        } else {
            col++;
            if (col > 78)
                fail_msg("line longer than 78 octets at offset %zu", i);
        }
    }
    assert_true(len >= 2 && msg[len - 2] == '\r' && msg[len - 1] == '\n');
}

#endif
