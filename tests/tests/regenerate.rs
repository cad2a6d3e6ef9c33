//! `generated/` must be what `cargo xtask regenerate` makes of `specs/` now.

#[test]
fn generated_crates_are_up_to_date() {
    if let Err(e) = xtask::regenerate(&xtask::project_root(), true) {
        panic!("\n{e}\n");
    }
}
