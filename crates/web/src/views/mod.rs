//! One view per report kind, each a component over its section of the
//! [`Analysis`](slatelens_core::Analysis).

pub mod subscriptions;
