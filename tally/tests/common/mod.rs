//! What the pabulib test files share: where the crate and the real
//! election data are.
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
