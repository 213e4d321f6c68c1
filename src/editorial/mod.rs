//! Editorial health, beside the build: review dates (spec §10).

pub mod review;
