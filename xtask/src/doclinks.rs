//! Relative links in rustdoc's HTML that lead nowhere. rustdoc checks intra-doc links when it
//! resolves them, but the docs it inlines from another crate (a re-exported support type) keep
//! links to that crate's private module paths, pages it never writes; `-D warnings` does not
//! see those.

use std::path::{Path, PathBuf};

/// Each `page: href` under `doc_root/<krate>/` whose target file does not exist.
pub fn broken_links(doc_root: &Path, crates: &[String]) -> Vec<String> {
    let mut broken = Vec::new();
    for krate in crates {
        for page in html_files(&doc_root.join(krate)) {
            let Ok(html) = std::fs::read_to_string(&page) else { continue };
            let dir = page.parent().unwrap_or(doc_root);
            for href in hrefs(&html) {
                let target = href.split(['#', '?']).next().unwrap_or_default();
                if is_local(target) && !dir.join(target).exists() {
                    let page = page.strip_prefix(doc_root).unwrap_or(&page).display();
                    broken.push(format!("{page}: {href}"));
                }
            }
        }
    }
    broken
}

/// A page rustdoc links to, relative to this one: not a URL, an anchor, an absolute path, a
/// script template (`${f}`), or a dependency's raw Markdown link that rustdoc passes through.
fn is_local(target: &str) -> bool {
    target.ends_with(".html") && !target.starts_with('/') && !target.contains(':') && !target.contains('$')
}

fn hrefs(html: &str) -> impl Iterator<Item = &str> {
    html.split("href=\"").skip(1).filter_map(|rest| rest.split('"').next())
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(html_files(&path));
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_missing_pages_are_reported() {
        let root = std::env::temp_dir().join(format!("doclinks-{}", std::process::id()));
        let krate = root.join("acme_client");
        std::fs::create_dir_all(&krate).unwrap();
        std::fs::write(krate.join("struct.Transport.html"), "").unwrap();
        let page = concat!(
            r#"<a href="struct.Transport.html#method.new">ok</a> <a href="https://docs.rs/x">web</a> "#,
            r##"<a href="#impl">anchor</a> <a href="../support/client/transport/struct.Transport.html">gone</a>"##,
        );
        std::fs::write(krate.join("enum.BuildError.html"), page).unwrap();
        let broken = broken_links(&root, &["acme_client".to_string()]);
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(broken, ["acme_client/enum.BuildError.html: ../support/client/transport/struct.Transport.html"]);
    }
}
