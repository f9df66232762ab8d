//! What the generator does not support fails with an error naming the shape and the trait or
//! kind, never a panic and never silently wrong code.

use serde_json::{json, Value};
use xtask::slice::Operations;
use xtask::smithy::Model;

fn fixture() -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kitchen_sink.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Generates the fixture after `edit`, returning the error text.
fn error_after(edit: impl FnOnce(&mut Value)) -> String {
    let mut model = fixture();
    edit(&mut model);
    let model = Model::parse(&model.to_string(), "test").unwrap();
    let err = xtask::typespace::build(&model, &Operations::All)
        .and_then(|space| xtask::emit::generated_files(&space))
        .unwrap_err();
    err.to_string()
}

fn set_shape(model: &mut Value, name: &str, shape: Value) {
    model["shapes"][format!("example.kitchen#{name}")] = shape;
}

#[test]
fn a_union_without_members_is_refused() {
    let err = error_after(|m| set_shape(m, "Choice", json!({"type": "union", "members": {}})));
    assert_eq!(
        err,
        "shape example.kitchen#Choice: unsupported: a union without members"
    );
}

#[test]
fn lookaround_pattern_is_refused() {
    let err = error_after(|m| {
        m["shapes"]["example.kitchen#Name"]["traits"]["smithy.api#pattern"] = json!("^(?!x)[a-z]+$")
    });
    assert!(err.starts_with("shape example.kitchen#Name: trait smithy.api#pattern `^(?!x)[a-z]+$` cannot be translated: lookaround"), "{err}");
}

#[test]
fn backreference_pattern_is_refused() {
    let err = error_after(|m| {
        m["shapes"]["example.kitchen#Tag"]["traits"]["smithy.api#pattern"] = json!("^(a)\\1$")
    });
    assert!(
        err.contains("shape example.kitchen#Tag: trait smithy.api#pattern"),
        "{err}"
    );
    assert!(err.contains("backreference \\1"), "{err}");
}

#[test]
fn member_pattern_error_names_the_member() {
    let err = error_after(|m| {
        m["shapes"]["example.kitchen#PutThingRequest"]["members"]["code"]["traits"]
            ["smithy.api#pattern"] = json!("(?<=a)b")
    });
    assert!(
        err.starts_with("shape example.kitchen#PutThingRequest$code: trait smithy.api#pattern"),
        "{err}"
    );
}

/// A change to the fixture model.
type Edit = Box<dyn FnOnce(&mut Value)>;

#[test]
fn other_unsupported_kinds_and_traits() {
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(|m| set_shape(m, "Level", json!({"type": "intEnum", "members": {"A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "a"}}}}))),
            "shape example.kitchen#Level$A: trait smithy.api#enumValue is malformed: an intEnum member needs an integer value within i32",
        ),
        (
            Box::new(|m| set_shape(m, "TagList", json!({"type": "set", "member": {"target": "example.kitchen#Tag"}}))),
            "shape example.kitchen#TagList: unsupported: shape type set",
        ),
        (
            Box::new(|m| set_shape(m, "Total", json!({"type": "bigDecimal"}))),
            "shape example.kitchen#Total: unsupported: shape type bigDecimal",
        ),
        (
            Box::new(|m| m["shapes"]["example.kitchen#Date"]["traits"] = json!({"smithy.api#timestampFormat": "julian"})),
            "shape example.kitchen#Date: trait smithy.api#timestampFormat is malformed: must be \"epoch-seconds\", \"date-time\" or \"http-date\"",
        ),
        (
            Box::new(|m| m["shapes"]["example.kitchen#PutThingRequest"]["members"]["note"]["traits"] = json!({"smithy.api#timestampFormat": "date-time"})),
            "shape example.kitchen#PutThingRequest$note: trait smithy.api#timestampFormat is malformed: applies to timestamps only",
        ),
        (
            Box::new(|m| m["shapes"]["example.kitchen#Upload"]["traits"]["smithy.api#endpoint"] = json!({"hostPrefix": "{data}."})),
            "shape example.kitchen#Upload: trait smithy.api#endpoint is malformed: label {data} is not a string member of UploadInput",
        ),
        (
            Box::new(|m| m["shapes"]["example.kitchen#UploadRequest"]["members"]["zone"]["traits"] = json!({})),
            "shape example.kitchen#Upload: trait smithy.api#endpoint is malformed: member zone of UploadInput lacks @hostLabel",
        ),
        (
            Box::new(|m| {
                let service = m["shapes"]["example.kitchen#KitchenSink"]["traits"].as_object_mut().unwrap();
                service.remove("aws.protocols#awsJson1_0");
                service.insert("aws.protocols#restJson1".to_owned(), json!({}));
            }),
            "shape example.kitchen#PutThingRequest$region: unsupported: trait smithy.api#httpHeader",
        ),
        (
            Box::new(|m| m["shapes"]["example.kitchen#Payload"]["traits"] = json!({"smithy.api#streaming": {}})),
            "shape example.kitchen#Payload: unsupported: trait smithy.api#streaming",
        ),

        (
            Box::new(|m| m["shapes"]["example.kitchen#ErrorMessage"]["traits"] = json!({"smithy.api#enum": [{"value": "a"}]})),
            "shape example.kitchen#ErrorMessage: unsupported: trait smithy.api#enum",
        ),
        (
            Box::new(|m| m["shapes"]["example.kitchen#Count"]["traits"] = json!({"smithy.api#length": {"max": 3}})),
            "shape example.kitchen#Count: trait smithy.api#length is malformed: applies to strings, blobs, lists and maps only",
        ),
        (
            Box::new(|m| m["shapes"]["example.kitchen#ListThings"]["traits"]["smithy.api#paginated"]["items"] = json!("missing")),
            "shape example.kitchen#ListThings: trait smithy.api#paginated is malformed: items `missing` is not a member of ListThingsOutput",
        ),
        (
            Box::new(|m| m["shapes"]["example.kitchen#PutThingRequest"]["members"]["name"]["target"] = json!("example.kitchen#Missing")),
            "shape example.kitchen#Missing (referenced by example.kitchen#PutThingRequest) is not defined in the model",
        ),
    ];
    for (edit, want) in cases {
        let err = error_after(edit);
        assert!(err.starts_with(want), "want `{want}`, got `{err}`");
    }
}
