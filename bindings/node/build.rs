//! Links the addon the way Node loads it: with Node's symbols resolved at load time.

fn main() {
    napi_build::setup();
}
