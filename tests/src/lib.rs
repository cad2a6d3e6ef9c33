//! Compiles the expected output of every corpus spec (`corpus/types/*.rs`), so a snapshot that
//! does not compile fails the build. The tests themselves live in `tests/`.

pub mod all_of {
    include!("../corpus/types/all_of.rs");
}
pub mod enums {
    include!("../corpus/types/enums.rs");
}
pub mod formats {
    include!("../corpus/types/formats.rs");
}
pub mod inline {
    include!("../corpus/types/inline.rs");
}
pub mod integers {
    include!("../corpus/types/integers.rs");
}
pub mod json_text {
    include!("../corpus/types/json_text.rs");
}
pub mod maps {
    include!("../corpus/types/maps.rs");
}
pub mod names {
    include!("../corpus/types/names.rs");
}
pub mod nullable {
    include!("../corpus/types/nullable.rs");
}
pub mod openapi31 {
    include!("../corpus/types/openapi31.rs");
}
pub mod recursion {
    include!("../corpus/types/recursion.rs");
}
pub mod secrets {
    include!("../corpus/types/secrets.rs");
}
pub mod unions {
    include!("../corpus/types/unions.rs");
}
