//! Keeps the process's memory, which holds passwords and tokens, out of core
//! files and away from other processes of the same user (debuggers,
//! `/proc/PID/mem`), as ssh-agent does. Done first thing in `main`, before
//! any secret is read.

/// Makes the process undumpable and its core size 0 where the platform
/// allows it. Failing is not fatal: these calls only fail on kernels without
/// the feature, and crmauth works the same without them.
pub fn make_undumpable() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: prctl with integer arguments; no memory is passed.
        unsafe {
            libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
        }
    }
    #[cfg(unix)]
    {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads the struct above, which outlives the call.
        unsafe {
            libc::setrlimit(libc::RLIMIT_CORE, &none);
        }
    }
    // Windows writes no core files on its own (Windows Error Reporting
    // dumps need it configured), and has no per-process switch like these.
}
