//! uniffi's generator of foreign-language bindings, built from the same uniffi version as the
//! library so the two agree: `uniffi-bindgen generate --library <lib> --language kotlin`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
