//! personalize-client (to be written).
