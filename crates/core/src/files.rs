//! Files that hold partner or customer data (the cache, the audit log, the log, exports): owner
//! only, whatever the umask. Folders are 0700 and files 0600 on Unix; elsewhere the platform's
//! defaults apply.

use std::io::Write;
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

/// Creates `dir` and any missing parents as 0700; an existing folder cosell made is narrowed to
/// 0700 too (folders it did not make, such as `~/.cache`, are left alone).
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir)?;
    #[cfg(unix)]
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    Ok(())
}

/// Narrows an existing file to 0600 (a file written by an older cosell may be 0644).
pub fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Opens `path` for appending, created 0600 in a 0700 folder.
pub fn append_private(path: &Path) -> std::io::Result<std::fs::File> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        private_dir(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    options.mode(0o600);
    let file = options.open(path)?;
    make_private(path)?;
    Ok(file)
}

/// Replaces `path` with `bytes` atomically: written to a new uniquely named file beside it
/// (0600, never following a link), flushed, then renamed over it, so a reader sees the old
/// file or the new one and never a partial one.
pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    private_dir(parent)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = parent.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        fastrand::u64(..)
    ));
    let mut options = std::fs::OpenOptions::new();
    // create_new refuses an existing file or link at the temp name.
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let result = (|| {
        let mut file = options.open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        std::fs::remove_file(&temp).ok();
    }
    result
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn folders_and_files_are_owner_only_whatever_the_umask() {
        let root = std::env::temp_dir().join(format!("cosell-files-{}", fastrand::u32(..)));
        let dir = root.join("a").join("b");
        // SAFETY: umask is process-wide, but only this test changes it and it restores it.
        let old = unsafe { libc_umask(0o022) };
        private_dir(&dir).unwrap();
        let mut appended = append_private(&dir.join("log")).unwrap();
        appended.write_all(b"line\n").unwrap();
        write_private_atomic(&dir.join("export.json"), b"{}").unwrap();
        write_private_atomic(&dir.join("export.json"), b"{\"n\":1}").unwrap();
        unsafe { libc_umask(old) };
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&root.join("a")), 0o700);
        assert_eq!(mode(&dir.join("log")), 0o600);
        assert_eq!(mode(&dir.join("export.json")), 0o600);
        assert_eq!(
            std::fs::read_to_string(dir.join("export.json")).unwrap(),
            "{\"n\":1}"
        );
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert_eq!(leftovers, Vec::<String>::new());
        std::fs::remove_dir_all(&root).unwrap();
    }

    unsafe extern "C" {
        #[link_name = "umask"]
        fn libc_umask(mask: u32) -> u32;
    }
}
