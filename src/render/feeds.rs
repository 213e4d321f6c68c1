//! Machine-readable outputs: catalog.json, catalog.csv, feed.xml (Atom), sitemap.xml and
//! robots.txt. Only these (with canonical links) use `base_url`.

use super::views::escape;
use crate::catalog::{Catalog, EntryId};
use crate::sink::OutputFile;
use crate::urls;
use serde::Serialize;
use std::collections::BTreeMap;

/// The version of catalog.json's shape (docs/exports.md).
pub const CATALOG_JSON_VERSION: u32 = 1;

/// The version of a catalog split into parts: catalog.json lists the parts (it has no
/// `entries`), and each part's `entries` holds only that part's.
pub const CATALOG_PARTS_VERSION: u32 = 2;

/// The most bytes of entries in one catalog-N.json; a catalog whose catalog.json would be
/// larger is split into parts (hosts such as Cloudflare Pages refuse files over 25 MiB).
pub const PART_BYTES: usize = 20 * 1024 * 1024;

/// How many entries feed.xml carries (the newest).
pub const FEED_LIMIT: usize = 50;

#[derive(Serialize)]
struct CatalogJson<'a> {
    /// The shape of this file (docs/exports.md): raised when a key changes meaning or goes.
    version: u32,
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    /// The language of this file's titles and summaries (each site language has its own).
    language: &'a str,
    /// In a part: which part this is, of how many.
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parts_count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entries: Option<EntriesJson<'a>>,
    /// In a split catalog's catalog.json: where each part is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parts: Vec<PartJson<'a>>,
}

/// A part of a split catalog, as catalog.json lists it.
#[derive(Serialize)]
struct PartJson<'a> {
    json: String,
    csv: String,
    entries: usize,
    first: &'a str,
    last: &'a str,
}

/// Published entries, each made into an `EntryJson` only as it is written, so that a
/// large catalog's JSON is not held twice (as values and as text).
struct EntriesJson<'a>(&'a Catalog, &'a [EntryId]);

impl Serialize for EntriesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let catalog = self.0;
        serializer.collect_seq(self.1.iter().map(|&index| entry_json(catalog, index)))
    }
}

#[derive(Serialize)]
struct EntryJson<'a> {
    id: &'a str,
    kind: &'a str,
    title: &'a str,
    summary: &'a str,
    stages: Vec<&'a str>,
    terms: BTreeMap<&'a str, Vec<&'a str>>,
    related: Vec<&'a str>,
    sources: &'a [String],
    updated: Option<String>,
    reviewed: Option<String>,
    /// When the entry falls due for review (a date, so the file does not change by the day).
    review_due: Option<String>,
    url: String,
    path: String,
    /// Old addresses that redirect here (`aliases`), as `path` is written.
    aliases: Vec<String>,
    /// The language its title and summary are in: the file's, or the original's for an
    /// entry not translated yet.
    language: &'a str,
}

fn entry_json(catalog: &Catalog, index: EntryId) -> EntryJson<'_> {
    let config = &catalog.config;
    let entry = &catalog.entries[index];
    let path = urls::entry(catalog, index);
    EntryJson {
        id: &entry.id,
        kind: entry.kind().map_or("", |kind| config.kinds[kind].id.as_str()),
        title: &entry.title,
        summary: &entry.summary,
        stages: entry.stages.iter().map(|&stage| config.stages[stage].id.as_str()).collect(),
        terms: config
            .taxonomies
            .iter()
            .zip(&entry.terms)
            .map(|(taxonomy, terms)| {
                (taxonomy.id.as_str(), terms.iter().map(|&term| taxonomy.terms[term].id.as_str()).collect())
            })
            .collect(),
        related: catalog.related[index].iter().map(|&other| catalog.entries[other].id.as_str()).collect(),
        sources: &entry.sources,
        updated: entry.updated.map(|date| date.to_string()),
        reviewed: entry.editorial.reviewed.map(|date| date.to_string()),
        review_due: crate::editorial::review::due_date(entry, config.review_every_months)
            .map(|d| d.to_string()),
        url: urls::absolute(&config.base_url, &path),
        path: path.trim_end_matches("index.html").to_string(),
        aliases: entry.aliases.iter().map(|alias| format!("{}/", alias.path)).collect(),
        language: entry.text_language.as_deref().unwrap_or(&config.language),
    }
}

/// catalog.json and catalog.csv; for a catalog whose catalog.json would pass `part_bytes`,
/// the parts (catalog-1.json, catalog-1.csv, …) and, as catalog.json and catalog.csv, an
/// index of them (docs/exports.md).
pub fn catalog_exports(catalog: &Catalog, part_bytes: usize) -> Vec<OutputFile> {
    let whole = catalog_json(catalog, &catalog.ordered, None, Vec::new());
    if whole.len() <= part_bytes {
        let csv = catalog_csv(catalog, &catalog.ordered);
        return vec![OutputFile::new("catalog.json", whole), OutputFile::new("catalog.csv", csv)];
    }
    drop(whole);
    let chunks = split_by_size(catalog, part_bytes);
    let count = chunks.len();
    let mut files = Vec::with_capacity(2 * count + 2);
    let mut parts = Vec::with_capacity(count);
    let mut index_csv = String::from("\u{FEFF}part,entries,first,last,json,csv\r\n");
    for (n, chunk) in chunks.iter().enumerate() {
        let (json, csv) = (format!("catalog-{}.json", n + 1), format!("catalog-{}.csv", n + 1));
        let (first, last) = (chunk_id(catalog, chunk.first()), chunk_id(catalog, chunk.last()));
        let row = [
            (n + 1).to_string(),
            chunk.len().to_string(),
            first.into(),
            last.into(),
            json.clone(),
            csv.clone(),
        ];
        index_csv.push_str(&row.iter().map(|field| csv_field(field)).collect::<Vec<_>>().join(","));
        index_csv.push_str("\r\n");
        files.push(OutputFile::new(
            json.clone(),
            catalog_json(catalog, chunk, Some((n + 1, count)), Vec::new()),
        ));
        files.push(OutputFile::new(csv.clone(), catalog_csv(catalog, chunk)));
        parts.push(PartJson { json, csv, entries: chunk.len(), first, last });
    }
    files.push(OutputFile::new("catalog.json", catalog_json(catalog, &[], None, parts)));
    files.push(OutputFile::new("catalog.csv", index_csv));
    files
}

fn chunk_id<'a>(catalog: &'a Catalog, index: Option<&EntryId>) -> &'a str {
    index.map_or("", |&index| catalog.entries[index].id.as_str())
}

/// The published entries in runs whose JSON stays under `part_bytes` (each at least one).
fn split_by_size(catalog: &Catalog, part_bytes: usize) -> Vec<Vec<EntryId>> {
    let mut chunks: Vec<Vec<EntryId>> = vec![Vec::new()];
    let mut size = 0;
    for &index in &catalog.ordered {
        // The entry as it is written in a part: on a line of its own, compact.
        let bytes = serde_json::to_vec(&entry_json(catalog, index)).map_or(0, |bytes| bytes.len() + 6);
        if size + bytes > part_bytes && chunks.last().is_some_and(|chunk| !chunk.is_empty()) {
            chunks.push(Vec::new());
            size = 0;
        }
        size += bytes;
        if let Some(chunk) = chunks.last_mut() {
            chunk.push(index);
        }
    }
    chunks
}

/// catalog.json's text: the whole catalog (`part` none, `parts` empty), a part of it
/// (`part`: its number and the count), or the index of the parts (`parts`).
fn catalog_json(
    catalog: &Catalog,
    entries: &[EntryId],
    part: Option<(usize, usize)>,
    parts: Vec<PartJson>,
) -> Vec<u8> {
    let split = part.is_some() || !parts.is_empty();
    let document = CatalogJson {
        version: if split { CATALOG_PARTS_VERSION } else { CATALOG_JSON_VERSION },
        title: &catalog.config.title,
        description: &catalog.config.description,
        base_url: &catalog.config.base_url,
        language: &catalog.config.language,
        part: part.map(|(number, _)| number),
        parts_count: part.map(|(_, count)| count),
        entries: parts.is_empty().then_some(EntriesJson(catalog, entries)),
        parts,
    };
    let mut bytes = Vec::with_capacity(entries.len() * 700);
    // Serializing these plain values into a Vec cannot fail.
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, LinePerItem::default());
    let _ = document.serialize(&mut serializer);
    bytes.push(b'\n');
    bytes
}

/// catalog.json's layout: the document's keys one per line, and each entry (or part) of
/// its lists on a line of its own, written compactly. A reader still sees one entry per
/// line (and `grep` finds it whole); the file is a third smaller than indented JSON.
#[derive(Default)]
struct LinePerItem {
    depth: usize,
    /// Whether the list or object open at the current depth has an item yet.
    has_item: bool,
}

impl LinePerItem {
    /// Whether what opens at the current depth is laid out over lines.
    fn laid_out(&self) -> bool {
        self.depth <= 2
    }

    fn new_line<W: ?Sized + std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b"\n")?;
        (0..self.depth).try_for_each(|_| writer.write_all(b"  "))
    }

    fn open<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_item = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        let laid_out = self.laid_out();
        self.depth -= 1;
        if laid_out && self.has_item {
            self.new_line(writer)?;
        }
        // What encloses this list or object holds it as an item.
        self.has_item = true;
        writer.write_all(bracket)
    }

    fn item<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.has_item = true;
        if !first {
            writer.write_all(b",")?;
        }
        if self.laid_out() { self.new_line(writer) } else { Ok(()) }
    }
}

impl serde_json::ser::Formatter for LinePerItem {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(writer, first)
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(if self.laid_out() { b": " } else { b":" })
    }
}

/// One CSV field per RFC 4180: quoted when it holds a comma, quote or line break. A field
/// that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, tab or
/// carriage return) gets a leading `'` and is quoted, as OWASP recommends against CSV
/// injection: opened in Excel or LibreOffice, a title stays text.
fn csv_field(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula {
        format!("\"'{}\"", text.replace('"', "\"\""))
    } else if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn catalog_csv(catalog: &Catalog, entries: &[EntryId]) -> String {
    let config = &catalog.config;
    let mut header = vec!["id", "kind", "title", "summary", "stages"];
    header.extend(config.taxonomies.iter().map(|taxonomy| taxonomy.id.as_str()));
    header.extend(["related", "sources", "updated", "reviewed", "review_due", "url", "language"]);
    // A byte-order mark first, so that Excel on Windows reads the file as UTF-8 (accents).
    let mut out = String::from("\u{FEFF}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for &index in entries {
        let entry = entry_json(catalog, index);
        let mut row = vec![
            entry.id.to_string(),
            entry.kind.to_string(),
            entry.title.to_string(),
            entry.summary.to_string(),
            entry.stages.join("; "),
        ];
        for taxonomy in &config.taxonomies {
            row.push(entry.terms.get(taxonomy.id.as_str()).map(|terms| terms.join("; ")).unwrap_or_default());
        }
        row.push(entry.related.join("; "));
        row.push(entry.sources.join("; "));
        row.push(entry.updated.unwrap_or_default());
        row.extend([entry.reviewed.unwrap_or_default(), entry.review_due.unwrap_or_default()]);
        row.push(entry.url);
        row.push(entry.language.to_string());
        let fields: Vec<String> = row.iter().map(|field| csv_field(field)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn feed(catalog: &Catalog) -> OutputFile {
    let config = &catalog.config;
    let mut newest: Vec<EntryId> = catalog.ordered.clone();
    newest.sort_by(|&a, &b| {
        let (a_entry, b_entry) = (&catalog.entries[a], &catalog.entries[b]);
        b_entry.updated.cmp(&a_entry.updated).then_with(|| a_entry.title.cmp(&b_entry.title))
    });
    let latest = newest.first().and_then(|&index| catalog.entries[index].updated);
    let stamp = |date: Option<crate::toml_fields::Date>| match date.or(latest) {
        Some(date) => format!("{date}T00:00:00Z"),
        None => "1970-01-01T00:00:00Z".to_string(),
    };
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    out.push_str(&format!("  <title>{}</title>\n", escape(&config.title)));
    if !config.description.is_empty() {
        out.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(&config.description)));
    }
    out.push_str(&format!("  <id>{}</id>\n", escape(&config.base_url)));
    out.push_str(&format!("  <link href=\"{}\"/>\n", escape(&config.base_url)));
    out.push_str(&format!("  <link rel=\"self\" href=\"{}feed.xml\"/>\n", escape(&config.base_url)));
    out.push_str(&format!("  <updated>{}</updated>\n", stamp(latest)));
    for &index in newest.iter().take(FEED_LIMIT) {
        let entry = &catalog.entries[index];
        let url = urls::absolute(&config.base_url, &urls::entry(catalog, index));
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", escape(&entry.title)));
        out.push_str(&format!("    <link href=\"{}\"/>\n", escape(&url)));
        out.push_str(&format!("    <id>{}</id>\n", escape(&url)));
        out.push_str(&format!("    <updated>{}</updated>\n", stamp(entry.updated)));
        out.push_str(&format!("    <author><name>{}</name></author>\n", escape(&config.title)));
        out.push_str(&format!("    <summary>{}</summary>\n", escape(&entry.summary)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    OutputFile::new("feed.xml", out)
}

/// The most `<url>`s one sitemap file may list (the sitemaps protocol's limit).
const SITEMAP_URLS: usize = 50_000;

/// `pages` are (root-relative URL, last modified) for every HTML page of the site. A site in
/// several languages lists each page in each language, with its alternates in all of them
/// (every language has the same pages at the same paths below its folder). A site with more
/// pages than one sitemap may list (50,000), or more bytes than a host takes in one file
/// (`PART_BYTES`), has `sitemap-1.xml`, `sitemap-2.xml`… and `sitemap.xml` is their index.
pub fn sitemap(catalog: &Catalog, pages: &[(String, Option<String>)]) -> Vec<OutputFile> {
    let config = &catalog.config;
    let multilingual = config.is_multilingual();
    let mut head = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    head.push_str(if multilingual { " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n" } else { ">\n" });
    let address =
        |prefix: &str, url: &str| escape(&urls::absolute(&format!("{}{prefix}", config.base_url), url));
    let elements = config.languages.iter().flat_map(|language| {
        pages.iter().map(move |(url, lastmod)| {
            let mut out = format!("  <url><loc>{}</loc>", address(&language.prefix, url));
            if let Some(lastmod) = lastmod {
                out.push_str(&format!("<lastmod>{lastmod}</lastmod>"));
            }
            if multilingual {
                for other in &config.languages {
                    let href = address(&other.prefix, url);
                    out.push_str(&format!(
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{href}\"/>",
                        other.code
                    ));
                }
                let default = address("", url);
                out.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{default}\"/>"
                ));
            }
            out.push_str("</url>\n");
            out
        })
    });
    let limits = (SITEMAP_URLS, PART_BYTES);
    sitemap_files(elements, &head, &escape(&urls::absolute(&config.base_url, "")), limits)
}

/// The sitemap of `elements` (each a `<url>` line), in one file or, past `limits` (URLs,
/// bytes), in parts listed by an index at `base`.
fn sitemap_files(
    elements: impl Iterator<Item = String>,
    head: &str,
    base: &str,
    (most_urls, most_bytes): (usize, usize),
) -> Vec<OutputFile> {
    const TAIL: &str = "</urlset>\n";
    let mut parts = vec![String::from(head)];
    let mut count = 0;
    for element in elements {
        let part = parts.last().map_or(0, String::len);
        if count > 0 && (count == most_urls || part + element.len() + TAIL.len() > most_bytes) {
            parts.push(String::from(head));
            count = 0;
        }
        if let Some(part) = parts.last_mut() {
            part.push_str(&element);
        }
        count += 1;
    }
    for part in &mut parts {
        part.push_str(TAIL);
    }
    if parts.len() == 1 {
        return parts.into_iter().map(|part| OutputFile::new("sitemap.xml", part)).collect();
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut files = Vec::with_capacity(parts.len() + 1);
    for (number, part) in parts.into_iter().enumerate() {
        let name = format!("sitemap-{}.xml", number + 1);
        index.push_str(&format!("  <sitemap><loc>{base}{name}</loc></sitemap>\n"));
        files.push(OutputFile::new(name, part));
    }
    index.push_str("</sitemapindex>\n");
    files.push(OutputFile::new("sitemap.xml", index));
    files
}

pub fn robots(catalog: &Catalog) -> OutputFile {
    OutputFile::new(
        "robots.txt",
        format!("User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n", catalog.config.base_url),
    )
}

#[cfg(test)]
mod tests {
    use super::{LinePerItem, csv_field, sitemap_files};
    use serde::Serialize;

    fn line_per_item(value: &serde_json::Value) -> String {
        let mut bytes = Vec::new();
        let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, LinePerItem::default());
        value.serialize(&mut serializer).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn catalog_json_writes_each_entry_on_a_line_of_its_own() {
        let document = serde_json::json!({
            "version": 1,
            "entries": [
                {"id": "roles/a", "stages": ["x", "y"], "terms": {"audience": []}},
                {"id": "roles/b", "stages": [], "terms": {}},
            ],
            "parts": [],
        });
        let text = line_per_item(&document);
        assert_eq!(
            text,
            "{\n  \"entries\": [\n    \
             {\"id\":\"roles/a\",\"stages\":[\"x\",\"y\"],\"terms\":{\"audience\":[]}},\n    \
             {\"id\":\"roles/b\",\"stages\":[],\"terms\":{}}\n  ],\n  \"parts\": [],\n  \"version\": 1\n}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, document);
        assert_eq!(line_per_item(&serde_json::json!({})), "{}");
    }

    fn text(file: &crate::sink::OutputFile) -> String {
        String::from_utf8(file.bytes.clone()).unwrap()
    }

    #[test]
    fn a_sitemap_past_its_limits_is_split_with_an_index() {
        let head = "<urlset>\n";
        let element = |n: usize| format!("  <url><loc>https://x.org/{n}/</loc></url>\n");
        let one = sitemap_files((0..5).map(element), head, "https://x.org/", (5, 1000));
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].path, "sitemap.xml");
        assert_eq!(text(&one[0]).matches("<url>").count(), 5);

        // By count: 5 URLs, 2 to a file.
        let split = sitemap_files((0..5).map(element), head, "https://x.org/", (2, 1000));
        let paths: Vec<&str> = split.iter().map(|file| file.path.as_str()).collect();
        assert_eq!(paths, ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]);
        let index = text(&split[3]);
        assert!(index.contains("<sitemapindex"), "{index}");
        for part in 1..=3 {
            assert!(index.contains(&format!("<loc>https://x.org/sitemap-{part}.xml</loc>")), "{index}");
        }
        let listed: String = split[..3].iter().map(text).collect();
        for n in 0..5 {
            assert_eq!(listed.matches(&format!("/{n}/<")).count(), 1, "{listed}");
        }
        assert!(
            split[..3].iter().all(|file| text(file).starts_with(head) && text(file).ends_with("</urlset>\n"))
        );

        // By bytes: no file over the limit, one URL at least in each.
        let limit = head.len() + 2 * element(0).len() + "</urlset>\n".len();
        let split = sitemap_files((0..5).map(element), head, "https://x.org/", (100, limit));
        assert_eq!(split.len(), 4);
        assert!(split[..3].iter().all(|file| file.bytes.len() <= limit));
    }

    #[test]
    fn csv_fields_follow_rfc_4180() {
        let cases = [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("a\nb", "\"a\nb\""),
        ];
        for (field, expected) in cases {
            assert_eq!(csv_field(field), expected);
        }
    }

    #[test]
    fn csv_fields_are_never_formulas() {
        let cases = [
            ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            ("+cmd|' /C calc'!A0", "\"'+cmd|' /C calc'!A0\""),
            ("-2+3", "\"'-2+3\""),
            ("@SUM(1+1)", "\"'@SUM(1+1)\""),
            ("\t=1", "\"'\t=1\""),
            ("\r=1", "\"'\r=1\""),
            ("a=b", "a=b"),
        ];
        for (field, expected) in cases {
            assert_eq!(csv_field(field), expected, "{field:?}");
        }
    }
}
