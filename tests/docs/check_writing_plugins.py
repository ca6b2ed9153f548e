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
   every plugin built (exit 0 expected), ctest where a project registers
   tests, and ``rdconnect validate`` on every connector config (exit 0, or
   exit 2 with the error a ``text expect=validate:FILE`` block shows);
5. checks that every ``--flag`` given to rdconnect or rdconnect-plugin-test
   in a ``sh`` block is one the command's --help lists.

Needs no Kafka and no PostgreSQL. A failure names the block (document line)
and prints the command with its output.
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


@dataclass
class Block:
    language: str
    attributes: dict
    text: str
    line: int
    info: str

    def where(self, doc):
        return f"{doc}:{self.line} (```{self.info})"


@dataclass
class Plugin:
    name: str
    path: Path
    how: str
    blocks: list
    config: Path = None
    records: Path = None


@dataclass
class Failures:
    items: list = field(default_factory=list)

    def add(self, what, details=""):
        self.items.append((what, details))
        print(f"FAILED: {what}", flush=True)
        if details:
            print(details.rstrip(), flush=True)


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
        words = info.split()
        language = words[0] if words else ""
        attributes = {}
        for word in words[1:]:
            key, _, value = word.partition("=")
            attributes[key] = value
        blocks.append(Block(language, attributes, "\n".join(body) + "\n",
                            start, info.strip()))
    return blocks, problems


def check_blocks(blocks, doc, fragments_dir):
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
            continue
        if block.language in FILE_LANGUAGES:
            file_name = block.attributes.get("file")
            fragment = block.attributes.get("fragment")
            if bool(file_name) == bool(fragment):
                problems.append(
                    f"{where}: a {block.language} block needs exactly one of "
                    "file=DIR/NAME (a complete file) or fragment=NAME (wrapped "
                    f"by {fragments_dir}/NAME.*)")
            if file_name:
                if file_name.startswith("/") or ".." in Path(file_name).parts \
                        or len(Path(file_name).parts) < 2:
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
        elif block.language in FREE_LANGUAGES:
            if "file" in block.attributes or "fragment" in block.attributes:
                problems.append(f"{where}: a {block.language} block is not a "
                                "file; drop file=/fragment=")
            if "expect" in block.attributes and block.language != "text":
                problems.append(f"{where}: expect= is for text blocks")
        else:
            problems.append(
                f"{where}: unknown language '{block.language}'; use one this "
                f"test knows ({', '.join(sorted(FILE_LANGUAGES | FREE_LANGUAGES))}"
                ") or teach it the new one")
    fragments = {b.attributes["fragment"] for b in blocks
                 if b.attributes.get("fragment")}
    for harness in sorted(fragments_dir.glob("*.c*")):
        if harness.stem not in fragments:
            problems.append(f"{harness}: wraps fragment '{harness.stem}', "
                            "which the document no longer has")
    return problems


class Runner:
    def __init__(self, work, env, failures):
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


def blocks_of(project, blocks):
    return [b for b in blocks
            if b.attributes.get("file", "").split("/")[0] == project]


def describe_blocks(blocks, doc):
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


def build_cmake_project(runner, source, prefix, what, generator):
    code, _, _ = runner.run(
        ["cmake", "-S", source, "-B", source / "build",
         f"-DCMAKE_PREFIX_PATH={prefix}", "-DCMAKE_BUILD_TYPE=Release"]
        + generator, source.parent, what)
    if code != 0:
        return False
    code, _, _ = runner.run(["cmake", "--build", source / "build", "-j2"],
                            source.parent, what)
    return code == 0


def cmake_plugin_names(cmake_lists):
    return re.findall(r"rdconnect_add_plugin\(\s*NAME\s+(\w+)",
                      cmake_lists.read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--doc", type=Path, required=True)
    parser.add_argument("--build-dir", type=Path, required=True)
    parser.add_argument("--fragments", type=Path, required=True,
                        help="tests/docs/fragments: the fragments' harnesses")
    parser.add_argument("--cargo", default="cargo")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work directory even when all passed")
    args = parser.parse_args()
    args.doc = args.doc.resolve()
    args.build_dir = args.build_dir.resolve()
    args.fragments = args.fragments.resolve()
    started = time.monotonic()
    doc = args.doc

    blocks, problems = parse_blocks(doc)
    problems += check_blocks(blocks, doc, args.fragments)
    if problems:
        print("\n".join(problems))
        print(f"\n{len(problems)} problem(s) with the blocks of {doc}")
        return 1
    print(f"{doc}: {len(blocks)} fenced blocks", flush=True)

    failures = Failures()
    work = Path(tempfile.mkdtemp(prefix="rdconnect-docs-"))
    prefix = work / "prefix"
    env = {k: v for k, v in os.environ.items()
           if k not in ("RDCONNECT_PLUGIN_PATH", "CMAKE_PREFIX_PATH",
                        "PKG_CONFIG_PATH", "MAKEFLAGS")}
    runner = Runner(work, env, failures)
    generator = ["-G", "Ninja"] if shutil.which("ninja") else []
    rdconnect = prefix / "bin" / "rdconnect"
    plugin_test = prefix / "bin" / "rdconnect-plugin-test"

    def step(name):
        print(f"[{time.monotonic() - started:5.1f} s] {name}", flush=True)

    step(f"install {args.build_dir} into {prefix}")
    code, _, _ = runner.run(["cmake", "--install", args.build_dir,
                             "--prefix", prefix], work,
                            "cmake --install of the build tree")
    if code != 0:
        return 1
    crate = prefix / "share/rdconnect/rust/rdconnect"
    if not (crate / "Cargo.toml").is_file():
        failures.add("the installed prefix has no Rust crate at "
                     f"{crate}; the Rust section's path dependency needs "
                     "sdk/CMakeLists.txt to install it there")

    # Every file, with the document's prefix replaced by the test's.
    tree = work / "doc"
    for block in blocks:
        if block.attributes.get("file"):
            target = tree / block.attributes["file"]
        elif block.attributes.get("fragment"):
            target = work / "fragments" / (block.attributes["fragment"]
                                           + ".inc")
        else:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.text.replace(DOC_PREFIX, str(prefix)))

    plugins = []
    projects = sorted({Path(b.attributes["file"]).parts[0] for b in blocks
                       if b.attributes.get("file")})
    for project in projects:
        source = tree / project
        own = blocks_of(project, blocks)
        what = f"building {project}/\n{describe_blocks(own, doc)}"
        settings = source / "plugin-test.toml"
        records = source / "records.jsonl"
        extras = {"config": settings if settings.exists() else None,
                  "records": records if records.exists() else None}
        if (source / "CMakeLists.txt").exists():
            step(f"{project}: cmake against the prefix")
            if build_cmake_project(runner, source, prefix,
                                   what + " (CMake)", generator):
                cmake_lists = source / "CMakeLists.txt"
                for name in cmake_plugin_names(cmake_lists):
                    built = source / "build" / f"{name}.so"
                    if not built.exists():
                        failures.add(f"{what}: no {built} after the build")
                        continue
                    plugins.append(Plugin(name, built, "cmake", own,
                                          **extras))
                if re.search(r"^\s*enable_testing\(\)", cmake_lists.read_text(),
                             re.M):
                    step(f"{project}: ctest")
                    runner.run(["ctest", "--test-dir", source / "build",
                                "--output-on-failure"], source.parent,
                               f"ctest of {project}/\n"
                               f"{describe_blocks(own, doc)}")
        if (source / "Makefile").exists():
            step(f"{project}: make with pkg-config")
            made = work / "make" / project
            shutil.copytree(source, made, ignore=shutil.ignore_patterns(
                "build", "target"))
            code, _, _ = runner.run(
                ["make", "-C", made], work, what + " (make)",
                env={"PKG_CONFIG_PATH": str(prefix / "lib/pkgconfig")})
            if code == 0:
                for name in re.findall(r"^([\w.-]+)\.so\s*:",
                                       (made / "Makefile").read_text(), re.M):
                    plugins.append(Plugin(name, made / f"{name}.so", "make",
                                          own, **extras))
        if (source / "Cargo.toml").exists():
            step(f"{project}: cargo build --offline --release")
            manifest = (source / "Cargo.toml").read_text()
            if str(crate) not in manifest:
                failures.add(f"{what}: Cargo.toml does not depend on the "
                             f"installed crate {DOC_PREFIX}/share/rdconnect/"
                             "rust/rdconnect")
            code, _, _ = runner.run(
                [args.cargo, "build", "--offline", "--release", "--quiet",
                 "--manifest-path", source / "Cargo.toml"], source,
                what + " (cargo)")
            package = re.search(r'^\[package\][^\[]*?^name\s*=\s*"([^"]+)"',
                                manifest, re.M | re.S)
            if code == 0 and package:
                name = package.group(1).replace("-", "_")
                built = source / "target/release" / f"lib{name}.so"
                (source / "plugins").mkdir(exist_ok=True)
                installed = source / "plugins" / f"{name}.so"
                if built.exists():
                    shutil.copy(built, installed)
                    plugins.append(Plugin(name, installed, "cargo", own,
                                          **extras))
                else:
                    failures.add(f"{what}: cargo made no {built}")

    fragment_blocks = [b for b in blocks if b.attributes.get("fragment")]
    if fragment_blocks:
        step("fragments: cmake inside their harnesses")
        wrapped = work / "fragments-build"
        what = ("building the fragments in tests/docs/fragments\n"
                + describe_blocks(fragment_blocks, doc))
        code, _, _ = runner.run(
            ["cmake", "-S", args.fragments, "-B", wrapped,
             f"-DCMAKE_PREFIX_PATH={prefix}", "-DCMAKE_BUILD_TYPE=Release",
             f"-DDOC_FRAGMENT_DIR={work / 'fragments'}"] + generator,
            work, what)
        if code == 0:
            code, _, _ = runner.run(["cmake", "--build", wrapped, "-j2"],
                                    work, what)
        if code == 0:
            for name in cmake_plugin_names(args.fragments / "CMakeLists.txt"):
                config = args.fragments / f"{name}.toml"
                records = args.fragments / f"{name}.jsonl"
                plugins.append(Plugin(
                    name, wrapped / f"{name}.so", "fragment", fragment_blocks,
                    config if config.exists() else None,
                    records if records.exists() else None))

    # Each plugin as rdconnect and the harness see it.
    for number, plugin in enumerate(plugins):
        what = (f"{plugin.name} ({plugin.how}, {plugin.path})\n"
                f"{describe_blocks(plugin.blocks, doc)}")
        step(f"{plugin.name} ({plugin.how}): describe, rdconnect-plugin-test")
        code, out, _ = runner.run(
            [rdconnect, "plugins", "--describe", plugin.name,
             "--plugin-path", plugin.path.parent], work,
            f"rdconnect plugins --describe of {what}")
        if code == 0 and f"name:        {plugin.name}\n" not in out:
            failures.add(f"rdconnect plugins --describe of {what}: no "
                         f"'name: {plugin.name}' line", out)
        command = [plugin_test, plugin.path]
        if plugin.config:
            command += ["--config", plugin.config]
        if plugin.records:
            command += ["--records", plugin.records]
        # A fresh directory each: plugins may keep files relative to it.
        scratch = work / "run" / f"{number}-{plugin.name}-{plugin.how}"
        scratch.mkdir(parents=True)
        runner.run(command, scratch, f"rdconnect-plugin-test of {what}")

    # Installed as the document does, where the host looks by default.
    plugin_dir = prefix / "lib/rdconnect/plugins"
    for plugin in plugins:
        installed = plugin_dir / f"{plugin.name}.so"
        if plugin.how != "make" and not installed.exists():
            shutil.copy(plugin.path, installed)

    expectations = [b for b in blocks if b.attributes.get("expect")]
    validations = {}
    for block in expectations:
        kind, _, subject = block.attributes["expect"].partition(":")
        if kind == "describe":
            step(f"expected output of describe {subject}")
            code, out, _ = runner.run([rdconnect, "plugins", "--describe",
                                       subject], tree,
                                      f"describe {subject} for {block.where(doc)}")
            expected = block.text.replace(DOC_PREFIX, str(prefix))
            missing = lines_in_order(expected, out)
            if code == 0 and missing is not None:
                failures.add(f"{block.where(doc)}: the output of rdconnect "
                             f"plugins --describe {subject} has no line (in "
                             f"this order) '{missing}'",
                             f"--- actual output ---\n{out}")
        elif kind in ("validate", "validate-fails"):
            validations[subject] = block
        else:
            failures.add(f"{block.where(doc)}: unknown expect= kind '{kind}' "
                         "(describe:PLUGIN, validate:FILE or "
                         "validate-fails:FILE)")

    # Every connector config: valid, or refused as the document shows.
    for block in blocks:
        name = block.attributes.get("file", "")
        if block.language != "toml" or Path(name).name in (
                "Cargo.toml", "plugin-test.toml"):
            continue
        shown = validations.pop(name, None)
        fails = shown is not None and shown.attributes["expect"].startswith(
            "validate-fails:")
        step(f"rdconnect validate {name}")
        code, out, err = runner.run(
            [rdconnect, "validate", name], tree,
            f"rdconnect validate of {block.where(doc)}"
            + (f"\n  expected to fail as {shown.where(doc)} shows"
               if fails else ""),
            expect_code=2 if fails else 0)
        if shown and code == (2 if fails else 0):
            expected = shown.text.replace(DOC_PREFIX, str(prefix))
            missing = lines_in_order(expected, out + err)
            if missing is not None:
                failures.add(f"{shown.where(doc)}: rdconnect validate {name} "
                             f"printed no line (in this order) '{missing}'",
                             f"--- stdout ---\n{out}--- stderr ---\n{err}")
    for subject, block in validations.items():
        failures.add(f"{block.where(doc)}: expects validate of {subject}, "
                     "which is no toml block of the document")
    for block in blocks:
        name = block.attributes.get("file", "")
        if block.language == "jsonl" and Path(name).name != "records.jsonl":
            failures.add(f"{block.where(doc)}: a jsonl block is used only as "
                         "PROJECT/records.jsonl (rdconnect-plugin-test "
                         "--records)")

    step("flags of rdconnect and rdconnect-plugin-test in sh blocks")
    check_flags(blocks, doc, runner, rdconnect, plugin_test, work)

    elapsed = time.monotonic() - started
    if failures.items:
        print(f"\n{len(failures.items)} failure(s) in {elapsed:.1f} s; the "
              f"work directory {work} is kept")
        for what, _ in failures.items:
            print(f"  - {what.splitlines()[0]}")
        return 1
    print(f"\nall {len(blocks)} blocks passed: {len(plugins)} plugin builds, "
          f"{elapsed:.1f} s")
    if args.keep:
        print(f"work directory: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


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


def check_flags(blocks, doc, runner, rdconnect, plugin_test, work):
    helps = {}

    def help_of(*command):
        if command not in helps:
            _, out, err = runner.run(list(command) + ["--help"], work,
                                     f"{shlex.join(map(str, command))} --help")
            helps[command] = out + err
        return helps[command]

    subcommands = {"run", "validate", "plugins"}
    for block in blocks:
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
                global_help = help_of(rdconnect)
                args = words[1:]
                sub = None
                while args:
                    if args[0] in subcommands:
                        sub = args[0]
                        break
                    args = args[1:]
                for flag in [w.split("=")[0] for w in words[1:]
                             if w.startswith("--")]:
                    texts = global_help + (help_of(rdconnect, sub)
                                           if sub else "")
                    if not re.search(re.escape(flag) + r"\b", texts):
                        runner.failures.add(
                            f"{block.where(doc)}: rdconnect "
                            f"{sub or ''} has no option {flag} "
                            f"(in: {shlex.join(words)})")
                if sub is None and not any(w in ("--help", "--version")
                                           for w in words):
                    runner.failures.add(f"{block.where(doc)}: rdconnect "
                                        f"without a subcommand: "
                                        f"{shlex.join(words)}")
            elif program == "rdconnect-plugin-test":
                text = help_of(plugin_test)
                for flag in [w.split("=")[0] for w in words[1:]
                             if w.startswith("--")]:
                    if not re.search(re.escape(flag) + r"\b", text):
                        runner.failures.add(
                            f"{block.where(doc)}: rdconnect-plugin-test has "
                            f"no option {flag} (in: {shlex.join(words)})")


if __name__ == "__main__":
    sys.exit(main())
