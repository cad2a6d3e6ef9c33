//! Compiles the expected output of every corpus spec (`corpus/types/*.rs`), so a snapshot that
//! does not compile fails the build. The tests themselves live in `tests/`.
