//! The templates shipped with the app, embedded at build time.

use crate::model::Template;
use crate::parse::{CheckError, check_files};

/// File name and contents of every shipped template file.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "beslissingsbrief.v1.toml",
        include_str!("../data/beslissingsbrief.v1.toml"),
    ),
    (
        "doorverwijzing.v1.toml",
        include_str!("../data/doorverwijzing.v1.toml"),
    ),
    (
        "evaluatieverslag.v1.toml",
        include_str!("../data/evaluatieverslag.v1.toml"),
    ),
    (
        "intakeverslag.v1.toml",
        include_str!("../data/intakeverslag.v1.toml"),
    ),
    (
        "intakeverslag.v2.toml",
        include_str!("../data/intakeverslag.v2.toml"),
    ),
    (
        "mdo-verslag.v1.toml",
        include_str!("../data/mdo-verslag.v1.toml"),
    ),
    (
        "mdo-verslag.v2.toml",
        include_str!("../data/mdo-verslag.v2.toml"),
    ),
    (
        "sociaal-verslag.v1.toml",
        include_str!("../data/sociaal-verslag.v1.toml"),
    ),
    (
        "sociaal-verslag.v2.toml",
        include_str!("../data/sociaal-verslag.v2.toml"),
    ),
    (
        "trajectverslag.v1.toml",
        include_str!("../data/trajectverslag.v1.toml"),
    ),
    (
        "trajectverslag.v2.toml",
        include_str!("../data/trajectverslag.v2.toml"),
    ),
];

/// The shipped templates, checked.
///
/// # Errors
/// Only if a shipped file is broken, which the test suite rules out.
pub fn builtin() -> Result<Vec<Template>, Vec<CheckError>> {
    check_files(BUILTIN_FILES.iter().copied())
}
