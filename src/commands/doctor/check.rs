//! One line of `doctor`'s report, and the report as text or JSON.

use serde::Serialize;

/// One check: what was looked at, whether it is fine, what was found, and
/// (when it is not fine) what to run or change.
#[derive(Debug, Serialize)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
    pub fix: Option<String>,
}

impl Check {
    pub fn pass(name: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ok: true,
            detail: detail.into(),
            fix: None,
        }
    }

    pub fn fail(
        name: impl Into<String>,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            ok: false,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    checks: &'a [Check],
}

pub fn all_pass(checks: &[Check]) -> bool {
    checks.iter().all(|check| check.ok)
}

/// `{"ok": bool, "checks": [{"name","ok","detail","fix"}]}` and a newline.
pub fn render_json(checks: &[Check]) -> String {
    let report = Report {
        ok: all_pass(checks),
        checks,
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

/// `✓ name: detail`, or `✗ name: detail` and an indented `fix:` line;
/// green and red only when `colour`.
pub fn render_text(checks: &[Check], colour: bool) -> String {
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut text = String::new();
    for check in checks {
        let mark = if check.ok {
            paint("32", "✓")
        } else {
            paint("31", "✗")
        };
        text.push_str(&format!("{mark} {}: {}\n", check.name, check.detail));
        if let Some(fix) = &check.fix {
            text.push_str(&format!("    fix: {fix}\n"));
        }
    }
    let failed = checks.iter().filter(|check| !check.ok).count();
    if failed == 0 {
        text.push_str("\nAll checks passed.\n");
    } else {
        text.push_str(&format!("\n{failed} of {} checks failed.\n", checks.len()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_show_their_fix_and_no_colour_without_a_terminal() {
        let checks = [
            Check::pass("curl", "curl 8.5.0"),
            Check::fail("file store", "mode 644", "chmod 600 x"),
        ];
        let text = render_text(&checks, false);
        assert!(text.contains("✓ curl: curl 8.5.0\n"), "{text}");
        assert!(
            text.contains("✗ file store: mode 644\n    fix: chmod 600 x\n"),
            "{text}"
        );
        assert!(!text.contains('\x1b'));
        assert!(render_text(&checks, true).contains("\x1b[31m✗\x1b[0m"));
        let json: serde_json::Value = serde_json::from_str(&render_json(&checks)).unwrap();
        assert_eq!(json["ok"], false);
        assert_eq!(json["checks"][1]["fix"], "chmod 600 x");
        assert!(json["checks"][0]["fix"].is_null());
    }
}
