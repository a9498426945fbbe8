# Sourced by the bench scripts (compare.sh, realnews.sh, keywords.sh), from the repository's
# root: `peer_venv DIR REQUIREMENTS` creates the virtual environment DIR if it is missing,
# installs the pinned REQUIREMENTS into it, and builds thematic's release binary.
peer_venv() {
    if [ ! -x "$1/bin/python" ]; then
        python3 -m venv "$1"
    fi
    "$1/bin/pip" install --quiet --disable-pip-version-check -r "$2"
    cargo build --release --locked --quiet
}
