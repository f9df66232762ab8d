//! personalize-mock (to be written).
