//! The learning cycle drawn as an inline SVG: the stages that take turns sit around a loop
//! with arrows from each to the next; cross-cutting stages (`cross_cutting = true`, such as
//! the infrastructure to share and coordinate) sit in the middle, serving them all. Each
//! stage is a link to its page, with its entry count.

use super::views::{StageRef, escape};
use crate::i18n::Strings;
use std::f64::consts::PI;
use std::fmt::Write as _;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 460.0;
const BOX_WIDTH: f64 = 190.0;
const BOX_HEIGHT: f64 = 96.0;
const HUB_WIDTH: f64 = 176.0;

/// Splits `text` into lines of at most `width` characters, on spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// One stage as a linked box centred on (x, y).
fn stage_box(
    out: &mut String,
    stage: &StageRef,
    root: &str,
    (x, y): (f64, f64),
    width: f64,
    class: &str,
    strings: &Strings,
) {
    let (left, top) = (x - width / 2.0, y - BOX_HEIGHT / 2.0);
    let entries = escape(&strings.count("entries", stage.count));
    let _ = write!(
        out,
        "<a class=\"cycle-stage {class} stage-{number}\" href=\"{root}{url}\"><rect x=\"{left:.1}\" y=\"{top:.1}\" \
         width=\"{width}\" height=\"{BOX_HEIGHT}\" rx=\"12\"/>",
        number = stage.number,
        url = escape(&stage.url),
    );
    let characters = (width / 8.6) as usize;
    let lines = wrap(&format!("{}. {}", stage.number, stage.name), characters);
    let line_height = 19.0;
    let shown = lines.len().min(3);
    let first = y - (shown as f64 * line_height) / 2.0 + 2.0;
    for (n, line) in lines.iter().enumerate().take(3) {
        let _ = write!(
            out,
            "<text class=\"cycle-label\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            first + n as f64 * line_height,
            escape(line)
        );
    }
    let _ = write!(
        out,
        "<text class=\"cycle-count\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{entries}</text></a>",
        top + BOX_HEIGHT - 10.0
    );
}

/// `root` is the prefix from the page to the site root; `strings` are the page language's.
pub fn svg(stages: &[StageRef], root: &str, strings: &Strings) -> String {
    let (ring, hub): (Vec<&StageRef>, Vec<&StageRef>) = stages.iter().partition(|stage| !stage.cross_cutting);
    let count = ring.len().max(1) as f64;
    let (center_x, center_y) = (WIDTH / 2.0, HEIGHT / 2.0);
    let (radius_x, radius_y) = (WIDTH / 2.0 - BOX_WIDTH / 2.0 - 8.0, HEIGHT / 2.0 - BOX_HEIGHT / 2.0 - 8.0);
    let point = |i: f64| {
        let angle = -PI / 2.0 + 2.0 * PI * i / count;
        (center_x + radius_x * angle.cos(), center_y + radius_y * angle.sin())
    };
    let mut description: Vec<String> =
        vec![ring.iter().map(|stage| stage.name).collect::<Vec<_>>().join(strings.text("cycle_then"))];
    if !hub.is_empty() {
        let across: Vec<&str> = hub.iter().map(|stage| stage.name).collect();
        let across = across.join(strings.text("list_separator"));
        description.push(strings.fill("cycle_across", &[("stages", &across)]));
    }
    let title =
        strings.fill("cycle_title", &[("description", &description.join(strings.text("cycle_separator")))]);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"cycle\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"group\" aria-labelledby=\"cycle-title\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title id=\"cycle-title\">{}</title>",
        escape(&title)
    );
    out.push_str(
        "<defs><marker id=\"cycle-arrow\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"7\" \
         markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" class=\"cycle-arrowhead\"/></marker></defs>",
    );
    // Arrows along the loop, from each stage to the next, drawn under the boxes.
    if ring.len() > 1 {
        let steps = 24;
        for i in 0..ring.len() {
            let (from, to) = (i as f64 + 0.3, i as f64 + 0.7);
            let mut path = String::new();
            for step in 0..=steps {
                let (x, y) = point(from + (to - from) * step as f64 / steps as f64);
                let _ = write!(path, "{}{x:.1} {y:.1}", if step == 0 { "M" } else { "L" });
            }
            let _ = write!(out, "<path class=\"cycle-flow\" d=\"{path}\" marker-end=\"url(#cycle-arrow)\"/>");
        }
    }
    for (i, stage) in ring.iter().enumerate() {
        stage_box(&mut out, stage, root, point(i as f64), BOX_WIDTH, "cycle-turn", strings);
    }
    // Cross-cutting stages stack in the middle of the loop.
    let gap = 8.0;
    let stack = hub.len() as f64 * BOX_HEIGHT + (hub.len().saturating_sub(1)) as f64 * gap;
    for (i, stage) in hub.iter().enumerate() {
        let y = center_y - stack / 2.0 + BOX_HEIGHT / 2.0 + i as f64 * (BOX_HEIGHT + gap);
        stage_box(&mut out, stage, root, (center_x, y), HUB_WIDTH, "cycle-hub", strings);
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(
        id: &'static str,
        number: usize,
        name: &'static str,
        count: usize,
        cross_cutting: bool,
    ) -> StageRef<'static> {
        StageRef {
            id,
            number,
            name,
            summary: "",
            url: format!("stages/{id}/index.html"),
            count,
            cross_cutting,
        }
    }

    #[test]
    fn wraps_on_spaces() {
        assert_eq!(wrap("1. Identify learning priorities", 22), ["1. Identify learning", "priorities"]);
    }

    #[test]
    fn each_stage_is_a_link_with_its_count() {
        let stages = vec![stage("a", 1, "A & B", 2, false), stage("b", 2, "C", 1, false)];
        let svg = svg(&stages, "", &Strings::shipped("en").unwrap());
        assert!(svg.contains("href=\"stages/a/index.html\""));
        assert!(svg.contains(">1. A &amp; B<"), "{svg}");
        assert!(svg.contains(">1 entry<"));
        assert_eq!(svg.matches("cycle-flow").count(), 2);
    }

    #[test]
    fn cross_cutting_stages_sit_in_the_middle_without_arrows() {
        let stages = vec![
            stage("a", 1, "A", 1, false),
            stage("b", 2, "B", 1, false),
            stage("c", 3, "C", 1, false),
            stage("d", 4, "Share", 5, true),
        ];
        let svg = svg(&stages, "../", &Strings::shipped("en").unwrap());
        assert_eq!(svg.matches("cycle-flow").count(), 3, "arrows join the three turns only");
        assert_eq!(svg.matches("cycle-hub").count(), 1);
        assert!(svg.contains("href=\"../stages/d/index.html\""));
        assert!(svg.contains("across all stages: Share"));
    }
}
