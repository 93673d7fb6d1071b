//! Results as CSV for council reports.
use super::PotResult;
use std::collections::HashMap;

/// A pot's result as CSV, for council reports: one line per bid on the
/// ballot.
pub fn csv(p: &PotResult, titles: &HashMap<i64, String>) -> String {
    let mut out = String::from("bid_id,title,cost_pence,funded,support\n");
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for (b, cost, support) in &p.funded {
        out.push_str(&format!(
            "{b},{},{cost},yes,{support}\n",
            quote(titles.get(b).map(String::as_str).unwrap_or(""))
        ));
    }
    for (b, cost, _) in &p.unfunded {
        out.push_str(&format!(
            "{b},{},{cost},no,\n",
            quote(titles.get(b).map(String::as_str).unwrap_or(""))
        ));
    }
    out
}
