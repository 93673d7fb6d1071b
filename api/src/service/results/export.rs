//! Results as CSV for council reports.
use super::PotResult;
use crate::domain::BidId;
use std::borrow::Cow;
use std::collections::HashMap;

/// A cell a spreadsheet will not run: one that begins with `=`, `+`, `-`,
/// `@`, a tab or a carriage return is read by Excel, LibreOffice and Google
/// Sheets as a formula (`=HYPERLINK(…)`), so it gets a leading `'`, as
/// OWASP's advice on CSV injection has it. Any group can write a bid's
/// title; officers open the file.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A pot's result as CSV, for council reports: one line per bid on the
/// ballot, each title quoted and made safe to open in a spreadsheet.
pub fn csv(p: &PotResult, titles: &HashMap<BidId, String>) -> String {
    let mut out = String::from("bid_id,title,cost_pence,funded,support\n");
    let title = |b: &BidId| {
        let safe = spreadsheet_safe(titles.get(b).map(String::as_str).unwrap_or(""));
        format!("\"{}\"", safe.replace('"', "\"\""))
    };
    for f in &p.summary.funded {
        out.push_str(&format!(
            "{},{},{},yes,{}\n",
            f.bid,
            title(&f.bid),
            f.cost_pence,
            f.support
        ));
    }
    for u in &p.summary.unfunded {
        out.push_str(&format!(
            "{},{},{},no,\n",
            u.bid,
            title(&u.bid),
            u.cost_pence
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_not_run_and_quotes_survive() {
        for (title, cell) in [
            (
                "=HYPERLINK(\"http://x\",\"Click\")",
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"Click\"\")\"",
            ),
            ("+1+1", "\"'+1+1\""),
            ("-2", "\"'-2\""),
            ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("\tTabbed", "\"'\tTabbed\""),
            ("\rReturn", "\"'\rReturn\""),
            ("Benches, new", "\"Benches, new\""),
            ("Plain", "\"Plain\""),
        ] {
            let p = PotResult {
                pot_id: crate::domain::PotId::new(1),
                area_id: crate::domain::AreaId::new(1),
                budget_pence: 100,
                ballots_sha256: String::new(),
                result_sha256: String::new(),
                summary: super::super::PotSummary {
                    funded: vec![super::super::FundedLine {
                        bid: BidId::new(7),
                        cost_pence: 50,
                        support: "3".into(),
                        votes: 3,
                    }],
                    spent_pence: 50,
                    voters: 3,
                    ..Default::default()
                },
            };
            let out = csv(&p, &HashMap::from([(BidId::new(7), title.to_owned())]));
            let line = out.lines().nth(1).unwrap_or_default().to_owned();
            let rest = out.split_once('\n').map(|(_, r)| r).unwrap_or("");
            assert!(
                rest.starts_with(&format!("7,{cell},50,yes,3")),
                "{title:?} gave {line:?}"
            );
        }
    }
}
