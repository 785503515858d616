//! How a hint names zhiku in a command the user is told to run next.
//!
//! `zhiku init` ends with "Next: cd … && zhiku build", which fails with
//! `command not found` when zhiku is run from a clone (`cargo run`) or a
//! download folder that is not on the PATH (issue 17). So a hint says
//! `zhiku` only when that name is found on the PATH, and otherwise the full
//! path of the running program, which works from anywhere.

use std::ffi::OsStr;
use std::path::Path;

/// The program word for a hint: the running executable's name when a file
/// of that name is in a PATH folder, else its full path (quoted when it
/// holds spaces). `zhiku` when the executable cannot be found at all.
pub fn program() -> String {
    let Ok(exe) = std::env::current_exe() else {
        return "zhiku".to_string();
    };
    let path_var = std::env::var_os("PATH");
    program_for(&exe, path_var.as_deref(), Path::is_file)
}

/// [`program`] without the environment: `exe` is the running executable,
/// `path_var` the PATH variable, `is_file` the question asked of the disk.
///
/// Only the name is looked up, as the shell does: another zhiku of that
/// name earlier on the PATH is the one a pasted command would run anyway.
/// Empty PATH entries (the current folder, for a POSIX shell) are skipped:
/// the full path is right wherever the user runs the command from.
pub fn program_for(
    exe: &Path,
    path_var: Option<&OsStr>,
    is_file: impl Fn(&Path) -> bool,
) -> String {
    let full = || quote(&exe.display().to_string());
    let (Some(file_name), Some(stem)) = (exe.file_name(), exe.file_stem()) else {
        return full();
    };
    let on_path = path_var.is_some_and(|var| {
        std::env::split_paths(var)
            .filter(|dir| !dir.as_os_str().is_empty())
            .any(|dir| is_file(&dir.join(file_name)))
    });
    if on_path {
        // On Windows the file is `zhiku.exe` and the command `zhiku`.
        quote(&stem.to_string_lossy())
    } else {
        full()
    }
}

/// `word` in double quotes when it holds whitespace, so that a shell (sh,
/// cmd.exe) takes it as one word; as it is otherwise.
pub fn quote(word: &str) -> String {
    if word.contains(char::is_whitespace) {
        format!("\"{word}\"")
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn path_var(dirs: &[&str]) -> std::ffi::OsString {
        std::env::join_paths(dirs.iter().map(PathBuf::from)).unwrap()
    }

    #[test]
    fn names_the_program_when_its_folder_is_on_the_path() {
        let exe = Path::new("/home/li/.cargo/bin/zhiku");
        let var = path_var(&["/usr/bin", "/home/li/.cargo/bin"]);
        let program = program_for(exe, Some(&var), |p| p == exe);
        assert_eq!(program, "zhiku");
    }

    #[test]
    fn names_the_program_when_another_of_its_name_is_on_the_path() {
        let exe = Path::new("/src/zhiku/target/release/zhiku");
        let var = path_var(&["/usr/local/bin"]);
        let installed = Path::new("/usr/local/bin/zhiku");
        assert_eq!(program_for(exe, Some(&var), |p| p == installed), "zhiku");
    }

    #[test]
    fn gives_the_full_path_when_the_name_is_not_on_the_path() {
        let exe = Path::new("/src/zhiku/target/release/zhiku");
        let var = path_var(&["/usr/bin", "/bin"]);
        let program = program_for(exe, Some(&var), |p| p == exe);
        assert_eq!(program, "/src/zhiku/target/release/zhiku");
        assert_eq!(program_for(exe, None, |_| true), program);
        // An empty entry is the current folder to sh, not a folder we know.
        let empty = path_var(&["", "/bin"]);
        assert_eq!(
            program_for(exe, Some(&empty), |p| p == Path::new("zhiku")),
            program
        );
    }

    #[test]
    fn quotes_a_full_path_with_spaces() {
        let exe = Path::new("/Users/Li Ming/zhiku tools/zhiku");
        assert_eq!(
            program_for(exe, None, |_| false),
            "\"/Users/Li Ming/zhiku tools/zhiku\""
        );
        assert_eq!(quote("我的学习站"), "我的学习站");
        assert_eq!(quote("my site"), "\"my site\"");
    }
}
