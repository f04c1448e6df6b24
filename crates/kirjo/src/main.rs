//! `kirjo`: the one binary. See `kirjo --help`.

mod cli;

fn main() -> std::process::ExitCode {
    return_large_blocks_to_the_system();
    cli::main()
}

/// glibc's allocator raises its mmap threshold each time a large block is
/// freed, after which password hashing's 19 MiB blocks (and other large
/// buffers) come from the heap and stay there: a sign-in flood left the
/// server at 350 MB for good. A fixed threshold keeps every block of 4 MiB
/// or more in its own mapping, given back to the system when it is freed
/// (measured in docs/benchmarks.md, "Sign-in flood").
#[allow(unsafe_code)] // the one call into the C library's allocator
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before
    // any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
    }
}
