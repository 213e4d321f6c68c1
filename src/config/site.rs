//! The site settings of catalog.toml that reach every page: `base_url` and `language`.

use crate::diagnostic::{Diagnostic, Position};
use crate::toml_fields::{self as fields, Table, TomlSource};
use crate::url_policy::{self, BaseUrl};
use toml::Spanned;

/// The catalog's `base_url`: an absolute http(s) address, or a path (a warning: the feed,
/// sitemap and canonical links need an absolute one).
pub(super) fn check_base_url(
    source: &TomlSource,
    table: &Table,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let Some(written) = fields::string(source, table, "base_url", diagnostics) else {
        return (!table.contains_key("base_url")).then(|| "/".to_string());
    };
    match url_policy::check_base_url(written.get_ref()) {
        Ok(BaseUrl::Absolute(url)) => Some(url),
        Ok(BaseUrl::Path(path)) => {
            diagnostics.push(
                source
                    .warning(
                        &written.span(),
                        format!(
                            "base_url \"{path}\" is only a path: feed.xml, sitemap.xml and canonical links \
                             need the site's absolute address"
                        ),
                    )
                    .with_help(
                        "set base_url = \"https://your-host/path/\", or build with \
                         --base-url https://your-host/path/ when you deploy",
                    ),
            );
            Some(path)
        }
        Err(problem) => {
            diagnostics.push(
                source
                    .error(&written.span(), format!("invalid base_url \"{}\": {problem}", written.get_ref()))
                    .with_help("write the site's address, e.g. base_url = \"https://example.org/catalog/\""),
            );
            None
        }
    }
}

/// A base URL given on the command line (already checked there) or by the preview server.
pub(super) fn check_replaced_base_url(url: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    match url_policy::check_base_url(url) {
        Ok(checked) => Some(checked.as_str().to_string()),
        Err(problem) => {
            diagnostics.push(Diagnostic::error(
                "--base-url",
                Position::START,
                format!("invalid base URL: {problem}"),
            ));
            None
        }
    }
}

/// `language` becomes the pages' `lang`: a language code (ISO 639-1, or a BCP 47 tag such
/// as `fr-CA`).
pub(super) fn check_language(
    source: &TomlSource,
    language: &Spanned<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if !is_language_tag(language.get_ref()) {
        diagnostics.push(
            source
                .error(&language.span(), format!("invalid language \"{}\"", language.get_ref()))
                .with_help("use a language code such as \"en\" or \"fr\" (or a tag such as \"fr-CA\")"),
        );
    }
}

/// A BCP 47 language tag in the simple shape pages use: `ll`, `lll`, `ll-CA`, `zh-Hant-TW`.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|part| (2..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The longest review cycle accepted (a century), so that date arithmetic stays in range.
const LONGEST_CYCLE: i64 = 1200;

/// Reads catalog.toml's `review_every_months`: a whole number of months, at least 1.
pub(super) fn read_review_policy(
    source: &TomlSource,
    table: &Table,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<u32> {
    let months = fields::integer(source, table, "review_every_months", diagnostics)?;
    match u32::try_from(*months.get_ref()) {
        Ok(valid @ 1..) if i64::from(valid) <= LONGEST_CYCLE => Some(valid),
        _ => {
            diagnostics.push(
                source
                    .error(
                        &months.span(),
                        format!("\"review_every_months\" must be from 1 to {LONGEST_CYCLE}"),
                    )
                    .with_help("e.g. review_every_months = 24 (every two years)"),
            );
            None
        }
    }
}
