//! The native half of the `highlevel` npm package: a thin napi-rs layer over the core
//! crate. It builds a [`highlevel::Client`] from JavaScript options, calls operations by
//! name with JSON parameters and bodies, walks paginated operations, and converts values
//! and errors. Everything else (HTTP, retries, routing, pagination, the write guard) is the
//! core's; the JavaScript half in `index.js` only shapes the API.
//!
//! Panics never cross into JavaScript: napi turns them into errors (async work, and the
//! synchronous entry points marked `catch_unwind`).
//!
//! Failures of a call resolve as data (`{error: {...}}`) instead of rejecting, so that
//! JavaScript can raise the error class of its kind with every field filled in.

mod cancel;
mod client;
mod logs;
mod outcome;
mod sandbox;

pub use cancel::CancelToken;
pub use client::{
    CallOptions, ClientOptions, NativeClient, NativePages, RateLimitOptions, RetryOptions,
};
pub use logs::set_logger;
pub use sandbox::{NativeSandbox, SandboxOptions, SandboxRateLimits, sandbox_facts, start_sandbox};
