//! `thematic completions SHELL` and `thematic man`: a shell's completion script and a roff
//! manual page, both generated from the argument definitions in [`super::Cli`], so they never
//! fall behind the real flags.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory;

/// `thematic completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Prints the completion script of `args.shell`.
pub fn completions(args: CompletionsArgs) -> Result<ExitCode> {
    // Rendered into memory first: clap_complete panics on a failed write (a closed pipe), and
    // a failed write here is an error like any other.
    let mut script = Vec::new();
    clap_complete::generate(
        args.shell,
        &mut super::Cli::command(),
        "thematic",
        &mut script,
    );
    write_out(&script)
}

/// Prints the manual page: the overview, then each command's synopsis, description, options
/// and examples.
pub fn man() -> Result<ExitCode> {
    let mut command = super::Cli::command();
    command.build();
    let mut page = Vec::new();
    let overview = clap_mangen::Man::new(command.clone());
    overview.render_title(&mut page)?;
    overview.render_name_section(&mut page)?;
    overview.render_synopsis_section(&mut page)?;
    overview.render_description_section(&mut page)?;
    overview.render_options_section(&mut page)?;
    overview.render_subcommands_section(&mut page)?;
    let mut examples = Vec::new();
    overview.render_extra_section(&mut examples)?;
    sections(&mut page, &examples, ".SH")?;
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let name = sub.get_bin_name().unwrap_or(sub.get_name()).to_uppercase();
        writeln!(page, ".SH \"{name}\"")?;
        let man = clap_mangen::Man::new(sub.clone());
        let mut rendered = Vec::new();
        man.render_synopsis_section(&mut rendered)?;
        man.render_description_section(&mut rendered)?;
        man.render_options_section(&mut rendered)?;
        if sub.get_after_help().is_some() {
            man.render_extra_section(&mut rendered)?;
        }
        // A command's own sections are sub-sections of its heading.
        sections(&mut page, &rendered, ".SS")?;
    }
    write_out(&page)
}

/// Appends sections rendered by clap_mangen under `heading` (`.SH` or `.SS`): the preamble
/// each rendering repeats left out, and the after-help text (examples, exit status) kept as
/// written, line for line, not filled into a paragraph.
fn sections(page: &mut Vec<u8>, rendered: &[u8], heading: &str) -> std::io::Result<()> {
    let mut verbatim = false;
    for line in String::from_utf8_lossy(rendered).lines() {
        if line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq") {
            continue;
        }
        if let Some(title) = line.strip_prefix(".SH ") {
            if verbatim {
                writeln!(page, ".fi")?;
            }
            verbatim = title == "EXTRA";
            let title = if verbatim { "EXAMPLES" } else { title };
            writeln!(page, "{heading} {title}")?;
            if verbatim {
                writeln!(page, ".nf")?;
            }
            continue;
        }
        writeln!(page, "{line}")?;
    }
    if verbatim {
        writeln!(page, ".fi")?;
    }
    Ok(())
}

fn write_out(bytes: &[u8]) -> Result<ExitCode> {
    let mut out = super::StandardOutput::lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
