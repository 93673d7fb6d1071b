//! What the pabulib test files share: where the crate and the real
//! election data are, and where reports go.
#![allow(dead_code)] // each test binary uses part of this module
use std::path::{Path, PathBuf};

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The folder of real `.pb` files: `$FAIRSHARE_DATA_DIR` (or its `pabulib`
/// subfolder), else `../shared/data/pabulib` beside the workspace; `None`
/// where there is none, so the fixture files alone are checked.
pub fn data_dir() -> Option<PathBuf> {
    let base = match std::env::var_os("FAIRSHARE_DATA_DIR") {
        Some(d) => PathBuf::from(d),
        None => crate_dir()
            .join("..")
            .join("..")
            .join("shared")
            .join("data"),
    };
    let p = base.join("pabulib");
    if p.is_dir() {
        Some(p)
    } else if base.is_dir() && has_pb(&base) {
        Some(base)
    } else {
        None
    }
}

fn has_pb(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "pb"))
        })
        .unwrap_or(false)
}

/// Where tests write their reports: `conformance/` in the target folder
/// (`$CARGO_TARGET_DIR`, else `target/` in the workspace), never the
/// working tree.
pub fn report_dir() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => PathBuf::from(d),
        None => crate_dir().join("..").join("target"),
    };
    target.join("conformance")
}
