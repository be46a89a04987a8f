//! The Referrals tab: an inbox of AWS referrals ordered by time left, accepted (followed until
//! AWS has created the opportunity) or rejected with a reason, one by one or marked in a batch.

pub mod actions;
pub mod columns;
pub mod results;
pub mod state;
pub mod types;
