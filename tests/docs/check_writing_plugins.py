#!/usr/bin/env python3
"""Builds and runs every code block of docs/writing-plugins.md.

A plugin author follows that document from an empty folder, so each of its
blocks is a file of a project (``file=DIR/NAME``) or a fragment that a
harness in tests/docs/fragments/ wraps (``fragment=NAME``). This script:

1. refuses a fenced block of a checked language (c, cpp, cmake, rust, toml,
   make, jsonl) without ``file=`` or ``fragment=``, and a block of any
   language it does not know, so that no block escapes the test;
2. installs the build tree into a temporary prefix (``cmake --install``),
   which stands for the document's ``/opt/rdconnect`` in every file;
3. builds each project as the document says, against that prefix only:
   CMake (``find_package(rdconnect CONFIG)``), make with pkg-config, cargo
   (offline, with the path dependency on the installed crate), and the
   fragments inside their harnesses;
4. runs ``rdconnect plugins --describe`` and ``rdconnect-plugin-test`` on
   every plugin built (exit 0 expected), and ctest where a project registers
   tests;
5. installs the plugins where rdconnect looks by default, then compares
   ``rdconnect plugins --describe PLUGIN`` with a ``text
   expect=describe:PLUGIN`` block and runs ``rdconnect validate`` on every
   connector config: exit 0 (printing what a ``text expect=validate:FILE``
   block shows, if there is one), or exit 2 with the error a ``text
   expect=validate-fails:FILE`` block shows; a jsonl block may only be a
   project's records.jsonl;
6. checks that every ``--flag`` given to rdconnect or rdconnect-plugin-test
   in a ``sh`` block is one the command's --help lists.

main() runs these steps in this order, one function each; a Session holds
what they share. Needs no Kafka and no PostgreSQL. A failure names the block
(document line) and prints the command with its output.
"""

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# Languages whose blocks must be files (or fragments) of the test.
FILE_LANGUAGES = {"c", "cpp", "cmake", "rust", "toml", "make", "jsonl"}
# Languages whose blocks are not files: commands and program output.
FREE_LANGUAGES = {"sh", "text"}
KNOWN_ATTRIBUTES = {"file", "fragment", "expect"}
# The install prefix the document uses; replaced by the test's own.
DOC_PREFIX = "/opt/rdconnect"
COMMAND_TIMEOUT_S = 240
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
# The caller's search paths would let a project find something other than
# the prefix (this build tree, another install); its MAKEFLAGS (a jobserver
# of the make that runs ctest) would reach the projects' make.
LEAKY_VARIABLES = ("RDCONNECT_PLUGIN_PATH", "CMAKE_PREFIX_PATH",
                   "PKG_CONFIG_PATH", "MAKEFLAGS")
# toml files that are no connector config, so rdconnect validate skips them.
NOT_CONFIGS = ("Cargo.toml", "plugin-test.toml")
RDCONNECT_SUBCOMMANDS = {"run", "validate", "plugins"}


@dataclass
class Block:
    """One fenced block of the document, with its info string parsed."""
    language: str
    attributes: dict
    text: str
    line: int
    info: str

    def where(self, doc):
        """The block as a failure names it: document, line, info string."""
        return f"{doc}:{self.line} (```{self.info})"


@dataclass
class Plugin:
    """A plugin built from the document, and the blocks it was built from."""
    name: str
    path: Path
    how: str
    blocks: list
    config: Path = None
    records: Path = None


@dataclass
class Failures:
    """The failures so far, each printed as it is found."""
    items: list = field(default_factory=list)

    def add(self, what, details=""):
        """Records and prints a failure; `details` is command and output."""
        self.items.append((what, details))
        print(f"FAILED: {what}", flush=True)
        if details:
            print(details.rstrip(), flush=True)


def parse_info(info):
    """The language and the KEY=VALUE attributes of a fence's info string."""
    words = info.split()
    language = words[0] if words else ""
    attributes = {}
    for word in words[1:]:
        key, _, value = word.partition("=")
        attributes[key] = value
    return language, attributes


def parse_blocks(doc_path):
    """The fenced blocks of the document, and what is wrong with them."""
    blocks, problems = [], []
    lines = doc_path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence, info = match.groups()
        start = i + 1
        if indent:
            problems.append(
                f"{doc_path}:{start}: an indented fence; start every fenced "
                "block at column 0 so that this test sees it")
        body = []
        i += 1
        while i < len(lines):
            closing = lines[i].strip()
            if (closing and set(closing) == {fence[0]}
                    and len(closing) >= len(fence)):
                break
            body.append(lines[i])
            i += 1
        else:
            problems.append(f"{doc_path}:{start}: the block is never closed")
        i += 1
        language, attributes = parse_info(info)
        blocks.append(Block(language, attributes, "\n".join(body) + "\n",
                            start, info.strip()))
    return blocks, problems


def check_blocks(blocks, doc, fragments_dir):
    """What keeps a block out of the test, and harnesses without a block."""
    problems = []
    files = {}
    for block in blocks:
        where = block.where(doc)
        unknown = set(block.attributes) - KNOWN_ATTRIBUTES
        if unknown:
            problems.append(f"{where}: unknown attribute(s) {sorted(unknown)}")
        if not block.language:
            problems.append(f"{where}: a block without a language; give it "
                            "one (sh, text, or a checked language with file=)")
        elif block.language in FILE_LANGUAGES:
            problems += check_file_block(block, where, fragments_dir, files)
        elif block.language in FREE_LANGUAGES:
            problems += check_free_block(block, where)
        else:
            problems.append(
                f"{where}: unknown language '{block.language}'; use one this "
                f"test knows ({', '.join(sorted(FILE_LANGUAGES | FREE_LANGUAGES))}"
                ") or teach it the new one")
    return problems + check_harnesses(blocks, fragments_dir)


def check_file_block(block, where, fragments_dir, files):
    """Problems of a checked-language block: it must be a file or fragment.

    `files` maps each file= seen so far to its block, to catch duplicates."""
    problems = []
    file_name = block.attributes.get("file")
    fragment = block.attributes.get("fragment")
    if bool(file_name) == bool(fragment):
        problems.append(
            f"{where}: a {block.language} block needs exactly one of "
            "file=DIR/NAME (a complete file) or fragment=NAME (wrapped "
            f"by {fragments_dir}/NAME.*)")
    if file_name:
        parts = Path(file_name).parts
        if file_name.startswith("/") or ".." in parts or len(parts) < 2:
            problems.append(f"{where}: file= must be DIR/NAME, "
                            "relative, inside a project folder")
        elif file_name in files:
            problems.append(f"{where}: {file_name} is also the block "
                            f"at line {files[file_name].line}")
        else:
            files[file_name] = block
    if fragment and not list(fragments_dir.glob(fragment + ".c*")):
        problems.append(f"{where}: no harness {fragments_dir}/"
                        f"{fragment}.c or .cpp wraps this fragment")
    return problems


def check_free_block(block, where):
    """Problems of a sh or text block: it is no file, and only text expects."""
    problems = []
    if "file" in block.attributes or "fragment" in block.attributes:
        problems.append(f"{where}: a {block.language} block is not a "
                        "file; drop file=/fragment=")
    if "expect" in block.attributes and block.language != "text":
        problems.append(f"{where}: expect= is for text blocks")
    return problems


def check_harnesses(blocks, fragments_dir):
    """Harnesses whose fragment the document no longer has."""
    fragments = {b.attributes["fragment"] for b in blocks
                 if b.attributes.get("fragment")}
    return [f"{harness}: wraps fragment '{harness.stem}', "
            "which the document no longer has"
            for harness in sorted(fragments_dir.glob("*.c*"))
            if harness.stem not in fragments]


class Runner:
    """Runs the test's commands in a clean environment, recording failures."""

    def __init__(self, work, env, failures):
        """Commands run with env (not ours) and add to failures."""
        self.work = work
        self.env = env
        self.failures = failures

    def run(self, command, cwd, what, expect_code=0, env=None):
        """Runs command; on an unexpected exit code, records a failure
        naming `what`. Returns (code, stdout, stderr)."""
        run_env = dict(self.env)
        run_env.update(env or {})
        try:
            done = subprocess.run(command, cwd=cwd, env=run_env,
                                  capture_output=True, text=True,
                                  timeout=COMMAND_TIMEOUT_S)
            code, out, err = done.returncode, done.stdout, done.stderr
        except subprocess.TimeoutExpired as timeout:
            code, out, err = None, timeout.stdout or "", timeout.stderr or ""
            if isinstance(out, bytes):
                out = out.decode(errors="replace")
            if isinstance(err, bytes):
                err = err.decode(errors="replace")
            err += f"\n(timed out after {COMMAND_TIMEOUT_S} s)"
        if expect_code is not None and code != expect_code:
            self.failures.add(
                what,
                f"  command: {shlex.join(str(c) for c in command)}\n"
                f"  in:      {cwd}\n"
                f"  exit:    {code} (expected {expect_code})\n"
                f"--- stdout ---\n{out}--- stderr ---\n{err}")
        return code, out, err


@dataclass
class Session:
    """What the steps of one run share: arguments, blocks, work directory."""
    args: argparse.Namespace
    blocks: list
    work: Path
    runner: Runner
    started: float
    # ["-G", "Ninja"] where ninja is installed, else CMake's default ([]).
    generator: list
    # The --help texts run so far, by command (a tuple).
    helps: dict = field(default_factory=dict)

    @property
    def doc(self):
        """The document under test."""
        return self.args.doc

    @property
    def failures(self):
        """The failures of the run."""
        return self.runner.failures

    @property
    def prefix(self):
        """Where the build tree is installed: the document's /opt/rdconnect."""
        return self.work / "prefix"

    @property
    def tree(self):
        """The folder holding the projects, as the document's empty folder."""
        return self.work / "doc"

    @property
    def rdconnect(self):
        """The installed rdconnect."""
        return self.prefix / "bin" / "rdconnect"

    @property
    def plugin_test(self):
        """The installed rdconnect-plugin-test."""
        return self.prefix / "bin" / "rdconnect-plugin-test"

    @property
    def crate(self):
        """The installed Rust crate, the path dependency of Rust plugins."""
        return self.prefix / "share/rdconnect/rust/rdconnect"

    def where(self, block):
        """The block as a failure names it."""
        return block.where(self.doc)

    def describe(self, blocks):
        """The blocks as a failure lists them, one a line."""
        return describe_blocks(blocks, self.doc)

    def step(self, name):
        """Prints the step about to run, with the time since the start."""
        print(f"[{time.monotonic() - self.started:5.1f} s] {name}", flush=True)


@dataclass
class Project:
    """One folder of the document's files (file=NAME/...) to be built."""
    name: str
    source: Path
    blocks: list
    # What a failure to build it names: the folder and its blocks.
    what: str
    config: Path = None
    records: Path = None

    def plugin(self, name, path, how):
        """The plugin NAME at path, built from this project as `how`."""
        return Plugin(name, path, how, self.blocks, self.config, self.records)


def blocks_of(project, blocks):
    """The blocks that are files of the project folder."""
    return [b for b in blocks
            if b.attributes.get("file", "").split("/")[0] == project]


def describe_blocks(blocks, doc):
    """The blocks as a failure lists them, one a line."""
    return "\n".join(f"  block {b.where(doc)}" for b in blocks)


def lines_in_order(expected, actual):
    """The first expected line (rstripped, non-empty) that `actual` lacks,
    in order; None when all are there."""
    actual_lines = [line.rstrip() for line in actual.split("\n")]
    at = 0
    for line in expected.split("\n"):
        line = line.rstrip()
        if not line:
            continue
        while at < len(actual_lines) and actual_lines[at] != line:
            at += 1
        if at == len(actual_lines):
            return line
        at += 1
    return None


def cmake_plugin_names(cmake_lists):
    """The plugins a CMakeLists.txt adds with rdconnect_add_plugin(NAME)."""
    return re.findall(r"rdconnect_add_plugin\(\s*NAME\s+(\w+)",
                      cmake_lists.read_text())


def parse_args():
    """The command line, with every path made absolute."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--doc", type=Path, required=True)
    parser.add_argument("--build-dir", type=Path, required=True)
    parser.add_argument("--fragments", type=Path, required=True,
                        help="tests/docs/fragments: the fragments' harnesses")
    parser.add_argument("--cargo", default="cargo")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work directory even when all passed")
    args = parser.parse_args()
    # The commands run in other directories (work, projects) than ours.
    args.doc = args.doc.resolve()
    args.build_dir = args.build_dir.resolve()
    args.fragments = args.fragments.resolve()
    return args


def checked_blocks(doc, fragments_dir):
    """The document's blocks; None, with the problems printed, if any."""
    blocks, problems = parse_blocks(doc)
    problems += check_blocks(blocks, doc, fragments_dir)
    if problems:
        print("\n".join(problems))
        print(f"\n{len(problems)} problem(s) with the blocks of {doc}")
        return None
    print(f"{doc}: {len(blocks)} fenced blocks", flush=True)
    return blocks


def start_session(args, blocks, started):
    """A fresh work directory and a Runner without the leaky variables."""
    work = Path(tempfile.mkdtemp(prefix="rdconnect-docs-"))
    env = {k: v for k, v in os.environ.items() if k not in LEAKY_VARIABLES}
    return Session(args, blocks, work, Runner(work, env, Failures()), started,
                   ["-G", "Ninja"] if shutil.which("ninja") else [])


def install_prefix(s):
    """Installs the build tree into the prefix; False if that failed."""
    s.step(f"install {s.args.build_dir} into {s.prefix}")
    code, _, _ = s.runner.run(["cmake", "--install", s.args.build_dir,
                               "--prefix", s.prefix], s.work,
                              "cmake --install of the build tree")
    if code != 0:
        return False
    if not (s.crate / "Cargo.toml").is_file():
        s.failures.add("the installed prefix has no Rust crate at "
                       f"{s.crate}; the Rust section's path dependency needs "
                       "sdk/CMakeLists.txt to install it there")
    return True


def write_block_files(s):
    """Writes every file and fragment, the document's prefix made ours."""
    for block in s.blocks:
        if block.attributes.get("file"):
            target = s.tree / block.attributes["file"]
        elif block.attributes.get("fragment"):
            # Where the harnesses #include them from (DOC_FRAGMENT_DIR).
            target = s.work / "fragments" / (block.attributes["fragment"]
                                             + ".inc")
        else:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.text.replace(DOC_PREFIX, str(s.prefix)))


def new_project(s, name):
    """The project folder NAME, with its rdconnect-plugin-test inputs."""
    source = s.tree / name
    own = blocks_of(name, s.blocks)
    settings = source / "plugin-test.toml"
    records = source / "records.jsonl"
    return Project(name, source, own, f"building {name}/\n{s.describe(own)}",
                   settings if settings.exists() else None,
                   records if records.exists() else None)


def build_projects(s):
    """Builds every project each way its files allow; the plugins built."""
    plugins = []
    names = sorted({Path(b.attributes["file"]).parts[0] for b in s.blocks
                    if b.attributes.get("file")})
    for name in names:
        project = new_project(s, name)
        # Not elif: a project may be built several ways (hello_c: CMake and
        # make), and the document promises each.
        if (project.source / "CMakeLists.txt").exists():
            plugins += build_with_cmake(s, project)
        if (project.source / "Makefile").exists():
            plugins += build_with_make(s, project)
        if (project.source / "Cargo.toml").exists():
            plugins += build_with_cargo(s, project)
    return plugins


def cmake_build(s, source, build, cwd, what, defines=()):
    """Configures source against the prefix, then builds; True if both did."""
    code, _, _ = s.runner.run(
        ["cmake", "-S", source, "-B", build,
         f"-DCMAKE_PREFIX_PATH={s.prefix}", "-DCMAKE_BUILD_TYPE=Release"]
        + list(defines) + s.generator, cwd, what)
    if code != 0:
        return False
    code, _, _ = s.runner.run(["cmake", "--build", build, "-j2"], cwd, what)
    return code == 0


def build_with_cmake(s, project):
    """Builds the project with CMake, then runs its ctest if it has tests."""
    s.step(f"{project.name}: cmake against the prefix")
    source = project.source
    if not cmake_build(s, source, source / "build", source.parent,
                       project.what + " (CMake)"):
        return []
    plugins = []
    cmake_lists = source / "CMakeLists.txt"
    for name in cmake_plugin_names(cmake_lists):
        built = source / "build" / f"{name}.so"
        if not built.exists():
            s.failures.add(f"{project.what}: no {built} after the build")
            continue
        plugins.append(project.plugin(name, built, "cmake"))
    if re.search(r"^\s*enable_testing\(\)", cmake_lists.read_text(), re.M):
        run_project_ctest(s, project)
    return plugins


def run_project_ctest(s, project):
    """Runs the tests the project's CMakeLists.txt registers."""
    s.step(f"{project.name}: ctest")
    s.runner.run(["ctest", "--test-dir", project.source / "build",
                  "--output-on-failure"], project.source.parent,
                 f"ctest of {project.name}/\n{s.describe(project.blocks)}")


def build_with_make(s, project):
    """Builds the project with its Makefile and pkg-config of the prefix."""
    s.step(f"{project.name}: make with pkg-config")
    # In a copy without the other builds' output, so that make starts from
    # the document's files alone.
    made = s.work / "make" / project.name
    shutil.copytree(project.source, made, ignore=shutil.ignore_patterns(
        "build", "target"))
    code, _, _ = s.runner.run(
        ["make", "-C", made], s.work, project.what + " (make)",
        env={"PKG_CONFIG_PATH": str(s.prefix / "lib/pkgconfig")})
    if code != 0:
        return []
    # The plugins are the Makefile's NAME.so targets.
    names = re.findall(r"^([\w.-]+)\.so\s*:",
                       (made / "Makefile").read_text(), re.M)
    return [project.plugin(name, made / f"{name}.so", "make")
            for name in names]


def build_with_cargo(s, project):
    """Builds the project with cargo, offline, against the installed crate."""
    s.step(f"{project.name}: cargo build --offline --release")
    manifest = (project.source / "Cargo.toml").read_text()
    if str(s.crate) not in manifest:
        s.failures.add(f"{project.what}: Cargo.toml does not depend on the "
                       f"installed crate {DOC_PREFIX}/share/rdconnect/"
                       "rust/rdconnect")
    code, _, _ = s.runner.run(
        [s.args.cargo, "build", "--offline", "--release", "--quiet",
         "--manifest-path", project.source / "Cargo.toml"], project.source,
        project.what + " (cargo)")
    package = re.search(r'^\[package\][^\[]*?^name\s*=\s*"([^"]+)"',
                        manifest, re.M | re.S)
    if code != 0 or not package:
        return []
    name = package.group(1).replace("-", "_")
    built = project.source / "target/release" / f"lib{name}.so"
    # Copied as NAME.so, the name the host loads a plugin NAME by.
    (project.source / "plugins").mkdir(exist_ok=True)
    installed = project.source / "plugins" / f"{name}.so"
    if not built.exists():
        s.failures.add(f"{project.what}: cargo made no {built}")
        return []
    shutil.copy(built, installed)
    return [project.plugin(name, installed, "cargo")]


def build_fragments(s):
    """Builds the fragments inside their harnesses; the plugins built."""
    fragment_blocks = [b for b in s.blocks if b.attributes.get("fragment")]
    if not fragment_blocks:
        return []
    s.step("fragments: cmake inside their harnesses")
    wrapped = s.work / "fragments-build"
    what = ("building the fragments in tests/docs/fragments\n"
            + s.describe(fragment_blocks))
    if not cmake_build(s, s.args.fragments, wrapped, s.work, what,
                       [f"-DDOC_FRAGMENT_DIR={s.work / 'fragments'}"]):
        return []
    plugins = []
    for name in cmake_plugin_names(s.args.fragments / "CMakeLists.txt"):
        # A harness's NAME.toml and NAME.jsonl feed rdconnect-plugin-test.
        config = s.args.fragments / f"{name}.toml"
        records = s.args.fragments / f"{name}.jsonl"
        plugins.append(Plugin(
            name, wrapped / f"{name}.so", "fragment", fragment_blocks,
            config if config.exists() else None,
            records if records.exists() else None))
    return plugins


def check_plugin(s, number, plugin):
    """Each plugin as rdconnect and the harness see it."""
    what = (f"{plugin.name} ({plugin.how}, {plugin.path})\n"
            f"{s.describe(plugin.blocks)}")
    s.step(f"{plugin.name} ({plugin.how}): describe, rdconnect-plugin-test")
    describe_plugin(s, plugin, what)
    run_plugin_test(s, number, plugin, what)


def describe_plugin(s, plugin, what):
    """rdconnect plugins --describe finds the plugin in its folder."""
    code, out, _ = s.runner.run(
        [s.rdconnect, "plugins", "--describe", plugin.name,
         "--plugin-path", plugin.path.parent], s.work,
        f"rdconnect plugins --describe of {what}")
    if code == 0 and f"name:        {plugin.name}\n" not in out:
        s.failures.add(f"rdconnect plugins --describe of {what}: no "
                       f"'name: {plugin.name}' line", out)


def run_plugin_test(s, number, plugin, what):
    """rdconnect-plugin-test passes, with the project's config and records."""
    command = [s.plugin_test, plugin.path]
    if plugin.config:
        command += ["--config", plugin.config]
    if plugin.records:
        command += ["--records", plugin.records]
    # A fresh directory each: plugins may keep files relative to it.
    scratch = s.work / "run" / f"{number}-{plugin.name}-{plugin.how}"
    scratch.mkdir(parents=True)
    s.runner.run(command, scratch, f"rdconnect-plugin-test of {what}")


def install_plugins(s, plugins):
    """Installs the plugins as the document does, where the host looks."""
    # The describe: expectations and the configs name plugins without
    # --plugin-path. The make build of hello_c duplicates its CMake one, and
    # a plugin already there stays.
    plugin_dir = s.prefix / "lib/rdconnect/plugins"
    for plugin in plugins:
        installed = plugin_dir / f"{plugin.name}.so"
        if plugin.how != "make" and not installed.exists():
            shutil.copy(plugin.path, installed)


def check_expectations(s):
    """Checks expect=describe: blocks; returns the validate ones by file."""
    validations = {}
    for block in s.blocks:
        if not block.attributes.get("expect"):
            continue
        kind, _, subject = block.attributes["expect"].partition(":")
        if kind == "describe":
            check_described(s, block, subject)
        elif kind in ("validate", "validate-fails"):
            validations[subject] = block
        else:
            s.failures.add(f"{s.where(block)}: unknown expect= kind '{kind}' "
                           "(describe:PLUGIN, validate:FILE or "
                           "validate-fails:FILE)")
    return validations


def check_described(s, block, subject):
    """rdconnect plugins --describe SUBJECT prints the block's lines."""
    s.step(f"expected output of describe {subject}")
    code, out, _ = s.runner.run([s.rdconnect, "plugins", "--describe",
                                 subject], s.tree,
                                f"describe {subject} for {s.where(block)}")
    expected = block.text.replace(DOC_PREFIX, str(s.prefix))
    missing = lines_in_order(expected, out)
    if code == 0 and missing is not None:
        s.failures.add(f"{s.where(block)}: the output of rdconnect "
                       f"plugins --describe {subject} has no line (in "
                       f"this order) '{missing}'",
                       f"--- actual output ---\n{out}")


def validate_configs(s, validations):
    """Every connector config: valid, or refused as the document shows."""
    for block in s.blocks:
        name = block.attributes.get("file", "")
        if block.language != "toml" or Path(name).name in NOT_CONFIGS:
            continue
        validate_config(s, block, name, validations.pop(name, None))
    for subject, block in validations.items():
        s.failures.add(f"{s.where(block)}: expects validate of {subject}, "
                       "which is no toml block of the document")


def validate_config(s, block, name, shown):
    """rdconnect validate of one config, against the block `shown`, if any."""
    fails = shown is not None and shown.attributes["expect"].startswith(
        "validate-fails:")
    expect_code = 2 if fails else 0
    s.step(f"rdconnect validate {name}")
    code, out, err = s.runner.run(
        [s.rdconnect, "validate", name], s.tree,
        f"rdconnect validate of {s.where(block)}"
        + (f"\n  expected to fail as {s.where(shown)} shows"
           if fails else ""),
        expect_code=expect_code)
    if shown and code == expect_code:
        expected = shown.text.replace(DOC_PREFIX, str(s.prefix))
        missing = lines_in_order(expected, out + err)
        if missing is not None:
            s.failures.add(f"{s.where(shown)}: rdconnect validate {name} "
                           f"printed no line (in this order) '{missing}'",
                           f"--- stdout ---\n{out}--- stderr ---\n{err}")


def check_jsonl_blocks(s):
    """A jsonl block is only ever a project's records.jsonl."""
    for block in s.blocks:
        name = block.attributes.get("file", "")
        if block.language == "jsonl" and Path(name).name != "records.jsonl":
            s.failures.add(f"{s.where(block)}: a jsonl block is used only as "
                           "PROJECT/records.jsonl (rdconnect-plugin-test "
                           "--records)")


def shell_commands(text):
    """The simple commands of a sh block, as argument lists."""
    joined = text.replace("\\\n", " ")
    commands = []
    for line in joined.split("\n"):
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            continue
        current = []
        for word in words:
            if word in ("&&", "||", ";", "|"):
                commands.append(current)
                current = []
            else:
                current.append(word)
        commands.append(current)
    return [c for c in commands if c]


def help_of(s, *command):
    """The --help output (stdout and stderr) of command, run once."""
    if command not in s.helps:
        _, out, err = s.runner.run(list(command) + ["--help"], s.work,
                                   f"{shlex.join(map(str, command))} --help")
        s.helps[command] = out + err
    return s.helps[command]


def long_flags(words):
    """The --flags among a command's arguments, without their =VALUE."""
    return [w.split("=")[0] for w in words[1:] if w.startswith("--")]


def check_flags(s):
    """Every --flag of rdconnect and rdconnect-plugin-test in a sh block."""
    for block in s.blocks:
        if block.language != "sh":
            continue
        for words in shell_commands(block.text):
            # Environment assignments before the command.
            while words and re.match(r"^\w+=", words[0]):
                words = words[1:]
            if not words:
                continue
            program = Path(words[0]).name
            if program == "rdconnect":
                check_rdconnect_flags(s, block, words)
            elif program == "rdconnect-plugin-test":
                check_plugin_test_flags(s, block, words)


def check_rdconnect_flags(s, block, words):
    """Each flag in rdconnect's or its subcommand's --help; a subcommand."""
    global_help = help_of(s, s.rdconnect)
    sub = next((w for w in words[1:] if w in RDCONNECT_SUBCOMMANDS), None)
    for flag in long_flags(words):
        texts = global_help + (help_of(s, s.rdconnect, sub) if sub else "")
        if not re.search(re.escape(flag) + r"\b", texts):
            s.failures.add(f"{s.where(block)}: rdconnect "
                           f"{sub or ''} has no option {flag} "
                           f"(in: {shlex.join(words)})")
    if sub is None and not any(w in ("--help", "--version") for w in words):
        s.failures.add(f"{s.where(block)}: rdconnect without a subcommand: "
                       f"{shlex.join(words)}")


def check_plugin_test_flags(s, block, words):
    """Each flag of rdconnect-plugin-test is in its --help."""
    text = help_of(s, s.plugin_test)
    for flag in long_flags(words):
        if not re.search(re.escape(flag) + r"\b", text):
            s.failures.add(f"{s.where(block)}: rdconnect-plugin-test has "
                           f"no option {flag} (in: {shlex.join(words)})")


def report(s, plugins):
    """Prints the summary; removes the work directory unless kept or failed."""
    elapsed = time.monotonic() - s.started
    if s.failures.items:
        print(f"\n{len(s.failures.items)} failure(s) in {elapsed:.1f} s; the "
              f"work directory {s.work} is kept")
        for what, _ in s.failures.items:
            print(f"  - {what.splitlines()[0]}")
        return 1
    print(f"\nall {len(s.blocks)} blocks passed: {len(plugins)} plugin "
          f"builds, {elapsed:.1f} s")
    if s.args.keep:
        print(f"work directory: {s.work}")
    else:
        shutil.rmtree(s.work, ignore_errors=True)
    return 0


def main():
    """Runs every step on the document; the exit code: 0 if all passed."""
    args = parse_args()
    started = time.monotonic()
    blocks = checked_blocks(args.doc, args.fragments)
    if blocks is None:
        return 1
    s = start_session(args, blocks, started)
    # Without the prefix, nothing below could build or run.
    if not install_prefix(s):
        return 1
    write_block_files(s)
    plugins = build_projects(s) + build_fragments(s)
    for number, plugin in enumerate(plugins):
        check_plugin(s, number, plugin)
    install_plugins(s, plugins)
    validate_configs(s, check_expectations(s))
    check_jsonl_blocks(s)
    s.step("flags of rdconnect and rdconnect-plugin-test in sh blocks")
    check_flags(s)
    return report(s, plugins)


if __name__ == "__main__":
    sys.exit(main())
