//! One module per command group; each turns typed text into domain values, calls the store, prints.

pub mod calc;
pub mod case;
pub mod enterprise;
pub mod maintenance;
pub mod parameter;
pub mod platform;
pub mod sheets;
