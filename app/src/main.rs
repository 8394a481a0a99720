//! The web entry point Trunk builds; everything else lives in the library.

fn main() {
    closeout_app::start();
}
