//! `--help` in the run's language: the catalog's texts ([`super::help_texts`]) applied to clap's
//! command (about, usage, examples, each option's help, value names and headings), and
//! `patronal help check` read as `patronal check --help`.

use std::ffi::OsString;

use clap::{Arg, ArgAction, Command as ClapCommand, CommandFactory};
use patronal_core::Lang;

use super::args::{Cli, MAX_THREADS};
use super::help_texts as help;

/// The command line with every text in `lang`.
pub fn command(lang: Lang) -> ClapCommand {
    localize(Cli::command(), lang, "")
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(help::VERSION.render(lang))
                .help_heading(help::OPTIONS.render(lang)),
        )
}

fn localize(mut cmd: ClapCommand, lang: Lang, path: &str) -> ClapCommand {
    if let Some((about, long, usage, examples)) = help::command(path) {
        cmd = cmd
            .about(about.render(lang))
            .long_about(
                long.map(|l| l.render(lang))
                    .unwrap_or_else(|| about.render(lang)),
            )
            .override_usage(usage.render(lang))
            .after_help(format!(
                "{}\n{}",
                help::EXAMPLES.render(lang),
                examples.render(lang)
            ));
    }
    cmd = cmd
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            help::USAGE.render(lang)
        ))
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .subcommand_help_heading(help::COMMANDS.render(lang))
        .subcommand_value_name(help::V_COMMAND.render(lang))
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help),
        );
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().as_str().to_owned())
        .collect();
    for id in ids {
        cmd = cmd.mut_arg(id.as_str(), |a| localize_arg(a, lang, path));
    }
    let subcommands: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in subcommands {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(name.as_str(), |s| localize(s, lang, &sub_path));
    }
    cmd
}

fn localize_arg(mut a: Arg, lang: Lang, path: &str) -> Arg {
    if let Some(text) = help::arg(path, a.get_id().as_str()) {
        a = a.help(text.with("max", MAX_THREADS).render(lang));
    }
    let names: Vec<String> = a
        .get_value_names()
        .unwrap_or_default()
        .iter()
        .map(|n| help::value_name(n.as_str()).map_or_else(|| n.to_string(), |t| t.render(lang)))
        .collect();
    if !names.is_empty() {
        a = a.value_names(names);
    }
    let heading = if a.is_positional() {
        help::ARGUMENTS
    } else {
        help::OPTIONS
    };
    if a.get_action().takes_values() {
        // The texts say the values and defaults, in the user's language.
        a = a.hide_possible_values(true).hide_default_value(true);
    }
    a.help_heading(heading.render(lang))
}

/// `patronal help check` is `patronal check --help` (clap's own `help` command would print
/// clap's English).
pub(super) fn help_as_flag(mut args: Vec<OsString>) -> Vec<OsString> {
    let mut skip_value = false;
    for i in 1..args.len() {
        let a = args[i].to_string_lossy();
        if skip_value {
            skip_value = false;
            continue;
        }
        if a == "--lang" {
            skip_value = true;
            continue;
        }
        if a.starts_with('-') {
            continue;
        }
        if a == "help" {
            args.remove(i);
            args.push("--help".into());
        }
        break;
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and every option has its text in the catalog, in both languages.
    #[test]
    fn every_command_and_option_has_a_catalog_text() {
        fn walk(cmd: &ClapCommand, path: &str, missing: &mut Vec<String>) {
            if help::command(path).is_none() {
                missing.push(format!("command `{path}`"));
            }
            for a in cmd.get_arguments() {
                if help::arg(path, a.get_id().as_str()).is_none() {
                    missing.push(format!("`{path}` option `{}`", a.get_id()));
                }
                if !a.get_action().takes_values() {
                    continue;
                }
                for n in a.get_value_names().unwrap_or_default() {
                    let name = n.as_str();
                    if help::value_name(name).is_none() && name.chars().count() > 1 {
                        missing.push(format!("`{path}` value name `{name}`"));
                    }
                }
            }
            // clap's own `help` subcommand is turned off by `localize`.
            for s in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                let sub = if path.is_empty() {
                    s.get_name().to_owned()
                } else {
                    format!("{path} {}", s.get_name())
                };
                walk(s, &sub, missing);
            }
        }
        // The shape before localizing: the value names are the English ones.
        let mut cmd = Cli::command();
        cmd.build();
        let mut missing = Vec::new();
        walk(&cmd, "", &mut missing);
        assert!(missing.is_empty(), "no text for: {missing:?}");
    }

    #[test]
    fn help_command_is_the_help_flag() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            help_as_flag(args(&["p", "help", "check"])),
            args(&["p", "check", "--help"])
        );
        assert_eq!(
            help_as_flag(args(&["p", "--lang", "es", "help"])),
            args(&["p", "--lang", "es", "--help"])
        );
        assert_eq!(
            help_as_flag(args(&["p", "id", "help"])),
            args(&["p", "id", "help"])
        );
    }

    /// Every help text has both languages and the same placeholders, and a key of its own
    /// (the core's catalogs' keys included).
    #[test]
    fn every_help_text_has_both_languages_and_the_same_placeholders() {
        use patronal_core::i18n::Text;
        let mut keys: std::collections::HashSet<_> = Text::all().map(|t| t.key).collect();
        for t in help::ALL {
            assert!(keys.insert(t.key), "{} declared twice", t.key);
            t.check().unwrap();
        }
    }
}
