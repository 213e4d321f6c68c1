//! The catalog graph on the base fixture: lists by stage and term, backlinks, computed
//! related entries and drafts.

mod common;

use copcat::catalog::Catalog;
use copcat::{LoadOptions, load_catalog};

fn load(drafts: bool) -> Catalog {
    let mut diagnostics = Vec::new();
    let root = common::fixtures().join("base");
    let catalog = load_catalog(&root, &LoadOptions { drafts, base_url: None }, &mut diagnostics)
        .unwrap()
        .expect("the base fixture loads");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    catalog
}

fn ids(catalog: &Catalog, indices: &[copcat::catalog::EntryId]) -> Vec<String> {
    indices.iter().map(|&index| catalog.entries[index].id.clone()).collect()
}

#[test]
fn stage_lists_follow_weight_then_title() {
    let catalog = load(false);
    let stage = catalog.config.stage_index("identify-priorities").unwrap();
    // priority-setter has weight -1, so it comes before "Fund a facilitator".
    assert_eq!(
        ids(&catalog, &catalog.by_stage[stage]),
        ["roles/priority-setter", "guidance/fund-a-facilitator"]
    );
    let share = catalog.config.stage_index("share-coordinate").unwrap();
    assert_eq!(
        ids(&catalog, &catalog.by_stage[share]),
        ["guidance/fund-a-facilitator", "roles/knowledge-broker"]
    );
}

#[test]
fn term_lists() {
    let catalog = load(false);
    let executive = &catalog.by_term[0][0];
    assert_eq!(
        ids(&catalog, executive),
        ["roles/priority-setter", "guidance/escape-test", "guidance/fund-a-facilitator"]
    );
    assert_eq!(ids(&catalog, &catalog.by_term[0][1]), ["roles/priority-setter", "roles/knowledge-broker"]);
}

#[test]
fn backlinks_come_from_related_and_body_links() {
    let catalog = load(false);
    let broker = catalog.entry("roles/knowledge-broker").unwrap();
    let fund = catalog.entry("guidance/fund-a-facilitator").unwrap();
    // fund-a-facilitator lists the broker in `related` and links to it in its body: once.
    assert_eq!(ids(&catalog, &catalog.backlinks[broker]), ["guidance/fund-a-facilitator"]);
    assert_eq!(ids(&catalog, &catalog.backlinks[fund]), ["roles/knowledge-broker"]);
    let setter = catalog.entry("roles/priority-setter").unwrap();
    assert!(catalog.backlinks[setter].is_empty());
}

#[test]
fn computed_related_ranks_by_overlap_then_title_and_skips_explicit_ones() {
    let catalog = load(false);
    let setter = catalog.entry("roles/priority-setter").unwrap();
    // priority-setter: stage identify-priorities, audience executive + cop-lead.
    // fund-a-facilitator shares the stage and executive (2); knowledge-broker shares
    // cop-lead (1); escape-test shares executive (1); ties by title.
    assert_eq!(
        ids(&catalog, &catalog.computed_related[setter]),
        ["guidance/fund-a-facilitator", "guidance/escape-test", "roles/knowledge-broker"]
    );
    let broker = catalog.entry("roles/knowledge-broker").unwrap();
    let computed = ids(&catalog, &catalog.computed_related[broker]);
    assert!(
        !computed.contains(&"guidance/fund-a-facilitator".to_string()),
        "explicit related are not repeated"
    );
    assert!(!computed.contains(&"roles/knowledge-broker".to_string()), "never itself");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let catalog = load(false);
    assert!(catalog.entry("roles/secret-plan").is_none());
    for list in catalog.by_stage.iter().chain(catalog.computed_related.iter()) {
        assert!(ids(&catalog, list).iter().all(|id| id != "roles/secret-plan"));
    }
    let with_drafts = load(true);
    let secret = with_drafts.entry("roles/secret-plan").expect("published with --drafts");
    let stage = with_drafts.config.stage_index("identify-priorities").unwrap();
    assert!(with_drafts.by_stage[stage].contains(&secret));
}

#[test]
fn citations_list_the_citing_entries() {
    let catalog = load(false);
    assert_eq!(
        ids(&catalog, &catalog.citations["li2009"]),
        ["roles/priority-setter", "guidance/escape-test"]
    );
}

/// No input may cause a panic: every truncation and many byte changes of a valid entry
/// load into diagnostics.
#[test]
fn mangled_entries_never_panic() {
    let root = common::fixtures().join("base");
    let original = std::fs::read(root.join("content/roles/knowledge-broker.md")).unwrap();
    let dir = common::catalog("base", &[]);
    let target = dir.path().join("content/roles/knowledge-broker.md");
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let replacements: &[u8] = b"+=\"[]#\n\\{}'\xff\xc3@/.-0 ";
    let mut variants: Vec<Vec<u8>> =
        (0..original.len()).step_by(3).map(|cut| original[..cut].to_vec()).collect();
    for _ in 0..300 {
        let mut bytes = original.clone();
        for _ in 0..1 + next() % 4 {
            let at = (next() as usize) % bytes.len();
            bytes[at] = replacements[(next() as usize) % replacements.len()];
        }
        variants.push(bytes);
    }
    for bytes in variants {
        std::fs::write(&target, &bytes).unwrap();
        let mut diagnostics = Vec::new();
        let _ = load_catalog(dir.path(), &LoadOptions::default(), &mut diagnostics).unwrap();
        for diagnostic in &diagnostics {
            assert!(diagnostic.line >= 1 && diagnostic.column >= 1);
        }
    }
}
