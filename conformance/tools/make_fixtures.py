#!/usr/bin/env python3
"""Authoring aid: writes conformance/fixtures/ from the shared recordings and the model's boundaries.

The JSON files it writes are the source of truth and are committed; edit or add fixture files
directly (a new case needs no code). Rerun this only to regenerate the whole written set:
    python3 conformance/tools/make_fixtures.py [RECORDINGS]
RECORDINGS defaults to the repository's spec/recordings/real-clients.json (a byte copy of the
shared recordings).
Expected messages are written out here independently of the Rust validators, in the AWS form.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures")
REC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "spec", "recordings", "real-clients.json")
recs = json.load(open(REC))

ACCT = "arn:aws:personalize:us-east-1:123456789012"
MOVIES = f"{ACCT}:solution/movies/7c1b2a3d"
BOOKS = f"{ACCT}:solution/books/0f9e8d7c"
CT = {"content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "(volatile: presence checked)"}
ARN_PATTERN = r"^arn:([a-z\d-]+):personalize:.*:.*:.+$"
TOKEN_PATTERN = r"^\p{ASCII}{0,1500}$"


def job(n, sv=MOVIES, status="ACTIVE", created=None, updated=None, reason=None, name=None):
    j = {
        "batchSegmentJobArn": f"{ACCT}:batch-segment-job/{name or f'segments-{n}'}",
        "jobName": name or f"segments-{n}",
        "status": status,
        "creationDateTime": created if created is not None else 1700000000 + n + 0.123,
        "lastUpdatedDateTime": updated if updated is not None else 1700000360 + n,
        "solutionVersionArn": sv,
    }
    if reason:
        j["failureReason"] = reason
    return j


# The three jobs the recorded (hand-written) responses show.
RECORDED_JOBS = [
    job(1, status="ACTIVE", created=1700000001.123),
    job(2, status="IN PROGRESS", created=1700000002.123),
    job(3, status="CREATE FAILED", created=1700000003.123, reason="Solution version is not active."),
]

BOTO3_HEADERS = {k: v for k, v in recs[16]["headers"].items() if k not in ("authorization", "x-amz-date", "amz-sdk-invocation-id")}


def req(body, headers=None, target="AmazonPersonalize.ListBatchSegmentJobs"):
    h = dict(BOTO3_HEADERS) if headers is None else dict(headers)
    if target is None:
        h.pop("x-amz-target", None)
    else:
        h["x-amz-target"] = target
    h["content-length"] = str(len(body.encode("utf-8")))
    return {"method": "POST", "path": "/", "headers": h, "body": body}


def ok(body):
    return {"status": 200, "headers": dict(CT), "body": body}


def err(kind, message=None):
    b = {"__type": kind}
    if message is not None:
        b["message"] = message
    return {"status": 400, "headers": dict(CT), "body": b}


def invalid(*violations):
    n = len(violations)
    parts = [f"Value {v} at '{at}' failed to satisfy constraint: {rule}" for v, at, rule in violations]
    msg = f"{n} validation error{'s' if n != 1 else ''} detected: " + "; ".join(parts)
    return err("InvalidInputException", msg)


def page(jobs, token=None):
    b = {"batchSegmentJobs": jobs}
    if token:
        b["nextToken"] = token
    return b


def write(group, name, description, steps, seed=None, volatile=None, ignore=None, source="written from the model"):
    f = {"description": description, "source": source}
    if seed is not None:
        f["seed"] = {"batchSegmentJobs": seed}
    if volatile:
        f["volatile"] = volatile
    if ignore:
        f["ignore"] = ignore
    f["steps"] = steps
    d = os.path.join(OUT, group)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name + ".json"), "w") as fh:
        json.dump(f, fh, indent=2, ensure_ascii=False)
        fh.write("\n")


def recorded(i):
    r = recs[i]
    return {"method": r["method"], "path": r["path"], "headers": r["headers"], "body": r["body"]}


def src(*ix):
    clients = sorted({recs[i]["client"] for i in ix})
    return f"recorded: {', '.join(clients)} request(s) #{', #'.join(map(str, ix))} of shared/recordings/real-clients.json"


NEXT = {"fromPreviousResponse": True}
CLIENT_NAMES = {"boto3": "boto3", "aws-cli": "aws-cli", "aws-sdk-js-v3": "js-sdk-v3", "aws-sdk-rust": "rust-sdk"}

# ---- recorded traffic -------------------------------------------------------------------------
for first, second in [(0, 1), (4, 5), (7, 8), (11, 12)]:
    c = CLIENT_NAMES[recs[first]["client"]]
    s2 = recorded(second)
    s2["nextToken"] = NEXT
    write("recorded", f"{c}-pages-through-jobs-of-one-solution-version",
          f"{recs[first]['client']}'s paginator (page size 2) lists the 3 jobs of one solution version: a full page with a token, then the last page without one. The token it sends back is the one the target handed out.",
          [{"request": recorded(first), "response": ok(page(RECORDED_JOBS[:2], "page-2-token"))},
           {"request": s2, "response": ok(page(RECORDED_JOBS[2:]))}],
          seed=RECORDED_JOBS + [job(9, sv=BOOKS, name="other-solution-job")], source=src(first, second))
for i in (2, 6, 9, 13):
    c = CLIENT_NAMES[recs[i]["client"]]
    write("recorded", f"{c}-bogus-next-token-is-invalid-next-token",
          f"{recs[i]['client']} sends nextToken 'bogus', a token no server handed out: 400 InvalidNextTokenException (its message text is not specified, so only its presence is checked).",
          [{"request": recorded(i), "response": err("InvalidNextTokenException", "Invalid next token")}],
          volatile=["/message"], source=src(i))
for i in (3, 10, 14):
    c = CLIENT_NAMES[recs[i]["client"]]
    write("recorded", f"{c}-well-formed-arn-of-unknown-solution-version-lists-nothing",
          f"{recs[i]['client']} filters on 'arn:aws:personalize:us-east-1:1:bad', which satisfies the model's ARN pattern and length, so it passes validation and simply matches no job: 200 with an empty list (the recording's hand-written InvalidInputException is not what the service answers).",
          [{"request": recorded(i), "response": ok(page([]))}],
          seed=RECORDED_JOBS, source=src(i))
write("recorded", "rust-sdk-max-results-zero-is-invalid-input",
      "The AWS SDK for Rust sends maxResults 0 (it does not check the minimum client-side); the service enforces the range 1..100.",
      [{"request": recorded(15), "response": invalid(("'0'", "maxResults", "Member must have value greater than or equal to 1"))}],
      source=src(15))
for i in (16, 17):
    c = CLIENT_NAMES[recs[i]["client"]]
    write("recorded", f"{c}-empty-input-lists-every-job",
          f"{recs[i]['client']} sends an empty input as the body '{{}}': every job is listed on one page (default page size 100), no nextToken.",
          [{"request": recorded(i), "response": ok(page(RECORDED_JOBS + [job(9, sv=BOOKS, name="other-solution-job")]))}],
          seed=RECORDED_JOBS + [job(9, sv=BOOKS, name="other-solution-job")], source=src(i))

# ---- maxResults ------------------------------------------------------------------------------
MR = "maxResults"
for value, rule in [("-1", "Member must have value greater than or equal to 1"),
                    ("0", "Member must have value greater than or equal to 1"),
                    ("101", "Member must have value less than or equal to 100"),
                    ("2147483647", "Member must have value less than or equal to 100")]:
    name = {"-1": "negative-one", "0": "zero", "101": "101", "2147483647": "int32-max"}[value]
    write("max-results", f"{name}-is-invalid-input",
          f"maxResults {value} is outside the model's range 1..100: 400 InvalidInputException in the AWS validation form.",
          [{"request": req(f'{{"maxResults": {value}}}'), "response": invalid((f"'{value}'", MR, rule))}])
many = [job(n, created=1700000000 + n * 10 + 0.5, updated=1700100000 + n) for n in range(1, 102)]
write("max-results", "100-gives-a-full-page-and-a-token",
      "maxResults 100 (the maximum) over 101 jobs: a page of 100 with a token, then a last page of 1 without one.",
      [{"request": req('{"maxResults": 100}'), "response": ok(page(many[:100], "token"))},
       {"request": dict(req('{"maxResults": 100, "nextToken": "token"}'), nextToken=NEXT), "response": ok(page(many[100:]))}],
      seed=many)
write("max-results", "absent-defaults-to-100",
      "Without maxResults the page size is 100 (documented default): 101 jobs come as 100 + 1.",
      [{"request": req("{}"), "response": ok(page(many[:100], "token"))},
       {"request": dict(req('{"nextToken": "token"}'), nextToken=NEXT), "response": ok(page(many[100:]))}],
      seed=many)
three = RECORDED_JOBS
write("max-results", "1-pages-one-job-at-a-time",
      "maxResults 1 (the minimum) walks 3 jobs in 3 pages; only the last page lacks a token.",
      [{"request": req('{"maxResults": 1}'), "response": ok(page(three[:1], "t1"))},
       {"request": dict(req('{"maxResults": 1, "nextToken": "t1"}'), nextToken=NEXT), "response": ok(page(three[1:2], "t2"))},
       {"request": dict(req('{"maxResults": 1, "nextToken": "t2"}'), nextToken=NEXT), "response": ok(page(three[2:]))}],
      seed=three)
write("max-results", "exactly-full-last-page-has-no-token",
      "maxResults 2 over exactly 2 jobs: one page holding both, and no nextToken since nothing follows.",
      [{"request": req('{"maxResults": 2}'), "response": ok(page(three[:2]))}], seed=three[:2])
write("max-results", "page-size-may-change-between-pages",
      "A token obtained with maxResults 1 may be used with maxResults 2: 1 job, then the remaining 2.",
      [{"request": req('{"maxResults": 1}'), "response": ok(page(three[:1], "t1"))},
       {"request": dict(req('{"maxResults": 2, "nextToken": "t1"}'), nextToken=NEXT), "response": ok(page(three[1:]))}],
      seed=three)

# ---- nextToken -------------------------------------------------------------------------------
t1500 = "A" * 1500
write("next-token", "1500-ascii-chars-passes-validation-but-is-not-a-token",
      "A nextToken of exactly 1500 ASCII characters satisfies the length and pattern constraints, but no server issued it: 400 InvalidNextTokenException, not InvalidInputException.",
      [{"request": req(json.dumps({"nextToken": t1500})), "response": err("InvalidNextTokenException", "Invalid next token")}],
      volatile=["/message"])
t1501 = "A" * 1501
write("next-token", "1501-chars-is-invalid-input",
      "A nextToken of 1501 characters breaks the length limit 1500 and, since the pattern is ^\\p{ASCII}{0,1500}$, the pattern too: two violations.",
      [{"request": req(json.dumps({"nextToken": t1501})),
        "response": invalid((f"'{t1501}'", "nextToken", "Member must have length less than or equal to 1500"),
                            (f"'{t1501}'", "nextToken", f"Member must satisfy regular expression pattern: {TOKEN_PATTERN}"))}])
na = "page-2-tökén"
write("next-token", "non-ascii-is-invalid-input",
      "A nextToken with non-ASCII characters breaks the pattern ^\\p{ASCII}{0,1500}$ (sent as raw UTF-8).",
      [{"request": req(json.dumps({"nextToken": na}, ensure_ascii=False)),
        "response": invalid((f"'{na}'", "nextToken", f"Member must satisfy regular expression pattern: {TOKEN_PATTERN}"))}])
write("next-token", "non-ascii-as-json-escape-is-invalid-input",
      "The same non-ASCII nextToken written with JSON \\u escapes: the decoded value is what is validated.",
      [{"request": req(json.dumps({"nextToken": na})),
        "response": invalid((f"'{na}'", "nextToken", f"Member must satisfy regular expression pattern: {TOKEN_PATTERN}"))}])
two_sv = three + [job(4, sv=BOOKS, created=1700000004.123), job(5, sv=BOOKS, created=1700000005.123)]
write("next-token", "token-replayed-with-another-filter-is-invalid-next-token",
      "A token handed out for one solutionVersionArn, sent with another: 400 InvalidNextTokenException (a token is bound to the query that produced it). Which movies job comes first is not specified, so page 1's single item is volatile.",
      [{"request": req(json.dumps({"solutionVersionArn": MOVIES, "maxResults": 1})), "response": ok(page(three[:1], "t1"))},
       {"request": dict(req(json.dumps({"solutionVersionArn": BOOKS, "maxResults": 1, "nextToken": "t1"})), nextToken=NEXT),
        "response": err("InvalidNextTokenException", "Invalid next token")}],
      seed=two_sv, volatile=["/message", "/batchSegmentJobs/0"])

# ---- solutionVersionArn ----------------------------------------------------------------------
SV = "solutionVersionArn"
write("solution-version-arn", "filter-lists-only-that-solution-versions-jobs",
      "solutionVersionArn filters by exact match: of 5 jobs over two solution versions, only the 2 of the books version come back.",
      [{"request": req(json.dumps({SV: BOOKS})), "response": ok(page(two_sv[3:]))}], seed=two_sv)
write("solution-version-arn", "filter-is-exact-not-prefix",
      "A filter that is a prefix of a stored job's solutionVersionArn matches nothing.",
      [{"request": req(json.dumps({SV: MOVIES[:-2]})), "response": ok(page([]))}], seed=three)
prefix = f"{ACCT}:solution/"
a256 = prefix + "é" * (256 - len(prefix))
assert len(a256) == 256
write("solution-version-arn", "256-chars-mostly-two-byte-is-valid",
      "An ARN of 256 characters (over 400 bytes: most are 'é', two bytes in UTF-8) is within the limit, which counts characters: 200, no job matches.",
      [{"request": req(json.dumps({SV: a256}, ensure_ascii=False)), "response": ok(page([]))}], seed=three)
a257 = a256 + "é"
write("solution-version-arn", "257-chars-is-invalid-input",
      "An ARN of 257 characters breaks the length limit 256 (the pattern still matches).",
      [{"request": req(json.dumps({SV: a257}, ensure_ascii=False)),
        "response": invalid((f"'{a257}'", SV, "Member must have length less than or equal to 256"))}])
for name, value, why in [
        ("not-an-arn", "not-an-arn", "a value that is not an ARN at all"),
        ("other-service", "arn:aws:s3:::my-bucket", "an ARN of another service"),
        ("uppercase-partition", "arn:AWS:personalize:us-east-1:123456789012:solution/x", "an upper-case partition, outside [a-z\\d-]"),
        ("empty-resource", "arn:aws:personalize:us-east-1:123456789012:", "an ARN whose resource part is empty"),
        ("empty-string", "", "the empty string (length 0 is allowed, the pattern is not met)")]:
    write("solution-version-arn", f"pattern-miss-{name}-is-invalid-input",
          f"solutionVersionArn is {why}: 400 InvalidInputException naming the pattern.",
          [{"request": req(json.dumps({SV: value})),
            "response": invalid((f"'{value}'", SV, f"Member must satisfy regular expression pattern: {ARN_PATTERN}"))}])
x257 = "x" * 257
write("solution-version-arn", "257-chars-and-pattern-miss-gives-two-violations",
      "One member breaking two constraints (length and pattern) gives two violations in one message.",
      [{"request": req(json.dumps({SV: x257})),
        "response": invalid((f"'{x257}'", SV, "Member must have length less than or equal to 256"),
                            (f"'{x257}'", SV, f"Member must satisfy regular expression pattern: {ARN_PATTERN}"))}])
write("validation", "every-member-invalid-gives-three-violations",
      "Every member invalid at once: all three violations are reported in one InvalidInputException, in member order.",
      [{"request": req(json.dumps({SV: "bad", "nextToken": "é", MR: 101}, ensure_ascii=False)),
        "response": invalid(("'bad'", SV, f"Member must satisfy regular expression pattern: {ARN_PATTERN}"),
                            ("'é'", "nextToken", f"Member must satisfy regular expression pattern: {TOKEN_PATTERN}"),
                            ("'101'", MR, "Member must have value less than or equal to 100"))}])

# ---- store state -----------------------------------------------------------------------------
write("store", "empty-store-lists-an-empty-list",
      "With no job stored, an empty input gives 200 with an empty batchSegmentJobs list and no nextToken.",
      [{"request": req("{}"), "response": ok(page([]))}], seed=[])
write("store", "empty-store-with-filter-lists-an-empty-list",
      "With no job stored, a filtered listing gives an empty list too.",
      [{"request": req(json.dumps({SV: MOVIES, MR: 5})), "response": ok(page([]))}], seed=[])
statuses = [job(1, status="PENDING", created=1700000001.0), job(2, status="IN PROGRESS", created=1700000002.0),
            job(3, status="ACTIVE", created=1700000003.0),
            job(4, status="CREATE FAILED", created=1700000004.0, reason="Input data not found in s3://bucket/input.json")]
write("store", "every-documented-status-round-trips",
      "Jobs in each documented status (PENDING, IN PROGRESS with a space, ACTIVE, CREATE FAILED with its failureReason) come back unchanged.",
      [{"request": req("{}"), "response": ok(page(statuses))}], seed=statuses)
ts = [job(1, created=1700000001.123, updated=1700000001.124), job(2, created=1700000002.001, updated=1700000002.999),
      job(3, created=1700000003.5, updated=1700000003), job(4, created=1700000004, updated=1700000004.01),
      job(5, created=946684800.999, updated=4102444799.001)]
write("timestamps", "milliseconds-come-back-exact",
      "Timestamps travel as epoch seconds with their milliseconds: .123, .001, .999, .5, .01 and whole seconds come back exactly as stored (no .122999).",
      [{"request": req("{}"), "response": ok(page(ts))}], seed=ts)

# ---- members ---------------------------------------------------------------------------------
write("members", "unknown-members-are-ignored",
      "Members the model does not define are ignored: the request is served as if they were absent.",
      [{"request": req(json.dumps({SV: MOVIES, "futureMember": {"nested": [1, 2]}, "MaxResults": 1})), "response": ok(page(three))}],
      seed=three + [job(9, sv=BOOKS, name="other-solution-job")])
write("members", "explicit-nulls-are-absent",
      "Explicit null members read as absent: every job, default page size.",
      [{"request": req(json.dumps({SV: None, "nextToken": None, MR: None})), "response": ok(page(three))}], seed=three)
write("members", "content-type-with-charset-is-accepted",
      "Content-Type application/x-amz-json-1.1; charset=utf-8 is the same protocol.",
      [{"request": req(json.dumps({SV: MOVIES, MR: 10}), headers=dict(BOTO3_HEADERS, **{"content-type": "application/x-amz-json-1.1; charset=utf-8"})),
        "response": ok(page(three))}], seed=three)
write("members", "whitespace-and-member-order-do-not-matter",
      "JSON formatting is not significant: pretty-printed body with members in reverse order.",
      [{"request": req('{\n  "maxResults" : 10 ,\n  "solutionVersionArn" : "%s"\n}\n' % MOVIES), "response": ok(page(three))}], seed=three)

# ---- protocol errors -------------------------------------------------------------------------
PROTO_IGNORE = ["/message", "/Message"]
for name, body, why in [
        ("malformed-json-is-serialization-exception", '{"maxResults": 2', "a body that is not valid JSON (truncated)"),
        ("non-object-body-array-is-serialization-exception", "[]", "a JSON array instead of an object"),
        ("non-object-body-string-is-serialization-exception", '"maxResults"', "a JSON string instead of an object"),
        ("max-results-as-string-is-serialization-exception", '{"maxResults": "2"}', "maxResults sent as a string"),
        ("max-results-as-boolean-is-serialization-exception", '{"maxResults": true}', "maxResults sent as a boolean"),
        ("arn-as-number-is-serialization-exception", '{"solutionVersionArn": 7}', "solutionVersionArn sent as a number"),
        ("next-token-as-object-is-serialization-exception", '{"nextToken": {}}', "nextToken sent as an object")]:
    write("protocol", name, f"{why[0].upper()}{why[1:]}: 400 SerializationException (error type compared without namespace; message text not specified).",
          [{"request": req(body), "response": err("SerializationException")}], ignore=PROTO_IGNORE)
for name, target, why in [
        ("unknown-operation-is-unknown-operation-exception", "AmazonPersonalize.ListBatchSegmentJob", "an X-Amz-Target naming no operation of the service"),
        ("wrong-target-prefix-is-unknown-operation-exception", "AmazonPersonalizeRuntime.ListBatchSegmentJobs", "the right operation under another service's target prefix"),
        ("missing-target-is-unknown-operation-exception", None, "no X-Amz-Target header at all")]:
    write("protocol", name, f"A request with {why}: 400 UnknownOperationException.",
          [{"request": req("{}", target=target), "response": err("UnknownOperationException")}], ignore=PROTO_IGNORE)
print("ok")
