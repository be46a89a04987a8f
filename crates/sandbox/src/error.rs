//! AWS-shaped errors. Both services put the code in `__type` and the text in `Message`, but their
//! exception members differ (selling: `ErrorList`; account: `ErrorDetails` and a required
//! `Reason` on most exceptions), so rendering takes the service.

use serde_json::{Value, json};

use super::model::FieldProblem;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Selling,
    Account,
    Benefits,
    /// The channel API names its members in camelCase, its errors too.
    Channel,
}

#[derive(Debug, Clone)]
pub enum ApiError {
    Validation {
        business: bool,
        message: String,
        fields: Vec<FieldProblem>,
    },
    Serialization(String),
    NotFound {
        message: String,
        reason: &'static str,
    },
    Conflict {
        message: String,
        reason: &'static str,
    },
    Throttling(String),
    /// The caller may not see or change the resource (an engagement it is not a member of).
    AccessDenied(String),
    QuotaExceeded {
        message: String,
        reason: &'static str,
    },
    Internal(String),
    UnknownOperation(String),
    TooLarge(usize),
}

/// The longest message and the most fields an error reply carries.
const MESSAGE_CAP: usize = 2_000;
const FIELDS_CAP: usize = 20;

/// `text` cut to `cap` characters, with an ellipsis when cut.
pub fn capped(text: &str, cap: usize) -> String {
    if text.chars().count() <= cap {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(cap - 1).collect();
        cut.push('…');
        cut
    }
}

impl ApiError {
    pub fn business(message: impl Into<String>, fields: Vec<FieldProblem>) -> ApiError {
        ApiError::Validation {
            business: true,
            message: message.into(),
            fields,
        }
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::NotFound {
            message: message.into(),
            reason: "",
        }
    }

    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::Conflict {
            message: message.into(),
            reason: "",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Validation { .. } => "ValidationException",
            ApiError::Serialization(_) => "SerializationException",
            ApiError::NotFound { .. } => "ResourceNotFoundException",
            ApiError::Conflict { .. } => "ConflictException",
            ApiError::Throttling(_) => "ThrottlingException",
            ApiError::AccessDenied(_) => "AccessDeniedException",
            ApiError::QuotaExceeded { .. } => "ServiceQuotaExceededException",
            ApiError::Internal(_) => "InternalServerException",
            ApiError::UnknownOperation(_) => "UnknownOperationException",
            ApiError::TooLarge(_) => "RequestEntityTooLargeException",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            ApiError::Validation { .. }
            | ApiError::Serialization(_)
            | ApiError::UnknownOperation(_) => 400,
            ApiError::NotFound { .. } => 404,
            ApiError::Conflict { .. } => 409,
            ApiError::Throttling(_) => 429,
            ApiError::AccessDenied(_) => 403,
            ApiError::QuotaExceeded { .. } => 402,
            ApiError::Internal(_) => 500,
            ApiError::TooLarge(_) => 413,
        }
    }

    pub fn message(&self) -> String {
        match self {
            ApiError::Validation { message, .. }
            | ApiError::NotFound { message, .. }
            | ApiError::Conflict { message, .. }
            | ApiError::QuotaExceeded { message, .. } => message.clone(),
            ApiError::Serialization(m)
            | ApiError::Throttling(m)
            | ApiError::Internal(m)
            | ApiError::AccessDenied(m) => m.clone(),
            ApiError::UnknownOperation(target) => {
                format!("The operation {target} is not supported by this endpoint")
            }
            ApiError::TooLarge(limit) => format!("Request body is larger than {limit} bytes"),
        }
    }

    pub fn body(&self, service: Service) -> Value {
        if service == Service::Channel {
            return self.channel_body();
        }
        let mut body =
            json!({ "__type": self.code(), "Message": capped(&self.message(), MESSAGE_CAP) });
        let with_reason = |body: &mut Value, reason: &str, fallback: &str| {
            if service == Service::Account {
                body["Reason"] = json!(if reason.is_empty() { fallback } else { reason });
            }
        };
        match self {
            ApiError::Validation {
                business, fields, ..
            } => {
                let reason = match (business, service) {
                    (true, _) => "BUSINESS_VALIDATION_FAILED",
                    // The benefits API has its own word for a request the model refuses.
                    (false, Service::Benefits) => "fieldValidationFailed",
                    (false, Service::Selling | Service::Account | Service::Channel) => {
                        "REQUEST_VALIDATION_FAILED"
                    }
                };
                body["Reason"] = json!(reason);
                // A request with thousands of bad members gets the first few named, not a reply
                // many times its own size.
                let fields = &fields[..fields.len().min(FIELDS_CAP)];
                match service {
                    Service::Selling => {
                        body["ErrorList"] = fields
                            .iter()
                            .map(|f| {
                                json!({"FieldName": f.field, "Code": f.code.selling_code(), "Message": f.message})
                            })
                            .collect();
                    }
                    // Answered by `channel_body` before this point.
                    Service::Channel => {}
                    Service::Benefits => {
                        body["FieldList"] = fields
                            .iter()
                            .map(|f| json!({"Name": f.field, "Message": f.message, "Code": f.code.selling_code()}))
                            .collect();
                    }
                    Service::Account => {
                        body["ErrorDetails"] = fields
                            .iter()
                            .map(|f| {
                                json!({"FieldValidationError": {"Name": f.field, "Code": f.code.account_code(), "Message": f.message}})
                            })
                            .collect();
                    }
                }
            }
            ApiError::NotFound { reason, .. } => {
                with_reason(&mut body, reason, "PARTNER_NOT_FOUND")
            }
            ApiError::Conflict { reason, .. } => {
                with_reason(&mut body, reason, "CONFLICT_CLIENT_TOKEN")
            }
            ApiError::QuotaExceeded { reason, .. } => with_reason(
                &mut body,
                reason,
                "LIMIT_EXCEEDED_NUMBER_OF_CONNECTION_INVITATION_PER_DAY",
            ),
            _ => {}
        }
        body
    }
}

impl ApiError {
    /// The channel API's error members: `message`, and `reason` and `fieldList` on validation,
    /// `resourceId` and `resourceType` on conflicts and quotas.
    fn channel_body(&self) -> Value {
        let mut body =
            json!({ "__type": self.code(), "message": capped(&self.message(), MESSAGE_CAP) });
        match self {
            ApiError::Validation {
                business, fields, ..
            } => {
                body["reason"] = json!(if *business {
                    "BUSINESS_VALIDATION_FAILED"
                } else {
                    "REQUEST_VALIDATION_FAILED"
                });
                body["fieldList"] = fields[..fields.len().min(FIELDS_CAP)]
                    .iter()
                    .map(|f| json!({"name": f.field, "code": f.code.selling_code(), "message": f.message}))
                    .collect();
            }
            ApiError::Conflict { .. } | ApiError::QuotaExceeded { .. } => {
                body["resourceId"] = json!("");
                body["resourceType"] = json!("");
                if matches!(self, ApiError::QuotaExceeded { .. }) {
                    body["quotaCode"] = json!("");
                }
            }
            _ => {}
        }
        body
    }
}

pub type ApiResult = Result<Value, ApiError>;
