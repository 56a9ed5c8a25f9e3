//! partnerdesk's knowledge: what the front-desk bot can answer, and how a free-text question is
//! mapped to one of those answers. Pure, synchronous and offline: no I/O, no network, no model
//! download; the lexicon is compiled into the binary, [`Matcher::new`] builds its index in a
//! few milliseconds and a classification takes microseconds (see `benches/matcher.rs`).
//!
//! Modules and what each owns:
//! - [`topic`]: the fixed topic ids (`topic-<id>` is the Fluent message with the answer);
//! - [`lang`]: Japanese-or-English detection of a question;
//! - [`normalize`]: the canonical text form both questions and lexicon patterns are folded into
//!   (NFKC, case, katakana/hiragana, long vowels, spacing);
//! - `lexicon` (private, data in `src/lexicon.txt`): which cue words point to which topics;
//! - `fuzzy` (private): one-edit typo correction of English words;
//! - `retrieval` (private): TF-IDF similarity to the example questions of each topic
//!   (`src/examples-{ja,en}.tsv`) and coverage, the out-of-scope signal;
//! - [`matcher`]: the decision rule (scores → topic or `unknown`, with a confidence);
//! - [`split`]: where a message may be cut into questions, and what reads as a follow-up;
//! - [`understand`]: a whole message → its parts (at most three), each classified, with the
//!   conversation's last topic as context;
//! - [`date`]: the one date and time parser (questions, CLI arguments, CSV cells), with the
//!   spans it read so the matcher can ignore them;
//! - [`hints`]: invoice / renewal / payment cue words for computed answers;
//! - `question` (private): how much of a question is read (shared by `matcher` and `hints`).
//!
//! The answers themselves live in `locales/{ja,en}/knowledge.ftl`; every fact in them is quoted
//! from the two seed documents. Business rules that compute dates (renewal windows, payee by
//! invoice date, business hours) live with the caller, which appends their result.

pub mod date;
mod fuzzy;
pub mod hints;
pub mod lang;
mod lexicon;
pub mod matcher;
pub mod normalize;
mod question;
mod retrieval;
pub mod split;
pub mod topic;
pub mod understand;

pub use date::{extract_date, mask_dates, parse_when, read_asked, Asked, DateError};
pub use hints::{mentions_invoice, mentions_payment, mentions_renewal, Hints};
pub use lang::{detect_language, Lang};
pub use lexicon::LexiconError;
pub use matcher::{Analysis, Classification, Matcher, Scores};
pub use normalize::normalize;
pub use topic::{TopicId, UnknownTopicId};
pub use understand::{Part, Understanding, MAX_PARTS};
