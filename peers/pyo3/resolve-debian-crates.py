#!/usr/bin/env python3
"""Works out which Debian librust-*-dev packages a Cargo manifest needs, for an offline build.

    resolve-debian-crates.py INDEX REGISTRY MANIFEST [--features F,...] [--list OUT]

INDEX is Debian's package index (`apt-cache dumpavail`, the librust-* stanzas are enough);
REGISTRY is the unpacked /usr/share/cargo/registry of the packages fetched so far; MANIFEST is
the root Cargo.toml. Debian's Depends fields cannot be used as they are: debcargo folds every
optional feature of a crate into one binary package, so librust-pyo3-dev depends on chrono,
serde, uuid... Instead this walks the Cargo.toml files, as cargo's resolver does: the features
that are turned on (default, plus those asked for), the optional dependencies they enable,
normal and build dependencies, and target-specific ones for every target (cargo resolves the
lock file for all platforms). Dev-dependencies are left out. Each crate requirement is met by
the highest version some package Provides as `librust-NAME-X.Y.Z-dev`.

Prints `PACKAGE=DEBIAN_VERSION` for every package needed whose crate is not in REGISTRY yet;
call again after unpacking them until it prints nothing. A crate that no package provides in
a matching version is reported on stderr with the versions there are (exit status 3).
--list writes `crate version package debian-version` for the whole closure.
"""
import os
import re
import sys
import tomllib
from collections import defaultdict


def norm(name):
    return name.lower().replace("_", "-")


def parse_version(text):
    m = re.match(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?", text)
    if not m:
        raise ValueError(f"bad version: {text!r}")
    parts = [p for p in m.groups()]
    return parts


def vtuple(text):
    return tuple(int(p or 0) for p in parse_version(text))


def comparator_ok(comp, v):
    """Does version tuple v satisfy one cargo comparator (`^1.2`, `>= 0.4`, `=0.28.2`, `1.*`)?"""
    comp = comp.strip()
    if comp in ("*", ""):
        return True
    m = re.match(r"^(\^|~|=|>=|<=|>|<)?\s*(.+)$", comp)
    op, rest = m.group(1) or "^", m.group(2).strip()
    rest = rest.replace(".*", "").replace(".x", "").replace(".X", "")
    if rest in ("*", "x", "X"):
        return True
    parts = parse_version(rest)
    given = [int(p) for p in parts if p is not None]
    low = tuple(given + [0] * (3 - len(given)))
    if op == "^":
        if given[0] > 0 or len(given) == 1:
            high = (given[0] + 1, 0, 0)
        elif given[1] > 0 or len(given) == 2:
            high = (0, given[1] + 1, 0)
        else:
            high = (0, 0, given[2] + 1)
        return low <= v < high
    if op == "~" or (op == "=" and len(given) < 3):
        if op == "=" and len(given) == 1:
            high = (given[0] + 1, 0, 0)
        elif len(given) == 1:
            high = (given[0] + 1, 0, 0)
        else:
            high = (given[0], given[1] + 1, 0)
        return low <= v < high
    if op == "=":
        return v == low
    if op == ">=":
        return v >= low
    if op == ">":
        if len(given) == 3:
            return v > low
        bump = list(given)
        bump[-1] += 1
        return v >= tuple(bump + [0] * (3 - len(bump)))
    if op == "<":
        return v < low
    if op == "<=":
        if len(given) == 3:
            return v <= low
        bump = list(given)
        bump[-1] += 1
        return v < tuple(bump + [0] * (3 - len(bump)))
    raise ValueError(comp)


def req_ok(req, v):
    return all(comparator_ok(c, v) for c in req.split(","))


def load_index(path):
    """crate (normalised) -> [(version tuple, version text, package, debian version)]."""
    crates = defaultdict(list)
    provide_re = re.compile(r"^librust-(.+)-(\d+\.\d+\.\d+)-dev$")
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for stanza in text.split("\n\n"):
        fields = {}
        key = None
        for line in stanza.splitlines():
            if line[:1] in (" ", "\t") and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        pkg = fields.get("Package", "")
        if not pkg.startswith("librust-"):
            continue
        for item in fields.get("Provides", "").split(","):
            name = item.strip().split(" ")[0]
            m = provide_re.match(name)
            if m and "+" not in name:
                crates[m.group(1)].append((vtuple(m.group(2)), m.group(2), pkg, fields["Version"]))
    for entries in crates.values():
        entries.sort(reverse=True)
    return crates


def load_registry(path):
    """(crate (normalised), version text) -> parsed Cargo.toml, for the crates unpacked so far."""
    found = {}
    if os.path.isdir(path):
        for entry in os.listdir(path):
            manifest = os.path.join(path, entry, "Cargo.toml")
            if os.path.isfile(manifest):
                with open(manifest, "rb") as f:
                    data = tomllib.load(f)
                pkg = data.get("package", {})
                found[(norm(pkg["name"]), pkg["version"])] = data
    return found


def dependency_tables(data):
    tables = [data.get("dependencies", {}), data.get("build-dependencies", {}),
              data.get("build_dependencies", {})]
    for target in data.get("target", {}).values():
        tables += [target.get("dependencies", {}), target.get("build-dependencies", {}),
                   target.get("build_dependencies", {})]
    for table in tables:
        for key, spec in table.items():
            if isinstance(spec, str):
                spec = {"version": spec}
            yield key, spec


def enabled_dependencies(data, features, default):
    """The dependencies a crate uses with these features on: [(crate, req, features, default)]."""
    table = data.get("features", {})
    optional = {key for key, spec in dependency_tables(data) if spec.get("optional")}
    explicit = {f[4:] for fs in table.values() for f in fs if f.startswith("dep:")}
    todo = list(features) + (["default"] if default and "default" in table else [])
    seen, on, dep_features, weak = set(), set(), defaultdict(set), defaultdict(set)
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        if f.startswith("dep:"):
            on.add(f[4:])
        elif "/" in f:
            dep, sub = f.split("/", 1)
            if dep.endswith("?"):
                weak[dep[:-1]].add(sub)
            else:
                on.add(dep)
                dep_features[dep].add(sub)
                if dep in table and dep not in explicit:
                    todo.append(dep)
        elif f in table:
            todo.extend(table[f])
        elif f in optional and f not in explicit:
            on.add(f)
    result = []
    for key, spec in dependency_tables(data):
        if "path" in spec and "version" not in spec or "git" in spec:
            continue
        if spec.get("optional") and key not in on:
            continue
        feats = set(spec.get("features", [])) | dep_features[key] | weak[key]
        dflt = spec.get("default-features", spec.get("default_features", True))
        result.append((norm(spec.get("package", key)), spec.get("version", "*"), feats, dflt))
    return result


def main(argv):
    args = argv[1:]
    features, listing = [], None
    if "--features" in args:
        i = args.index("--features")
        features = [f for f in args[i + 1].split(",") if f]
        del args[i:i + 2]
    if "--list" in args:
        i = args.index("--list")
        listing = args[i + 1]
        del args[i:i + 2]
    index_path, registry_path, manifest_path = args
    index = load_index(index_path)
    registry = load_registry(registry_path)
    with open(manifest_path, "rb") as f:
        root = tomllib.load(f)

    chosen = {}                       # (crate, version) -> (package, debian version)
    active = defaultdict(set)         # (crate, version) -> features on
    defaults = {}                     # (crate, version) -> default features on
    missing, errors = set(), []
    todo = enabled_dependencies(root, features, True)
    while todo:
        name, req, feats, dflt = todo.pop()
        candidates = [c for c in index.get(name, []) if req_ok(req, c[0])]
        if not candidates:
            there = sorted({c[1] for c in index.get(name, [])}, key=vtuple)
            errors.append(f"{name} {req}: no Debian package provides it "
                          f"(versions there: {', '.join(there) or 'none'})")
            continue
        _, version, pkg, debver = candidates[0]
        node = (name, version)
        grew = node not in chosen or not feats <= active[node] or (dflt and not defaults[node])
        chosen[node] = (pkg, debver)
        active[node] |= feats
        defaults[node] = defaults.get(node, False) or dflt
        if not grew:
            continue
        if node not in registry:
            missing.add(f"{pkg}={debver}")
            continue
        todo.extend(enabled_dependencies(registry[node], active[node], defaults[node]))

    for line in sorted(set(errors)):
        print(f"resolve-debian-crates: {line}", file=sys.stderr)
    for line in sorted(missing):
        print(line)
    if listing and not missing:
        with open(listing, "w") as f:
            for (name, version), (pkg, debver) in sorted(chosen.items()):
                f.write(f"{name} {version} {pkg} {debver}\n")
    return 3 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
