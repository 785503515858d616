//! Copies of the built site for members to carry.

pub mod zip;
