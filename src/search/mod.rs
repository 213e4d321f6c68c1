//! The search index, built at build time from what readers see.
