//! How commands print: one JSON object per line for `--json`, and localized sentences otherwise.

use serde::Serialize;

use crate::error::Failure;
use crate::i18n::text::Msg;
use crate::i18n::Locale;
use crate::workflows::service::{WfResult, WorkflowError};

/// One JSON object as one line of text.
pub fn json_line(value: &impl Serialize) -> Result<String, Failure> {
    serde_json::to_string(value).map_err(|e| Failure::runtime(e.to_string()))
}

/// Prints one JSON object as one line.
pub fn line(value: &impl Serialize) -> Result<(), Failure> {
    println!("{}", json_line(value)?);
    Ok(())
}

/// `line` for a workflow command.
pub fn out(value: &impl Serialize) -> WfResult<()> {
    line(value).map_err(|f| WorkflowError::Store(crate::store::StoreError::Invalid(f.message)))
}

/// Prints a localized sentence.
pub fn say(msg: Msg, locale: Locale) {
    println!("{}", msg.render(locale));
}
