//! From a case's operation name to the generic runners instantiated for the generated
//! operation type. The table is checked against the generated `service::OPERATIONS`, so an
//! operation added to the model cannot be missed.

use personalize_model::Operation;
use protocol_tests_model::operation::{
    content_type_parameters::ContentTypeParameters, datetime_offsets::DatetimeOffsets,
    empty_operation::EmptyOperation, endpoint_operation::EndpointOperation,
    endpoint_with_host_label_operation::EndpointWithHostLabelOperation,
    fractional_seconds::FractionalSeconds, greeting_with_errors::GreetingWithErrors,
    host_with_path_operation::HostWithPathOperation, json_enums::JsonEnums,
    json_int_enums::JsonIntEnums, json_unions::JsonUnions,
    kitchen_sink_operation::KitchenSinkOperation, null_operation::NullOperation,
    operation_with_optional_input_output::OperationWithOptionalInputOutput,
    put_and_get_inline_documents::PutAndGetInlineDocuments,
    put_with_content_encoding::PutWithContentEncoding,
    simple_scalar_properties::SimpleScalarProperties, sparse_nulls_operation::SparseNullsOperation,
};

/// Something to do with one operation type.
pub trait Visit {
    /// What the visit gives.
    type Output;
    /// Does it for `O`.
    fn visit<O: Operation>(self) -> Self::Output;
}

macro_rules! operations {
    ($($op:ty),* $(,)?) => {
        /// The names of the operations [`visit`] knows.
        pub const NAMES: &[&str] = &[$(<$op as Operation>::NAME),*];

        /// Calls `v` with the operation named `name`; `None` when there is none.
        pub fn visit<V: Visit>(name: &str, v: V) -> Option<V::Output> {
            $(
                if name == <$op as Operation>::NAME {
                    return Some(v.visit::<$op>());
                }
            )*
            None
        }
    };
}

operations!(
    ContentTypeParameters,
    DatetimeOffsets,
    EmptyOperation,
    EndpointOperation,
    EndpointWithHostLabelOperation,
    FractionalSeconds,
    GreetingWithErrors,
    HostWithPathOperation,
    JsonEnums,
    JsonIntEnums,
    JsonUnions,
    KitchenSinkOperation,
    NullOperation,
    OperationWithOptionalInputOutput,
    PutAndGetInlineDocuments,
    PutWithContentEncoding,
    SimpleScalarProperties,
    SparseNullsOperation,
);

#[cfg(test)]
mod tests {
    #[test]
    fn every_generated_operation_is_dispatched() {
        let mut names = super::NAMES.to_vec();
        names.sort_unstable();
        assert_eq!(names, protocol_tests_model::service::OPERATIONS);
    }
}
