//! The request hooks of the generated clients: the one place where every request gets the
//! headers its operation needs, whichever client method sent it.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{HeaderName, HeaderValue};

use crate::config::ClientState;
use crate::operation::{Operation, TokenType};
use crate::{api, maton};

/// The header that picks which stored token Maton injects.
pub(crate) const MATON_CONNECTION: HeaderName = HeaderName::from_static("maton-connection");
/// The header in which HighLevel expects the API version.
pub(crate) const VERSION: HeaderName = HeaderName::from_static("version");
/// progenitor sends the description's own version under this name; HighLevel ignores it, and
/// sending it would only be confused with `Version`.
const GENERATED_VERSION: HeaderName = HeaderName::from_static("api-version");

impl ClientHooks<ClientState> for api::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        prepare(self.inner(), request, info.operation_id).map_err(Error::InvalidRequest)
    }
}

impl ClientHooks<ClientState> for maton::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        prepare(self.inner(), request, info.operation_id).map_err(Error::InvalidRequest)
    }
}

/// Sets the `Version` and `Maton-Connection` headers that operation `name` needs.
fn prepare(state: &ClientState, request: &mut reqwest::Request, name: &str) -> Result<(), String> {
    let op = Operation::find(name).ok_or_else(|| {
        format!("`{name}` is missing from the operation table; run `cargo xtask codegen`")
    })?;

    let headers = request.headers_mut();
    headers.remove(GENERATED_VERSION);

    if let Some(version) = op.version {
        let value = state
            .api_version
            .clone()
            .unwrap_or(HeaderValue::from_static(version));
        headers.insert(VERSION, value);
    }
    // Maton's own operations act on the account, not on one of its connections.
    if op.token != TokenType::Maton
        && let Some(connection) = &state.connection
    {
        headers.insert(MATON_CONNECTION, connection.clone());
    }
    Ok(())
}
