#!/usr/bin/env python3
"""Authoring aid: writes the CreateBatchSegmentJob / DescribeBatchSegmentJob fixtures.

The request of every step is captured from boto3 (the one in <workspace>/.venv): boto3 sends it to
a loopback listener of this script, which answers with the step's expected response (as the
shared recordings were made), and the exact bytes and headers it sent become the fixture's
request. Parameter validation is switched off in boto3 so that it sends invalid inputs as given.

Expected responses are written from the model (spec/models/personalize-2018-05-22.json):
statuses from each error's @httpError, constraints from the shapes. Where the real service's
exact message text is not knowable from the model (missing-member wording and order, nested
member paths, the rendering of a list value, the text of ResourceNotFound / ResourceAlreadyExists),
the fixture matches the message by a pattern ("patterns") or checks only its presence
("volatile"), and its description says so.

    .venv/bin/python conformance/tools/make_job_fixtures.py
"""
import json
import os

from boto3_capture import BOTO3, Capture

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures")
MODEL = os.path.join(HERE, "..", "..", "spec", "models", "personalize-2018-05-22.json")
SHAPES = json.load(open(MODEL))["shapes"]


def http_status(error):
    return SHAPES[f"com.amazonaws.personalize#{error}"]["traits"]["smithy.api#httpError"]


def pattern_of(shape):
    return SHAPES[f"com.amazonaws.personalize#{shape}"]["traits"]["smithy.api#pattern"]


ARN_PATTERN = pattern_of("Arn")
NAME_PATTERN = pattern_of("Name")
ROLE_PATTERN = pattern_of("RoleArn")

ACCT = "arn:aws:personalize:us-east-1:123456789012"
ROLE = "arn:aws:iam::123456789012:role/PersonalizeS3Access"
IN_PATH = "s3://conformance-bucket/segments/input.json"
OUT_PATH = "s3://conformance-bucket/segments/output/"
KMS = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
FILTER = f"{ACCT}:filter/only-new-users"
CT = {"content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "(volatile: presence checked)"}
STATUS_BEFORE_DONE = r"^(PENDING|IN PROGRESS|ACTIVE)$"
CREATE = "AmazonPersonalize.CreateBatchSegmentJob"
DESCRIBE = "AmazonPersonalize.DescribeBatchSegmentJob"
LIST = "AmazonPersonalize.ListBatchSegmentJobs"
DROP_HEADERS = ("authorization", "x-amz-date", "amz-sdk-invocation-id")
ESCAPED = {c: "\\" + c for c in r".^$*+?()[]{}|\/"}


def regex_escape(text):
    return "".join(ESCAPED.get(c, c) for c in text)


def sv(name):
    return f"{ACCT}:solution/{name}/0a1b2c3d"


def job_arn(name):
    return f"{ACCT}:batch-segment-job/{name}"


# ---- capture ---------------------------------------------------------------------------------
CAPTURE = Capture(DROP_HEADERS)


def capture(method, params, response):
    """The request boto3 sends for `method(**params)`, answered with `response`."""
    return CAPTURE.request(method, params, response["status"], response["body"])


def ok(body):
    return {"status": 200, "headers": dict(CT), "body": body}


def err(kind, message):
    r = {"status": 400, "headers": dict(CT), "body": {"__type": kind, "message": message}}
    modeled = http_status(kind)
    if modeled != 400:
        r["otherStatuses"] = [modeled]
    return r


STATUS_NOTE = ("The AWS API Reference gives HTTP 400 for every Personalize error; the Smithy model's @httpError says {}: "
               "either status is accepted (clients read the error from __type).")


def invalid(*violations):
    n = len(violations)
    parts = [f"Value {v} at '{at}' failed to satisfy constraint: {rule}" for v, at, rule in violations]
    return err("InvalidInputException", f"{n} validation error{'s' if n != 1 else ''} detected: " + "; ".join(parts))


def step(method, params, response):
    return {"request": capture(method, params, response), "response": response}


DATASET_GROUP = f"{ACCT}:dataset-group/conformance-jobs"


def parents_of(steps, seed):
    """The solution versions (and their solutions and dataset group, ACTIVE) a create that is not
    refused for invalid input or a missing parent needs: CreateBatchSegmentJob checks that the
    solution version exists and is ACTIVE."""
    svs, filters = [], []
    for s in steps:
        if s["request"]["headers"].get("x-amz-target") != CREATE:
            continue
        code = s["response"]["body"].get("__type")
        if s["response"]["status"] != 200 and code != "ResourceAlreadyExistsException":
            continue
        body = json.loads(s["request"]["body"])
        arn = body.get("solutionVersionArn")
        if isinstance(arn, str) and arn not in svs:
            svs.append(arn)
        arn = body.get("filterArn")
        if isinstance(arn, str) and arn not in filters:
            filters.append(arn)
    for job in seed:
        # A seeded job that a create can make (no exact values) needs its solution version on a
        # target seeded through the API.
        creatable = job.get("status") in (None, "ACTIVE") and not any(
            k in job for k in ("creationDateTime", "lastUpdatedDateTime", "failureReason"))
        if creatable and job.get("solutionVersionArn") not in svs:
            svs.append(job["solutionVersionArn"])
    if not svs:
        return {}
    solutions = sorted({a.rsplit("/", 1)[0] for a in svs})
    more = {}
    if filters:
        more["Filters"] = [{"name": f.rsplit("/", 1)[1], "filterArn": f, "datasetGroupArn": DATASET_GROUP,
                            "filterExpression": 'INCLUDE ItemID WHERE Items.NEW IN ("true")', "status": "ACTIVE"}
                           for f in filters]
    return {**more,
        "datasetGroups": [{"name": "conformance-jobs", "datasetGroupArn": DATASET_GROUP, "status": "ACTIVE"}],
        "solutions": [{"name": s.rsplit("/", 1)[1], "solutionArn": s, "datasetGroupArn": DATASET_GROUP,
                       "status": "ACTIVE"} for s in solutions],
        "solutionVersions": [{"solutionVersionArn": a, "solutionArn": a.rsplit("/", 1)[0], "status": "ACTIVE"}
                             for a in svs],
    }


def write(group, name, description, steps, seed=None, volatile=None, patterns=None):
    f = {"description": description,
         "source": f"requests captured from {BOTO3} by conformance/tools/make_job_fixtures.py; responses written from the model"}
    if seed is not None:
        f["seed"] = {"batchSegmentJobs": seed}
    parents = parents_of(steps, seed or [])
    if parents:
        f.setdefault("seed", {}).update(parents)
    if volatile:
        f["volatile"] = volatile
    if patterns:
        f["patterns"] = patterns
    f["steps"] = steps
    d = os.path.join(OUT, group)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name + ".json"), "w") as fh:
        json.dump(f, fh, indent=2, ensure_ascii=False)
        fh.write("\n")


def create_params(name, solution="movies", **extra):
    p = {
        "jobName": name,
        "solutionVersionArn": sv(solution),
        "jobInput": {"s3DataSource": {"path": IN_PATH}},
        "jobOutput": {"s3DataDestination": {"path": OUT_PATH}},
        "roleArn": ROLE,
    }
    p.update(extra)
    return p


def created(name):
    return ok({"batchSegmentJobArn": job_arn(name)})


def arn_pattern(name):
    return "^arn:aws:personalize:us-east-1:[0-9]{12}:batch-segment-job/" + regex_escape(name) + "$"


PRECONDITION = ("Against the real service the solution version must exist and the role must reach the S3 paths "
                "(the state a recording against AWS needs; the mocks do not model them).")
C = "create-batch-segment-job"
D = "describe-batch-segment-job"

# ---- CreateBatchSegmentJob: success ----------------------------------------------------------
name = "conformance-required-members-only"
write(C, "required-members-only-is-created",
      "CreateBatchSegmentJob with only the five required members answers 200 with the new job's ARN "
      "(batch-segment-job/<jobName> in the caller's region and account; the account is matched by pattern). " + PRECONDITION,
      [step("create_batch_segment_job", create_params(name), created(name))],
      patterns={"/batchSegmentJobArn": arn_pattern(name)})

name = "conformance-every-member"
every = create_params(name, filterArn=FILTER, numResults=25,
                      jobInput={"s3DataSource": {"path": IN_PATH, "kmsKeyArn": KMS}},
                      jobOutput={"s3DataDestination": {"path": OUT_PATH, "kmsKeyArn": KMS}},
                      tags=[{"tagKey": "team", "tagValue": "growth"}])
write(C, "every-member-is-created",
      "CreateBatchSegmentJob with every member of the model set (filterArn, numResults, KMS keys, one tag) answers 200 with the job's ARN. " + PRECONDITION,
      [step("create_batch_segment_job", every, created(name))],
      patterns={"/batchSegmentJobArn": arn_pattern(name)})

name = "n" * 63
write(C, "63-char-job-name-is-created",
      "A jobName of 63 characters is at the model's maximum length (Name: 1..63) and is accepted. " + PRECONDITION,
      [step("create_batch_segment_job", create_params(name), created(name))],
      patterns={"/batchSegmentJobArn": arn_pattern(name)})

# ---- CreateBatchSegmentJob: validation -------------------------------------------------------
name = "n" * 64
write(C, "64-char-job-name-is-invalid-input",
      "A jobName of 64 characters breaks Name's maximum length 63: 400 InvalidInputException in the AWS validation form.",
      [step("create_batch_segment_job", create_params(name),
            invalid((f"'{name}'", "jobName", "Member must have length less than or equal to 63")))])

write(C, "job-name-starting-with-hyphen-is-invalid-input",
      f"A jobName must start with a letter or digit (Name pattern {NAME_PATTERN}): '-segments' is 400 InvalidInputException.",
      [step("create_batch_segment_job", create_params("-segments"),
            invalid(("'-segments'", "jobName", f"Member must satisfy regular expression pattern: {NAME_PATTERN}")))])

both = [r"have length greater than or equal to 1",
        "satisfy regular expression pattern: " + regex_escape(NAME_PATTERN)]
one_of = "(" + "|".join(both) + ")"
write(C, "empty-job-name-is-invalid-input",
      "An empty jobName breaks both Name's minimum length 1 and its pattern: 400 InvalidInputException with two violations. "
      "The order in which the service lists two violations of one member is not known, so the message is matched by a "
      "pattern that accepts either order.",
      [step("create_batch_segment_job", create_params(""),
            invalid(("''", "jobName", "Member must have length greater than or equal to 1"),
                    ("''", "jobName", f"Member must satisfy regular expression pattern: {NAME_PATTERN}")))],
      patterns={"/message": "^2 validation errors detected: Value '' at 'jobName' failed to satisfy constraint: Member must "
                            + one_of + "; Value '' at 'jobName' failed to satisfy constraint: Member must " + one_of + "$"})

required = ["jobName", "solutionVersionArn", "jobInput", "jobOutput", "roleArn"]
write(C, "empty-input-is-invalid-input-for-each-required-member",
      "An empty input lacks all five required members (jobName, solutionVersionArn, jobInput, jobOutput, roleArn): 400 "
      "InvalidInputException with five 'must not be null' violations. The service's order of the violations is not known, "
      "so the message is matched by a pattern that accepts any order of those five.",
      [step("create_batch_segment_job", {},
            invalid(*[("null", m, "Member must not be null") for m in required]))],
      patterns={"/message": "^5 validation errors detected: (Value null at '(" + "|".join(required)
                            + ")' failed to satisfy constraint: Member must not be null(; |$)){5}$"})

params = create_params("x")
del params["roleArn"]
write(C, "missing-role-arn-is-invalid-input",
      "Without the required roleArn: 400 InvalidInputException, one violation 'must not be null' at roleArn.",
      [step("create_batch_segment_job", params, invalid(("null", "roleArn", "Member must not be null")))])

params = create_params("conformance-no-s3-path", jobInput={"s3DataSource": {}})
write(C, "missing-s3-path-is-invalid-input",
      "S3DataConfig.path is required: jobInput {s3DataSource: {}} is 400 InvalidInputException. How the service names a "
      "nested member in the message (jobInput.s3DataSource.path) is not known for certain, so the message is matched by a "
      "pattern that accepts the dotted path or the bare member name.",
      [step("create_batch_segment_job", params,
            invalid(("null", "jobInput.s3DataSource.path", "Member must not be null")))],
      patterns={"/message": r"^1 validation error detected: Value null at '(jobInput\.s3DataSource\.)?path' failed to satisfy constraint: Member must not be null$"})

long_sv = f"{ACCT}:solution/" + "s" * (257 - len(f"{ACCT}:solution/"))
assert len(long_sv) == 257
write(C, "257-char-solution-version-arn-is-invalid-input",
      "A solutionVersionArn of 257 characters breaks Arn's maximum length 256 (the pattern still matches).",
      [step("create_batch_segment_job", {**create_params("conformance-long-arn"), "solutionVersionArn": long_sv},
            invalid((f"'{long_sv}'", "solutionVersionArn", "Member must have length less than or equal to 256")))])

ok_sv = f"{ACCT}:solution/movies/" + "v" * (256 - len(f"{ACCT}:solution/movies/"))
assert len(ok_sv) == 256
name = "conformance-256-char-arn"
write(C, "256-char-solution-version-arn-is-created",
      "A solutionVersionArn of exactly 256 characters is at Arn's maximum length and is accepted. " + PRECONDITION,
      [step("create_batch_segment_job", {**create_params(name), "solutionVersionArn": ok_sv}, created(name))],
      patterns={"/batchSegmentJobArn": arn_pattern(name)})

bad_filter = "arn:aws:personalize:us-east-1:123456789012:"
write(C, "filter-arn-with-empty-resource-is-invalid-input",
      f"filterArn '{bad_filter}' has an empty resource part, which Arn's pattern {ARN_PATTERN} rejects ('.+' at the end): "
      "400 InvalidInputException.",
      [step("create_batch_segment_job", create_params("conformance-bad-filter", filterArn=bad_filter),
            invalid((f"'{bad_filter}'", "filterArn", f"Member must satisfy regular expression pattern: {ARN_PATTERN}")))])

S3_PATTERN = pattern_of("S3Location")
write(C, "ftp-s3-path-is-invalid-input",
      f"An S3DataConfig path must be s3://, http:// or https:// (S3Location pattern {S3_PATTERN}): 'ftp://conformance-bucket/in.json' "
      "is 400 InvalidInputException. How the service names the nested member is not known for certain, so the message is "
      "matched by a pattern that accepts the dotted path or the bare member name.",
      [step("create_batch_segment_job",
            create_params("conformance-ftp-path", jobInput={"s3DataSource": {"path": "ftp://conformance-bucket/in.json"}}),
            invalid(("'ftp://conformance-bucket/in.json'", "jobInput.s3DataSource.path",
                     f"Member must satisfy regular expression pattern: {S3_PATTERN}")))],
      patterns={"/message": r"^1 validation error detected: Value 'ftp://conformance-bucket/in\.json' at '(jobInput\.s3DataSource\.)?path' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                            + regex_escape(S3_PATTERN) + "$"})

other = "arn:aws:s3:::conformance-bucket"
write(C, "solution-version-arn-of-another-service-is-invalid-input",
      f"An S3 ARN is not a Personalize ARN (Arn pattern {ARN_PATTERN}): 400 InvalidInputException.",
      [step("create_batch_segment_job", {**create_params("conformance-s3-arn"), "solutionVersionArn": other},
            invalid((f"'{other}'", "solutionVersionArn", f"Member must satisfy regular expression pattern: {ARN_PATTERN}")))])

bad_role = "arn:aws:iam::12345:role/PersonalizeS3Access"
write(C, "role-arn-with-short-account-is-invalid-input",
      f"A role ARN whose account has 5 digits breaks RoleArn's pattern {ROLE_PATTERN} (12 digits): 400 InvalidInputException.",
      [step("create_batch_segment_job", {**create_params("conformance-bad-role"), "roleArn": bad_role},
            invalid((f"'{bad_role}'", "roleArn", f"Member must satisfy regular expression pattern: {ROLE_PATTERN}")))])

tags = [{"tagKey": f"k{i}", "tagValue": "v"} for i in range(201)]
write(C, "201-tags-is-invalid-input",
      "201 tags break Tags' maximum length 200: 400 InvalidInputException. How the service renders a list value in the "
      "message is not known, so the value is matched by a pattern; the member and the constraint are exact.",
      [step("create_batch_segment_job", create_params("conformance-201-tags", tags=tags),
            invalid(("'[...]'", "tags", "Member must have length less than or equal to 200")))],
      patterns={"/message": r"^1 validation error detected: Value .+ at 'tags' failed to satisfy constraint: Member must have length less than or equal to 200$"})

write(C, "num-results-as-string-is-serialization-exception",
      "numResults is an integer (NumBatchResults); the JSON string \"25\" is a wrong type: 400 SerializationException, whose "
      "message text is not specified (only its presence is checked). NumBatchResults has no range in the model, so there is "
      "no numResults boundary to test.",
      [step("create_batch_segment_job", create_params("conformance-string-num", numResults="25"),
            {"status": 400, "headers": dict(CT), "body": {"__type": "SerializationException", "message": "(not specified)"}})],
      volatile=["/message"])

name = "conformance-duplicate-name"
write(C, "duplicate-job-name-is-resource-already-exists",
      "A second CreateBatchSegmentJob with a jobName already in use answers ResourceAlreadyExistsException. "
      + STATUS_NOTE.format(http_status("ResourceAlreadyExistsException"))
      + " The message text is not specified: only its presence is checked. " + PRECONDITION,
      [step("create_batch_segment_job", create_params(name), created(name)),
       step("create_batch_segment_job", create_params(name),
            err("ResourceAlreadyExistsException", "(not specified)"))],
      volatile=["/message"],
      patterns={"/batchSegmentJobArn": arn_pattern(name)})

# ---- DescribeBatchSegmentJob -----------------------------------------------------------------
name = "conformance-create-then-describe"
full = {
    "jobName": name,
    "batchSegmentJobArn": job_arn(name),
    "filterArn": FILTER,
    "solutionVersionArn": sv("movies"),
    "numResults": 25,
    "jobInput": {"s3DataSource": {"path": IN_PATH, "kmsKeyArn": KMS}},
    "jobOutput": {"s3DataDestination": {"path": OUT_PATH, "kmsKeyArn": KMS}},
    "roleArn": ROLE,
    "status": "PENDING",
    "creationDateTime": 1700000001.123,
    "lastUpdatedDateTime": 1700000001.123,
}
write(D, "created-job-is-described-in-full",
      "CreateBatchSegmentJob then DescribeBatchSegmentJob of the ARN it returned: the full BatchSegmentJob echoes every "
      "member the create set; status is one the model documents before completion or ACTIVE (matched by pattern, since "
      "how fast a job moves is the service's business); the timestamps are present (values vary). The describe request "
      "carries the ARN the create answered. " + PRECONDITION,
      [step("create_batch_segment_job",
            create_params(name, filterArn=FILTER, numResults=25,
                          jobInput={"s3DataSource": {"path": IN_PATH, "kmsKeyArn": KMS}},
                          jobOutput={"s3DataDestination": {"path": OUT_PATH, "kmsKeyArn": KMS}}),
            created(name)),
       step("describe_batch_segment_job", {"batchSegmentJobArn": job_arn(name)}, ok({"batchSegmentJob": full}))],
      volatile=["/batchSegmentJob/creationDateTime", "/batchSegmentJob/lastUpdatedDateTime"],
      patterns={"/batchSegmentJobArn": arn_pattern(name), "/batchSegmentJob/status": STATUS_BEFORE_DONE})

seeded = {
    "jobName": "seeded-exact",
    "batchSegmentJobArn": job_arn("seeded-exact"),
    "solutionVersionArn": sv("movies"),
    "numResults": 100,
    "jobInput": {"s3DataSource": {"path": IN_PATH}},
    "jobOutput": {"s3DataDestination": {"path": OUT_PATH}},
    "roleArn": ROLE,
    "status": "CREATE FAILED",
    "failureReason": "Solution version is not active.",
    "creationDateTime": 1700000001.123,
    "lastUpdatedDateTime": 1700000361.456,
}
write(D, "stored-job-comes-back-exact-to-the-millisecond",
      "A stored job (status CREATE FAILED with its failureReason) is described in full, its creationDateTime 1700000001.123 "
      "and lastUpdatedDateTime 1700000361.456 exact to the millisecond.",
      [step("describe_batch_segment_job", {"batchSegmentJobArn": seeded["batchSegmentJobArn"]}, ok({"batchSegmentJob": seeded}))],
      seed=[seeded])

active = {
    "jobName": "seeded-active",
    "batchSegmentJobArn": job_arn("seeded-active"),
    "solutionVersionArn": sv("movies"),
    "numResults": 50,
    "jobInput": {"s3DataSource": {"path": IN_PATH}},
    "jobOutput": {"s3DataDestination": {"path": OUT_PATH}},
    "roleArn": ROLE,
    "status": "ACTIVE",
}
shown = dict(active, creationDateTime=1700000001.123, lastUpdatedDateTime=1700000361.456)
write(D, "active-job-is-described-in-full",
      "A stored ACTIVE job is described in full; its timestamps are present (their values are whenever the job was made, "
      "so a target seeded through CreateBatchSegmentJob can run this case).",
      [step("describe_batch_segment_job", {"batchSegmentJobArn": active["batchSegmentJobArn"]}, ok({"batchSegmentJob": shown}))],
      seed=[active],
      volatile=["/batchSegmentJob/creationDateTime", "/batchSegmentJob/lastUpdatedDateTime"])

unknown = job_arn("conformance-never-created")
write(D, "unknown-arn-is-resource-not-found",
      "A well-formed ARN of a job that does not exist: ResourceNotFoundException. "
      + STATUS_NOTE.format(http_status("ResourceNotFoundException"))
      + " The message text is not specified: only its presence is checked.",
      [step("describe_batch_segment_job", {"batchSegmentJobArn": unknown},
            err("ResourceNotFoundException", "(not specified)"))],
      volatile=["/message"])

write(D, "not-an-arn-is-invalid-input",
      f"'segments-1' is not an ARN (Arn pattern {ARN_PATTERN}): 400 InvalidInputException.",
      [step("describe_batch_segment_job", {"batchSegmentJobArn": "segments-1"},
            invalid(("'segments-1'", "batchSegmentJobArn", f"Member must satisfy regular expression pattern: {ARN_PATTERN}")))])

long_arn = f"{ACCT}:batch-segment-job/" + "j" * (257 - len(f"{ACCT}:batch-segment-job/"))
write(D, "257-char-arn-is-invalid-input",
      "A batchSegmentJobArn of 257 characters breaks Arn's maximum length 256 (the pattern still matches).",
      [step("describe_batch_segment_job", {"batchSegmentJobArn": long_arn},
            invalid((f"'{long_arn}'", "batchSegmentJobArn", "Member must have length less than or equal to 256")))])

write(D, "empty-input-is-invalid-input",
      "batchSegmentJobArn is required: the empty input is 400 InvalidInputException, 'must not be null'.",
      [step("describe_batch_segment_job", {}, invalid(("null", "batchSegmentJobArn", "Member must not be null")))])

# ---- the three operations together -----------------------------------------------------------
name = "conformance-create-then-list"
solution = sv("create-then-list")
summary = {
    "batchSegmentJobArn": job_arn(name),
    "jobName": name,
    "status": "PENDING",
    "creationDateTime": 1700000001.123,
    "lastUpdatedDateTime": 1700000001.123,
    "solutionVersionArn": solution,
}
write("store", "created-job-is-listed",
      "CreateBatchSegmentJob then ListBatchSegmentJobs filtered on its solution version: the list shows the created job "
      "with the same data (status matched by pattern, timestamps present). " + PRECONDITION,
      [step("create_batch_segment_job", create_params(name, solution="create-then-list"), created(name)),
       step("list_batch_segment_jobs", {"solutionVersionArn": solution}, ok({"batchSegmentJobs": [summary]}))],
      volatile=["/batchSegmentJobs/0/creationDateTime", "/batchSegmentJobs/0/lastUpdatedDateTime"],
      patterns={"/batchSegmentJobArn": arn_pattern(name), "/batchSegmentJobs/0/status": STATUS_BEFORE_DONE})

pair_sv = sv("seeded-pair")
pair = [
    {"batchSegmentJobArn": job_arn(f"seeded-pair-{i}"), "jobName": f"seeded-pair-{i}", "status": "ACTIVE",
     "solutionVersionArn": pair_sv}
    for i in (1, 2)
]
write("store", "active-jobs-of-one-solution-version-are-listed",
      "Two stored ACTIVE jobs of one solution version are listed with that filter, in any order, timestamps present "
      "(any value, so a target seeded through CreateBatchSegmentJob can run this case).",
      [step("list_batch_segment_jobs", {"solutionVersionArn": pair_sv},
            ok({"batchSegmentJobs": [dict(j, creationDateTime=1700000001.123, lastUpdatedDateTime=1700000001.123) for j in pair]}))],
      seed=pair,
      volatile=[f"/batchSegmentJobs/{i}/{t}" for i in (0, 1) for t in ("creationDateTime", "lastUpdatedDateTime")])

CAPTURE.shutdown()
print("wrote the job fixtures")
