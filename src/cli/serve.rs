//! `nianbao serve`.

use std::io::Write as _;
use std::process::ExitCode;

use super::EXIT_UNREADABLE;
use crate::serve::{self, ServeOptions};

pub(super) fn run(opts: ServeOptions, open: bool) -> ExitCode {
    let bind = opts.bind;
    match serve::start(opts) {
        Ok(running) => {
            // The address goes to stdout (scripts read it); everything else to stderr.
            let mut out = std::io::stdout();
            let _ = writeln!(out, "本地预览：{}", running.url).and_then(|_| out.flush());
            if !bind.is_loopback() {
                eprintln!(
                    "注意：绑定在 {bind}，同一网络中的其他电脑也能打开这个预览；只在本机预览时不要用 --bind"
                );
            }
            eprintln!("按 Ctrl+C 停止");
            if open {
                serve::open_browser(&running.url);
            }
            running.wait();
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}
