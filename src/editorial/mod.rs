//! Editorial health, beside the build: review dates (spec §10), external links
//! (`check --external`), the coverage report (`copcat report`) and addresses that would
//! vanish since the previous edition (`baseline`).

pub mod baseline;
pub mod external;
pub mod report;
pub mod review;
