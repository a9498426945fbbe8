//! [`available`]: how much more memory this process may take before the system refuses it (free
//! memory, `ulimit -v`, a cgroup's limit), so training can refuse work it cannot finish instead
//! of aborting part way.

/// Bytes this process may still allocate: the least of the system's available memory
/// (`MemAvailable`), the address space left under `ulimit -v`, and what the process's cgroup
/// has left; `None` where none of them is known (not Linux).
pub fn available() -> Option<u64> {
    [system_available(), address_space_left(), cgroup_left()]
        .into_iter()
        .flatten()
        .min()
}

/// A `NAME:   1234 kB` field of a `/proc` file, in bytes.
#[cfg(target_os = "linux")]
fn proc_field(file: &str, name: &str) -> Option<u64> {
    let text = std::fs::read_to_string(file).ok()?;
    let line = text.lines().find(|l| l.starts_with(name))?;
    let kilobytes: u64 = line[name.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    kilobytes.checked_mul(1024)
}

#[cfg(target_os = "linux")]
fn system_available() -> Option<u64> {
    proc_field("/proc/meminfo", "MemAvailable:")
}

/// `ulimit -v` less the address space already mapped.
#[cfg(target_os = "linux")]
fn address_space_left() -> Option<u64> {
    let limit = rustix::process::getrlimit(rustix::process::Resource::As).current?;
    let used = proc_field("/proc/self/status", "VmSize:").unwrap_or(0);
    Some(limit.saturating_sub(used))
}

/// A cgroup v2 `memory.max` less its `memory.current`.
#[cfg(target_os = "linux")]
fn cgroup_left() -> Option<u64> {
    let cgroups = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let path = cgroups.lines().find_map(|l| l.strip_prefix("0::"))?;
    let directory = std::path::Path::new("/sys/fs/cgroup").join(path.trim_start_matches('/'));
    let read = |name: &str| std::fs::read_to_string(directory.join(name)).ok();
    let max: u64 = read("memory.max")?.trim().parse().ok()?; // "max": no limit
    let current: u64 = read("memory.current")?.trim().parse().ok()?;
    Some(max.saturating_sub(current))
}

#[cfg(not(target_os = "linux"))]
fn system_available() -> Option<u64> {
    None
}

#[cfg(not(target_os = "linux"))]
fn address_space_left() -> Option<u64> {
    None
}

#[cfg(not(target_os = "linux"))]
fn cgroup_left() -> Option<u64> {
    None
}

/// `bytes` for people: `7.3 GiB`, `512.0 MiB`, `900 bytes`.
pub fn describe(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    UNITS.iter().find(|(_, size)| bytes >= *size).map_or_else(
        || format!("{bytes} bytes"),
        |(unit, size)| format!("{:.1} {unit}", bytes as f64 / *size as f64),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_described_in_binary_units() {
        assert_eq!(describe(900), "900 bytes");
        assert_eq!(describe(3 << 29), "1.5 GiB");
        assert_eq!(describe(512 << 20), "512.0 MiB");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_linux_system_reports_some_memory_available() {
        let bytes = available().expect("MemAvailable is in /proc/meminfo");
        assert!(bytes > 1 << 20, "{bytes}");
    }
}
