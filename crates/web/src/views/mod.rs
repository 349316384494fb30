//! One view per report kind, each a component over its section of the
//! [`Analysis`](slatelens_core::Analysis).

pub mod content;
pub mod customers;
pub mod earnings;
pub mod engagement;
pub mod first_last;
pub mod live;
pub mod retention;
pub mod subscriptions;
pub mod viewership;
