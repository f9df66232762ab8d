//! An operation error whose code the model does not list is the opaque `Unhandled`, read
//! through methods; a listed code is its modeled variant.

use personalize_model::operation::list_batch_segment_jobs::ListBatchSegmentJobsError;
use personalize_model::OperationError;

#[test]
fn an_unlisted_code_is_unhandled_with_its_code_and_message() {
    let error =
        ListBatchSegmentJobsError::from_code("ThrottlingException", Some("Rate exceeded".into()));
    let ListBatchSegmentJobsError::Unhandled(unhandled) = &error else {
        panic!("expected Unhandled, got {error:?}");
    };
    assert_eq!(unhandled.code(), "ThrottlingException");
    assert_eq!(unhandled.message(), Some("Rate exceeded"));
    assert_eq!(unhandled.to_string(), "ThrottlingException: Rate exceeded");
    assert_eq!(error.code(), "ThrottlingException");
    assert_eq!(error.message(), Some("Rate exceeded"));
    assert_eq!(error.to_string(), "ThrottlingException: Rate exceeded");
    assert!(!error.is_modeled());

    let bare = ListBatchSegmentJobsError::from_code("503", None);
    assert_eq!(bare.code(), "503");
    assert_eq!(bare.message(), None);
    assert_eq!(bare.to_string(), "503");
}

#[test]
fn a_listed_code_is_its_modeled_variant() {
    let error =
        ListBatchSegmentJobsError::from_code("InvalidNextTokenException", Some("bad".into()));
    assert!(
        matches!(
            error,
            ListBatchSegmentJobsError::InvalidNextTokenException(_)
        ),
        "{error:?}"
    );
    assert!(error.is_modeled());
    assert_eq!(error.code(), "InvalidNextTokenException");
    assert_eq!(error.message(), Some("bad"));
}
