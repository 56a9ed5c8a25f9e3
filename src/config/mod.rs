//! Typed settings and where they come from (being split into files; see the next commit).

mod settings;

pub use settings::*;
