"""verify_board.py — a third, independent verifier of obrady's version 2
bulletin boards, written from docs/verifiable-voting.md (section 13 and the
v1 sections it builds on) in Python 3 with libsodium through ctypes: the
election, every ballot (proofs bound to the option, tracker, key in force,
signature), the tally, the board hash and the installation's signature, and
optionally the board against the meeting's exported log.

    python3 verify_board.py BOARD.json [--log LOG.json]"""

import sys

import sodium as S
from common import (Fail, canonical, enc, exactly, get_point, get_scalar, hs, is_hex, is_int,
                    is_text, lin, lin_g, need, parse_profile, sha256, small)

ELECTION_KEYS = ["version", "vote_id", "meeting_id", "title", "question", "options", "min",
                 "max", "trustee_groups", "public_key", "electorate"]
BOARD_KEYS = ["version", "state", "election", "election_hash", "key_changes", "ballots",
              "aggregate", "decryptions", "result", "log_seq", "log_head", "board_hash",
              "signature"]


def key_ok(k):
    return is_hex(k, 32) and S.is_ed25519_key(bytes.fromhex(k))


# ---- election (sections 5, 6 and 13.1) --------------------------------------
def parse_election(el):
    need(isinstance(el, dict), "election: not an object")
    need(el.get("version") == 2 and is_int(el.get("version")), "election: version must be the integer 2")
    need(exactly(el, ELECTION_KEYS), "election: a version 2 election has exactly " + ", ".join(ELECTION_KEYS))
    for k, empty_ok in (("vote_id", False), ("meeting_id", False), ("title", True), ("question", True)):
        need(is_text(el[k], empty_ok), f"election: {k} must be text")
    opts = el["options"]
    need(isinstance(opts, list) and 1 <= len(opts) <= 64 and all(is_text(o) for o in opts),
         "election: options must be 1 to 64 texts")
    n, lo, hi = len(opts), el["min"], el["max"]
    need(is_int(lo) and is_int(hi) and 0 <= lo <= hi <= n and hi >= 1,
         "election: need 0 <= min <= max <= number of options, max >= 1")
    Y = get_point(el["public_key"], "election: public_key")
    entries = {}
    prev = None
    for i, v in enumerate(el["electorate"] if isinstance(el["electorate"], list) else [None]):
        need(exactly(v, ["name", "key"]) and is_text(v["name"]) and (v["key"] is None or is_hex(v["key"], 32)),
             f"election: electorate entry {i} is not {{name, key}}")
        need(v["key"] is None or key_ok(v["key"]), f"election: electorate entry {i}: not an Ed25519 key")
        nb = v["name"].encode("utf-8")
        need(prev is None or prev < nb, f"election: electorate entry {i}: names are not strictly ascending")
        prev = nb
        entries[v["name"]] = v["key"]
    groups, ids, Ysum = [], set(), S.IDENTITY
    tg = el["trustee_groups"]
    need(isinstance(tg, list) and 1 <= len(tg) <= 4, "election: trustee_groups must be 1 to 4 groups")
    for g, grp in enumerate(tg):
        need(exactly(grp, ["threshold", "members"]) and isinstance(grp["members"], list)
             and 1 <= len(grp["members"]) <= 32 and is_int(grp["threshold"])
             and 1 <= grp["threshold"] <= len(grp["members"]), f"election: trustee group {g} is malformed")
        t, members = grp["threshold"], []
        for m in grp["members"]:
            keys = ["id", "index", "coefficients", "pok"] + (["name"] if isinstance(m, dict) and "name" in m else [])
            need(exactly(m, keys) and is_text(m["id"]) and is_int(m["index"])
                 and 1 <= m["index"] <= len(grp["members"]) and isinstance(m["coefficients"], list)
                 and len(m["coefficients"]) == t and exactly(m["pok"], ["challenge", "response"]),
                 f"election: trustee group {g} member is malformed")
            need(m["id"] not in ids, f"election: trustee id {m['id']} repeats")
            ids.add(m["id"])
            C = [get_point(c, f"election: trustee {m['id']} coefficient {k}") for k, c in enumerate(m["coefficients"])]
            c = get_scalar(m["pok"]["challenge"], f"election: trustee {m['id']} pok")
            s = get_scalar(m["pok"]["response"], f"election: trustee {m['id']} pok")
            need(hs("obrady/v1/pok", el["vote_id"], m["id"], C[0], lin_g(s, c, C[0])) == c,
                 f"election: trustee {m['id']}: proof of knowledge of the key fails")
            members.append({"id": m["id"], "index": m["index"], "C": C})
        need(len({m["index"] for m in members}) == len(members), f"election: trustee group {g} repeats an index")
        Sk = []
        for k in range(t):
            acc = S.IDENTITY
            for m in members:
                acc = S.add(acc, m["C"][k])
            Sk.append(acc)
        for m in members:
            acc = S.IDENTITY
            for k in range(t):
                acc = S.add(acc, S.mul(S.scalar(m["index"] ** k), Sk[k]))
            m["VK"] = acc
        Ysum = S.add(Ysum, Sk[0])
        groups.append({"threshold": t, "members": members})
    need(Ysum == Y, "election: public_key is not the sum of the trustees' keys")
    eh = sha256(canonical(el).encode("utf-8"))
    return {"el": el, "eh": eh, "Y": Y, "n": n, "min": lo, "max": hi, "vote_id": el["vote_id"],
            "groups": groups, "entries": entries}


def keys_in_force(entries, where):
    out = {}
    for name, key in entries.items():
        if key is not None:
            need(key not in out, f"{where}: the key {key} is in force for two names")
            out[key] = name
    return out


def apply_key_changes(ctx, changes):
    need(isinstance(changes, list) and len(changes) <= len(ctx["entries"]), "key_changes must be an array")
    entries, prev = dict(ctx["entries"]), None
    for i, c in enumerate(changes):
        need(exactly(c, ["name", "key"]) and isinstance(c["name"], str) and key_ok(c["key"]),
             f"key_changes entry {i} is not {{name, key}}")
        nb = c["name"].encode("utf-8")
        need(prev is None or prev < nb, f"key_changes entry {i}: names are not strictly ascending")
        need(c["name"] in entries, f"key_changes entry {i}: {c['name'][:80]} is not in the electorate")
        need(entries[c["name"]] != c["key"], f"key_changes entry {i}: the key is the frozen one")
        entries[c["name"]] = c["key"]
        prev = nb
    ctx["force"] = keys_in_force(entries, "key_changes")


# ---- ballots (sections 7 and 13.3-13.4) -------------------------------------
def tracker_of(b):
    return sha256(canonical({k: v for k, v in b.items() if k != "tracker"}).encode("utf-8")).hex()


def ballot_message(eh, b):
    rest = {k: v for k, v in b.items() if k not in ("signature", "tracker")}
    return enc(b"obrady/v2/ballot") + enc(eh) + enc(canonical(rest).encode("utf-8"))


def multi(p, n, where):
    need(exactly(p, ["challenges", "responses"]) and isinstance(p["challenges"], list)
         and isinstance(p["responses"], list) and len(p["challenges"]) == n == len(p["responses"]),
         f"{where}: needs {n} challenges and responses")
    return ([get_scalar(c, where) for c in p["challenges"]], [get_scalar(s, where) for s in p["responses"]])


def verify_ballot(ctx, b, label):
    need(exactly(b, ["voter_key", "choices", "sum_proof", "signature", "tracker"]), f"{label}: malformed")
    need(is_hex(b["voter_key"], 32), f"{label}: voter_key must be 64 lowercase hex digits")
    need(is_hex(b["signature"], 64), f"{label}: signature must be 128 lowercase hex digits")
    key = bytes.fromhex(b["voter_key"])
    eh, Y, vid = ctx["eh"], ctx["Y"], ctx["vote_id"]
    ch = b["choices"]
    need(isinstance(ch, list) and len(ch) == ctx["n"], f"{label}: choices must hold one entry per option")
    A, B, alphas, betas = S.IDENTITY, S.IDENTITY, [], []
    for j, c in enumerate(ch):
        need(exactly(c, ["alpha", "beta", "proof"]), f"{label}: option {j}: malformed")
        a = get_point(c["alpha"], f"{label}: option {j}")
        be = get_point(c["beta"], f"{label}: option {j}")
        cs, ss = multi(c["proof"], 2, f"{label}: option {j}")
        pts = []
        for k in (0, 1):
            pts += [lin_g(ss[k], cs[k], a), lin(ss[k], Y, cs[k], S.sub(be, small(k)) if k else be)]
        h = hs("obrady/v2/01", eh, vid, key, j, a, be, *pts)
        need(S.scalar((S.scalar_int(cs[0]) + S.scalar_int(cs[1]))) == h, f"{label}: option {j}: the 0/1 proof fails")
        A, B = S.add(A, a), S.add(B, be)
        alphas.append(a)
        betas.append(be)
    lo, hi = ctx["min"], ctx["max"]
    cs, ss = multi(b["sum_proof"], hi - lo + 1, f"{label}: sum_proof")
    pts = []
    for i, m in enumerate(range(lo, hi + 1)):
        pts += [lin_g(ss[i], cs[i], A), lin(ss[i], Y, cs[i], S.sub(B, small(m)))]
    total = S.scalar(sum(S.scalar_int(c) for c in cs))
    need(hs("obrady/v2/sum", eh, vid, key, A, B, *pts) == total,
         f"{label}: the proof that between {lo} and {hi} options are chosen fails")
    need(tracker_of(b) == b["tracker"], f"{label}: the tracker is not the ballot's hash")
    need(b["voter_key"] in ctx["force"], f"{label}: voter key {b['voter_key']} is not in the electorate")
    need(S.sign_verify(bytes.fromhex(b["signature"]), ballot_message(eh, b), key),
         f"{label}: the signature by voter key {b['voter_key']} over the election and the ballot fails")
    return alphas, betas


# ---- tally (section 8) ---------------------------------------------------------
def lagrange(Sx, j):
    num, den = 1, 1
    for m in Sx:
        if m != j:
            num, den = num * m % S.L, den * (m - j) % S.L
    return S.scalar(num * pow(den, -1, S.L))


def check_tally(ctx, board, A, B):
    n = ctx["n"]
    agg = board["aggregate"]
    need(isinstance(agg, list) and len(agg) == n, f"aggregate: must be one entry per option ({n})")
    for j, c in enumerate(agg):
        need(exactly(c, ["alpha", "beta"]), f"aggregate: option {j}: malformed")
        need(get_point(c["alpha"], f"aggregate: option {j}", True) == A[j]
             and get_point(c["beta"], f"aggregate: option {j}", True) == B[j],
             f"aggregate: option {j} is not the sum of the ballots")
    seen, per_group = set(), [[] for _ in ctx["groups"]]
    for d in board["decryptions"]:
        need(exactly(d, ["group", "index", "factors", "proofs"]) and is_int(d["group"]) and is_int(d["index"])
             and 0 <= d["group"] < len(ctx["groups"]), "a decryption is malformed")
        mem = [m for m in ctx["groups"][d["group"]]["members"] if m["index"] == d["index"]]
        who = f"trustee (group {d['group']}, index {d['index']})"
        need(mem, f"decryption by an unknown {who}")
        need((d["group"], d["index"]) not in seen, f"{who} decrypted twice")
        seen.add((d["group"], d["index"]))
        need(isinstance(d["factors"], list) and isinstance(d["proofs"], list)
             and len(d["factors"]) == n == len(d["proofs"]), f"{who}: one factor and proof per option")
        Ds = []
        for j in range(n):
            D = get_point(d["factors"][j], f"{who}: option {j}", True)
            p = d["proofs"][j]
            need(exactly(p, ["challenge", "response"]), f"{who}: option {j}: malformed proof")
            c, s = get_scalar(p["challenge"], who), get_scalar(p["response"], who)
            VK = mem[0]["VK"]
            need(hs("obrady/v1/dleq", ctx["eh"], VK, A[j], D, lin_g(s, c, VK), lin(s, A[j], c, D)) == c,
                 f"{who}: option {j}: the decryption proof fails")
            Ds.append(D)
        per_group[d["group"]].append((d["index"], Ds))
    if board["result"] is None:
        return None
    total = [S.IDENTITY] * n
    for g, grp in enumerate(ctx["groups"]):
        got = per_group[g]
        need(len(got) >= grp["threshold"], f"trustee group {g}: {len(got)} decryptions, the threshold is {grp['threshold']}")
        idx = [i for i, _ in got]
        for i, Ds in got:
            lam = lagrange(idx, i)
            for j in range(n):
                total[j] = S.add(total[j], S.mul(lam, Ds[j]))
    counts, n_ballots = [], len(board["ballots"])
    for j in range(n):
        M, acc, k = S.sub(B[j], total[j]), S.IDENTITY, 0
        while acc != M and k < n_ballots:
            acc, k = S.add(acc, S.G), k + 1
        need(acc == M, f"result: option {j} is not a count between 0 and {n_ballots}")
        counts.append(k)
    need(counts == board["result"], "result: the published counts differ from the decrypted ones")
    return counts


# ---- the board (section 13) -----------------------------------------------------
def board_hash(board):
    rest = {k: v for k, v in board.items() if k not in ("board_hash", "log_seq", "log_head", "signature")}
    return sha256(canonical(rest).encode("utf-8")).hex()


def verify(board):
    need(isinstance(board, dict), "the board is not a JSON object")
    need(is_int(board.get("version")) and board.get("version") == 2, "version must be the integer 2")
    need(exactly(board, BOARD_KEYS), "a version 2 board has exactly " + ", ".join(BOARD_KEYS))
    ctx = parse_election(board["election"])
    need(board["election_hash"] == ctx["eh"].hex(), f"election_hash: the election's hash is {ctx['eh'].hex()}")
    state, agg, decs, res = board["state"], board["aggregate"], board["decryptions"], board["result"]
    need(state in ("open", "counting", "final"), "state must be open, counting or final")
    need(isinstance(decs, list), "decryptions must be an array")
    if state == "open":
        need(agg is None and not decs and res is None, "state open: aggregate and result must be null, decryptions empty")
    else:
        need(isinstance(agg, list), f"state {state}: aggregate must be an array")
    need((state == "final") == (res is not None), f"state {state}: result must be {'the counts' if state == 'final' else 'null'}")
    apply_key_changes(ctx, board["key_changes"])
    ballots = board["ballots"]
    need(isinstance(ballots, list), "ballots must be an array")
    need(len(ballots) <= len(ctx["force"]), f"{len(ballots)} ballots but only {len(ctx['force'])} voters have a key")
    prev, keys = None, set()
    for i, b in enumerate(ballots):
        t = b.get("tracker") if isinstance(b, dict) else None
        need(is_hex(t, 32), f"ballot {i}: no tracker")
        need(prev is None or prev < t, f"ballot {i} (tracker {t}): ballots are not sorted by tracker")
        need(is_hex(b.get("voter_key"), 32), f"ballot {i} (tracker {t}): voter_key malformed")
        need(b["voter_key"] not in keys, f"voter key {b['voter_key']} has more than one ballot")
        keys.add(b["voter_key"])
        prev = t
    A, B = [S.IDENTITY] * ctx["n"], [S.IDENTITY] * ctx["n"]
    for i, b in enumerate(ballots):
        al, be = verify_ballot(ctx, b, f"ballot {i} (tracker {b['tracker']})")
        A = [S.add(x, y) for x, y in zip(A, al)]
        B = [S.add(x, y) for x, y in zip(B, be)]
    result = check_tally(ctx, board, A, B) if state != "open" else None
    need(is_int(board["log_seq"]) and board["log_seq"] >= 1, "log_seq must be an integer from 1")
    need(is_hex(board["log_head"], 32), "log_head must be 64 lowercase hex digits")
    h = board_hash(board)
    need(board["board_hash"] == h, f"board_hash: the board's hash is {h}")
    sg = board["signature"]
    need(exactly(sg, ["key", "signature"]) and is_hex(sg["key"], 32) and is_hex(sg["signature"], 64),
         "signature must be {key, signature}")
    msg = (enc(b"obrady/v2/board") + enc(bytes.fromhex(h)) + enc(board["log_seq"].to_bytes(8, "big"))
           + enc(bytes.fromhex(board["log_head"])))
    need(S.sign_verify(bytes.fromhex(sg["signature"]), msg, bytes.fromhex(sg["key"])),
         f"signature: the installation key {sg['key']} did not sign this board hash and log head")
    return {"vote_id": ctx["vote_id"], "state": state, "ballots": len(ballots), "result": result,
            "board_hash": h, "sign_key": sg["key"], "election_hash": ctx["eh"].hex()}


# ---- against the meeting log (section 13.6) ----------------------------------------
def verify_log(log, board, summary):
    need(isinstance(log, list) and log, "log: not a non-empty array of events")
    el = board["election"]
    prev = "0" * 64
    for i, ev in enumerate(log):
        need(isinstance(ev, dict) and ev.get("seq") == i + 1 and ev.get("meeting") == el["meeting_id"],
             f"log: event {i + 1} is malformed or out of order")
        fields = {k: ev[k] for k in ("actor", "meeting", "payload", "seq", "ts", "type", "vis")}
        fields["prev"] = prev
        need(sha256(canonical(fields).encode("utf-8")).hex() == ev.get("hash"),
             f"log: event {i + 1} does not hash to its recorded hash (the chain is broken)")
        prev = ev["hash"]
    seq = board["log_seq"]
    need(seq <= len(log), f"log_seq {seq}: the log has only {len(log)} events")
    need(log[seq - 1]["hash"] == board["log_head"],
         f"log_head: event {seq} of the log has hash {log[seq - 1]['hash']}")
    vid, opened, n_ballots, anchored = el["vote_id"], False, 0, summary["state"] == "open"
    for ev in log[:seq]:
        p = ev["payload"]
        if p.get("vote_id") != vid:
            continue
        if ev["type"] == "vote.opened":
            opened = p.get("election_hash") == summary["election_hash"]
        n_ballots += ev["type"] == "vote.ballot"
        if ev["type"] == "vote.board" and p.get("board_hash") == summary["board_hash"] and p.get("state") == summary["state"]:
            anchored = True
    need(opened, f"log: no vote.opened event of vote {vid} with this election hash")
    need(n_ballots == summary["ballots"], f"log: {n_ballots} ballots of vote {vid} recorded, the board has {summary['ballots']}")
    need(anchored, f"log: no vote.board event names this {summary['state']} board")


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--log"):
        print("usage: verify_board.py BOARD.json [--log LOG.json]", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            board = parse_profile(f.read())
        s = verify(board)
        if len(argv) == 4:
            with open(argv[3], encoding="utf-8") as f:
                verify_log(parse_profile(f.read()), board, s)
    except Fail as e:
        print(f"FAILED: {e}")
        return 1
    print(f"verified: vote {s['vote_id']}, state {s['state']}, {s['ballots']} ballots, result {s['result']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
