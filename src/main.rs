//! The `zhiku` binary: everything happens in [`zhiku::cli`].

fn main() {
    std::process::exit(zhiku::cli::run());
}
