/* gen_evote_suite_cases.h — the cases of the v2 conformance suite (included
 * once by gen_evote_suite.c, which has the builders). Each block makes one
 * board from scratch or from a valid one with exactly one fault. */

/* A valid final board of f with voters[0..n) voting, as compact text. */
static char *text_of(const json_t *b)
{
    return json_dumps(b, JSON_COMPACT);
}

/* Replaces the first `from` in text by `to` (a new string). */
static char *replace1(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (!at)
        return strdup(text);
    size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return out;
}

static int suite_cases(void)
{
    struct fx_election f, g, c;
    if (make_election(&f, "v-suite-1", N_VOTERS, NULL, false) ||
        make_election(&g, "v-suite-2", N_VOTERS, NULL, false) ||
        make_election(&c, "v-suite-3", N_VOTERS, NULL, true))
        return -1;

    /* ---- valid boards: every state verifies, in the same shape ---------- */
    add("open", "state open: ballots so far, aggregate and result null, no decryptions",
        board_of(&f, ballots_by(&f, 3), "open", NULL), NULL, NULL, true, NULL, false, NULL);
    add("counting", "state counting (server + committee 2 of 3): the server has decrypted, the "
        "committee not yet", board_of(&c, ballots_by(&c, 4), "counting", NULL), NULL, NULL, true,
        NULL, false, NULL);
    add("final-committee", "state final: server and 2 of 3 committee members decrypted",
        board_of(&c, ballots_by(&c, 5), "final", NULL), NULL, NULL, true, NULL, false, NULL);
    add("final-empty", "state final with no ballots: the aggregate is the identity",
        board_of(&f, json_array(), "final", NULL), NULL, NULL, true, NULL, false, NULL);
    {
        /* voter 1 had no key at opening, voter 2 votes from a new device */
        static const bool has[N_VOTERS] = {true, false, true, true, true, true};
        struct fx_election k;
        unsigned char pk2[32], sk2[64];
        seeded_keypair("second device", 2, pk2, sk2);
        if (make_election(&k, "v-suite-4", N_VOTERS, has, false))
            return -1;
        json_t *bs = json_array();
        json_array_append_new(bs, ballot_of(&k, voters[0].sk, 0));
        json_array_append_new(bs, ballot_of(&k, voters[1].sk, 1));
        json_array_append_new(bs, ballot_of(&k, sk2, 2));
        json_t *kc = json_pack("[{s:s, s:o}, {s:s, s:o}]", "name", voters[1].name, "key",
                               hexj(voters[1].pk, 32), "name", voters[2].name, "key",
                               hexj(pk2, 32));
        json_t *b = board_of(&k, bs, "final", kc);
        add("final-key-changes", "a voter without a key at opening and one voting from a new "
            "device: both changes published in key_changes", json_deep_copy(b), NULL, NULL, true,
            NULL, false, NULL);
        /* the same ballots without the published changes: not in the electorate */
        json_object_set_new(b, "key_changes", json_array());
        sign(b);
        add("unpublished-key-change", "a ballot under a key neither frozen nor published as a "
            "change", b, NULL, NULL, false, M("not in the electorate"), false, NULL);
        fx_election_free(&k);
    }

    /* ---- attacks of issue 15 -------------------------------------------- */
    {
        /* stuffed ballot under a key outside the electorate */
        json_t *bs = ballots_by(&f, 3);
        json_array_append_new(bs, ballot_of(&f, voters[N_VOTERS].sk, 0));
        json_t *b = board_of(&f, bs, "final", NULL);
        add("stuffed-unknown-key", "a ballot signed by a key that is not in the electorate", b,
            NULL, NULL, false, M(tracker_of(b, ballot_by(b, N_VOTERS)), "not in the electorate"),
            false, NULL);
    }
    {
        /* stuffed ballot under a repeated name: the electorate lists a name twice */
        json_t *b = board_of(&f, ballots_by(&f, 2), "open", NULL);
        json_t *el = json_object_get(json_object_get(b, "election"), "electorate");
        json_object_set_new(json_array_get(el, 1), "name", json_string(voters[0].name));
        sign(b);
        add("repeated-name", "the electorate lists one name twice (a second key for a member)", b,
            NULL, NULL, false, M("electorate", "not strictly ascending"), false, NULL);
    }
    {
        /* two ballots under one key */
        json_t *bs = ballots_by(&f, 3);
        json_array_append_new(bs, ballot_of(&f, voters[1].sk, 2));
        json_t *b = board_of(&f, bs, "final", NULL);
        add("two-ballots-one-key", "two ballots signed with the same voter key", b, NULL, NULL,
            false, M("more than one ballot"), false, NULL);
    }
    {
        /* permuted options, tracker recomputed, signed again by the voter */
        json_t *bs = ballots_by(&f, 3);
        json_t *ch = json_object_get(json_array_get(bs, 0), "choices");
        json_t *o0 = json_incref(json_array_get(ch, 0));
        json_array_set(ch, 0, json_array_get(ch, 1));
        json_array_set_new(ch, 1, o0);
        resign_ballot(&f, json_array_get(bs, 0), voters[0].sk);
        json_t *b = board_of(&f, bs, "final", NULL);
        add("permuted-options", "a ballot's option ciphertexts swapped, tracker recomputed and "
            "re-signed: the 0/1 proofs bind the option index", b, NULL, NULL, false,
            M(tracker_of(b, ballot_by(b, 0)), "option 0"), false, NULL);
    }
    {
        /* a ballot replayed from another vote (the voter is in both electorates) */
        json_t *bs = ballots_by(&f, 2);
        json_array_append_new(bs, ballot_of(&g, voters[2].sk, 1));
        json_t *b = board_of(&f, bs, "counting", NULL); /* under another key: no count */
        add("replayed-from-another-vote", "voter 2's ballot of vote v-suite-2 put on v-suite-1's "
            "board: its proofs bind the other vote", b, NULL, NULL, false,
            M(tracker_of(b, ballot_by(b, 2)), "option 0"), false, NULL);
    }
    {
        /* a member excluded from the vote (art. 25a): not in the electorate */
        json_t *bs = ballots_by(&f, 3);
        json_array_append_new(bs, ballot_of(&f, voters[N_VOTERS + 1].sk, 1));
        json_t *b = board_of(&f, bs, "final", NULL);
        add("excluded-member", "a ballot signed by a member excluded from the vote", b, NULL, NULL,
            false, M(tracker_of(b, ballot_by(b, N_VOTERS + 1)), "not in the electorate"), false,
            NULL);
    }

    /* ---- single faults ---------------------------------------------------- */
    {
        json_t *b = board_of(&f, ballots_by(&f, 3), "final", NULL);
        json_t *bal = json_array_get(json_object_get(b, "ballots"), 1);
        const char *s = json_string_value(json_object_get(bal, "signature"));
        char sig[129];
        snprintf(sig, sizeof sig, "%s", s);
        sig[5] = sig[5] == 'a' ? 'b' : 'a';
        json_object_set_new(bal, "signature", json_string(sig));
        json_t *bs = json_object_get(b, "ballots");
        sort_ballots(bs);
        sign(b);
        add("bad-ballot-signature", "one ballot's signature altered (tracker recomputed)", b, NULL,
            NULL, false, M("signature by voter key"), false, NULL);
    }
    {
        json_t *b = board_of(&f, ballots_by(&f, 3), "final", NULL);
        json_array_set_new(json_object_get(b, "result"), 0, json_integer(
            json_integer_value(json_array_get(json_object_get(b, "result"), 0)) + 1));
        sign(b);
        add("wrong-result", "the published counts differ from the decrypted ones (signed)", b,
            NULL, NULL, false, M("result"), false, NULL);
    }
    {
        json_t *b = board_of(&f, ballots_by(&f, 3), "final", NULL);
        json_t *agg = json_object_get(b, "aggregate");
        json_object_set(json_array_get(agg, 0), "alpha", json_object_get(json_array_get(agg, 1), "alpha"));
        sign(b);
        add("wrong-aggregate", "aggregate option 0 is not the sum of the ballots", b, NULL, NULL,
            false, M("aggregate", "option 0"), false, NULL);
    }
    {
        json_t *b = board_of(&c, ballots_by(&c, 3), "counting", NULL);
        json_t *decs = json_object_get(b, "decryptions");
        json_array_append(decs, json_array_get(decs, 0));
        sign(b);
        add("decrypted-twice-counting", "while counting, one trustee's decryption twice (C "
            "skipped this check before v2)", b, NULL, NULL, false, M("twice"), false, NULL);
    }
    {
        json_t *b = board_of(&f, ballots_by(&f, 2), "open", NULL);
        json_object_set_new(b, "aggregate", json_array());
        sign(b);
        add("open-with-aggregate", "state open but an aggregate is published", b, NULL, NULL,
            false, M("state"), false, NULL);
    }
    {
        json_t *b = board_of(&f, ballots_by(&f, 2), "final", NULL);
        json_object_set_new(b, "board_hash", json_string(HEAD0));
        add("wrong-board-hash", "board_hash is not the hash of the board", b, NULL, NULL, false,
            M("board_hash"), false, NULL);
    }
    {
        json_t *b = board_of(&f, ballots_by(&f, 2), "final", NULL);
        json_t *sg = json_object_get(b, "signature");
        char s[129];
        snprintf(s, sizeof s, "%s", json_string_value(json_object_get(sg, "signature")));
        s[0] = s[0] == 'a' ? 'b' : 'a';
        json_object_set_new(sg, "signature", json_string(s));
        add("bad-installation-signature", "the installation's signature altered", b, NULL, NULL,
            false, M("signature"), false, NULL);
    }
    {
        json_t *b = board_of(&f, ballots_by(&f, 2), "final", NULL);
        json_object_set_new(b, "key_changes", json_pack("[{s:s, s:O}]", "name", "Nikt",
                                                        "key", json_object_get(json_object_get(b, "signature"), "key")));
        sign(b);
        add("key-change-unknown-name", "key_changes names someone outside the electorate", b,
            NULL, NULL, false, M("key_changes"), false, NULL);
    }
    {
        json_t *b = board_of(&f, ballots_by(&f, 2), "final", NULL);
        json_t *el = json_object_get(b, "election");
        char big[10002];
        memset(big, 'x', 10001);
        big[10001] = 0;
        json_array_set_new(json_object_get(el, "options"), 2, json_string(big));
        sign(b);
        add("text-too-long", "an option of 10 001 bytes (the limit is 10 000)", b, NULL, NULL,
            false, M("election"), false, NULL);
    }

    /* ---- the JSON profile (text-level) ---------------------------------- */
    {
        json_t *b = board_of(&f, ballots_by(&f, 2), "final", NULL);
        char *t = text_of(b), *r1 = replace1(t, "\"version\":2,", "\"version\":2.0,");
        char *r2 = replace1(t, "\"state\":\"final\"", "\"state\":\"final\",\"state\":\"open\"");
        char *r3 = replace1(t, "\"name\":\"Adam", "\"name\":\"\\u0000Adam");
        add("version-real", "\"version\": 2.0 — a real number, not the integer 2", NULL, r1, NULL,
            false, NULL, false, NULL);
        add("duplicate-key", "a key repeated in one object", NULL, r2, NULL, false, NULL, false,
            NULL);
        add("nul-in-name", "a NUL character in an electorate name", NULL, r3, NULL, false, NULL,
            false, NULL);
        add("final-as-text", "the valid board as text (the readers' baseline)", NULL, t, NULL, true,
            NULL, false, NULL);
        free(t);
        free(r1);
        free(r2);
        free(r3);
        json_decref(b);
    }

    /* ---- against the meeting log ---------------------------------------- */
    {
        json_t *b = board_of(&f, ballots_by(&f, 4), "final", NULL);
        char h[EVOTE_HEX + 1];
        evote_board_hash(b, h);
        json_t *log = log_for(b, 4, h);
        add("log-final", "a final board and the log that commits to it", b, NULL, log, true, NULL,
            true, NULL);
    }
    {
        /* the server drops a ballot and signs the smaller board */
        json_t *b = board_of(&f, ballots_by(&f, 4), "final", NULL);
        json_array_remove(json_object_get(b, "ballots"), 1);
        json_t *b2 = board_of(&f, json_deep_copy(json_object_get(b, "ballots")), "final", NULL);
        json_decref(b);
        char h[EVOTE_HEX + 1];
        evote_board_hash(b2, h);
        json_t *log = log_for(b2, 4, h);
        add("dropped-ballot", "a ballot dropped: the board verifies alone, but the log records 4 "
            "ballots", b2, NULL, log, true, NULL, false, M("log", "4 ballots"));
    }
    {
        json_t *b = board_of(&f, ballots_by(&f, 3), "final", NULL);
        char h[EVOTE_HEX + 1];
        evote_board_hash(b, h);
        json_t *log = log_for(b, 3, h);
        evote_board_sign(b, json_integer_value(json_object_get(b, "log_seq")), HEAD0, inst_sk);
        add("log-head-mismatch", "the board is signed with a log head that is not the log's", b,
            NULL, log, true, NULL, false, M("log_head"));
    }
    {
        /* two differently signed final boards for one vote: the log names one */
        json_t *bs = ballots_by(&f, 3);
        json_t *one = board_of(&f, json_deep_copy(bs), "final", NULL);
        json_array_set_new(bs, 0, ballot_of(&f, voters[0].sk, 2)); /* same count, other content */
        json_t *two = board_of(&f, bs, "final", NULL);
        char h[EVOTE_HEX + 1];
        evote_board_hash(one, h);
        json_t *log = log_for(one, 3, h);
        evote_board_sign(two, json_integer_value(json_object_get(one, "log_seq")),
                         json_string_value(json_object_get(one, "log_head")), inst_sk);
        add("equivocation-logged", "of two signed boards for one vote, the one the log commits "
            "to", one, NULL, json_deep_copy(log), true, NULL, true, NULL);
        add("equivocation-other", "the other signed board: it verifies alone, the log names "
            "another board hash (the two signed copies prove the equivocation)", two, NULL, log,
            true, NULL, false, M("vote.board"));
    }
    fx_election_free(&f);
    fx_election_free(&g);
    fx_election_free(&c);
    return 0;
}
