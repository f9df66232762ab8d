#!/usr/bin/env python3
"""Authoring aid: writes fixtures/operations/<operation>/<case>.json for every operation.

For each of the service's operations (read from spec/models/personalize-2018-05-22.json) it writes
a success case, a validation case in AWS's message form, one case per modeled error the
service documents for it that a request can provoke (missing parent, duplicate name, in use,
bad token, too many tags), and for each resource kind the multi-step lifecycle (create ->
describe -> list -> delete -> describe gives not found).

Requests are captured from boto3 (the one in <workspace>/.venv) exactly as make_job_fixtures.py
does: boto3 sends each request to a loopback listener of this script (parameter validation off,
so invalid inputs are sent as given) and the bytes and headers it sent become the request.
Responses are written from the model (output shapes, constraints, @httpError) and the API
reference (ARN forms, status values); seeds are full resources with the members a Create input
sets (so a third-party target can make them through its Create operations) and no timestamps
(those are volatile). Where the service's text is not knowable (ResourceNotFound,
ResourceAlreadyExists, ResourceInUse, InvalidNextToken messages) only the message's presence is
checked. Recipes, algorithms and feature transformations are AWS's catalogue: the expected
answers are the catalogue entries published by AWS (crates/mock/data/catalogue.json).

    .venv/bin/python conformance/tools/make_operation_fixtures.py
"""
import json
import os
import re

from boto3_capture import BOTO3, Capture

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
OUT = os.path.join(HERE, "..", "fixtures", "operations")
MODEL = json.load(open(os.path.join(ROOT, "spec", "models", "personalize-2018-05-22.json")))
CATALOGUE = json.load(open(os.path.join(ROOT, "crates", "mock", "data", "catalogue.json")))
S = MODEL["shapes"]
NS = "com.amazonaws.personalize#"
SERVICE = next(v for v in S.values() if v["type"] == "service")
OPERATIONS = sorted(o["target"].split("#")[1] for o in SERVICE["operations"])


def shape(name):
    return S[NS + name]


def short(target):
    return target.split("#")[1]


def members(struct):
    return shape(struct).get("members", {})


def required(struct):
    return [k for k, v in members(struct).items() if "smithy.api#required" in v.get("traits", {})]


def op_input(op):
    return short(shape(op)["input"]["target"])


def op_output(op):
    return short(shape(op)["output"]["target"])


def errors(op):
    return [short(e["target"]) for e in shape(op).get("errors", [])]


def trait(name, t):
    return S.get(NS + name, {}).get("traits", {}).get(t)


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def kebab(name):
    return snake(name).replace("_", "-")


def lower_first(s):
    return s[0].lower() + s[1:]


# ---- the world: one ACTIVE resource of each kind, in the ARN forms of the API reference --------
ACCOUNT, REGION = "123456789012", "us-east-1"
P = f"arn:aws:personalize:{REGION}:{ACCOUNT}"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/PersonalizeS3Access"
S3_IN = "s3://conformance-bucket/input/data.csv"
S3_OUT = "s3://conformance-bucket/output/"
SCHEMA_JSON = json.dumps({"type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
                          "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
                                     {"name": "TIMESTAMP", "type": "long"}], "version": "1.0"})
RECIPE = CATALOGUE["recipes"][0]["recipeArn"]
DOMAIN_RECIPE = next(r["recipeArn"] for r in CATALOGUE["recipes"] if "ecomm" in r["recipeArn"])
RESOURCE_NOUNS = ["DatasetGroup", "Schema", "Dataset", "Solution", "SolutionVersion", "Campaign", "Filter",
                  "EventTracker", "Recommender", "MetricAttribution", "BatchInferenceJob", "BatchSegmentJob",
                  "DatasetImportJob", "DatasetExportJob", "DataDeletionJob"]
ARN_TYPE = {"DatasetGroup": "dataset-group", "Schema": "schema", "Solution": "solution", "Campaign": "campaign",
            "Filter": "filter", "EventTracker": "event-tracker", "Recommender": "recommender",
            "MetricAttribution": "metric-attribution", "BatchInferenceJob": "batch-inference-job",
            "BatchSegmentJob": "batch-segment-job", "DatasetImportJob": "dataset-import-job",
            "DatasetExportJob": "dataset-export-job", "DataDeletionJob": "data-deletion-job"}
FINAL = {"DataDeletionJob": "COMPLETED", "Schema": None}
TRANSIENT = {"BatchInferenceJob": "IN PROGRESS", "BatchSegmentJob": "IN PROGRESS", "DataDeletionJob": "IN_PROGRESS"}
GROUP = "conformance-group"
TRACKING_ID = "00000000-0000-4000-8000-000000000000"
SOLUTION_VERSION_ID = "0a1b2c3d"


def arn_of(noun, name, group=GROUP, dataset_type="INTERACTIONS"):
    if noun == "Dataset":
        return f"{P}:dataset/{group}/{dataset_type}"
    if noun == "SolutionVersion":
        return f"{P}:solution/{name}/{SOLUTION_VERSION_ID}"
    return f"{P}:{ARN_TYPE[noun]}/{name}"


def own(noun):
    return lower_first(noun) + "Arn"


def items_member(noun):
    """The List output's items member for a kind (the seed key)."""
    for op in OPERATIONS:
        if op.startswith("List") and op[4:-1] == noun:
            for m, v in members(op_output(op)).items():
                t = shape(short(v["target"]))
                if t["type"] == "list":
                    return m
    raise KeyError(noun)


def resource_shape(noun):
    out = op_output("Describe" + noun)
    for m, v in members(out).items():
        return m, short(v["target"])


def summary_shape(noun):
    out = op_output("List" + noun + "s")
    for m, v in members(out).items():
        t = shape(short(v["target"]))
        if t["type"] == "list":
            return short(t["member"]["target"])


class Kind:
    def __init__(self, noun, name, parents, extra):
        self.noun, self.name, self.parents, self.extra = noun, name, parents, extra


def resource(noun, name, status="ACTIVE", parents=None, **extra):
    """A seed item: the Create input's required members, the parents, own ARN and status."""
    parents = parents or {}
    item = {}
    name_member = "jobName" if "jobName" in members(op_input("Create" + noun)) else "name"
    if name_member in members(op_input("Create" + noun)):
        item[name_member] = name
    item.update(parents)
    item.update(extra)
    if noun == "Dataset":
        group_name = parents["datasetGroupArn"].rsplit("/", 1)[1]
        item[own(noun)] = arn_of(noun, name, group_name, item["datasetType"].upper())
    elif noun == "SolutionVersion":
        item[own(noun)] = parents["solutionArn"] + "/" + SOLUTION_VERSION_ID
        item.pop("name", None)
    else:
        item[own(noun)] = arn_of(noun, name)
    final = FINAL.get(noun, "ACTIVE")
    if final is not None and status is not None:
        item["status"] = final if status == "ACTIVE" else status
    return item


def world(noun, name=None, status="ACTIVE", group=GROUP):
    """The seed items of one resource of `noun` and its parents (parents first)."""
    dg = resource("DatasetGroup", group)
    schema = resource("Schema", "conformance-schema", schema=SCHEMA_JSON)
    dataset = resource("Dataset", "conformance-interactions", parents={"datasetGroupArn": dg["datasetGroupArn"],
                       "schemaArn": schema["schemaArn"]}, datasetType="Interactions")
    sol = resource("Solution", "conformance-solution", parents={"datasetGroupArn": dg["datasetGroupArn"]},
                   recipeArn=RECIPE)
    sv = resource("SolutionVersion", None, parents={"solutionArn": sol["solutionArn"]},
                  datasetGroupArn=sol["datasetGroupArn"], recipeArn=sol["recipeArn"])
    chain = {"DatasetGroup": [], "Schema": [], "Dataset": [("DatasetGroup", dg), ("Schema", schema)],
             "Solution": [("DatasetGroup", dg)], "SolutionVersion": [("DatasetGroup", dg), ("Solution", sol)],
             "Campaign": [("DatasetGroup", dg), ("Solution", sol), ("SolutionVersion", sv)],
             "BatchInferenceJob": [("DatasetGroup", dg), ("Solution", sol), ("SolutionVersion", sv)],
             "BatchSegmentJob": [("DatasetGroup", dg), ("Solution", sol), ("SolutionVersion", sv)],
             "Filter": [("DatasetGroup", dg)], "EventTracker": [("DatasetGroup", dg)],
             "Recommender": [("DatasetGroup", dg)], "MetricAttribution": [("DatasetGroup", dg)],
             "DataDeletionJob": [("DatasetGroup", dg)],
             "DatasetImportJob": [("DatasetGroup", dg), ("Schema", schema), ("Dataset", dataset)],
             "DatasetExportJob": [("DatasetGroup", dg), ("Schema", schema), ("Dataset", dataset)]}[noun]
    name = name or {"DatasetGroup": group, "Schema": "conformance-schema", "Dataset": "conformance-interactions",
                    "Solution": "conformance-solution"}.get(noun, "conformance-" + kebab(noun))
    item = own_item(noun, name, status, dg, schema, dataset, sol, sv)
    return chain + [(noun, item)]


def own_item(noun, name, status, dg, schema, dataset, sol, sv):
    g = {"datasetGroupArn": dg["datasetGroupArn"]}
    if noun == "DatasetGroup":
        return resource(noun, name, status)
    if noun == "Schema":
        return resource(noun, name, status, schema=SCHEMA_JSON)
    if noun == "Dataset":
        return resource(noun, name, status, parents={**g, "schemaArn": schema["schemaArn"]}, datasetType="Interactions")
    if noun == "Solution":
        return resource(noun, name, status, parents=g, recipeArn=RECIPE)
    if noun == "SolutionVersion":
        # The service fills the solution's dataset group and recipe in (no Create input sets them).
        return resource(noun, name, status, parents={"solutionArn": sol["solutionArn"]},
                        datasetGroupArn=sol["datasetGroupArn"], recipeArn=sol["recipeArn"])
    if noun == "Campaign":
        return resource(noun, name, status, parents={"solutionVersionArn": sv["solutionVersionArn"]})
    if noun in ("BatchInferenceJob", "BatchSegmentJob"):
        return resource(noun, name, status, parents={"solutionVersionArn": sv["solutionVersionArn"]},
                        jobInput={"s3DataSource": {"path": S3_IN}},
                        jobOutput={"s3DataDestination": {"path": S3_OUT}}, roleArn=ROLE)
    if noun == "Filter":
        return resource(noun, name, status, parents=g,
                        filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")')
    if noun == "EventTracker":
        # The service assigns the tracking id and records the account (matched by pattern).
        return resource(noun, name, status, parents=g, trackingId=TRACKING_ID, accountId=ACCOUNT)
    if noun == "Recommender":
        return resource(noun, name, status, parents=g, recipeArn=DOMAIN_RECIPE)
    if noun == "MetricAttribution":
        return resource(noun, name, status, parents=g,
                        metrics=[{"eventType": "click", "metricName": "CLICK_COUNT", "expression": "SUM(DatasetType.INTERACTIONS.EVENT_VALUE)"}],
                        metricsOutputConfig={"roleArn": ROLE})
    if noun == "DataDeletionJob":
        return resource(noun, name, status, parents=g, dataSource={"dataLocation": S3_IN}, roleArn=ROLE)
    if noun == "DatasetImportJob":
        return resource(noun, name, status, parents={"datasetArn": dataset["datasetArn"]},
                        dataSource={"dataLocation": S3_IN}, roleArn=ROLE)
    if noun == "DatasetExportJob":
        return resource(noun, name, status, parents={"datasetArn": dataset["datasetArn"]}, roleArn=ROLE,
                        jobOutput={"s3DataDestination": {"path": S3_OUT}})
    raise KeyError(noun)


def seed_of(items):
    seed = {}
    seen = set()
    for noun, item in items:
        key = item[own(noun)]
        if key in seen:
            continue
        seen.add(key)
        seed.setdefault(items_member(noun), []).append(item)
    return seed


def create_params(noun, item):
    """The Create request for an item: the item's members the Create input has."""
    inp = members(op_input("Create" + noun))
    return {k: v for k, v in item.items() if k in inp}


# ---- capture ------------------------------------------------------------------------------------
CAPTURE = Capture(("authorization", "x-amz-date", "amz-sdk-invocation-id", "user-agent", "amz-sdk-request"), REGION)
CT = {"content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "(volatile: presence checked)"}


def capture(op, params):
    return CAPTURE.request(snake(op), params)


def ok(body):
    return {"status": 200, "headers": dict(CT), "body": body}


def err(code, message="(presence checked)"):
    r = {"status": 400, "headers": dict(CT), "body": {"__type": code, "message": message}}
    modeled = trait(code, "smithy.api#httpError")
    if modeled and modeled != 400:
        r["otherStatuses"] = [modeled]
    return r


def invalid(*violations):
    n = len(violations)
    parts = [f"Value {v} at '{at}' failed to satisfy constraint: {rule}" for v, at, rule in violations]
    return err("InvalidInputException", f"{n} validation error{'s' if n != 1 else ''} detected: " + "; ".join(parts))


def step(op, params, response, advance=None):
    s = {"request": capture(op, params), "response": response}
    if advance:
        s = {"advanceSeconds": advance, **s}
    return s


COUNT = {}


def write(op, name, description, steps, seed=None, volatile=(), patterns=None, ignore=(), schedule=None):
    f = {"description": description,
         "source": f"requests captured from {BOTO3} by conformance/tools/make_operation_fixtures.py; "
                   "responses written from the model and the Amazon Personalize API Reference"}
    if seed is not None:
        f["seed"] = seed
    vol = list(volatile)
    for i, s in enumerate(steps):
        body = s["response"]["body"]
        if s["response"]["status"] != 200 and body.get("message") == "(presence checked)":
            pass
    if any(s["response"]["status"] != 200 and s["response"]["body"].get("message") == "(presence checked)" for s in steps):
        vol.append("/message")
    if vol:
        f["volatile"] = sorted(set(vol))
    if ignore:
        f["ignore"] = list(ignore)
    if patterns:
        f["patterns"] = patterns
    if schedule:
        f["schedule"] = schedule
    f["steps"] = steps
    d = os.path.join(OUT, kebab(op))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name + ".json"), "w") as fh:
        json.dump(f, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    COUNT[op] = COUNT.get(op, 0) + 1


ESCAPED = {c: "\\" + c for c in r".^$*+?()[]{}|\/"}


def rx(text):
    return "".join(ESCAPED.get(c, c) for c in text)


def arn_rx(arn):
    """A pattern for an ARN the target assigns: any 12-digit account."""
    return "^" + rx(arn).replace(ACCOUNT, "[0-9]{12}") + "$"


def stamps(prefix, noun):
    _, rs = resource_shape(noun)
    return [f"{prefix}/{m}" for m in ("creationDateTime", "lastUpdatedDateTime") if m in members(rs)]


STAMP = 1700000000  # a placeholder for a volatile timestamp: present, value not compared


def with_stamps(view, shape_name):
    for m in ("creationDateTime", "lastUpdatedDateTime"):
        if m in members(shape_name):
            view[m] = STAMP
    return view


def describe_view(noun, item):
    """What Describe shows of a seeded resource: its members in the resource shape, timestamps
    present (volatile)."""
    _, rs = resource_shape(noun)
    return with_stamps({k: v for k, v in item.items() if k in members(rs)}, rs)


def summary_view(noun, item):
    ss = summary_shape(noun)
    return with_stamps({k: v for k, v in item.items() if k in members(ss)}, ss)


NOT_NULL = "Member must not be null"
# The creation lifecycles of the API Reference (each kind's `status` member documentation).
CREATE_STATUSES = {n: ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]
                   for n in RESOURCE_NOUNS if n not in ("Schema", "BatchInferenceJob", "BatchSegmentJob", "DataDeletionJob")}
CREATE_STATUSES.update({"BatchInferenceJob": ["PENDING", "IN PROGRESS", "ACTIVE"],
                        "BatchSegmentJob": ["PENDING", "IN PROGRESS", "ACTIVE"],
                        "DataDeletionJob": ["PENDING", "IN_PROGRESS", "COMPLETED"]})
def delete_statuses(noun):
    """The DELETE statuses the model documents for a kind's `status` member, in order."""
    _, resource = resource_shape(noun)
    doc = shape(resource).get("members", {}).get("status", {}).get("traits", {}).get("smithy.api#documentation", "")
    text = " ".join(re.sub("<[^>]+>", " ", doc).split())
    return [s for s in ("DELETE PENDING", "DELETE IN_PROGRESS") if s in text]


# Kinds whose deletion the model documents (DELETE PENDING, and DELETE IN_PROGRESS for most).
DELETE_STATUSES = {n: delete_statuses(n) for n in RESOURCE_NOUNS if delete_statuses(n)}
LOOSE_PATTERNS = {"EventTracker": {"trackingId": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                                   "accountId": "^[0-9]{12}$"}}
LOOSE_IGNORE = {"SolutionVersion": ["trainingMode", "trainingType"]}
LOOSE_NOTE = {"EventTracker": "; the tracking id the service assigned and the account are matched by pattern",
              "SolutionVersion": "; trainingMode and trainingType, which the service fills in when a version is "
                                 "trained, are not compared"}
UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
ARN_PATTERN = trait("Arn", "smithy.api#pattern")
PRE = ("Against the real service the parents must exist and be ACTIVE, as the seed has them; "
       "the role and S3 locations are not checked by the mocks. ")
GENERATED = []

# ---- Create ------------------------------------------------------------------------------------
for noun in RESOURCE_NOUNS:
    op = "Create" + noun
    errs = errors(op)
    items = world(noun, name="conformance-new" if noun not in ("Dataset",) else "conformance-new-dataset")
    target_noun, item = items[-1]
    parents = items[:-1]
    params = create_params(noun, item)
    if noun == "Dataset":
        params["datasetType"] = "Interactions"
    arn = item[own(noun)]
    if noun == "SolutionVersion":
        pattern = "^" + rx(parents[-1][1]["solutionArn"]).replace(ACCOUNT, "[0-9]{12}") + "/[a-z0-9]{8,}$"
    else:
        pattern = arn_rx(arn)
    parent_seed = seed_of(parents) if parents else None
    created = {own(noun): arn}
    extra_patterns = {}
    if "trackingId" in members(op_output(op)):
        created["trackingId"] = "00000000-0000-4000-8000-000000000000"
        extra_patterns["/trackingId"] = UUID
    write(op, "success", f"{op} with its required members answers 200 with the new resource's ARN "
          f"({'<solution ARN>/<id>' if noun == 'SolutionVersion' else arn.split(':', 5)[5].replace('conformance-new', '<name>')} "
          f"in the caller's region and account, matched by pattern). " + PRE,
          [step(op, params, ok(created))], seed=parent_seed, patterns={"/" + own(noun): pattern, **extra_patterns})
    # validation: first required member missing
    req = required(op_input(op))
    missing = req[0]
    p2 = {k: v for k, v in params.items() if k != missing}
    write(op, f"missing-{kebab(missing)}-is-invalid-input",
          f"{op} without the required {missing}: 400 InvalidInputException in AWS's validation message form.",
          [step(op, p2, invalid(("null", missing, NOT_NULL)))])
    # not found parent
    arn_parents = [k for k in params if k.endswith("Arn") and k[:-3] and k[0].islower()
                   and k[:-3][0].upper() + k[:-3][1:] in RESOURCE_NOUNS]
    if "ResourceNotFoundException" in errs and arn_parents:
        member = arn_parents[0]
        pnoun = member[:-3][0].upper() + member[:-3][1:]
        gone = arn_of(pnoun, "conformance-missing") if pnoun != "SolutionVersion" else \
            f"{P}:solution/conformance-missing/{SOLUTION_VERSION_ID}"
        if pnoun == "Dataset":
            gone = f"{P}:dataset/conformance-missing/INTERACTIONS"
        p3 = dict(params)
        p3[member] = gone
        keep = [(n, i) for n, i in parents if i[own(n)] != params[member]
                and not any(v == params[member] for v in i.values())]
        write(op, f"missing-{kebab(pnoun)}-is-resource-not-found",
              f"{op} naming a {pnoun} that does not exist ({member}): ResourceNotFoundException "
              "(the message's text is not documented: its presence is checked).",
              [step(op, p3, err("ResourceNotFoundException"))], seed=seed_of(keep) if keep else None)
    # duplicate
    if "ResourceAlreadyExistsException" in errs and noun != "SolutionVersion":
        existing = world(noun, name=item.get("name") or item.get("jobName"))
        dup = dict(params)
        if noun == "Dataset":
            dup["name"] = "conformance-second-interactions"
        write(op, "duplicate-is-resource-already-exists",
              f"{op} for a {noun} whose ARN is taken ({'same dataset type in the dataset group' if noun == 'Dataset' else 'same name'}): "
              "ResourceAlreadyExistsException (message presence checked).",
              [step(op, dup, err("ResourceAlreadyExistsException"))], seed=seed_of(existing))
    # parent in a transient status
    if "ResourceInUseException" in errs and arn_parents:
        member = arn_parents[-1]
        pnoun = member[:-3][0].upper() + member[:-3][1:]
        if FINAL.get(pnoun, "ACTIVE") is not None and pnoun != "Schema":
            busy = []
            for n, i in parents:
                if i[own(n)] == params[member]:
                    i = dict(i)
                    i["status"] = TRANSIENT.get(n, "CREATE IN_PROGRESS")
                busy.append((n, i))
            write(op, f"{kebab(pnoun)}-not-active-is-resource-in-use",
                  f"{op} with a {pnoun} that is still being created ({member}, CREATE IN_PROGRESS): "
                  "ResourceInUseException (message presence checked).",
                  [step(op, params, err("ResourceInUseException"))], seed=seed_of(busy))
    if "TooManyTagsException" in errs and "tags" in members(op_input(op)):
        p4 = dict(params)
        p4["tags"] = [{"tagKey": f"key-{i:02d}", "tagValue": "v"} for i in range(51)]
        write(op, "51-tags-is-too-many-tags",
              f"{op} with 51 tags (the Tags list's model bound is 200, the service's documented limit is 50 "
              "tags per resource): TooManyTagsException (message presence checked).",
              [step(op, p4, err("TooManyTagsException"))], seed=parent_seed)
    # lifecycle: create -> describe -> list -> delete -> describe
    dmember, _ = resource_shape(noun)
    listed = items_member(noun)
    list_op = "List" + noun + "s"
    list_params = {}
    for m in members(op_input(list_op)):
        if m.endswith("Arn") and m in item:
            list_params[m] = item[m]
    described = describe_view(noun, dict(item, status=FINAL.get(noun, "ACTIVE")) if FINAL.get(noun, "ACTIVE") else item)
    described = {k: v for k, v in described.items() if k not in ("tags",)}
    if noun == "Dataset":
        described["datasetType"] = "Interactions"
    if noun == "EventTracker":
        described["trackingId"] = created["trackingId"]
        described["accountId"] = ACCOUNT
    if noun == "SolutionVersion":
        sol = parents[-1][1]
        described.update(datasetGroupArn=sol["datasetGroupArn"], recipeArn=sol["recipeArn"], trainingMode="FULL",
                         trainingType="MANUAL")
    steps = [step(op, params, ok(created)),
             step("Describe" + noun, {own(noun): arn}, ok({dmember: described}))]
    vol = stamps("/" + dmember, noun)
    pats = {"/" + own(noun): pattern, f"/{dmember}/{own(noun)}": pattern, **extra_patterns}
    if noun == "EventTracker":
        pats[f"/{dmember}/trackingId"] = UUID
        pats[f"/{dmember}/accountId"] = "^[0-9]{12}$"
    if list_params or noun in ("DatasetGroup", "Schema"):
        steps.append(step(list_op, list_params, ok({listed: [summary_view(noun, described)]})))
        vol += stamps(f"/{listed}/0", noun) if all(
            m in members(summary_shape(noun)) for m in ("creationDateTime",)) else []
        vol = [v for v in vol if v.split("/")[-1] in members(summary_shape(noun)) or v.startswith("/" + dmember)]
        pats[f"/{listed}/0/{own(noun)}"] = pattern
    delete = "Delete" + noun
    if delete in OPERATIONS:
        steps.append(step(delete, {own(noun): arn}, ok({})))
        steps.append(step("Describe" + noun, {own(noun): arn}, err("ResourceNotFoundException")))
    if noun in CREATE_STATUSES:
        order = CREATE_STATUSES[noun]
        watch = [step(op, params, ok(created))]
        for i, status in enumerate(order):
            watch.append(step("Describe" + noun, {own(noun): arn}, ok({dmember: dict(described, status=status)}),
                              advance=1 if i else None))
        write(op, "lifecycle-statuses-in-order",
              f"{op}, then Describe{noun} once per second of a schedule where each transient status lasts 1 s: "
              f"the statuses the API Reference documents, in order ({' > '.join(order)}). Needs a target whose "
              "clock the harness moves (the built-in mock).",
              watch, seed=parent_seed, volatile=stamps("/" + dmember, noun),
              patterns={k: v for k, v in pats.items() if not k.startswith(f"/{listed}/")}, schedule="1s,1s")
    empty = noun in ("DatasetGroup", "Schema")
    write(op, "lifecycle-create-describe-list-delete",
          f"{op}, then Describe{noun} shows it as created (status {FINAL.get(noun, 'ACTIVE') or '(none)'} once the "
          f"lifecycle is done; timestamps volatile), {list_op} lists it"
          + (", Delete" + noun + " answers 200 and Describe" + noun + " then answers ResourceNotFoundException" if delete in OPERATIONS else "")
          + ". " + ("Needs an empty store (it lists every " + noun + ")." if empty else PRE),
          steps, seed=({} if empty and not parent_seed else parent_seed) if not (empty and parent_seed) else parent_seed,
          volatile=vol, patterns=pats)

# ---- Describe ----------------------------------------------------------------------------------
CATALOGUE_KINDS = {"Recipe": "recipes", "Algorithm": "algorithms", "FeatureTransformation": "featureTransformations"}
for noun in RESOURCE_NOUNS + list(CATALOGUE_KINDS):
    op = "Describe" + noun
    dmember, _ = resource_shape(noun)
    arn_member = own(noun)
    if noun in CATALOGUE_KINDS:
        entry = CATALOGUE[CATALOGUE_KINDS[noun]][0]
        write(op, "success", f"{op} of AWS's {entry['name']}: the catalogue entry AWS publishes.",
              [step(op, {arn_member: entry[arn_member]}, ok({dmember: entry}))])
        gone = entry[arn_member].rsplit("/", 1)[0] + "/conformance-no-such-entry"
    else:
        items = world(noun)
        item = items[-1][1]
        write(op, "success", f"{op} of a stored {noun}: the resource with the members it was created with "
              "(timestamps volatile)" + LOOSE_NOTE.get(noun, "") + ".",
              [step(op, {arn_member: item[arn_member]}, ok({dmember: describe_view(noun, item)}))],
              seed=seed_of(items), volatile=stamps("/" + dmember, noun),
              patterns={f"/{dmember}/{m}": p for m, p in LOOSE_PATTERNS.get(noun, {}).items()},
              ignore=[f"/{dmember}/{m}" for m in LOOSE_IGNORE.get(noun, [])])
        gone = arn_of(noun, "conformance-missing") if noun not in ("Dataset", "SolutionVersion") else \
            (f"{P}:dataset/conformance-missing/INTERACTIONS" if noun == "Dataset" else f"{P}:solution/conformance-missing/{SOLUTION_VERSION_ID}")
    write(op, "unknown-arn-is-resource-not-found",
          f"{op} of an ARN nothing has: ResourceNotFoundException (message presence checked).",
          [step(op, {arn_member: gone}, err("ResourceNotFoundException"))])
    write(op, "missing-arn-is-invalid-input", f"{op} without {arn_member}: InvalidInputException, AWS's message form.",
          [step(op, {}, invalid(("null", arn_member, NOT_NULL)))])
    write(op, "malformed-arn-is-invalid-input",
          f"{op} with an {arn_member} that does not match the Arn pattern: InvalidInputException naming the pattern.",
          [step(op, {arn_member: "not-an-arn"},
                invalid(("'not-an-arn'", arn_member, f"Member must satisfy regular expression pattern: {ARN_PATTERN}")))])

# ---- Delete ------------------------------------------------------------------------------------
BLOCKERS = {"DatasetGroup": "Dataset", "Schema": "Dataset", "Solution": "Campaign"}
for noun in RESOURCE_NOUNS:
    op = "Delete" + noun
    if op not in OPERATIONS:
        continue
    arn_member = own(noun)
    items = world(noun)
    item = items[-1][1]
    write(op, "success", f"{op} of a stored {noun} answers 200 with an empty body.",
          [step(op, {arn_member: item[arn_member]}, ok({}))], seed=seed_of(items))
    if noun in DELETE_STATUSES:
        dmember, _ = resource_shape(noun)
        view = describe_view(noun, item)
        write(op, "statuses-in-order-then-gone",
              f"{op}, then Describe{noun} once per second of a schedule where each transient status lasts 1 s: "
              f"{' > '.join(DELETE_STATUSES[noun])} as the model documents, then ResourceNotFoundException. "
              "Needs a target whose clock the harness moves (the built-in mock).",
              [step(op, {arn_member: item[arn_member]}, ok({})),
               step("Describe" + noun, {arn_member: item[arn_member]}, ok({dmember: dict(view, status="DELETE PENDING")})),
               step("Describe" + noun, {arn_member: item[arn_member]},
                    ok({dmember: dict(view, status=DELETE_STATUSES[noun][-1])}), advance=1),
               step("Describe" + noun, {arn_member: item[arn_member]}, err("ResourceNotFoundException"), advance=1)],
              seed=seed_of(items), volatile=stamps("/" + dmember, noun),
              patterns={f"/{dmember}/{m}": p for m, p in LOOSE_PATTERNS.get(noun, {}).items()}, schedule="1s,1s")
    write(op, "then-describe-is-resource-not-found",
          f"{op}, then Describe{noun}: ResourceNotFoundException (the resource is gone once its deletion is done).",
          [step(op, {arn_member: item[arn_member]}, ok({})),
           step("Describe" + noun, {arn_member: item[arn_member]}, err("ResourceNotFoundException"))],
          seed=seed_of(items))
    gone = arn_of(noun, "conformance-missing") if noun != "Dataset" else f"{P}:dataset/conformance-missing/INTERACTIONS"
    write(op, "unknown-arn-is-resource-not-found", f"{op} of an ARN nothing has: ResourceNotFoundException.",
          [step(op, {arn_member: gone}, err("ResourceNotFoundException"))])
    write(op, "missing-arn-is-invalid-input", f"{op} without {arn_member}: InvalidInputException, AWS's message form.",
          [step(op, {}, invalid(("null", arn_member, NOT_NULL)))])
    if noun in BLOCKERS:
        blocker = world(BLOCKERS[noun])
        write(op, f"with-a-{kebab(BLOCKERS[noun])}-is-resource-in-use",
              f"{op} of a {noun} that still has a {BLOCKERS[noun]}: ResourceInUseException (message presence checked).",
              [step(op, {arn_member: item[arn_member]}, err("ResourceInUseException"))], seed=seed_of(blocker))
    elif FINAL.get(noun, "ACTIVE") is not None:
        busy = world(noun, status="CREATE IN_PROGRESS")
        write(op, "while-being-created-is-resource-in-use",
              f"{op} of a {noun} in CREATE IN_PROGRESS: ResourceInUseException (message presence checked).",
              [step(op, {arn_member: item[arn_member]}, err("ResourceInUseException"))], seed=seed_of(busy))

# ---- List --------------------------------------------------------------------------------------
for op in OPERATIONS:
    if not op.startswith("List") or op in ("ListTagsForResource", "ListMetricAttributionMetrics"):
        continue
    noun = op[4:-1]
    errs = errors(op)
    listed = items_member(noun)
    inp = members(op_input(op))
    if noun in CATALOGUE_KINDS:
        entries = CATALOGUE[CATALOGUE_KINDS[noun]]
        ss = summary_shape(noun)
        view = [{k: v for k, v in e.items() if k in members(ss)} for e in entries]
        if noun == "Recipe":
            for v in view:
                if v["name"] in CATALOGUE["recipeDomains"]:
                    v["domain"] = CATALOGUE["recipeDomains"][v["name"]]
        write(op, "success", f"{op}: every entry of AWS's published catalogue (summaries).",
              [step(op, {}, ok({listed: view}))])
    else:
        filt = next((m for m in inp if m.endswith("Arn")), None)
        a = world(noun, name="conformance-a")
        b = world(noun, name="conformance-b") if noun not in ("SolutionVersion", "Dataset") else []
        if noun == "Dataset":
            b = world(noun, name="conformance-users")
            b[-1] = ("Dataset", dict(b[-1][1], datasetType="Users", datasetArn=f"{P}:dataset/{GROUP}/USERS"))
        items = a + b
        mine = [i for n, i in items if n == noun]
        params = {filt: mine[0][filt]} if filt and filt in mine[0] else {}
        vol = []
        for idx in range(len(mine)):
            vol += [v for v in stamps(f"/{listed}/{idx}", noun) if v.split("/")[-1] in members(summary_shape(noun))]
        write(op, "success", f"{op}{' filtered by ' + filt if params else ''}: the stored {noun}s as summaries, in any order "
              "(the order is not documented; timestamps volatile).",
              [step(op, params, ok({listed: [summary_view(noun, i) for i in mine]}))],
              seed=seed_of(items), volatile=vol,
              ignore=[f"/{listed}/{i}/{m}" for i in range(len(mine)) for m in LOOSE_IGNORE.get(noun, [])
                      if m in members(summary_shape(noun))])
        if "maxResults" in inp and len(mine) > 1:
            write(op, "pages-follow-next-token",
                  f"{op} with maxResults 1 over {len(mine)} stored {noun}s: each page holds one, the handed-out "
                  "nextToken leads to the next, the last page has none.",
                  [step(op, dict(params, maxResults=1), ok({listed: [summary_view(noun, mine[0])], "nextToken": "token-1"})),
                   dict(step(op, dict(params, maxResults=1, nextToken="token-1"), ok({listed: [summary_view(noun, mine[1])]})))],
                  seed=seed_of(items), volatile=[v for v in vol if "/0/" in v])
            f = json.load(open(os.path.join(OUT, kebab(op), "pages-follow-next-token.json")))
            f["steps"][1]["request"]["nextToken"] = {"fromPreviousResponse": True}
            json.dump(f, open(os.path.join(OUT, kebab(op), "pages-follow-next-token.json"), "w"), indent=2, ensure_ascii=False)
        if not params:
            write(op, "empty-store-lists-nothing", f"{op} on an empty store: an empty {listed} list.",
                  [step(op, {}, ok({listed: []}))], seed={})
        if filt and noun not in ("SolutionVersion",):
            other = arn_of(filt[:-3][0].upper() + filt[:-3][1:], "conformance-other", group="conformance-other") \
                if filt != "solutionVersionArn" else f"{P}:solution/conformance-other/{SOLUTION_VERSION_ID}"
            write(op, "other-parent-lists-nothing",
                  f"{op} filtered by a {filt} no stored {noun} has: an empty list.",
                  [step(op, {filt: other}, ok({listed: []}))], seed=seed_of(a))
    if "InvalidInputException" in errs and "maxResults" in inp:
        write(op, "max-results-0-is-invalid-input",
              f"{op} with maxResults 0, below the model's range 1..100: InvalidInputException, AWS's message form.",
              [step(op, {"maxResults": 0}, invalid(("'0'", "maxResults", "Member must have value greater than or equal to 1")))])
    if "InvalidNextTokenException" in errs:
        write(op, "unknown-next-token-is-invalid-next-token",
              f"{op} with a nextToken no page handed out: InvalidNextTokenException (message presence checked).",
              [step(op, {"nextToken": "conformance-not-a-token"}, err("InvalidNextTokenException"))])
    if "ResourceNotFoundException" in errs:
        filt = next(m for m in inp if m.endswith("Arn"))
        write(op, "unknown-parent-is-resource-not-found",
              f"{op} filtered by a {filt} nothing has: ResourceNotFoundException.",
              [step(op, {filt: arn_of(filt[:-3][0].upper() + filt[:-3][1:], "conformance-missing")},
                    err("ResourceNotFoundException"))])

# ---- Update ------------------------------------------------------------------------------------
UPDATES = {
    "Campaign": {"minProvisionedTPS": 2},
    "Dataset": {"schemaArn": None},
    "Recommender": {"recommenderConfig": {"minRecommendationRequestsPerSecond": 2}},
    "Solution": {"performAutoTraining": False},
    "MetricAttribution": {"metricsOutputConfig": {"roleArn": ROLE}},
}
for noun, change in UPDATES.items():
    op = "Update" + noun
    arn_member = own(noun)
    items = world(noun)
    item = items[-1][1]
    params = {arn_member: item[arn_member]}
    for k, v in change.items():
        params[k] = item.get("schemaArn") if v is None else v
    write(op, "success", f"{op} of an ACTIVE {noun} answers 200 with its ARN.",
          [step(op, params, ok({arn_member: item[arn_member]}))], seed=seed_of(items))
    gone = arn_of(noun, "conformance-missing") if noun != "Dataset" else f"{P}:dataset/conformance-missing/INTERACTIONS"
    write(op, "unknown-arn-is-resource-not-found", f"{op} of an ARN nothing has: ResourceNotFoundException.",
          [step(op, dict(params, **{arn_member: gone}), err("ResourceNotFoundException"))], seed=seed_of(items[:-1]) or None)
    busy = world(noun, status="CREATE IN_PROGRESS")
    write(op, "while-being-created-is-resource-in-use",
          f"{op} of a {noun} in CREATE IN_PROGRESS: ResourceInUseException (message presence checked).",
          [step(op, params, err("ResourceInUseException"))], seed=seed_of(busy))
    req = required(op_input(op))
    if req:
        p2 = {k: v for k, v in params.items() if k != req[0]}
        write(op, f"missing-{kebab(req[0])}-is-invalid-input", f"{op} without {req[0]}: InvalidInputException, AWS's message form.",
              [step(op, p2, invalid(("null", req[0], NOT_NULL)))])
    else:
        write(op, "malformed-arn-is-invalid-input",
              f"{op} with a {arn_member} that does not match the Arn pattern: InvalidInputException.",
              [step(op, dict(params, **{arn_member: "not-an-arn"}),
                    invalid(("'not-an-arn'", arn_member, f"Member must satisfy regular expression pattern: {ARN_PATTERN}")))])
items = world("MetricAttribution")
write("UpdateMetricAttribution", "existing-metric-is-resource-already-exists",
      "UpdateMetricAttribution adding a metric whose name the attribution already has: ResourceAlreadyExistsException.",
      [step("UpdateMetricAttribution", {"metricAttributionArn": items[-1][1]["metricAttributionArn"],
                                        "addMetrics": items[-1][1]["metrics"]}, err("ResourceAlreadyExistsException"))],
      seed=seed_of(items))

# ---- Start / Stop recommender, solution version creation, metrics ---------------------------
rec_active = world("Recommender")
rec_inactive = world("Recommender", status="INACTIVE")
rarn = rec_active[-1][1]["recommenderArn"]
for op, good, bad in (("StopRecommender", rec_active, rec_inactive), ("StartRecommender", rec_inactive, rec_active)):
    write(op, "success", f"{op} of a recommender in {good[-1][1]['status']} answers 200 with its ARN.",
          [step(op, {"recommenderArn": rarn}, ok({"recommenderArn": rarn}))], seed=seed_of(good))
    write(op, "wrong-status-is-resource-in-use",
          f"{op} of a recommender in {bad[-1][1]['status']}: ResourceInUseException (message presence checked).",
          [step(op, {"recommenderArn": rarn}, err("ResourceInUseException"))], seed=seed_of(bad))
    write(op, "unknown-arn-is-resource-not-found", f"{op} of an ARN nothing has: ResourceNotFoundException.",
          [step(op, {"recommenderArn": arn_of("Recommender", "conformance-missing")}, err("ResourceNotFoundException"))])
    write(op, "missing-arn-is-invalid-input", f"{op} without recommenderArn: InvalidInputException.",
          [step(op, {}, invalid(("null", "recommenderArn", NOT_NULL)))])
    if op == "StopRecommender":
        write(op, "then-describe-shows-inactive",
              "StopRecommender, then DescribeRecommender: the status has moved on to INACTIVE once stopping is done "
              "(STOP PENDING > STOP IN_PROGRESS > INACTIVE, the statuses in order; timestamps volatile).",
              [step(op, {"recommenderArn": rarn}, ok({"recommenderArn": rarn})),
               step("DescribeRecommender", {"recommenderArn": rarn},
                    ok({"recommender": dict(describe_view("Recommender", rec_active[-1][1]), status="INACTIVE")}))],
              seed=seed_of(rec_active), volatile=stamps("/recommender", "Recommender"),
              ignore=["/recommender/latestRecommenderUpdate"])

sv_busy = world("SolutionVersion", status="CREATE IN_PROGRESS")
sv_active = world("SolutionVersion")
svarn = sv_active[-1][1]["solutionVersionArn"]
op = "StopSolutionVersionCreation"
write(op, "success", "StopSolutionVersionCreation of a version being created answers 200 with an empty body.",
      [step(op, {"solutionVersionArn": svarn}, ok({}))], seed=seed_of(sv_busy))
write(op, "active-is-resource-in-use", "StopSolutionVersionCreation of an ACTIVE version: ResourceInUseException.",
      [step(op, {"solutionVersionArn": svarn}, err("ResourceInUseException"))], seed=seed_of(sv_active))
write(op, "unknown-arn-is-resource-not-found", "StopSolutionVersionCreation of an ARN nothing has: ResourceNotFoundException.",
      [step(op, {"solutionVersionArn": f"{P}:solution/conformance-missing/{SOLUTION_VERSION_ID}"}, err("ResourceNotFoundException"))])
write(op, "missing-arn-is-invalid-input", "StopSolutionVersionCreation without solutionVersionArn: InvalidInputException.",
      [step(op, {}, invalid(("null", "solutionVersionArn", NOT_NULL)))])
write(op, "then-describe-shows-create-stopped",
      "StopSolutionVersionCreation, then DescribeSolutionVersion: CREATE STOPPING or, once done, CREATE STOPPED.",
      [step(op, {"solutionVersionArn": svarn}, ok({})),
       step("DescribeSolutionVersion", {"solutionVersionArn": svarn},
            ok({"solutionVersion": dict(describe_view("SolutionVersion", sv_busy[-1][1]), status="CREATE STOPPED")}))],
      seed=seed_of(sv_busy), volatile=stamps("/solutionVersion", "SolutionVersion"),
      patterns={"/solutionVersion/status": "^CREATE STOPP(ING|ED)$"})
op = "GetSolutionMetrics"
write(op, "success", "GetSolutionMetrics of an ACTIVE version: its ARN and a metrics map (values depend on the "
      "training: presence checked).", [step(op, {"solutionVersionArn": svarn}, ok({"solutionVersionArn": svarn, "metrics": {}}))],
      seed=seed_of(sv_active), volatile=["/metrics"])
write(op, "being-created-is-resource-in-use", "GetSolutionMetrics of a version still being created: ResourceInUseException.",
      [step(op, {"solutionVersionArn": svarn}, err("ResourceInUseException"))], seed=seed_of(sv_busy))
write(op, "unknown-arn-is-resource-not-found", "GetSolutionMetrics of an ARN nothing has: ResourceNotFoundException.",
      [step(op, {"solutionVersionArn": f"{P}:solution/conformance-missing/{SOLUTION_VERSION_ID}"}, err("ResourceNotFoundException"))])
write(op, "missing-arn-is-invalid-input", "GetSolutionMetrics without solutionVersionArn: InvalidInputException.",
      [step(op, {}, invalid(("null", "solutionVersionArn", NOT_NULL)))])
op = "ListMetricAttributionMetrics"
ma = world("MetricAttribution")
maarn = ma[-1][1]["metricAttributionArn"]
write(op, "success", "ListMetricAttributionMetrics of a stored attribution: the metrics it was created with.",
      [step(op, {"metricAttributionArn": maarn}, ok({"metrics": ma[-1][1]["metrics"]}))], seed=seed_of(ma))
write(op, "max-results-0-is-invalid-input", "ListMetricAttributionMetrics with maxResults 0: InvalidInputException.",
      [step(op, {"metricAttributionArn": maarn, "maxResults": 0},
            invalid(("'0'", "maxResults", "Member must have value greater than or equal to 1")))])
write(op, "unknown-next-token-is-invalid-next-token", "ListMetricAttributionMetrics with a nextToken no page handed out: "
      "InvalidNextTokenException.", [step(op, {"metricAttributionArn": maarn, "nextToken": "conformance-not-a-token"},
                                          err("InvalidNextTokenException"))], seed=seed_of(ma))

# ---- tags --------------------------------------------------------------------------------------
dg = world("DatasetGroup")
dgarn = dg[-1][1]["datasetGroupArn"]
tagged = [("DatasetGroup", dict(dg[-1][1], tags=[{"tagKey": "team", "tagValue": "search"}]))]
gone = arn_of("DatasetGroup", "conformance-missing")
TAGS = [{"tagKey": "team", "tagValue": "search"}, {"tagKey": "stage", "tagValue": "test"}]
op = "TagResource"
write(op, "success", "TagResource on a stored dataset group answers 200 with an empty body.",
      [step(op, {"resourceArn": dgarn, "tags": TAGS}, ok({}))], seed=seed_of(dg))
write(op, "then-list-tags-shows-them", "TagResource, then ListTagsForResource lists the tags given.",
      [step(op, {"resourceArn": dgarn, "tags": TAGS}, ok({})),
       step("ListTagsForResource", {"resourceArn": dgarn}, ok({"tags": TAGS}))], seed=seed_of(dg))
write(op, "unknown-arn-is-resource-not-found", "TagResource on an ARN nothing has: ResourceNotFoundException.",
      [step(op, {"resourceArn": gone, "tags": TAGS}, err("ResourceNotFoundException"))])
write(op, "missing-tags-is-invalid-input", "TagResource without tags: InvalidInputException, AWS's message form.",
      [step(op, {"resourceArn": dgarn}, invalid(("null", "tags", NOT_NULL)))])
write(op, "51-tags-is-too-many-tags", "TagResource leaving a resource with 51 tags (the documented limit is 50): "
      "TooManyTagsException.", [step(op, {"resourceArn": dgarn, "tags": [{"tagKey": f"key-{i:02d}", "tagValue": "v"} for i in range(51)]},
                                     err("TooManyTagsException"))], seed=seed_of(dg))
op = "UntagResource"
write(op, "success", "UntagResource of a tag the resource has answers 200 with an empty body.",
      [step(op, {"resourceArn": dgarn, "tagKeys": ["team"]}, ok({}))], seed=seed_of(tagged))
write(op, "then-list-tags-shows-none", "UntagResource, then ListTagsForResource: the tag is gone.",
      [step(op, {"resourceArn": dgarn, "tagKeys": ["team"]}, ok({})),
       step("ListTagsForResource", {"resourceArn": dgarn}, ok({"tags": []}))], seed=seed_of(tagged))
write(op, "unknown-arn-is-resource-not-found", "UntagResource on an ARN nothing has: ResourceNotFoundException.",
      [step(op, {"resourceArn": gone, "tagKeys": ["team"]}, err("ResourceNotFoundException"))])
write(op, "missing-tag-keys-is-invalid-input", "UntagResource without tagKeys: InvalidInputException.",
      [step(op, {"resourceArn": dgarn}, invalid(("null", "tagKeys", NOT_NULL)))])
op = "ListTagsForResource"
write(op, "success", "ListTagsForResource of a tagged dataset group: its tags.",
      [step(op, {"resourceArn": dgarn}, ok({"tags": tagged[0][1]["tags"]}))], seed=seed_of(tagged))
write(op, "untagged-lists-nothing", "ListTagsForResource of a resource without tags: an empty list.",
      [step(op, {"resourceArn": dgarn}, ok({"tags": []}))], seed=seed_of(dg))
write(op, "unknown-arn-is-resource-not-found", "ListTagsForResource of an ARN nothing has: ResourceNotFoundException.",
      [step(op, {"resourceArn": gone}, err("ResourceNotFoundException"))])
write(op, "missing-arn-is-invalid-input", "ListTagsForResource without resourceArn: InvalidInputException.",
      [step(op, {}, invalid(("null", "resourceArn", NOT_NULL)))])

missing_ops = [o for o in OPERATIONS if o not in COUNT]
print(f"{sum(COUNT.values())} fixtures for {len(COUNT)} operations; min {min(COUNT.values())}; without: {missing_ops}")
