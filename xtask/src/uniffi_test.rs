//! `cargo xtask uniffi-test`: builds the uniffi library, generates Kotlin and Swift from it,
//! builds the Kotlin JVM library and runs the Kotlin tests against the sandbox, and checks the
//! Swift package (syntax with tree-sitter-swift, the C header with gcc, and that every
//! operation is there). CI runs it as one step.
//!
//! Kotlin and Swift are generated at build time rather than committed: `uniffi-bindgen` reads
//! the built library, so committing them would make `codegen --check` build it too.
//! Everything it installs is pinned and kept under `target/uniffi/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail, ensure};
use heck::{ToLowerCamelCase, ToUpperCamelCase};
use serde_json::Value;

use crate::bundle;
use crate::codegen::short_name;
use crate::process::{cargo, spawn, target_dir, venv};

/// The Kotlin compiler, from npm; its `lib/` also has kotlinx-coroutines 1.8.
const KOTLIN: (&str, &str) = (
    "kotlin-compiler@2.4.20",
    "c23dab400d7ce5ea8b6c909947c0ca5454189e4bb1108695b5f464500e5e950f",
);
/// JNA from Maven Central, when the system has none in `/usr/share/java`.
const JNA: (&str, &str) = (
    "https://repo1.maven.org/maven2/net/java/dev/jna/jna/5.17.0/jna-5.17.0.jar",
    "b3a9408e7c51e08ef0e3bfcc08f443f6ec0f6191ba8cd7c18d53d2b22e5bdbc0",
);
/// The Swift parser the checks use.
const SWIFT_TOOLS: [&str; 2] = ["tree-sitter==0.26.1", "tree-sitter-swift==0.7.4"];

/// Runs everything; see the module documentation.
pub(crate) fn run(root: &Path) -> anyhow::Result<()> {
    let work = root.join("target/uniffi");

    // The tools are fetched while cargo builds: both mostly wait, on the network and on
    // the compiler.
    let (library, tools) = std::thread::scope(|scope| {
        let tools = scope.spawn(|| tools(&work));
        let library = build(root);
        let tools = tools
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("fetching the tools panicked")));
        (library, tools)
    });
    let (library, tools) = (library?, tools?);

    let kotlin_out = work.join("kotlin-gen");
    bindgen(root, &library, "kotlin", &kotlin_out)?;
    let swift_out = work.join("swift-gen");
    bindgen(root, &library, "swift", &swift_out)?;

    swift_package(root, &swift_out)?;
    check_swift(root, &work, &tools.python)?;
    kotlin(root, &work, &tools, &kotlin_out, &library)
}

/// What the step installs under `target/uniffi/tools` and `target/uniffi/venv`.
struct Tools {
    kotlin: PathBuf,
    jna: PathBuf,
    python: PathBuf,
}

fn tools(work: &Path) -> anyhow::Result<Tools> {
    Ok(Tools {
        kotlin: kotlin_compiler(work)?,
        jna: jna(work)?,
        python: venv(&work.join("venv"), &SWIFT_TOOLS)?.join("python"),
    })
}

/// Builds the library, as the workspace build does (so after `cargo test` there is nothing
/// left to build), and uniffi's generator from its own package; answers the library's path.
fn build(root: &Path) -> anyhow::Result<PathBuf> {
    cargo(
        root,
        &["build", "--locked", "-p", "highlevel-uniffi", "--lib"],
    )?;
    let target = target_dir(root);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    spawn(
        Command::new(cargo)
            .args(["build", "--locked", "--manifest-path"])
            .arg(root.join("bindings/uniffi/bindgen/Cargo.toml"))
            // The workspace's target folder, so that what both build is built once.
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(root),
    )?;

    let library = target.join("debug/libhighlevel_uniffi.so");
    ensure!(library.exists(), "the build made no {}", library.display());
    Ok(library)
}

fn bindgen(root: &Path, library: &Path, language: &str, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    spawn(
        Command::new(target_dir(root).join("debug/uniffi-bindgen"))
            .args(["generate", "--no-format", "--library"])
            .arg(library)
            .args(["--language", language, "--out-dir"])
            .arg(out)
            .current_dir(root),
    )
}

/// Copies the generated Swift, header and module map into the Swift package's layout.
fn swift_package(root: &Path, generated: &Path) -> anyhow::Result<()> {
    let package = root.join("bindings/uniffi/swift/Sources");
    let copies = [
        ("HighLevel.swift", "HighLevel/HighLevel.swift"),
        ("HighLevelFFI.h", "HighLevelFFI/HighLevelFFI.h"),
        ("HighLevelFFI.modulemap", "HighLevelFFI/module.modulemap"),
    ];
    for (from, to) in copies {
        let to = package.join(to);
        std::fs::create_dir_all(to.parent().context("no folder")?)?;
        std::fs::copy(generated.join(from), &to)
            .with_context(|| format!("uniffi-bindgen made no {from}"))?;
    }
    Ok(())
}

/// Parses the package's Swift with tree-sitter-swift, checks that every operation is a
/// method of its group's class, and compiles the C header's syntax with gcc.
fn check_swift(root: &Path, work: &Path, python: &Path) -> anyhow::Result<()> {
    let doc = bundle::load(&root.join("openapi"))?;
    let mut expected = Vec::new();
    for (_, _, op) in bundle::operations(&doc) {
        let id = op["operationId"].as_str().context("no operationId")?;
        let tag = op["tags"][0].as_str().context("no tag")?;
        let method = short_name(tag, id).to_lower_camel_case();
        expected.push(serde_json::json!([tag.to_upper_camel_case(), method, id]));
    }
    let list = work.join("swift-operations.json");
    std::fs::write(&list, Value::Array(expected).to_string())?;

    let package = root.join("bindings/uniffi/swift");
    spawn(
        Command::new(python)
            .arg(package.join("check_swift.py"))
            .arg(package.join("Sources"))
            .arg(&list),
    )?;
    // Included from a C file, as a user of the module would, rather than compiled alone
    // (where `#pragma once` is itself a warning).
    let including = work.join("include-header.c");
    std::fs::write(&including, "#include \"HighLevelFFI.h\"\n")?;
    spawn(
        Command::new("gcc")
            .args(["-fsyntax-only", "-std=c11", "-Wall", "-Wextra", "-Werror"])
            // gcc does not know clang's nullability qualifiers, which the header uses.
            .args(["-D_Nullable=", "-D_Nonnull="])
            .arg("-I")
            .arg(package.join("Sources/HighLevelFFI"))
            .arg(&including),
    )
}

/// Builds the JVM library (`target/uniffi/highlevel.jar`) from the generated and
/// hand-written Kotlin, then the tests against it, and runs them.
fn kotlin(
    root: &Path,
    work: &Path,
    tools: &Tools,
    generated: &Path,
    library: &Path,
) -> anyhow::Result<()> {
    let (kotlin, jna) = (&tools.kotlin, &tools.jna);
    let coroutines = kotlin.join("lib/kotlinx-coroutines-core-jvm.jar");
    let stdlib = kotlin.join("lib/kotlin-stdlib.jar");
    let kotlinc = kotlin.join("bin/kotlinc-jvm");
    let classpath =
        |parts: &[&Path]| std::env::join_paths(parts).map(|p| p.to_string_lossy().into_owned());

    let jar = work.join("highlevel.jar");
    let mut sources = kotlin_files(generated)?;
    sources.extend(kotlin_files(&root.join("bindings/uniffi/kotlin/src"))?);
    unless_built(&jar, &sources, || {
        spawn(
            Command::new(&kotlinc)
                .args(["-nowarn", "-cp", &classpath(&[jna, &coroutines])?])
                .args(&sources)
                .arg("-d")
                .arg(&jar),
        )
    })?;

    let tests = work.join("highlevel-tests.jar");
    let test_sources = kotlin_files(&root.join("bindings/uniffi/kotlin/test"))?;
    unless_built(&tests, &test_sources, || {
        spawn(
            Command::new(&kotlinc)
                .args(["-Werror", "-cp", &classpath(&[&jar, jna, &coroutines])?])
                .args(&test_sources)
                .arg("-d")
                .arg(&tests),
        )
    })?;

    let folder = library.parent().context("the library has no folder")?;
    spawn(
        Command::new("java")
            .arg(format!("-Djna.library.path={}", folder.display()))
            .args([
                "-cp",
                &classpath(&[&tests, &jar, &stdlib, jna, &coroutines])?,
            ])
            .arg("highlevel.test.MainKt")
            .arg(root.join("tests/scenarios"))
            .current_dir(root),
    )
}

/// Runs `build` unless `output` was built from exactly these `sources` before: the
/// generated Kotlin is large, and compiling it takes minutes on two cores.
fn unless_built(
    output: &Path,
    sources: &[PathBuf],
    build: impl FnOnce() -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use std::hash::{Hash, Hasher};

    let mut hasher = std::hash::DefaultHasher::new();
    for source in sources {
        source.hash(&mut hasher);
        std::fs::read(source)?.hash(&mut hasher);
    }
    let stamp = output.with_extension("sources");
    let hash = format!("{:016x}", hasher.finish());
    if output.exists() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == hash) {
        eprintln!("{} is up to date", output.display());
        return Ok(());
    }
    let _ = std::fs::remove_file(&stamp);
    build()?;
    std::fs::write(&stamp, hash)?;
    Ok(())
}

fn kotlin_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("no {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "kt") {
                files.push(path);
            }
        }
    }
    files.sort();
    ensure!(!files.is_empty(), "no Kotlin files in {}", dir.display());
    Ok(files)
}

/// The unpacked npm `kotlin-compiler`, fetched and checked the first time.
fn kotlin_compiler(work: &Path) -> anyhow::Result<PathBuf> {
    let tools = work.join("tools");
    let home = tools.join("kotlin-2.4.20");
    if home.join("bin/kotlinc-jvm").exists() {
        return Ok(home);
    }
    std::fs::create_dir_all(&tools)?;
    let tarball = tools.join("kotlin-compiler-2.4.20.tgz");
    if !tarball.exists() {
        spawn(
            Command::new("npm")
                .args(["pack", "--silent", KOTLIN.0])
                .current_dir(&tools),
        )
        .context("cannot fetch the Kotlin compiler from npm")?;
    }
    verify(&tarball, KOTLIN.1)?;

    let unpacked = tools.join("package");
    if unpacked.exists() {
        std::fs::remove_dir_all(&unpacked)?;
    }
    spawn(
        Command::new("tar")
            .arg("xzf")
            .arg(&tarball)
            .current_dir(&tools),
    )?;
    std::fs::rename(&unpacked, &home)?;
    Ok(home)
}

/// The system's JNA, or the pinned one from Maven Central.
fn jna(work: &Path) -> anyhow::Result<PathBuf> {
    let system = PathBuf::from("/usr/share/java/jna.jar");
    if system.exists() {
        return Ok(system);
    }
    let jar = work.join("tools/jna-5.17.0.jar");
    if !jar.exists() {
        std::fs::create_dir_all(work.join("tools"))?;
        spawn(
            Command::new("curl")
                .args(["--silent", "--show-error", "--fail", "--location", "-o"])
                .arg(&jar)
                .arg(JNA.0),
        )
        .context("cannot fetch JNA from Maven Central")?;
    }
    verify(&jar, JNA.1)?;
    Ok(jar)
}

/// Fails unless `file` has the SHA-256 `sha256`; a download that changed is not run.
fn verify(file: &Path, sha256: &str) -> anyhow::Result<()> {
    let output = Command::new("sha256sum")
        .arg(file)
        .output()
        .context("cannot run sha256sum")?;
    let text = String::from_utf8_lossy(&output.stdout);
    if text.split_whitespace().next() != Some(sha256) {
        let _ = std::fs::remove_file(file);
        bail!(
            "{} does not have the pinned SHA-256 {sha256}; it was removed, run again",
            file.display()
        );
    }
    Ok(())
}
