//! Every bad spec is a located error (`file:line:col: /pointer: message`), never a panic; what the
//! generator reads differently from the spec as written is a located warning.

mod common;

#[test]
fn every_bad_spec_reports_located_errors() {
    let corpus = common::corpus("errors");
    assert!(corpus.len() >= 8, "the corpus went missing");
    for (stem, path) in corpus {
        let source = path.to_string_lossy().into_owned();
        let result = std::panic::catch_unwind(|| xtask::load_api(&common::root().join(&path), &source, &stem));
        let diagnostics = match result {
            Ok(Ok(api)) if api.warnings.is_empty() => {
                panic!("{source}: expected errors or warnings, the spec was accepted")
            }
            Ok(Ok(api)) => xtask::spec::Diagnostics(api.warnings),
            Ok(Err(d)) => d,
            Err(_) => panic!("{source}: the generator panicked"),
        };
        for d in &diagnostics.0 {
            assert_eq!(d.file, source);
            assert!(d.line >= 1 && d.col >= 1, "{d}");
        }
        common::check_file(&path.with_extension("stderr"), &format!("{diagnostics}\n"));
    }
}
