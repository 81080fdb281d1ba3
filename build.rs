//! The Windows executable's resources: its version and a short description (Explorer's
//! "Details" tab), compiled from a generated `.rc` by MinGW's `windres` and linked into the
//! binary. Only when building for Windows with the GNU toolchain (dist/windows.sh); any
//! other build does nothing here.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=WINDRES");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os != "windows" || env != "gnu" {
        return;
    }
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let description = std::env::var("CARGO_PKG_DESCRIPTION").unwrap_or_default();
    // 0.1.0 -> 0,1,0,0 for the binary fields.
    let mut numbers: Vec<String> = version
        .split(['.', '-', '+'])
        .take(3)
        .map(|p| p.parse::<u16>().unwrap_or(0).to_string())
        .collect();
    numbers.resize(4, "0".to_owned());
    let numbers = numbers.join(",");
    let quoted = |s: &str| s.replace('"', "\"\"");
    let rc = format!(
        r#"#pragma code_page(65001)
1 VERSIONINFO
FILEVERSION {numbers}
PRODUCTVERSION {numbers}
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "CompanyName", "patronal"
      VALUE "FileDescription", "{description}"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "patronal"
      VALUE "LegalCopyright", "MIT OR Apache-2.0"
      VALUE "OriginalFilename", "patronal.exe"
      VALUE "ProductName", "patronal"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
"#,
        description = quoted(&description),
        version = quoted(&version),
    );
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let rc_path = out.join("patronal.rc");
    let obj = out.join("patronal-resources.o");
    std::fs::write(&rc_path, rc).expect("write patronal.rc");
    let windres = std::env::var("WINDRES").unwrap_or_else(|_| {
        let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
        if cfg!(windows) {
            "windres".to_owned()
        } else {
            format!("{arch}-w64-mingw32-windres")
        }
    });
    let status = Command::new(&windres)
        .arg("--input")
        .arg(&rc_path)
        .arg("--output-format=coff")
        .arg("--output")
        .arg(&obj)
        .status()
        .unwrap_or_else(|e| panic!("{windres}: {e} (install MinGW-w64: gcc-mingw-w64-x86-64)"));
    assert!(
        status.success(),
        "{windres} failed on {}",
        rc_path.display()
    );
    // An object on the link line is always linked whole: its .rsrc section comes along.
    println!("cargo:rustc-link-arg-bins={}", obj.display());
}
