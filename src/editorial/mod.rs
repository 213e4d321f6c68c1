//! Editorial health, beside the build: review dates (spec §10), external links
//! (`check --external`) and the coverage report (`copcat report`).

pub mod external;
pub mod report;
pub mod review;
