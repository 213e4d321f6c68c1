//! Editorial health, beside the build: review dates (spec §10) and external links
//! (`check --external`).

pub mod external;
pub mod review;
