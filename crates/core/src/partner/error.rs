//! Every failure the user can hit, as a typed error whose message says what failed, why, and what
//! to do. SDK errors are classified once here; nothing above the client sees an SDK type.

use std::fmt;

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FailureKind {
    AccessDenied,
    Validation,
    NotFound,
    Conflict,
    Throttled,
    QuotaExceeded,
    ServerError,
    Network,
    Credentials,
    Other,
}

/// One invalid member named by a ValidationException.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Who reads a message: its advice names what that user can do (a key in the terminal UI, a
/// command in a shell).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Tui,
    Cli,
}

impl Surface {
    /// How to read the record or list again.
    fn refresh(self) -> &'static str {
        match self {
            Surface::Tui => "press R to read it again",
            Surface::Cli => "run the command again",
        }
    }
}

/// Where the failed call went, for messages about regions and endpoints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Origin {
    pub region: String,
    pub endpoint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerError {
    /// The API operation, e.g. `ListOpportunities`.
    pub operation: &'static str,
    pub kind: FailureKind,
    /// The service's own code (`ValidationException`) when there was one.
    pub code: Option<String>,
    /// The service's message, or the transport's.
    pub detail: String,
    pub fields: Vec<FieldError>,
    /// Context the message needs: the region and endpoint in use.
    pub origin: Option<Box<Origin>>,
}

impl PartnerError {
    pub fn new(
        operation: &'static str,
        kind: FailureKind,
        detail: impl Into<String>,
    ) -> PartnerError {
        PartnerError {
            operation,
            kind,
            code: None,
            detail: detail.into(),
            fields: Vec::new(),
            origin: None,
        }
    }

    fn region(&self) -> &str {
        self.origin
            .as_ref()
            .map(|o| o.region.as_str())
            .unwrap_or("")
    }

    fn endpoint(&self) -> Option<&str> {
        self.origin.as_ref().and_then(|o| o.endpoint.as_deref())
    }

    /// What the user reads: what failed, why, and what to do about it, in the terminal UI's
    /// words.
    pub fn user_message(&self) -> String {
        self.message(Surface::Tui)
    }

    /// What the user reads, with advice for where they read it.
    pub fn message(&self, surface: Surface) -> String {
        let again = surface.refresh();
        let op = &self.operation;
        let why = self.detail.trim_end_matches('.');
        let region_hint = if !self.region().is_empty() && self.region() != "us-east-1" {
            format!(
                " Partner Central's API lives in us-east-1, but cosell is using {}: run with --region us-east-1.",
                self.region()
            )
        } else {
            String::new()
        };
        match self.kind {
            FailureKind::AccessDenied => format!(
                "{op} was denied: {why}. Your IAM identity needs partnercentral:{op}. Attach the AWSPartnerCentralOpportunityManagement managed policy (or AWSPartnerCentralFullAccess), or add partnercentral:{op} to your own policy, and make sure the account is linked to Partner Central."
            ),
            FailureKind::Validation if why.contains("Catalog") => format!(
                "{op} failed: {why}. Use --catalog AWS for production or --catalog Sandbox for testing.{region_hint}"
            ),
            FailureKind::Validation => {
                // A field whose message the service already gave as the whole reason would
                // only repeat it.
                let named: Vec<String> = self
                    .fields
                    .iter()
                    .filter(|f| !why.contains(&f.message))
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect();
                let fields = if named.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", named.join("; "))
                };
                format!("{op} was refused: {why}{fields}. Correct the values and try again.")
            }
            FailureKind::NotFound => format!(
                "{op} found nothing: {why}. It may have been removed, or it belongs to the other catalog (switch with --catalog); {again}."
            ),
            FailureKind::Conflict => format!(
                "{op} conflicted: {why}. Someone changed the record since you loaded it: reload it and apply your change again."
            ),
            FailureKind::Throttled => format!(
                "{op} was throttled by Partner Central (reads 10/s, writes 1/s per account): {why}. cosell already retried with backoff; wait a moment and {again}, or request a higher quota in Service Quotas."
            ),
            FailureKind::QuotaExceeded => format!(
                "{op} exceeded a Partner Central quota: {why}. Wait for the quota to reset or request an increase in Service Quotas."
            ),
            FailureKind::ServerError => format!(
                "{op} failed inside Partner Central: {why}. cosell retried with backoff; wait a minute and {again}."
            ),
            FailureKind::Network => format!(
                "Could not reach Partner Central for {op} at {}: {why}. Check your network or proxy; for a local sandbox, start `cosell sandbox` or use --demo.{region_hint}",
                self.endpoint().unwrap_or("its endpoint")
            ),
            FailureKind::Credentials => format!(
                "No usable AWS credentials for {op}: {why}. Run `aws configure` or `aws sso login --profile NAME` and pass --profile NAME, or try cosell with --demo."
            ),
            FailureKind::Other => format!("{op} failed: {why}."),
        }
    }

    pub(crate) fn from_sdk<E, R>(
        operation: &'static str,
        err: aws_smithy_runtime_api::client::result::SdkError<E, R>,
    ) -> PartnerError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: fmt::Debug + Send + Sync + 'static,
    {
        use aws_smithy_runtime_api::client::result::SdkError;
        match &err {
            SdkError::ServiceError(service) => {
                let e = service.err();
                let code = e.code().map(str::to_string);
                let detail = e
                    .message()
                    .map(str::to_string)
                    .unwrap_or_else(|| code.clone().unwrap_or_else(|| "no details".into()));
                let kind = match code.as_deref() {
                    Some("AccessDeniedException") | Some("UnrecognizedClientException") => {
                        FailureKind::AccessDenied
                    }
                    Some("ValidationException") | Some("SerializationException") => {
                        FailureKind::Validation
                    }
                    Some("ResourceNotFoundException") => FailureKind::NotFound,
                    Some("ConflictException") => FailureKind::Conflict,
                    Some("ThrottlingException") | Some("TooManyRequestsException") => {
                        FailureKind::Throttled
                    }
                    Some("ServiceQuotaExceededException") => FailureKind::QuotaExceeded,
                    Some("InternalServerException") | Some("ServiceUnavailableException") => {
                        FailureKind::ServerError
                    }
                    Some("ExpiredTokenException") | Some("InvalidSignatureException") => {
                        FailureKind::Credentials
                    }
                    _ => FailureKind::Other,
                };
                PartnerError {
                    code,
                    ..PartnerError::new(operation, kind, detail)
                }
            }
            SdkError::DispatchFailure(failure) => {
                let text = format!("{:?}", failure.as_other());
                let detail = source_chain(&err);
                if text.contains("Credentials") || detail.contains("credential") {
                    PartnerError::new(operation, FailureKind::Credentials, detail)
                } else {
                    PartnerError::new(operation, FailureKind::Network, detail)
                }
            }
            SdkError::TimeoutError(_) => {
                PartnerError::new(operation, FailureKind::Network, "the request timed out")
            }
            SdkError::ConstructionFailure(_) => {
                let detail = source_chain(&err);
                let kind = if detail.contains("credential") || detail.contains("Credentials") {
                    FailureKind::Credentials
                } else {
                    FailureKind::Other
                };
                PartnerError::new(operation, kind, detail)
            }
            _ => PartnerError::new(operation, FailureKind::Other, source_chain(&err)),
        }
    }
}

/// The error and its causes on one line: SDK errors hide the useful part in their sources.
fn source_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

/// The shell's wording: `Display` is what headless commands print.
impl fmt::Display for PartnerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Surface::Cli))
    }
}

impl std::error::Error for PartnerError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_denied_names_the_permission_and_policies() {
        let e = PartnerError::new(
            "ListOpportunities",
            FailureKind::AccessDenied,
            "User is not authorized",
        );
        let m = e.user_message();
        assert!(m.contains("partnercentral:ListOpportunities"));
        assert!(m.contains("AWSPartnerCentralOpportunityManagement"));
    }

    #[test]
    fn wrong_region_is_explained() {
        let mut e = PartnerError::new("GetPartner", FailureKind::Network, "dns error");
        e.origin = Some(Box::new(Origin {
            region: "eu-west-1".into(),
            endpoint: None,
        }));
        assert!(e.user_message().contains("us-east-1"));
        let catalog = PartnerError::new(
            "ListOpportunities",
            FailureKind::Validation,
            "Catalog Prod not found",
        );
        assert!(catalog.user_message().contains("--catalog AWS"));
    }

    #[test]
    fn advice_names_what_each_surface_can_do() {
        let e = PartnerError::new("GetOpportunity", FailureKind::NotFound, "no such record");
        assert!(e.message(Surface::Tui).contains("press R"));
        let cli = e.message(Surface::Cli);
        assert!(!cli.contains("press R"), "{cli}");
        assert!(cli.contains("run the command again"), "{cli}");
        assert_eq!(e.to_string(), cli);
    }

    #[test]
    fn throttling_says_it_retried() {
        let e = PartnerError::new("ListOpportunities", FailureKind::Throttled, "Rate exceeded");
        assert!(e.user_message().contains("retried"));
    }
}
