fn main() -> std::process::ExitCode {
    // `nianbao check | head` and the like: end quietly when the reader goes away, as command-line
    // tools do, instead of panicking on the failed write (Rust ignores SIGPIPE by default).
    #[cfg(target_os = "linux")]
    // SAFETY: restoring the default action of a signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    nianbao::cli::run()
}
