//! Markdown rendering: ids, links through the URL policy, placed bodies.

use super::*;

struct Fixed;
impl LinkResolver for Fixed {
    fn resolve(&self, path: &str, anchor: Option<&str>) -> Option<String> {
        (path == "roles/a.md")
            .then(|| format!("../a/index.html{}", anchor.map(|a| format!("#{a}")).unwrap_or_default()))
    }
}

#[test]
fn heading_ids() {
    let cases = [
        ("Signs it is working", "signs-it-is-working"),
        ("What it takes?", "what-it-takes"),
        ("  Équipe & rôle ", "équipe-rôle"),
        ("Don't stop", "dont-stop"),
        ("1. First", "1-first"),
        ("!!!", "section"),
    ];
    for (text, expected) in cases {
        assert_eq!(heading_id(text), expected, "{text:?}");
    }
}

#[test]
fn outline_finds_headings_and_internal_links() {
    let body = "## Why\n\n## Why\n\n## Custom {#mine}\n\nSee [a](@/roles/a.md#why) and [x](https://x.org).\n";
    let outline = outline(body);
    let ids: Vec<&str> = outline.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["why", "why-1", "mine"]);
    assert_eq!(outline.links.len(), 1);
    let link = &outline.links[0];
    assert_eq!((link.path.as_str(), link.anchor.as_deref()), ("roles/a.md", Some("why")));
    assert_eq!(&body[link.offset..link.offset + 2], "@/");
    assert_eq!(outline.external, [ExternalLink { url: "https://x.org".into(), offset: 69 }]);
    assert_eq!(&body[69..82], "https://x.org");
}

#[test]
fn render_rewrites_links_escapes_html_and_keeps_ids() {
    let body = "## Why\n\n[a](@/roles/a.md#why) [gone](@/roles/b.md) <script>alert(1)</script>\n";
    let rendered = render(body, &Fixed, false);
    assert!(rendered.html.contains("<h2 id=\"why\">Why</h2>"), "{}", rendered.html);
    assert!(rendered.html.contains("<a href=\"../a/index.html#why\">a</a>"));
    assert!(rendered.html.contains(" gone "));
    assert!(!rendered.html.contains("<script>"));
    assert!(rendered.html.contains("&lt;script&gt;"));
    assert!(rendered.text.contains("Why"));
}

#[test]
fn comments_are_editors_notes_and_never_published() {
    let body = "Kept.\n\n<!--\nThe original, to translate:\n\nA [link](@/roles/a.md).\n-->\n\nAlso <!-- inline note --> kept.\n\n<div>shown</div>\n";
    for raw_html in [false, true] {
        let rendered = render(body, &Fixed, raw_html);
        assert!(!rendered.html.contains("original") && !rendered.html.contains("note"), "{}", rendered.html);
        assert!(!rendered.text.contains("original") && !rendered.text.contains("note"), "{}", rendered.text);
        assert!(rendered.html.contains("Kept.") && rendered.html.contains("kept."), "{}", rendered.html);
    }
    assert!(render(body, &Fixed, false).html.contains("&lt;div&gt;shown&lt;/div&gt;"));
    assert!(outline(body).links.is_empty(), "a link in a comment is not checked");
}

#[test]
fn heading_attributes_never_reach_the_page() {
    let body = "## Hi {#x tabindex=0 autofocus onfocus=alert(1) .big style=color:red}\n\n## Two {#a\"b}\n";
    let html = render(body, &Fixed, false).html;
    assert!(html.contains("<h2 id=\"x\">Hi</h2>"), "{html}");
    assert!(html.contains("<h2 id=\"two\">Two</h2>"), "{html}");
    for word in ["onfocus", "autofocus", "tabindex", "style", "class"] {
        assert!(!html.contains(word), "{word} in {html}");
    }
    let unpublished = outline(body).unpublished;
    assert_eq!(unpublished.len(), 2, "{unpublished:?}");
    let UnpublishedKind::HeadingAttributes { names } = &unpublished[0].what else { panic!() };
    assert_eq!(names, &[".big", "tabindex", "autofocus", "onfocus", "style"]);
    assert_eq!(unpublished[1].what, UnpublishedKind::InvalidHeadingId { id: "a\"b".to_string() });
}

#[test]
fn refused_urls_lose_their_link_in_every_form() {
    let bodies = [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript&colon;alert(1))",
        "[x]( javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "![x](javascript:alert(1))",
        "![x](data:image/svg+xml,<svg/onload=alert(1)>)",
    ];
    for body in bodies {
        let html = render(body, &Fixed, false).html;
        let lower = html.to_lowercase();
        assert!(!lower.contains("href") && !lower.contains("src="), "{body:?} gave {html}");
        assert!(html.contains('x') || body.starts_with('<'), "{body:?} lost its text: {html}");
        let found = outline(body).unpublished;
        assert!(
            matches!(found.as_slice(), [Unpublished { what: UnpublishedKind::RefusedUrl { .. }, .. }]),
            "{body:?}: {found:?}"
        );
    }
}

#[test]
fn allowed_urls_keep_their_links_and_external_images_become_links() {
    let html = render("[a](https://a.org) [m](mailto:x@a.org) [r](../x/) [f](#why)", &Fixed, false).html;
    for href in ["https://a.org", "mailto:x@a.org", "../x/", "#why"] {
        assert!(html.contains(&format!("href=\"{href}\"")), "{href} in {html}");
    }
    let html = render("![chart](https://a.org/c.png) ![local](img/c.png)", &Fixed, false).html;
    assert!(html.contains("<a href=\"https://a.org/c.png\">chart</a>"), "{html}");
    assert!(html.contains("<img src=\"img/c.png\" alt=\"local\""), "{html}");
    let found = outline("![chart](https://a.org/c.png)").unpublished;
    assert_eq!(found[0].what, UnpublishedKind::ExternalImage { url: "https://a.org/c.png".into() });
    assert_eq!(found[0].offset, 9);
}

#[test]
fn internal_images_are_rewritten_like_links() {
    let html = render("![a figure](@/roles/a.md#why)\n", &Fixed, false).html;
    assert!(html.contains("src=\"../a/index.html#why\""), "{html}");
}

#[test]
fn placed_bodies_prefix_their_ids_and_shift_their_headings() {
    let body = "## Why\n\n### How {#how}\n\nSee [how](#how), [a](@/roles/a.md#why) and a note[^n].\n\n\
                [^n]: The note.\n\n###### Deep\n";
    let placement = Placement { id_prefix: "entry-x--", heading_shift: 2, linked_ids: None };
    let html = render_placed(body, &Fixed, false, placement).html;
    assert!(html.contains("<h4 id=\"entry-x--why\">Why</h4>"), "{html}");
    assert!(html.contains("<h5 id=\"entry-x--how\">How</h5>"), "{html}");
    assert!(html.contains("<h6 id=\"entry-x--deep\">Deep</h6>"), "{html}");
    assert!(html.contains("href=\"#entry-x--how\""), "{html}");
    // `@/` links are the resolver's to place.
    assert!(html.contains("href=\"../a/index.html#why\""), "{html}");
    assert!(html.contains("href=\"#entry-x--fn:n\""), "{html}");
    assert!(html.contains("id=\"entry-x--fn:n\""), "{html}");
    // Placed nowhere in particular, a body renders as it always did.
    assert_eq!(
        render_placed(body, &Fixed, false, Placement::default()).html,
        render(body, &Fixed, false).html
    );
    assert!(render(body, &Fixed, false).html.contains("<h2 id=\"why\">Why</h2>"));
}

#[test]
fn placed_bodies_can_keep_only_the_ids_links_lead_to() {
    // "Deep" is linked from elsewhere, "How" from the body itself (after the heading, and
    // "Last" before it); "Why" from nowhere.
    let body = "See [last](#last).\n\n## Why\n\n### How {#how}\n\nSee [how](#how) and a note[^n].\n\n\
                [^n]: The note.\n\n###### Deep\n\n## Last\n";
    let linked = std::collections::BTreeSet::from(["deep".to_string()]);
    let placement = Placement { id_prefix: "x/", heading_shift: 1, linked_ids: Some(&linked) };
    let html = render_placed(body, &Fixed, false, placement).html;
    assert!(html.contains("<h3>Why</h3>"), "{html}");
    assert!(html.contains("<h4 id=\"x/how\">How</h4>"), "{html}");
    assert!(html.contains("<h6 id=\"x/deep\">Deep</h6>"), "{html}");
    assert!(html.contains("<h3 id=\"x/last\">Last</h3>"), "{html}");
    assert!(html.contains("href=\"#x/how\""), "{html}");
    // Footnotes keep their ids: their references lead to them.
    assert!(html.contains("id=\"x/fn:n\""), "{html}");
    // With no links at all, no heading has an id.
    let none = std::collections::BTreeSet::new();
    let placement = Placement { linked_ids: Some(&none), ..placement };
    let html = render_placed("## Why\n\n### How\n", &Fixed, false, placement).html;
    assert!(!html.contains("id="), "{html}");
}

#[test]
fn tables_footnotes_and_strikethrough_render() {
    let body = "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ text[^1]\n\n[^1]: note\n";
    let html = render(body, &Fixed, false).html;
    assert!(html.contains("<table>"));
    assert!(html.contains("<del>old</del>"));
    assert!(html.contains("footnote"));
}

#[test]
fn headings_never_take_the_theme_s_ids_nor_footnotes_a_heading_s() {
    let body = "## Main\n\n## 1\n\nText[^1] and [^main].\n\n## Entry title {#entry-title}\n\n[^1]: One.\n[^main]: Two.\n";
    let ids: Vec<String> = outline(body).headings.into_iter().map(|heading| heading.id).collect();
    assert_eq!(ids, ["main-1", "1", "entry-title-1"]);
    let html = render(body, &Fixed, false).html;
    for id in ["main-1", "1", "entry-title-1", "fn:1", "fn:main"] {
        assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1, "{id}: {html}");
    }
    for id in THEME_IDS {
        assert!(!html.contains(&format!("id=\"{id}\"")), "{id}: {html}");
    }
    assert!(html.contains("href=\"#fn:1\"") && html.contains("href=\"#fn:main\""), "{html}");
}

#[test]
fn tasks_are_checkboxes_labelled_by_their_words() {
    let body =
        "- [x] Done *well*\n- [ ] To do\n  - [ ] nested\n  - plain\n- plain\n\n1. [ ] loose\n\n   more\n";
    let rendered = render(body, &Fixed, false);
    let html = rendered.html;
    assert!(
        html.contains("<li class=\"task\"><label><input type=\"checkbox\" disabled checked> Done <em>well</em></label></li>"),
        "{html}"
    );
    // The label ends where the item's first line does, before a nested list.
    assert!(html.contains("<label><input type=\"checkbox\" disabled> To do</label>\n<ul>"), "{html}");
    assert!(html.contains("<li>plain</li>"), "{html}");
    assert!(html.contains("<p><label><input type=\"checkbox\" disabled> loose</label></p>"), "{html}");
    assert_eq!(html.matches("<label>").count(), html.matches("</label>").count(), "{html}");
    assert!(!rendered.text.contains('['), "the boxes are not words: {}", rendered.text);
}
