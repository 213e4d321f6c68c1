//! The learning cycle drawn as an inline SVG: one box per stage around a loop, in order,
//! each a link to its stage page with its entry count.

use super::views::{StageRef, escape};
use std::f64::consts::PI;
use std::fmt::Write as _;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 460.0;
const BOX_WIDTH: f64 = 190.0;
const BOX_HEIGHT: f64 = 96.0;

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

/// `root` is the prefix from the page to the site root.
pub fn svg(stages: &[StageRef], root: &str) -> String {
    let count = stages.len().max(1) as f64;
    let (center_x, center_y) = (WIDTH / 2.0, HEIGHT / 2.0);
    let (radius_x, radius_y) = (WIDTH / 2.0 - BOX_WIDTH / 2.0 - 8.0, HEIGHT / 2.0 - BOX_HEIGHT / 2.0 - 8.0);
    let point = |i: f64| {
        let angle = -PI / 2.0 + 2.0 * PI * i / count;
        (center_x + radius_x * angle.cos(), center_y + radius_y * angle.sin())
    };
    let names: Vec<&str> = stages.iter().map(|stage| stage.name).collect();
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"cycle\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"group\" aria-labelledby=\"cycle-title\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title id=\"cycle-title\">The learning cycle: {}</title>",
        escape(&names.join(", then "))
    );
    out.push_str(
        "<defs><marker id=\"cycle-arrow\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"7\" \
         markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" class=\"cycle-arrowhead\"/></marker></defs>",
    );
    // Arrows along the loop, from each stage to the next, drawn under the boxes.
    if stages.len() > 1 {
        let steps = 24;
        for i in 0..stages.len() {
            let (from, to) = (i as f64 + 0.32, i as f64 + 0.68);
            let mut path = String::new();
            for step in 0..=steps {
                let (x, y) = point(from + (to - from) * step as f64 / steps as f64);
                let _ = write!(path, "{}{x:.1} {y:.1}", if step == 0 { "M" } else { "L" });
            }
            let _ = write!(out, "<path class=\"cycle-flow\" d=\"{path}\" marker-end=\"url(#cycle-arrow)\"/>");
        }
    }
    for (i, stage) in stages.iter().enumerate() {
        let (x, y) = point(i as f64);
        let (left, top) = (x - BOX_WIDTH / 2.0, y - BOX_HEIGHT / 2.0);
        let entries =
            if stage.count == 1 { "1 entry".to_string() } else { format!("{} entries", stage.count) };
        let _ = write!(
            out,
            "<a class=\"cycle-stage\" href=\"{root}{url}\"><rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{BOX_WIDTH}\" height=\"{BOX_HEIGHT}\" rx=\"12\"/>",
            url = escape(&stage.url),
        );
        let lines = wrap(&format!("{}. {}", stage.number, stage.name), 22);
        let line_height = 19.0;
        let first = y - (lines.len() as f64 * line_height) / 2.0 + 4.0;
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
            top + BOX_HEIGHT - 12.0
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_on_spaces() {
        assert_eq!(wrap("1. Identify learning priorities", 22), ["1. Identify learning", "priorities"]);
    }

    #[test]
    fn each_stage_is_a_link_with_its_count() {
        let stages = vec![
            StageRef {
                id: "a",
                number: 1,
                name: "A & B",
                summary: "",
                url: "stages/a/index.html".into(),
                count: 2,
            },
            StageRef {
                id: "b",
                number: 2,
                name: "C",
                summary: "",
                url: "stages/b/index.html".into(),
                count: 1,
            },
        ];
        let svg = svg(&stages, "");
        assert!(svg.contains("href=\"stages/a/index.html\""));
        assert!(svg.contains(">1. A &amp; B<"), "{svg}");
        assert!(svg.contains(">1 entry<"));
        assert_eq!(svg.matches("cycle-flow").count(), 2);
    }
}
