//! Every spec of the corpus of real public specs (`../shared/corpus/`, see its README) goes
//! through `generate` (load, model, emit, format): each OpenAPI 3.0 and 3.1 spec generates,
//! Swagger 2.0 is refused with a located message, nothing panics. `cargo xtask corpus` also
//! compiles every output.

use xtask::corpus::{Entry, entries, generate};
use xtask::write::Templates;
use xtask::{GeneratedBy, Layout};

fn check(entry: &Entry, templates: &Templates) {
    let layout = Layout {
        dir: "out".into(),
        support: xtask::Support::Path("../support".into()),
        command: GeneratedBy::Generate,
        versions: Default::default(),
    };
    let root = xtask::project_root();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| generate(&root, entry, templates, &layout)))
        .unwrap_or_else(|_| panic!("{}: the generator panicked", entry.source))
        .unwrap_or_else(|e| panic!("{}: {e}", entry.source));
    match (outcome.result, entry.must_generate()) {
        (Ok(generated), true) => assert!(!generated.files.is_empty(), "{}: nothing generated", entry.source),
        (Ok(_), false) => panic!("{}: a Swagger 2.0 spec was accepted", entry.source),
        (Err(d), true) => panic!("{} must generate:\n{d}", entry.source),
        (Err(d), false) => {
            let first = d.0.first().expect("a refusal says why");
            assert_eq!((first.file.as_str(), first.pointer.as_str()), (entry.source.as_str(), "/swagger"));
            assert!(
                first.line >= 1
                    && first.message.starts_with("Swagger 2.0 is not supported: convert it to OpenAPI 3.0 or 3.1"),
                "{first}"
            );
        }
    }
}

#[test]
fn every_real_spec_generates_or_is_refused_as_swagger() {
    let root = xtask::project_root();
    let entries = entries(&root).expect("the corpus is readable");
    assert!(entries.len() >= 20, "{} is missing or incomplete ({} specs)", xtask::corpus::CORPUS_DIR, entries.len());
    let templates = Templates::load(&root.join("templates")).expect("templates");
    for entry in &entries {
        check(entry, &templates);
    }
}
