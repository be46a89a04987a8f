//! cosell's core: the Partner Central client over the AWS SDKs, the domain types everything
//! above it speaks, the API's vocabulary and rules, the local cache with its sync, and the
//! reports built from it. It knows nothing of terminals or of how it is driven.

pub mod files;
pub mod partner;
pub mod report;
pub mod store;
pub mod text;
pub mod times;
