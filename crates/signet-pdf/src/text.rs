//! Text positions and `{{tag}}` finding on real-world pages.

pub(crate) mod cmap;
pub(crate) mod content;
pub(crate) mod encoding;
pub(crate) mod extract;
pub(crate) mod font;
#[rustfmt::skip]
pub(crate) mod std14_data;
pub(crate) mod tags;
