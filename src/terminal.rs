//! Ctrl-C at a prompt must leave the terminal as it was. The prompt crate
//! hides the cursor (select) or turns echo off (hidden input) and lets SIGINT
//! end the process mid-prompt, which would leave the user's shell with no
//! cursor or no echo. Before the first prompt, the terminal modes are saved;
//! a SIGINT or SIGTERM handler puts them back, shows the cursor, and then lets
//! the signal end the process as usual (the shell reports 130).

#[cfg(unix)]
mod unix {
    use std::sync::{Once, OnceLock};

    const SHOW_CURSOR: &[u8] = b"\x1b[?25h";

    /// The terminal modes of stdin before any prompt changed them.
    static SAVED_MODES: OnceLock<libc::termios> = OnceLock::new();
    static INSTALL: Once = Once::new();

    /// Runs in signal context: only async-signal-safe calls (tcsetattr,
    /// write, raise) and a read of an already initialised OnceLock.
    extern "C" fn on_signal(signal: libc::c_int) {
        // SAFETY: tcsetattr, write and raise are async-signal-safe; the
        // pointers are to static data that lives for the whole process.
        unsafe {
            if let Some(modes) = SAVED_MODES.get() {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, modes);
            }
            libc::write(
                libc::STDERR_FILENO,
                SHOW_CURSOR.as_ptr().cast(),
                SHOW_CURSOR.len(),
            );
            // SA_RESETHAND restored the default action: this ends the process.
            libc::raise(signal);
        }
    }

    pub fn restore_on_interrupt() {
        INSTALL.call_once(|| {
            let mut modes = std::mem::MaybeUninit::<libc::termios>::uninit();
            // SAFETY: tcgetattr fills `modes` when it returns 0.
            if unsafe { libc::tcgetattr(libc::STDIN_FILENO, modes.as_mut_ptr()) } == 0 {
                // SAFETY: initialised by the successful tcgetattr above.
                let _ = SAVED_MODES.set(unsafe { modes.assume_init() });
            }
            for signal in [libc::SIGINT, libc::SIGTERM] {
                // SAFETY: a zeroed sigaction is valid (empty mask, no flags);
                // the handler is an extern "C" fn of the right signature.
                unsafe {
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                    action.sa_flags = libc::SA_RESETHAND;
                    libc::sigemptyset(&mut action.sa_mask);
                    libc::sigaction(signal, &action, std::ptr::null_mut());
                }
            }
        });
    }
}

/// Call before showing a prompt; does the work once per process.
pub fn restore_on_interrupt() {
    #[cfg(unix)]
    unix::restore_on_interrupt();
}
